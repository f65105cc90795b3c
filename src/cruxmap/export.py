"""Export a DebateMap for other tools: JSON, CSV, Argdown and AIF.

``export_map(debate_map, fmt)`` returns the text; ``write_export`` puts it in a file.

- ``json``: map.json itself.
- ``csv``: one row per claim × hypothesis (source, claim text, character offsets, stance
  label and score), for spreadsheets and pandas.
- ``argdown``: the argument structure for the Argdown tools: hypotheses as statements,
  key points as arguments that support (``+>``) or attack (``->``) them, claims as
  statements supporting the key point they belong to (or the hypothesis directly).
- ``corrections``: the analyst's corrections applied to the map, as a labelled dataset (JSONL: text,
  hypothesis, the analyst's label and the machine's).
- ``aif``: the same structure in the Argument Interchange Format as AIFdb's JSON
  (``nodes`` of type I / RA / CA, ``edges`` from → to), plus a ``cruxmap`` block that
  anchors each I-node to the characters of its source.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path

from .atomic import write_text_atomic
from .errors import InputError
from .model import DebateMap, KeyPoint

FORMATS = ("json", "csv", "positions", "argdown", "aif", "corrections")

CSV_COLUMNS = [
    "claim_id", "source_id", "source_title", "source_path", "start", "end", "claim_text", "claim_score",
    "hypothesis_id", "hypothesis", "label", "stance_score", "signed_score", "set_by", "machine_label",
]
#: one row per source × item: the positions table as the report shows it
POSITION_COLUMNS = [
    "source_id", "source_title", "source_path", "outlet", "published", "hypothesis_id", "hypothesis", "kind",
    "label", "confidence", "signed_score", "evidence", "evidence_offsets", "note", "set_by", "machine_label",
]

#: Characters with a meaning in Argdown text (statement and argument brackets, mentions, tags, emphasis,
#: data blocks, code, the escape character); each is escaped with a backslash.
_ARGDOWN_SPECIAL = re.compile(r"([\\\[\]<>#@*_{}`])")


def export_map(debate_map: DebateMap, fmt: str) -> str:
    """The map in format ``fmt`` (one of ``FORMATS``) as text."""
    fmt = fmt.lower()
    if fmt == "json":
        return debate_map.model_dump_json(indent=1)
    if fmt == "csv":
        return stances_csv(debate_map)
    if fmt == "positions":
        return positions_csv(debate_map)
    if fmt == "argdown":
        return argdown(debate_map)
    if fmt == "aif":
        return json.dumps(aif(debate_map), ensure_ascii=False, indent=1)
    if fmt == "corrections":
        from .corrections import labelled_rows

        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in labelled_rows(debate_map))
    raise InputError(f"unknown export format {fmt!r}", fix=f"use one of: {', '.join(FORMATS)}")


def write_export(debate_map: DebateMap, fmt: str, path: str | Path) -> Path:
    """Write ``export_map(debate_map, fmt)`` to ``path`` and return it."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError("the folder to write the export into does not exist", path=str(target.parent),
                         fix="create it first, or give a path in an existing folder")
    if target.is_dir():
        raise InputError("this is a folder, not a file to write", path=str(target),
                         fix="give a file name, e.g. map.csv")
    text = export_map(debate_map, fmt)
    try:
        write_text_atomic(target, text, newline="")
    except OSError as err:
        raise InputError(f"cannot write the export: {err.strerror}", path=str(target),
                         fix="choose an output path you can write to") from err
    return target


# --------------------------------------------------------------------------- CSV


def source_title(source) -> str:
    """A source's title, else its file name (what the report calls it)."""
    if source is None:
        return ""
    return source.title or Path(source.path.split("#", 1)[0]).name or source.id


def _signed(label: str, score: float) -> float:
    """+confidence for support, −confidence for oppose, 0 for any other label."""
    return score if label == "support" else -score if label == "oppose" else 0.0


def _label(label: str) -> str:
    """The positions table's vocabulary: a claim related to an item but taking no side is ``none``."""
    return "none" if label == "neutral" else label


def stances_csv(debate_map: DebateMap) -> str:
    """Every claim × hypothesis pair; a pair without a stance gets label ``none`` and no score.
    ``stance_score`` is the reader's confidence in the label, ``signed_score`` the same with the
    label's sign (support +, oppose −, anything else 0)."""
    sources = {s.id: s for s in debate_map.sources}
    stances = {(st.target_id, st.hypothesis_id): st for st in debate_map.stances if st.target == "claim"}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in debate_map.claims:
        source = sources.get(claim.source_id)
        for hyp in debate_map.hypotheses:
            st = stances.get((claim.id, hyp.id))
            writer.writerow([
                claim.id, claim.source_id, source_title(source), source.path if source else "",
                claim.start, claim.end, claim.text, f"{claim.score:.4f}", hyp.id, hyp.statement,
                _label(st.label) if st else "none", f"{st.score:.4f}" if st else "",
                f"{_signed(st.label, st.score):.4f}" if st else "",
                ("analyst" if st.analyst else "machine") if st else "machine",
                (st.machine_label or "") if st and st.analyst else "",
            ])
    return buffer.getvalue()


def positions_csv(debate_map: DebateMap) -> str:
    """The source × item table: each source's own position on each hypothesis and proposition, its
    confidence, and the passages that decided it (their text, and ``start:end`` offsets joined by
    ``;``). A cell with no reading is ``none``."""
    cells = {(st.target_id, st.hypothesis_id): st for st in debate_map.stances if st.target == "source"}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(POSITION_COLUMNS)
    for source in debate_map.sources:
        for hyp in debate_map.hypotheses or debate_map.question.hypotheses:
            st = cells.get((source.id, hyp.id))
            label = _label(st.label) if st else "none"
            passages = [(p.start, p.end) for p in st.evidence] if st else []
            writer.writerow([
                source.id, source_title(source), source.path, source.outlet or "", source.published or "", hyp.id,
                hyp.statement, hyp.kind, label, f"{st.score:.4f}" if st else "",
                f"{_signed(label, st.score):.4f}" if st else "",
                " … ".join(_one_line(source.text[a:b]) for a, b in passages),
                ";".join(f"{a}:{b}" for a, b in passages), (st.note or "") if st else "",
                ("analyst" if st.analyst else "machine") if st else "machine",
                (st.machine_label or "") if st and st.analyst else "",
            ])
    return buffer.getvalue()


# --------------------------------------------------------------------------- shared structure


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _key_point_direction(kp: KeyPoint, hypothesis_id: str) -> str | None:
    """``support`` or ``oppose`` when more of the key point's sources take that side, else None."""
    split = kp.stance_split.get(hypothesis_id, {})
    support, oppose = split.get("support", 0), split.get("oppose", 0)
    if support > oppose:
        return "support"
    if oppose > support:
        return "oppose"
    return None


def _relations(debate_map: DebateMap) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(from, to, support|oppose) edges between claims, key points and hypotheses, and claim → key point.

    A claim inside a key point supports that key point; the key point supports or attacks each
    hypothesis by the majority of its sources. A claim outside every key point relates directly to
    the hypotheses it takes a support/oppose stance on.
    """
    hyp_ids = {h.id for h in debate_map.hypotheses}
    claim_ids = {c.id for c in debate_map.claims}
    member: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for kp in debate_map.key_points:
        for cid in kp.claim_ids:
            if cid in claim_ids and cid not in member:
                member[cid] = kp.id
                edges.append((cid, kp.id, "support"))
        for hid in sorted(hyp_ids):
            direction = _key_point_direction(kp, hid)
            if direction:
                edges.append((kp.id, hid, direction))
    for st in debate_map.stances:
        if (st.target == "claim" and st.target_id in claim_ids and st.target_id not in member
                and st.hypothesis_id in hyp_ids and st.label in ("support", "oppose")):
            edges.append((st.target_id, st.hypothesis_id, st.label))
    return edges, member


# --------------------------------------------------------------------------- Argdown


def _argdown_text(text: str) -> str:
    """One line of text for an Argdown statement: whitespace collapsed, every character with a meaning in
    Argdown (brackets, mentions, tags, emphasis, data braces, the escape itself) escaped with a backslash,
    so the parsed text is the original."""
    return _ARGDOWN_SPECIAL.sub(r"\\\1", _one_line(text))


def _data_value(value: object) -> str:
    """A value for an Argdown data block or front matter: JSON (which YAML reads), with ``<``, ``>`` and
    ``&`` as ``\\u`` escapes so no markup reaches a tool that shows the data."""
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def argdown(debate_map: DebateMap) -> str:
    """The map as an Argdown document that the Argdown tools parse (``@argdown/cli``): hypotheses and
    propositions, key points as arguments that support (``+>``) or attack (``->``) them, every claim
    (supporting its key point, or the items it takes a side on), contradictions (``><``) and quotes.
    Texts are escaped, not rewritten: the parsed statement is the claim's text (whitespace collapsed);
    where an item comes from (source, characters, speaker) is in each statement's data block."""
    from .map.build import hypotheses_of

    edges, _ = _relations(debate_map)
    outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for src, dst, kind in edges:
        outgoing[src].append((dst, "+>" if kind == "support" else "->"))
    for c in debate_map.contradictions:
        outgoing[c.a].append((c.b, "><"))
    kp_ids = {kp.id for kp in debate_map.key_points}
    sources = {s.id: s for s in debate_map.sources}

    def ref(node_id: str) -> str:
        return f"<{node_id}>" if node_id in kp_ids else f"[{node_id}]"

    def relation_lines(node_id: str) -> list[str]:
        return [f"  {arrow} {ref(dst)}" for dst, arrow in outgoing.get(node_id, [])]

    def data(**values: object) -> str:
        return "{" + ", ".join(f"{k}: {_data_value(v)}" for k, v in values.items() if v is not None) + "}"

    def origin(source_id: str) -> str:
        source = sources.get(source_id)
        return (source.title or source.path) if source else source_id

    title = debate_map.question.question or "cruxmap debate map"
    lines = ["===", f"title: {_data_value(_one_line(title))}", "===", "",
             f"# {_argdown_text(title)}", "", "## Hypotheses", ""]
    for hyp in hypotheses_of(debate_map):
        lines += [f"[{hyp.id}]: {_argdown_text(hyp.statement)} {data(kind=hyp.kind)}", ""]
    if debate_map.key_points:
        lines += ["## Key points", ""]
        for kp in debate_map.key_points:
            lines += [f"<{kp.id}>: {_argdown_text(kp.label)} {data(kind='key point', sources=len(kp.source_ids))}",
                      *relation_lines(kp.id), ""]
    if debate_map.claims:
        lines += ["## Claims", ""]
        for claim in debate_map.claims:
            lines += [(f"[{claim.id}]: {_argdown_text(claim.text)} "
                      f"{data(kind='claim', source=origin(claim.source_id), source_id=claim.source_id, start=claim.start, end=claim.end)}"),
                      *relation_lines(claim.id), ""]
    if debate_map.quotes:
        lines += ["## Quotes", ""]
        for q in debate_map.quotes:
            lines += [(f"[{q.id}]: {_argdown_text(q.text)} "
                      f"{data(kind='quote', speaker=q.speaker, speaker_type=q.speaker_type, direct=q.direct, cue=q.cue, source=origin(q.source_id), source_id=q.source_id, start=q.start, end=q.end)}"),
                      ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- AIF


def aif(debate_map: DebateMap) -> dict:
    """AIFdb-style JSON, as OVA and AIFdb read it: numeric ``nodeID``/``edgeID`` strings and a timestamp
    on every node. I-nodes for hypotheses, key points, claims and quoted words; an RA (support) or CA
    (attack, also each contradiction) node between related I-nodes; each attributed quote is a locution
    (an L-node "Speaker: words" with a YA "Asserting" node to its I-node), listed under ``locutions`` with
    its speaker under ``participants``. The ``cruxmap`` block anchors every I-node to the characters of
    its source."""
    from .map.build import hypotheses_of

    stamp = debate_map.run.created if debate_map.run and debate_map.run.created else "1970-01-01T00:00:00"
    timestamp = stamp.replace("T", " ")[:19]
    nodes: list[dict] = []
    anchors: dict[str, dict] = {}
    edges_out: list[dict] = []
    node_of: dict[str, str] = {}

    def add(kind: str, text: str) -> str:
        node_id = str(len(nodes) + 1)
        nodes.append({"nodeID": node_id, "text": text, "type": kind, "timestamp": timestamp})
        return node_id

    def link(a: str, b: str) -> None:
        edges_out.append({"edgeID": str(len(edges_out) + 1), "fromID": a, "toID": b, "formEdgeID": None})

    def add_i(item_id: str, text: str, anchor: dict) -> None:
        node_of[item_id] = add("I", _one_line(text))
        anchors[node_of[item_id]] = anchor

    for hyp in hypotheses_of(debate_map):
        add_i(hyp.id, hyp.statement, {"kind": hyp.kind, "id": hyp.id})
    for kp in debate_map.key_points:
        add_i(kp.id, kp.label, {"kind": "key_point", "id": kp.id, "source_ids": kp.source_ids})
    for claim in debate_map.claims:
        add_i(claim.id, claim.text, {"kind": "claim", "id": claim.id, "source_id": claim.source_id,
                                      "start": claim.start, "end": claim.end})
    edges, _ = _relations(debate_map)
    relations = [*edges, *((c.a, c.b, "oppose") for c in debate_map.contradictions)]
    for src, dst, kind in relations:
        if src not in node_of or dst not in node_of:
            continue
        scheme = add("RA", "Default Inference") if kind == "support" else add("CA", "Default Conflict")
        link(node_of[src], scheme)
        link(scheme, node_of[dst])
    participants: dict[str, str] = {}
    locutions = []
    for q in debate_map.quotes:
        if not q.speaker:
            continue
        add_i(q.id, q.text, {"kind": "quote", "id": q.id, "source_id": q.source_id, "start": q.start, "end": q.end,
                             "speaker": q.speaker, "speaker_type": q.speaker_type})
        participants.setdefault(q.speaker, str(len(participants) + 1))
        locution = add("L", f"{q.speaker}: {_one_line(q.text)}")
        asserting = add("YA", "Asserting")
        link(locution, asserting)
        link(asserting, node_of[q.id])
        locutions.append({"nodeID": locution, "personID": participants[q.speaker], "timestamp": timestamp,
                          "start": None, "end": None, "source": None})
    people = []
    for name, person_id in participants.items():
        first, _, last = name.partition(" ")
        people.append({"participantID": person_id, "firstname": first, "surname": last})
    return {"nodes": nodes, "edges": edges_out, "locutions": locutions, "participants": people,
            "cruxmap": {"question": debate_map.question.question, "anchors": anchors,
                        "run_id": debate_map.run.id if debate_map.run else None}}
