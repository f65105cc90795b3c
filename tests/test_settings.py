"""One settings tree: the nested sections (ingest, map, memory) resolve like the flat settings, each value
says where it came from, and every setting is documented in docs/settings.md."""

from __future__ import annotations

import json

import pytest

from cruxmap.errors import ConfigError
from cruxmap.ingest import IngestOptions, RawDocument, iter_inputs
from cruxmap.map import MapOptions
from cruxmap.settings import ENV_ALIASES, SECTIONS, Settings, env_name, setting_fields


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
    assert origins["map.max_cruxes"] == "CRUXMAP_MAP__MAX_CRUXES" and origins["stance"] == "CRUXMAP_STANCE"
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
    assert set(SECTIONS) == {"ingest", "map", "memory"}


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
    assert rows["memory.mmap_threshold"] == ["0", "default"] and rows["claim_threshold"] == ["unset", "default"]
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
