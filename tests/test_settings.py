"""One settings tree: the nested sections (ingest, claims, stance, map, serve …) resolve like the flat settings, each value
says where it came from, and every setting is documented in docs/settings.md."""

from __future__ import annotations

import json

import pytest

from cruxmap.errors import ConfigError
from cruxmap.ingest import IngestOptions, RawDocument, iter_inputs
from cruxmap.map import MapOptions
from cruxmap.settings import ALIASES, ENV_ALIASES, SECTIONS, Settings, env_name, setting_fields


@pytest.fixture
def toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "cruxmap.toml"
    path.write_text('[cruxmap]\nbatch_size = 8\n\n[cruxmap.map]\nmax_cruxes = 3\ncluster_threshold = 0.4\n\n'
                    '[cruxmap.ingest]\ntext_field = "body"\n')
    return path


def test_sections_resolve_defaults_file_environment_command_line_in_that_order(toml, monkeypatch):
    loaded = Settings.load()
    assert (loaded.batch_size, loaded.map.max_cruxes, loaded.map.cluster_threshold) == (8, 3, 0.4)
    assert loaded.map.max_key_points == 40 and loaded.ingest.title_field == "title"  # the rest keep their defaults
    monkeypatch.setenv("CRUXMAP_MAP__MAX_CRUXES", "5")
    assert Settings.load().map.max_cruxes == 5
    overridden = Settings.load(map={"max_cruxes": 9, "max_key_points": None})
    assert (overridden.map.max_cruxes, overridden.map.cluster_threshold, overridden.map.max_key_points) == (9, 0.4, 40)
    assert Settings.load(**{"map.max_cruxes": 2}).map.max_cruxes == 2


def test_each_value_says_where_it_came_from(toml, monkeypatch):
    monkeypatch.setenv("CRUXMAP_MAP__MAX_CRUXES", "5")
    monkeypatch.setenv("CRUXMAP_STANCE", "hf")
    origins = Settings.load(ingest={"date_field": "when"}).origins()
    assert origins["batch_size"] == origins["map.cluster_threshold"] == origins["ingest.text_field"] == "cruxmap.toml"
    assert origins["map.max_cruxes"] == "CRUXMAP_MAP__MAX_CRUXES" and origins["stance.backend"] == "CRUXMAP_STANCE"
    assert origins["ingest.date_field"] == "the command line"
    assert origins["map.max_key_points"] == origins["memory.mmap_threshold"] == origins["embedder"] == "default"
    assert set(origins) == {name for name, _ in setting_fields()}


def test_a_misspelt_or_misplaced_section_setting_names_the_file_and_the_known_ones(tmp_path):
    bad = tmp_path / "cruxmap.toml"
    bad.write_text("[cruxmap.map]\nmax_crux = 3\n")
    with pytest.raises(ConfigError, match=r"cruxmap.toml: unknown setting\(s\) map.max_crux — known \[cruxmap.map\]: "
                                          r"cluster_threshold, .*max_cruxes"):
        Settings.load(bad)
    bad.write_text("[cruxmap]\nmap = 3\n")
    with pytest.raises(ConfigError, match=r"map is a section .* \[cruxmap.map\]"):
        Settings.load(bad)
    bad.write_text("[cruxmap.map]\nmax_cruxes = -1\n")
    with pytest.raises(ConfigError, match=r"cruxmap.toml: setting map.max_cruxes = -1: .* — map.max_cruxes: at most"):
        Settings.load(bad)


def test_the_map_and_ingest_options_are_the_settings_sections(toml, tmp_path):
    loaded = Settings.load(max_file_mb=1.5)
    assert MapOptions.from_settings(loaded) == MapOptions(max_cruxes=3, cluster_threshold=0.4)
    assert MapOptions() == MapOptions.from_settings(Settings())  # one set of defaults
    options = IngestOptions.from_settings(loaded, limit=4)
    assert (options.text_field, options.max_bytes, options.limit) == ("body", 1_500_000, 4)
    assert IngestOptions().max_bytes == IngestOptions.from_settings(Settings()).max_bytes == 20_000_000
    # what a user notices: a [cruxmap.ingest] text_field reads an export whose text is under "body"
    export = tmp_path / "export.jsonl"
    body = "Critics argue that a promise of neutrality is worth little without a power willing to enforce it. " * 3
    export.write_text(json.dumps({"body": body, "title": "T"}) + "\n", encoding="utf-8")
    docs = [d for d in iter_inputs([str(export)], options) if isinstance(d, RawDocument)]
    assert [d.raw_text for d in docs] == [body]


def test_environment_names_use_a_double_underscore_between_section_and_name():
    assert env_name("map.cluster_threshold") == "CRUXMAP_MAP__CLUSTER_THRESHOLD"
    assert env_name("max_file_mb") == "CRUXMAP_MAX_FILE_MB"
    assert set(ENV_ALIASES.values()) <= {name for name, _ in setting_fields()}
    assert set(SECTIONS) == {"ingest", "annotate", "embed", "claims", "stance", "map", "memory", "serve"}
    assert env_name("stance.llm.base_url") == "CRUXMAP_STANCE__LLM__BASE_URL"


def test_config_prints_every_value_with_where_it_came_from(toml, monkeypatch):
    from typer.testing import CliRunner

    from cruxmap.cli import app

    monkeypatch.setenv("CRUXMAP_MAP__MAX_KEY_POINTS", "12")
    result = CliRunner().invoke(app, ["--db", "/tmp/elsewhere.db", "config"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    assert rows["map.max_cruxes"] == ["3", "cruxmap.toml"] and rows["ingest.text_field"] == ['"body"', "cruxmap.toml"]
    assert rows["map.max_key_points"] == ["12", "CRUXMAP_MAP__MAX_KEY_POINTS"]
    assert rows["db"] == ['"/tmp/elsewhere.db"', "the", "command", "line"]
    assert rows["memory.mmap_threshold"] == ["0", "default"] and rows["claims.threshold"] == ["unset", "default"]
    as_json = json.loads(CliRunner().invoke(app, ["config", "--json"]).stdout)
    assert as_json["settings"]["map"]["max_cruxes"] == 3 and as_json["origins"]["map.max_cruxes"] == "cruxmap.toml"
    assert set(as_json["origins"]) == {name for name, _ in setting_fields()}


def test_every_setting_is_described_and_in_the_generated_reference():
    from conftest import REPO

    reference = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    for name, field in setting_fields():
        assert (field.description or "").strip(), f"{name} has no description in src/cruxmap/settings.py"
        assert f"| `{name}` | `{env_name(name)}`" in reference, f"{name} is missing from docs/settings.md"
    assert "docs/settings.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_committed_settings_reference_is_the_generated_one():
    import subprocess
    import sys

    from conftest import REPO

    result = subprocess.run([sys.executable, str(REPO / "scripts" / "settings_table.py"), "--check"],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ----------------------------------------------------------------------------- sections and their old names


def test_old_flat_names_still_set_the_grouped_settings_from_a_file_a_variable_and_python(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cruxmap.toml").write_text('[cruxmap]\nstance = "llm"\nllm_base_url = "http://127.0.0.1:9/v1"\n'
                                           'claim_threshold = 0.6\nserve_search_meaning = false\n')
    monkeypatch.setenv("CRUXMAP_LLM_MODEL", "local")
    loaded = Settings.load(upload_max_mb=2.5)
    assert (loaded.stance.backend, loaded.stance.llm.base_url, loaded.stance.llm.model) == (
        "llm", "http://127.0.0.1:9/v1", "local")
    assert (loaded.claims.threshold, loaded.serve.search_meaning, loaded.serve.upload_max_mb) == (0.6, False, 2.5)
    origins = loaded.origins()
    assert origins["claims.threshold"] == "cruxmap.toml (as claim_threshold, the old name of claims.threshold)"
    assert origins["stance.llm.model"] == "CRUXMAP_LLM_MODEL"
    assert origins["serve.upload_max_mb"] == "the command line (as upload_max_mb, the old name of serve.upload_max_mb)"
    # a Settings made in Python with the old names, as scripts written before the sections do
    made = Settings(stance="hf", hf_model="/models/nli", claim_prefilter=False, spacy_model="en_core_web_md")
    assert (made.stance.backend, made.stance.hf.model_dir, made.claims.prefilter, made.annotate.spacy.model) == (
        "hf", "/models/nli", False, "en_core_web_md")
    # reading an old name from Python still works, with a warning that says what to read instead
    with pytest.warns(DeprecationWarning, match="read settings.claims.threshold"):
        assert loaded.claim_threshold == 0.6
    with pytest.warns(DeprecationWarning):
        assert made.hf_model == "/models/nli"
    given: dict = {"backend": "hf", "hf": {}}
    assert Settings(stance=given, hf_model="/models/other").stance.hf.model_dir == "/models/other"
    assert given == {"backend": "hf", "hf": {}}  # the caller's dict is left as it was
    # every old name lands on a setting that exists, and every old variable is the old name's
    assert set(ALIASES.values()) <= {name for name, _ in setting_fields()}
    assert all(ENV_ALIASES[f"CRUXMAP_{old.upper()}"] == new for old, new in ALIASES.items())


def test_new_nested_names_from_a_file_a_variable_and_python(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cruxmap.toml").write_text('[cruxmap.stance]\nbackend = "llm"\n\n[cruxmap.stance.llm]\n'
                                           'base_url = "http://127.0.0.1:9/v1"\nconcurrency = 2\n\n'
                                           '[cruxmap.claims]\nprefilter = false\n\n[cruxmap.serve]\nallowed_hosts = "a.b"\n')
    monkeypatch.setenv("CRUXMAP_STANCE__LLM__MODEL", "local")
    loaded = Settings.load(**{"claims.threshold": 0.7}, serve={"upload_max_mb": 3})
    assert (loaded.stance.backend, loaded.stance.llm.concurrency, loaded.stance.llm.model) == ("llm", 2, "local")
    assert (loaded.claims.prefilter, loaded.claims.threshold) == (False, 0.7)
    assert (loaded.serve.allowed_hosts, loaded.serve.upload_max_mb) == ("a.b", 3)
    origins = loaded.origins()
    assert origins["stance.llm.concurrency"].endswith("cruxmap.toml")
    assert origins["stance.llm.model"] == "CRUXMAP_STANCE__LLM__MODEL"
    assert origins["claims.threshold"] == origins["serve.upload_max_mb"] == "the command line"


def test_where_a_setting_is_given_under_both_names_the_new_name_wins_and_a_later_place_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cruxmap.toml").write_text('[cruxmap]\nclaim_threshold = 0.6\nstance = "hf"\n\n'
                                           '[cruxmap.claims]\nthreshold = 0.8\n')
    for name in ("CRUXMAP_STANCE", "CRUXMAP_STANCE__BACKEND", "CRUXMAP_CLAIM_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    loaded = Settings.load()
    assert (loaded.claims.threshold, loaded.stance.backend) == (0.8, "hf")  # in one file, the new name wins
    assert loaded.origins()["claims.threshold"].endswith("cruxmap.toml")
    monkeypatch.setenv("CRUXMAP_CLAIM_THRESHOLD", "0.5")  # the environment comes after the file, old name or not
    assert Settings.load().claims.threshold == 0.5
    monkeypatch.setenv("CRUXMAP_STANCE", "llm")
    monkeypatch.setenv("CRUXMAP_STANCE__BACKEND", "offline")
    assert Settings.load().stance.backend == "offline"  # in the environment too, the new name wins
    # on the command line as well, whichever order the names come in
    assert Settings.load(**{"stance.backend": "hf"}, stance="llm").stance.backend == "hf"
    assert Settings.load(stance="llm", **{"stance.backend": "hf"}).stance.backend == "hf"


def test_a_misspelt_backend_option_names_the_option_and_the_backend(tmp_path):
    bad = tmp_path / "cruxmap.toml"
    bad.write_text('[cruxmap.stance.llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodle = "local"\n')
    with pytest.raises(ConfigError, match=r"cruxmap.toml: stance backend llm takes no option 'modle' "
                                          r"\(stance.llm.modle\) — its options: base_url, model") as info:
        Settings.load(bad)
    assert "max_requests_per_second" in info.value.fix
    with pytest.raises(ConfigError, match="annotate backend spacy takes no option 'modle'"):
        Settings.load(**{"annotate.spacy.modle": "en_core_web_md"})
    # a section given a plain value names the section and what it holds
    bad.write_text('[cruxmap]\nclaims = 0.5\n')
    with pytest.raises(ConfigError, match=r"claims is a section .* \[cruxmap.claims\] \(threshold, prefilter\)"):
        Settings.load(bad)


def test_updated_takes_dotted_names_sections_and_old_names_and_validates():
    base = Settings.load(**{"map.max_cruxes": 3})
    changed = base.updated(**{"stance.backend": "hf"}, claim_threshold=0.4)
    assert (changed.stance.backend, changed.claims.threshold, changed.map.max_cruxes) == ("hf", 0.4, 3)
    assert changed.origins()["map.max_cruxes"] == "the command line" and base.stance.backend == "offline"
    with pytest.raises(ValueError):
        base.updated(claim_threshold=2.0)
