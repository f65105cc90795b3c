"""Draw a fresh set of news articles for hand labelling of quotations (the labelled dev sets of the quotes bench).

The pool is every ``news_article_bias`` article, sorted by id, whose text holds at least two double quote marks
(straight or curly) and whose id appears in no file of the project (``git ls-files``, so no labelled set, dev or
test, and no article another bench or resource uses). ``random.Random(seed).sample(pool, 40)`` orders a draw, and
the first ``--articles`` of it with at most ``--max-chars`` characters are the set (short enough to label in one
sitting). The drawn ids go to standard output, one a line with their length; ``--text DIR`` also writes each
article's text there for reading (outside the repository: the text stays in ../shared/data).

    python scripts/draw_quotes_set.py --seed 20 --commit 0ea6e84 --text /tmp/dev4
    # dev4: seed 20 with the files of 0ea6e84 (main before dev4 was added; the work tree now names its ids)
    # dev5: seed 21 with the files of a7d59d1 (main before dev5 was added)
    # dev6: seed 22 with the files of 55e9a94 (main before dev6 was added)
    # dev7: seed 23 with the files of b847c63 (main before dev7 was added)
    # dev8: seed 24 with the files of 5d7028f, --articles 15 (the first articles of the draw until the set held at
    # least 100 labelled spans, as dev7 did; ten gave 68)
    # dev9: seed 25 with the files of 17ab2d5, --articles 11 (the same rule: ten held 97 spans, eleven 100)
    # dev10: seed 26 with the files of c98835a, --articles 10 (the same rule: nine held 95 spans, ten 113)
    # dev3 exactly: seed 1919 with the files of 2f2f520, the commit that added dev2; dev2's ten ids (in another
    # order): seed 19 with the files of 856141e, the commit before it
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "news_article_bias" / "articles_subset.jsonl"
DOUBLE_QUOTES = re.compile(r"[\"“”]")
ID_LIKE = re.compile(r"[A-Za-z0-9]{16}")


def project_ids(commit: str | None) -> set[str]:
    """Every 16-character word in the project's tracked files (at ``commit``, else in the work tree): the article ids
    any file names."""
    command = ["git", "ls-files"] if commit is None else ["git", "ls-tree", "-r", "--name-only", commit]
    names = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    ids: set[str] = set()
    for name in filter(None, names):
        if commit is None:
            path = ROOT / name
            text = path.read_text(encoding="utf-8", errors="ignore") if path.is_file() else ""
        else:
            shown = subprocess.run(["git", "show", f"{commit}:{name}"], cwd=ROOT, capture_output=True, check=False)
            text = shown.stdout.decode("utf-8", errors="ignore")
        ids.update(ID_LIKE.findall(text))
    return ids


def draw(seed: int, articles: int, max_chars: int, data: Path, commit: str | None = None) -> list[dict]:
    used = project_ids(commit)
    with data.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    pool = sorted((r for r in rows if len(DOUBLE_QUOTES.findall(r["content_original"])) >= 2
                   and r["ID"] not in used), key=lambda r: r["ID"])
    order = random.Random(seed).sample(pool, 40)
    return [r for r in order if len(r["content_original"]) <= max_chars][:articles]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--max-chars", type=int, default=8000)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--commit", help="exclude the ids in the project's files at this commit, not the work tree")
    parser.add_argument("--text", type=Path, help="write each drawn article's text to this folder")
    args = parser.parse_args()
    drawn = draw(args.seed, args.articles, args.max_chars, args.data, args.commit)
    for row in drawn:
        print(row["ID"], len(row["content_original"]))
        if args.text:
            args.text.mkdir(parents=True, exist_ok=True)
            (args.text / f"{row['ID']}.txt").write_text(row["content_original"], encoding="utf-8")


if __name__ == "__main__":
    main()
