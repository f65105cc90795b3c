"""Loaders for the stance and NLI benchmarks in ``settings.data_dir`` (``../shared/data``).

Each loader returns ``LabelledPair`` rows: the text whose stance is judged, the hypothesis it
is judged against, the dataset's own label, the label mapped onto cruxmap's three stance
labels, and a ``group`` (topic, claim or article body) so that train/dev splits can keep a
group on one side. A missing file raises ``DataMissing`` (the bench turns it into a note).

Label mapping (documented once, used by training and the bench):

* FNC-1: agree→support, disagree→oppose, discuss→neutral, unrelated→neutral
  (``fine_label`` keeps the 4-way label for the FNC score).
* IBM Claim Stance: PRO→support, CON→oppose. PERSPECTRUM: SUPPORT→support, UNDERMINE→oppose.
* ArgKP-2021 arguments vs their topic: stance 1→support, -1→oppose.
* VAST: FAVOR→support, AGAINST→oppose, NONE→neutral.
* NLI (SNLI, ANLI, SICK), premise as text, hypothesis as hypothesis:
  entailment→support, contradiction→oppose, neutral→neutral.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CruxmapError

csv.field_size_limit(1 << 24)


class DataMissing(CruxmapError):
    """A benchmark file is absent from the data folder."""

    code = "data-missing"


@dataclass(frozen=True)
class LabelledPair:
    text: str  # the text whose stance is judged (article body, claim, premise, comment)
    hypothesis: str  # what it is judged against (headline, motion, claim, NLI hypothesis, topic)
    label: str  # support / oppose / neutral
    fine_label: str  # the dataset's own label (agree/disagree/discuss/unrelated, PRO/CON, …)
    group: str  # topic / claim / body id: pairs sharing it stay on one side of a split
    extra: dict = field(default_factory=dict, compare=False, hash=False)


FNC_TO_STANCE = {"agree": "support", "disagree": "oppose", "discuss": "neutral", "unrelated": "neutral"}
NLI_TO_STANCE = {"entailment": "support", "contradiction": "oppose", "neutral": "neutral"}


def _need(path: Path) -> Path:
    if not path.is_file():
        raise DataMissing("benchmark file not found", path=str(path),
                          fix="set data_dir (CRUXMAP_DATA_DIR) to the folder holding the shared benchmark data")
    return path


def _rows(path: Path, **kwargs) -> list[dict]:
    with open(_need(path), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, **kwargs))


def _jsonl(path: Path) -> list[dict]:
    with open(_need(path), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_fnc1(data_dir: str | Path, split: str) -> list[LabelledPair]:
    """FNC-1 headline/body pairs; ``split`` is ``train`` or ``test`` (the competition test set)."""
    base = Path(data_dir) / "fnc1"
    prefix = {"train": "train", "test": "competition_test"}[split]
    bodies = {row["Body ID"]: row["articleBody"] for row in _rows(base / f"{prefix}_bodies.csv")}
    pairs = []
    for row in _rows(base / f"{prefix}_stances.csv"):
        stance = row["Stance"].strip()
        pairs.append(LabelledPair(bodies[row["Body ID"]], row["Headline"], FNC_TO_STANCE[stance], stance,
                                  f"fnc-body-{row['Body ID']}"))
    return pairs


def hold_out_groups(pairs: list[LabelledPair], fraction: float = 0.2, seed: int = 1) -> tuple[list, list]:
    """Split pairs into (train, dev) by group, as FNC-1's baseline holds out 20 % of bodies."""
    groups = sorted({p.group for p in pairs})
    rng = random.Random(seed)
    rng.shuffle(groups)
    held = set(groups[: round(len(groups) * fraction)])
    return [p for p in pairs if p.group not in held], [p for p in pairs if p.group in held]


def load_ibm_claim_stance(data_dir: str | Path, split: str) -> list[LabelledPair]:
    """IBM Debater Claim Stance: corrected claim text vs the motion; ``train`` or ``test`` (by topic)."""
    rows = _rows(Path(data_dir) / "ibm_claim_stance" / "claim_stance_dataset_v1.csv")
    mapping = {"PRO": "support", "CON": "oppose"}
    return [LabelledPair(r["claims.claimCorrectedText"], r["topicText"], mapping[r["claims.stance"]],
                         r["claims.stance"], f"ibm-topic-{r['topicId']}")
            for r in rows if r["split"] == split]


def load_perspectrum(data_dir: str | Path, split: str) -> list[LabelledPair]:
    """PERSPECTRUM claim/perspective stance pairs (every pid of a gold cluster); train/dev/test by claim."""
    base = Path(data_dir) / "perspectrum"
    claims = json.loads(_need(base / "perspectrum_with_answers_v1.0.json").read_text(encoding="utf-8"))
    pool = {p["pId"]: p["text"] for p in json.loads(_need(base / "perspective_pool_v1.0.json").read_text("utf-8"))}
    splits = json.loads(_need(base / "dataset_split_v1.0.json").read_text(encoding="utf-8"))
    mapping = {"SUPPORT": "support", "UNDERMINE": "oppose"}
    pairs = []
    for claim in claims:
        if splits.get(str(claim["cId"])) != split:
            continue
        for cluster in claim["perspectives"]:
            label = cluster["stance_label_3"]
            for pid in cluster["pids"]:
                if pid in pool and label in mapping:
                    pairs.append(LabelledPair(pool[pid], claim["text"], mapping[label], label,
                                              f"persp-claim-{claim['cId']}"))
    return pairs


def load_argkp(data_dir: str | Path, split: str) -> list[LabelledPair]:
    """ArgKP-2021 arguments vs their debate topic (stance 1 pro / -1 con); train/dev/test by topic."""
    rows = _rows(Path(data_dir) / "argkp2021" / f"arguments_{split}.csv")
    mapping = {"1": "support", "-1": "oppose"}
    return [LabelledPair(r["argument"], r["topic"], mapping[r["stance"].strip()], r["stance"].strip(),
                         f"argkp-{r['topic']}") for r in rows]


def load_vast(data_dir: str | Path, split: str) -> list[LabelledPair]:
    """VAST comments vs topic (dev/test only); ``extra['zero_shot']`` marks topics unseen in training."""
    rows = _rows(Path(data_dir) / "vast" / f"vast_{split}.csv")
    mapping = {"FAVOR": "support", "AGAINST": "oppose", "NONE": "neutral"}
    return [LabelledPair(r["Tweet"], r["Target 1"], mapping[r["Stance 1"].strip()], r["Stance 1"].strip(),
                         f"vast-{r['Target 1']}", {"zero_shot": r["seen?"].strip() == "0"}) for r in rows]


_SPACE_BEFORE_PUNCT = re.compile(r" ([.,;:!?')])")


def detokenize(text: str) -> str:
    """Undo SNLI's tokenisation (``packages .`` → ``packages.``) so inputs look like ordinary text."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text).replace("( ", "(").replace(" n't", "n't").replace(" 's", "'s")


def load_snli(data_dir: str | Path, split: str) -> list[LabelledPair]:
    """SNLI dev/test (train is not available here), detokenised."""
    rows = _jsonl(Path(data_dir) / "nli" / "snli" / f"snli_{split}.jsonl")
    return [LabelledPair(detokenize(r["premise"]), detokenize(r["hypothesis"]), NLI_TO_STANCE[r["label"]], r["label"],
                         f"snli-{detokenize(r['premise'])[:80]}") for r in rows if r["label"] in NLI_TO_STANCE]


def load_anli(data_dir: str | Path, split: str, rounds: tuple[int, ...] = (1, 2, 3)) -> list[LabelledPair]:
    """ANLI dev/test for the given rounds; ``extra['round']`` names the round (R1, R2, R3)."""
    short = {"e": "entailment", "n": "neutral", "c": "contradiction"}
    pairs = []
    for rnd in rounds:
        for r in _jsonl(Path(data_dir) / "nli" / "anli" / f"R{rnd}_{split}.jsonl"):
            label = short[r["label"]]
            pairs.append(LabelledPair(r["context"], r["hypothesis"], NLI_TO_STANCE[label], label,
                                      f"anli-{r['context'][:80]}", {"round": f"R{rnd}"}))
    return pairs


def load_sick(data_dir: str | Path, split: str) -> list[LabelledPair]:
    """SICK entailment pairs; ``split`` is train, trial (SICK's dev) or test."""
    rows = _rows(Path(data_dir) / "nli" / "sick" / "SICK.txt", delimiter="\t", quoting=csv.QUOTE_NONE)
    wanted = {"train": "TRAIN", "trial": "TRIAL", "dev": "TRIAL", "test": "TEST"}[split]
    return [LabelledPair(r["sentence_A"], r["sentence_B"], NLI_TO_STANCE[r["entailment_label"].lower()],
                         r["entailment_label"].lower(), f"sick-{r['sentence_A'][:80]}")
            for r in rows if r["SemEval_set"] == wanted]
