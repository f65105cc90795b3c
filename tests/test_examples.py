"""The bundled example corpus and question files are well formed and messy in the intended ways.

`cruxmap demo` runs on examples/; these checks keep the corpus honest: the right number and
mix of formats, parseable question files, HTML pages that really carry site chrome for the
cleaner to remove, plain-text files with the wrapping, repeated captions, promos, link runs
and glued sentences of real input, and an `expected.yaml` whose ground truth matches the files.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from cruxmap.model import Hypothesis, Question

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CORPUS = EXAMPLES / "corpus"
QUESTION_FILES = [EXAMPLES / "question.yaml", EXAMPLES / "nato" / "question.yaml"]
STANCE_VALUES = {"support", "oppose", "mixed", "none"}
URL_LINE = re.compile(r"^https?://\S+$")
GLUED_SENTENCES = re.compile(r"[a-z0-9”\"’)]\.[A-Z][a-z]")


def corpus_files(suffix: str | None = None) -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and (suffix is None or p.suffix == suffix))


def split_front_matter(text: str) -> tuple[dict, str]:
    """Front matter of a Markdown file as a dict, and the body after it."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, "Markdown file must start with YAML front matter between --- lines"
    return yaml.safe_load(match.group(1)), text[match.end():]


def flat_text(path: Path) -> str:
    """File text with tags stripped (HTML), entities decoded and whitespace runs collapsed."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text)


def article_words(path: Path) -> int:
    """Rough length of the article itself, without front matter, page chrome or link lines."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = " ".join(lxml_html.fromstring(text).xpath("//article//p//text()"))
    elif path.suffix == ".md":
        text = split_front_matter(text)[1]
    else:
        text = "\n".join(line for line in text.splitlines() if not URL_LINE.match(line.strip()))
    return len(text.split())


def load_expected() -> dict:
    return yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))["files"]


def word_shingles(path: Path, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", flat_text(path).lower())
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


# --------------------------------------------------------------------------- corpus shape


def test_corpus_has_six_to_eight_articles_in_txt_md_and_html():
    files = corpus_files()
    counts = Counter(p.suffix for p in files)
    assert 6 <= len(files) <= 8
    assert set(counts) <= {".txt", ".md", ".html"}
    assert counts[".txt"] >= 2 and counts[".md"] >= 2 and counts[".html"] >= 2


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_articles_are_short(path):
    assert 250 <= article_words(path) <= 650


@pytest.mark.parametrize("path", corpus_files(".md"), ids=lambda p: p.name)
def test_markdown_files_have_full_front_matter(path):
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    for key in ("title", "author", "outlet", "date", "url"):
        assert meta.get(key), f"{path.name}: front matter lacks {key}"
    assert body.strip()


@pytest.mark.parametrize("path", corpus_files(".html"), ids=lambda p: p.name)
def test_html_pages_carry_metadata_and_site_chrome(path):
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.xpath("//head/meta")}
    for key in ("og:title", "og:site_name", "article:published_time", "author"):
        assert meta.get(key), f"{path.name}: no <meta> {key}"
    assert tree.xpath("//head/title/text()")
    assert tree.xpath("//nav//a"), "a navigation menu for the cleaner to drop"
    assert tree.xpath("//footer"), "a footer for the cleaner to drop"
    assert len(tree.xpath("//article//p")) >= 5, "the article body lives in <article><p>"
    chrome = " ".join(tree.xpath("//body//text()[not(ancestor::article)]"))
    assert "Sign up for our newsletter" in chrome
    assert tree.xpath("//aside//a"), "a related-articles list outside the article"


def test_plain_text_files_carry_real_input_mess():
    texts = {p.name: p.read_text(encoding="utf-8") for p in corpus_files(".txt")}
    hard_wrapped = [n for n, t in texts.items() if len(t.splitlines()) > 40
                    and max(len(line) for line in t.splitlines()) <= 80]
    assert len(hard_wrapped) >= 2, "two files wrapped at ~75 columns"

    def has_repeated_caption(text: str) -> bool:
        credits = Counter(re.findall(r"\(Photo:[^)]*\)", re.sub(r"\s+", " ", text)))
        return any(count >= 2 for count in credits.values())

    assert sum(has_repeated_caption(texts[name]) for name in hard_wrapped) >= 2, "captions printed twice"

    def longest_url_run(text: str) -> int:
        best = run = 0
        for line in text.splitlines():
            run = run + 1 if URL_LINE.match(line.strip()) else 0
            best = max(best, run)
        return best

    assert any("Related article:" in t and longest_url_run(t) >= 2 for t in texts.values())
    assert any(GLUED_SENTENCES.search(t) for t in texts.values()), "two sentences glued without a space"


def test_syndicated_copy_is_a_near_duplicate_and_nothing_else_is():
    expected = load_expected()
    pairs = {(name, spec["duplicate_of"]) for name, spec in expected.items() if spec.get("duplicate_of")}
    assert pairs, "one syndicated near-duplicate pair"
    shingles = {p.name: word_shingles(p) for p in corpus_files()}
    names = sorted(shingles)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            jaccard = len(shingles[a] & shingles[b]) / len(shingles[a] | shingles[b])
            if (a, b) in pairs or (b, a) in pairs:
                assert jaccard > 0.6, (a, b, jaccard)
            else:
                assert jaccard < 0.1, (a, b, jaccard)


# --------------------------------------------------------------------------- question files


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_question_files_parse_with_unique_ids(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data["question"], str) and data["question"].strip().endswith("?")
    hypotheses = data["hypotheses"]
    propositions = data.get("propositions") or []
    assert len(hypotheses) >= 3 and 1 <= len(propositions) <= 2
    ids = [item["id"] for item in hypotheses + propositions]
    assert len(ids) == len(set(ids)), f"duplicate ids in {path}"
    for item in hypotheses + propositions:
        assert item["statement"].strip(), f"{item['id']} has an empty statement"
    question = Question(
        question=data["question"],
        hypotheses=[Hypothesis(id=h["id"], statement=h["statement"]) for h in hypotheses]
        + [Hypothesis(id=p["id"], statement=p["statement"], kind="proposition") for p in propositions],
    )
    assert [h.id for h in question.hypotheses] == ids


# --------------------------------------------------------------------------- ground truth


def test_expected_covers_every_file_and_every_hypothesis():
    expected = load_expected()
    assert sorted(expected) == [p.name for p in corpus_files()]
    question = yaml.safe_load((EXAMPLES / "question.yaml").read_text(encoding="utf-8"))
    ids = {item["id"] for item in question["hypotheses"] + question["propositions"]}
    for name, spec in expected.items():
        assert spec["format"] == Path(name).suffix.lstrip(".")
        assert set(spec["stance"]) == ids, name
        assert set(spec["stance"].values()) <= STANCE_VALUES, name
    for hypothesis in ("H1", "H2", "H3"):
        assert any(spec["stance"][hypothesis] == "support" for spec in expected.values()), (
            f"no article argues for {hypothesis}")


@pytest.mark.parametrize("name", sorted(load_expected()), ids=str)
def test_expected_snippets_occur_in_the_file(name):
    spec = load_expected()[name]
    text = flat_text(CORPUS / name)
    snippets = [spec["author"], spec["thesis"], *spec.get("glued_sentences", []), *spec["scare_quotes"],
                *spec["titles_of_works"], *spec["noise"]]
    snippets += [quote["text"] for quote in spec["quotes"]] + [date["text"] for date in spec["dates"]]
    for snippet in snippets:
        assert re.sub(r"\s+", " ", snippet) in text, f"{name}: {snippet!r} not found"
    for field in ("title", "outlet"):
        assert spec[field].lower() in text.lower(), f"{name}: {field} {spec[field]!r} not found"
    assert text.count(spec["thesis"]) == 1, f"{name}: the thesis sentence should occur exactly once"
