"""``stance.llm.v2``: an LLM reads each source once and states its position on every item.

The pair backend (``stance.llm.v1``) asks about every claim × hypothesis pair and leaves the
position of the source to the aggregation rule, which cannot tell an article's own claims from
the ones it sets up to knock down. This reader sends one request per source, carrying the whole
text and every hypothesis and proposition, with the reading rules a careful analyst applies (the
author's own position; rebuttals are opposition; condemning a policy's opponents is support;
``mixed`` only when the article argues both ways; ``none`` when it takes no position; competing
hypotheses exclude each other unless the question file says ``exclusive: false``).

Each position must come with one to three passages copied from the source. A passage is
aligned to the source's characters (exact, or ignoring differences of whitespace, quotation
marks and dashes); an answer with a passage that does not align, a missing or unknown item, a
label outside the four, a confidence outside 0..1, or two supported rival hypotheses is
rejected and asked again with the reason (``max_attempts``). A position whose evidence still
does not align after the last attempt is kept as ``none`` with a ``note`` saying so, never as an
unchecked claim about the source. Readings are cached in the store by the content hash of the
request (model, prompt version, items, text), so a re-run sends nothing.

Claim-level stances follow from the reading: a claim that overlaps a passage given for an item
takes that item's label and confidence; every other claim is ``neutral`` toward it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ...model import Claim, Document, Hypothesis, Passage, Stance, StanceLabel
from ...registry import takes_options, version_of
from ...settings import LLMStanceOptions
from .llm import LLMStanceClassifier

log = logging.getLogger(__name__)

PROMPT_VERSION = "reader-1"
LABELS: tuple[StanceLabel, ...] = ("support", "oppose", "mixed", "none")
#: longest stretch of a source sent in one request; a longer text is cut at a paragraph break and the request says so
MAX_SOURCE_CHARS = 40_000
CHARS_PER_TOKEN = 4  # for the estimate printed before a run; real counts depend on the model's tokenizer
MAX_EVIDENCE = 3
#: the answer's token budget: room for three 40-word passages per item, so a model that rambles stops
ANSWER_TOKENS_BASE, ANSWER_TOKENS_PER_ITEM = 200, 250

SYSTEM_PROMPT = """You are a careful analyst. You read one article and report the author's own position on each item.
Rules:
1. The author's own position only. Views the article quotes or reports (officials, experts, polls, other outlets) count only if the author endorses them. A news report that relays both sides takes no position.
2. An article that states a view in order to rebut it opposes that view, however much space the view takes.
3. Condemning a policy's opponents is support of the policy; condemning its supporters is opposition.
4. Read by intended meaning: the headline is part of the article; read sarcasm by what it means.
5. "mixed" only when the article itself argues both for and against the item. "none" when it takes no position on the item or never discusses it.
6. For a proposition (a policy), predictions about its political chances or mentions in passing are "none"; backing it for part of its scope or on a condition is still "support".
{exclusive}
For every item give: "id"; "label" (support, oppose, mixed or none); "confidence" from 0 to 1; and "evidence": one to three passages that show the position, each copied character for character from the article and at most 40 words long (an empty list for "none").
Reply with the JSON object only."""
EXCLUSIVE_RULE = ("7. The hypotheses are competing answers that exclude each other: support at most one of them. "
                  "An article that argues one of them opposes a rival it addresses.")
OPEN_RULE = "7. The hypotheses are not exclusive: an article may support several of them."

RESPONSE_SCHEMA = {
    "type": "object",
    "properties": {"positions": {"type": "array", "items": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "label": {"type": "string", "enum": list(LABELS)},
                       "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                       "evidence": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_EVIDENCE}},
        "required": ["id", "label", "confidence", "evidence"], "additionalProperties": False}}},
    "required": ["positions"],
    "additionalProperties": False,
}


@dataclass
class Position:
    item: str
    label: StanceLabel
    confidence: float
    passages: list[tuple[int, int]]  # aligned offsets into the source text
    note: str | None = None


# --------------------------------------------------------------------------- alignment

_SAME = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u00a0": " "})
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` with quotes and dashes unified and whitespace runs as one space, and for each
    character of the result the offset it came from."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text.translate(_SAME)):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def align(passage: str, text: str, normalised: tuple[str, list[int]] | None = None) -> list[tuple[int, int]] | None:
    """Offsets of ``passage`` in ``text`` (one span per part around an ellipsis), or None when a
    part is not there. Exact first, then ignoring whitespace, quotation marks and dashes."""
    parts = [p.strip(" \"'") for p in _ELLIPSIS.split(passage.strip())]
    parts = [p for p in parts if p]
    if not parts:
        return None
    norm, where = normalised or _normalised(text)
    spans = []
    for part in parts:
        at = text.find(part)
        if at >= 0:
            spans.append((at, at + len(part)))
            continue
        key, _ = _normalised(part)
        at = norm.find(key)
        if at < 0:
            return None
        spans.append((where[at], where[at + len(key) - 1] + 1))
    return spans


# --------------------------------------------------------------------------- checking an answer

def check_reading(content: str, text: str, items: Sequence[Hypothesis], exclusive: bool,
                  title: str | None = None) -> tuple[list[Position], list[str]]:
    """Parse and check one answer. Returns the positions (in item order) and the problems found
    with single cells (evidence that does not align, two supported rivals); a malformed answer as
    a whole raises ``ValueError`` with the reason."""
    cleaned = content.strip()
    if cleaned.startswith("```"):
        cleaned = cleaned.strip("`").removeprefix("json").strip()
    try:
        answer = json.loads(cleaned)
    except json.JSONDecodeError as err:
        raise ValueError(f"the answer is not JSON ({err.msg})") from None
    rows = answer.get("positions") if isinstance(answer, dict) else None
    if not isinstance(rows, list):
        raise ValueError('the answer has no "positions" list')  # noqa: TRY004 (a bad answer, caught as one)
    wanted = {h.id for h in items}
    found: dict[str, dict] = {}
    for row in rows:
        if not isinstance(row, dict) or row.get("id") not in wanted:
            raise ValueError(f"unknown item {row.get('id') if isinstance(row, dict) else row!r}; "
                             f"the items are {', '.join(h.id for h in items)}")
        if row["id"] in found:
            raise ValueError(f"item {row['id']} is answered twice")
        found[row["id"]] = row
    missing = [h.id for h in items if h.id not in found]
    if missing:
        raise ValueError(f"no position for {', '.join(missing)}; give one for every item")
    normalised = _normalised(text)
    positions, problems = [], []
    for h in items:
        row = found[h.id]
        label, confidence, evidence = row.get("label"), row.get("confidence"), row.get("evidence", [])
        if label not in LABELS:
            raise ValueError(f"{h.id}: label {label!r} is not one of {', '.join(LABELS)}")
        if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
            raise ValueError(f"{h.id}: confidence {confidence!r} is not a number from 0 to 1")
        if isinstance(evidence, str):
            evidence = [evidence]
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            raise ValueError(f"{h.id}: evidence must be a list of passages")
        position = Position(h.id, label, float(confidence), [])
        if label != "none":
            unaligned = []
            for passage in [e for e in evidence if e.strip()][:MAX_EVIDENCE]:
                spans = align(passage, text, normalised)
                if spans is not None:
                    position.passages.extend(spans)
                elif not (title and align(passage, title) is not None):  # the headline is part of the article
                    unaligned.append(passage)
            if unaligned or not [e for e in evidence if e.strip()]:
                what = f"passage {unaligned[0][:80]!r} is not in the article" if unaligned else "no evidence given"
                problems.append(f"{h.id}: {what}")
                position.note = f"evidence did not match the article ({what})"
        positions.append(position)
    if exclusive:
        supported = [p for p, h in zip(positions, items) if h.kind == "hypothesis" and p.label == "support"]
        if len(supported) > 1:
            problems.append(f"{' and '.join(p.item for p in supported)} are competing hypotheses; support at most one")
    return positions, problems


def settle(positions: list[Position], items: Sequence[Hypothesis], exclusive: bool) -> list[Position]:
    """The positions to keep after the last attempt: unverified ones become ``none`` (their note
    says why) and, among supported rivals, the most confident keeps its support."""
    out = []
    for p in positions:
        if p.note:
            p = Position(p.item, "none", 0.0, [], p.note)
        out.append(p)
    if exclusive:
        kinds = {h.id: h.kind for h in items}
        supported = [p for p in out if kinds[p.item] == "hypothesis" and p.label == "support"]
        for p in sorted(supported, key=lambda p: -p.confidence)[1:]:
            p.label, p.confidence, p.passages = "none", 0.0, []
            p.note = "the model supported several competing hypotheses; only the most confident was kept"
    return out


# --------------------------------------------------------------------------- the reader

#: ways of asking for JSON, tried in order until the server accepts one: OpenAI's JSON schema, then the
#: ``json_object`` form with a schema (llama.cpp's server, vLLM), then the prompt's instruction alone
RESPONSE_FORMATS = (
    {"type": "json_schema", "json_schema": {"name": "positions", "strict": True, "schema": RESPONSE_SCHEMA}},
    {"type": "json_object", "schema": RESPONSE_SCHEMA},
    None,
)


class LLMSourceReader(LLMStanceClassifier):
    """One request per source with every item; positions with aligned evidence (module docstring)."""

    reads_sources = True
    #: index into ``RESPONSE_FORMATS`` of the form this server accepts (found on the first refusal)
    response_format = 0

    def cache_namespace(self) -> str:
        return version_of(self, PROMPT_VERSION, self.url, self.model)

    # ---- what a run will send

    @staticmethod
    def request_text(text: str) -> tuple[str, bool]:
        """The stretch of ``text`` sent (cut at a paragraph break past ``MAX_SOURCE_CHARS``) and whether it was cut."""
        if len(text) <= MAX_SOURCE_CHARS:
            return text, False
        cut = text.rfind("\n", 0, MAX_SOURCE_CHARS)
        return text[:cut if cut > MAX_SOURCE_CHARS // 2 else MAX_SOURCE_CHARS], True

    def messages(self, title: str | None, text: str, items: Sequence[Hypothesis], exclusive: bool) -> list[dict]:
        sent, cut = self.request_text(text)
        rivals = sum(h.kind == "hypothesis" for h in items) > 1
        system = SYSTEM_PROMPT.format(exclusive=(EXCLUSIVE_RULE if exclusive else OPEN_RULE) if rivals else "")
        lines = [f"{h.id} ({h.kind}): {h.statement}" for h in items]
        user = ("Items:\n" + "\n".join(lines) + "\n\n"
                + (f"Headline: {title}\n\n" if title else "")
                + "Article" + (" (the first part; the rest was cut)" if cut else "") + ":\n" + sent)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def estimate(self, texts: Sequence[str], items: Sequence[Hypothesis]) -> tuple[int, int]:
        """(requests, estimated prompt tokens) to read ``texts`` once each."""
        overhead = len(SYSTEM_PROMPT) + sum(len(h.statement) + 20 for h in items) + 40
        chars = sum(min(len(t), MAX_SOURCE_CHARS) + overhead for t in texts)
        return len(texts), chars // CHARS_PER_TOKEN

    # ---- reading

    def _key(self, title: str | None, text: str, items: Sequence[Hypothesis], exclusive: bool) -> str:
        spec = json.dumps([PROMPT_VERSION, self.model, title, exclusive, [(h.id, h.kind, h.statement) for h in items]])
        return hashlib.sha256(f"{spec}\x00{text}".encode()).hexdigest()

    def read_sources(self, docs: Sequence[Document], items: Sequence[Hypothesis],
                     exclusive: bool = True) -> list[list[Position]]:
        """Per document, one ``Position`` per item (in item order); cached by content."""
        keys = [self._key(d.source.title, d.source.text, items, exclusive) for d in docs]
        cached = self.store.get_cached(self.cache_namespace(), list(set(keys))) if self.store is not None else {}
        todo = [i for i, k in enumerate(keys) if k not in cached]
        fresh: dict[str, list[Position]] = {}

        def one(i: int) -> tuple[str, list[Position]]:
            return keys[i], self.read_one(docs[i].source.title, docs[i].source.text, items, exclusive)

        if todo:
            workers = min(self.concurrency, len(todo))
            if workers == 1:
                results = [one(i) for i in todo]
            else:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    results = list(pool.map(one, todo))
            fresh = dict(results)
            self.computed += len(todo)
            if self.store is not None:
                self.store.put_cached(self.cache_namespace(), {
                    k: json.dumps([p.__dict__ for p in ps]).encode() for k, ps in fresh.items()})
        out = []
        for k in keys:
            if k in fresh:
                out.append(fresh[k])
            else:
                out.append([Position(**{**d, "passages": [tuple(s) for s in d["passages"]]})
                            for d in json.loads(cached[k])])
        return out

    def read_one(self, title: str | None, text: str, items: Sequence[Hypothesis], exclusive: bool) -> list[Position]:
        messages = self.messages(title, text, items, exclusive)
        sent, _ = self.request_text(text)
        last: list[Position] | None = None
        problem = "no answer"
        attempt = 0
        while attempt < self.max_attempts:
            used = self.response_format
            payload = {"model": self.model, "temperature": 0, "messages": messages,
                       "max_tokens": ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_ITEM * len(items)}
            if RESPONSE_FORMATS[used] is not None:
                payload["response_format"] = RESPONSE_FORMATS[used]
            content = self._request(payload)
            if content is None:
                if "response_format" in self.last_error and used < len(RESPONSE_FORMATS) - 1:
                    with self._lock:  # the server does not take this way of asking for JSON: the next one
                        self.response_format = max(self.response_format, used + 1)
                    continue
                problem = "server error"
                attempt += 1
                continue
            attempt += 1
            try:
                positions, problems = check_reading(content, sent, items, exclusive, title)
            except ValueError as err:
                problem = str(err)
            else:
                last = positions
                if not problems:
                    return positions
                problem = "; ".join(problems)
            messages = messages[:2] + [
                {"role": "assistant", "content": content},
                {"role": "user", "content": f"Your answer was rejected: {problem}. Answer again for every item with "
                                            "the JSON object only; copy each evidence passage exactly from the article."}]
        message = f"llm reader: {problem} after {self.max_attempts} attempts (source {title or text[:40]!r})"
        log.warning(message)
        with self._lock:
            self.warnings.append(message)
        if last is None:
            return [Position(h.id, "none", 0.0, [], f"no usable answer from the model ({problem})") for h in items]
        return settle(last, items, exclusive)


def reading_stances(doc: Document, items: Sequence[Hypothesis], positions: Sequence[Position]) -> list[Stance]:
    """Claim-level then source-level stances of ``doc`` from its reading (module docstring)."""
    claim_stances = []
    for claim in doc.claims:
        for h, p in zip(items, positions):
            hit = p.label in ("support", "oppose", "mixed") and _overlaps(claim, p.passages)
            label: StanceLabel = p.label if hit and p.label != "mixed" else "neutral"
            claim_stances.append(Stance(target="claim", target_id=claim.id, hypothesis_id=h.id, label=label,
                                        score=round(p.confidence if hit else 0.0, 4)))
    source_stances = []
    for h, p in zip(items, positions):
        claim_ids = [c.id for c in doc.claims if p.label != "none" and _overlaps(c, p.passages)]
        source_stances.append(Stance(
            target="source", target_id=doc.source.id, hypothesis_id=h.id, label=p.label,
            score=round(p.confidence if p.label != "none" else 0.0, 4), claim_ids=claim_ids,
            evidence=[Passage(start=s, end=e) for s, e in p.passages[:MAX_EVIDENCE]], note=p.note))
    return claim_stances + source_stances


def _overlaps(claim: Claim, spans: Sequence[tuple[int, int]]) -> bool:
    return any(min(claim.end, e) - max(claim.start, s) > 0 for s, e in spans)


@takes_options(LLMStanceOptions)
def create_llm_reader(base_url: str | None = None, model: str | None = None, store=None, **options) -> LLMSourceReader:
    return LLMSourceReader(base_url=base_url, model=model, store=store, **options)
