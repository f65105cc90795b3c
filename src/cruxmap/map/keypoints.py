"""Key points: claims from all sources clustered into the few things the debate keeps saying.

Claims are sorted (source, offset, id), embedded, and clustered on cosine distance
(``cluster.cluster_vectors``: automatic, stability-checked cut; sample + assign above 5,000
claims). Each cluster becomes a key point labelled by its most representative claim (the
medoid: highest mean cosine to the other members, preferring one that reads on its own —
extractive, never generated). Prevalence
counts *sources*, not sentences. Clusters that a single claim makes are kept only when too few
multi-claim clusters exist; claims left outside every key point are attached to the best
matching one when the trained matcher (``matcher.KeyPointMatcher``) says they match it *and* their
cosine to its label is at least ``ATTACH_MIN_COSINE`` (on real articles the head alone attached
generic sentences such as "Here my enthusiasm ends." to whatever key point ranked first).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from ..clean.boilerplate import site_note
from ..model import Claim, KeyPoint, Source, Stance
from ..nlp.parse import DEFAULT_MODEL
from .clauses import clauses
from .cluster import Clustering, cluster_vectors
from .matcher import KeyPointMatcher, group_context

#: a left-over claim joins a key point only this close to its label (cosine), whatever the head says
ATTACH_MIN_COSINE = 0.6
#: a member of a cut group stays in it only when it and the group's label read as one point at least this
#: surely (``same_point_check``); None: no check
SAME_POINT_MIN: float | None = None
#: claims from which a corpus's common direction is estimated (see ``centred``)
MIN_CENTRE = 40
#: cuts tried on centred vectors when none is set (``cluster.THRESHOLD_GRID`` from 0.45 up): centred
#: cosines of two claims stating one point run 0.5-0.6, so the tighter cuts leave every shared point apart
CENTRED_GRID = (0.45, 0.5, 0.55)


@dataclass
class KeyPointResult:
    key_points: list[KeyPoint]
    claims: list[Claim]  # in clustering order
    vectors: np.ndarray  # one row per claim, same order
    clustering: Clustering

    def cluster_of(self) -> dict[str, int]:
        return {c.id: int(lab) for c, lab in zip(self.claims, self.clustering.labels)}


def sorted_claims(claims: list[Claim]) -> list[Claim]:
    return sorted(claims, key=lambda c: (c.source_id, c.start, c.end, c.id))


def signed_score(stance: Stance | None) -> float:
    """support → +score, oppose → −score, anything else → 0."""
    if stance is None:
        return 0.0
    if stance.label == "support":
        return float(stance.score)
    if stance.label == "oppose":
        return -float(stance.score)
    return 0.0


def claim_stance_index(stances: list[Stance]) -> dict[tuple[str, str], Stance]:
    """(claim id, hypothesis id) → the claim's stance row."""
    return {(s.target_id, s.hypothesis_id): s for s in stances if s.target == "claim"}


def source_positions(stances: list[Stance]) -> dict[tuple[str, str], str]:
    """(source id, hypothesis id) → the source's own position where it takes a side (support / oppose):
    the source table that the camps, the ACH matrix and the cruxes follow."""
    return {(s.target_id, s.hypothesis_id): s.label for s in stances
            if s.target == "source" and s.label in ("support", "oppose")}


def independent_sources(sources: list[Source]) -> dict[str, str]:
    """Source id → the id that stands for its group of near-duplicates (syndicated copies count once)."""
    parent = {s.id: s.id for s in sources}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s in sources:
        for dup in s.duplicates:
            if dup.source_id in parent:
                a, b = find(s.id), find(dup.source_id)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {sid: find(sid) for sid in parent}


def independent_count(source_ids, canonical: dict[str, str]) -> int:
    """How many independent sources ``source_ids`` are (``canonical`` from ``independent_sources``)."""
    return len({canonical.get(sid, sid) for sid in source_ids})


def stance_split(claims: list[Claim], hypothesis_ids: list[str], positions: dict[tuple[str, str], str],
                 canonical: dict[str, str] | None = None) -> dict[str, dict[str, int]]:
    """Per hypothesis, how many independent *sources* making these claims support / oppose it in the
    source table (``source_positions``), and how many take no side there (neutral).

    The split follows the source table, not the claims' own stances: the table is what the analyst reads
    and corrects, and the claim-level direction of the offline reader is at chance on opinion writing
    (``docs/positions.md``), so counting it showed a key point stating H2 as opposed to H2 by its own
    sources. Syndicated copies count once (their first position found)."""
    canonical = canonical or {}
    by_source: dict[str, list[str]] = {}
    for claim in claims:
        members = by_source.setdefault(canonical.get(claim.source_id, claim.source_id), [])
        if claim.source_id not in members:
            members.append(claim.source_id)
    split: dict[str, dict[str, int]] = {}
    for hid in hypothesis_ids:
        counts = {"support": 0, "oppose": 0, "neutral": 0}
        for _source, members in sorted(by_source.items()):
            held = next((positions[(m, hid)] for m in sorted(members) if (m, hid) in positions), None)
            counts[held or "neutral"] += 1
        split[hid] = counts
    return split


#: a label should read on its own: openers that lean on the sentence before ("Moreover, …", "This …"),
#: discourse connectives that continue an argument ("As a result, …", "Either way, …", "In other words, …"),
#: a relative pronoun ("Which, really, …"), list items ("One is that …", "Finally, …") and a hedge before a
#: pronoun ("Perhaps it would …", "Maybe this will …")
_DEPENDENT_OPENER = re.compile(
    r"^\W*(?:(?:moreover|however|but|and|or|so|also|yet|still|thus|therefore|instead|indeed|furthermore|besides|"
    r"this|that|these|those|it|its|they|their|them|he|his|she|her|such|here|there|which|whose|whom|"
    r"hence|likewise|similarly|conversely|consequently|nevertheless|nonetheless|meanwhile|otherwise|"
    r"then|even so|either way|after all|as a result|as such|in addition|in fact|in short|"
    r"in sum|in other words|in this case|in that case|in turn|by contrast|in contrast|on the other hand|"
    r"for example|for instance|what'?s more|what['’]s more|to be sure|that said|note that|one is that|"
    r"another is that|the other (?:is|one|way|reason|problem)|"
    r"the (?:first|second|third|fourth|fifth|next|last|final) (?:is|was|one|reason|problem|point)|start with|given (?:this|that|these|those)|"
    r"(?:perhaps|maybe|now|even) (?:it|this|that|these|those|they|he|she)|(?:one|another) (?:reason|problem) is)\b|"
    # with a comma only: "First, …" is a list item, "First Amendment rights …" is not; "Next year …" reads alone
    r"(?:additionally|importantly|finally|lastly|first|firstly|second|secondly|third|thirdly|next|actually|sure"
    r"|again|of course|ultimately|overall|worse|even worse|better still|likewise),"
    # a bare reply answers a question before it: "No. The plan is pointless.", "Yes, and …"
    r"|(?:no|yes|nope|not at all|absolutely|exactly|of course not|hardly)\s*[.!,;:—–-])", re.IGNORECASE)
#: … or refers back in its middle: "The cost of such a decision …" ("such as" introduces, it does not refer)
_DEPENDENT_INSIDE = re.compile(r"\bsuch an?\b", re.IGNORECASE)


#: site furniture inside a sentence that passed as a claim: licensing lines, newsletter and subscription
#: prompts, letters-to-the-editor and disclosure lines in any wording, links (the cleaning stage removes the
#: lines of appeals, disclosures and app promotions it recognises: ``site_note``)
_BOILERPLATE = re.compile(
    r"©|\ball rights reserved\b|\bcopyright \d{4}|\bmay not be (?:re)?published\b|\blicensed under\b|"
    r"\bsubscribe (?:to|now)\b|\bsign up (?:now|today|for (?:our|my|free)|to (?:get|receive))\b|\bnewsletter\b|\bclick here\b|\bfollow us\b|"
    r"\bletters? to the editor\b|\bwould benefit from this article\b|https?://|\bwww\.", re.IGNORECASE)
#: one-source groups labelled per missing shared key point, so that fillers without a label can be passed over
FILL_SPARE = 4
#: a key point's label is a whole claim: shorter sentences are fragments ("It does not guarantee it.")
MIN_LABEL_WORDS = 6


#: … or closes on one: "Other places have learned from that."
_DEPENDENT_CLOSER = re.compile(r"\b(?:from|of|about|to|with|on|by|like)\s+(?:that|this|these|those|it|them)\W*$",
                               re.IGNORECASE)


#: … or opens on a definite shell noun with nothing after it to say which (Schmid's shell nouns: "The
#: consequences would be dire.", "The move was a mistake."); a complement says which ("The decision to
#: close the plant …", "The effect of the tax …"), and "The problem is that …" points forward, not back
_SHELL_NOUNS = (
    "consequences?|results?|effects?|outcomes?|impacts?|implications?|move|moves|step|steps|decision|decisions|"
    "idea|fact|problem|issue|reason|answer|point|situation|development|trend|approach|change|changes|shift|"
    "difference|danger|risk|mistake|episode|incident|response|reaction|precedent")
_DANGLING_SHELL = re.compile(
    rf"^\W*(?:the|these|those)\s+(?:(?:same|whole|real|main|broader|wider|likely|long-term|short-term|"
    rf"immediate|ultimate|biggest|big|obvious|only|first|last|other)\s+)?(?:{_SHELL_NOUNS})\b"
    r"(?!\s+(?:of|to|that|which|who|for|in|on|from|between|with|behind|about|over|against|at|by|under|"
    r"among|around|toward|towards|across|since)\b)"
    r"(?!\s+(?:is|was|remains|seems)\s+(?:that|whether|how|why|what|simple|clear)\b)"
    r"(?!\s*[,:(—–-])",
    re.IGNORECASE,
)


def reads_alone(text: str) -> bool:
    """False for a sentence that opens with a connective or pronoun pointing outside itself or with a
    definite shell noun that says nothing of which ("The consequences would be dire."), that closes on a
    pronoun object standing for what came before, or that speaks of "such a" thing."""
    return (not _DEPENDENT_OPENER.match(text) and not _DANGLING_SHELL.match(text)
            and not _DEPENDENT_CLOSER.search(text) and not _DEPENDENT_INSIDE.search(text))


#: a headline's kicker ("OPINION: …", "ANALYSIS — …") or a byline label ("Geraldo Rivera: …") before the claim
_KICKER = re.compile(r"^\W*(?:[A-Z]{3,}(?:\s+[A-Z]{3,})?\s*[:|—–-]|(?:[A-Z][\w.’'-]+\s+){1,3}?[A-Z][\w.’'-]+:\s)")


def someone_elses_words(text: str) -> bool:
    """A claim that is a quotation (it opens on a quotation mark, or closes on one it never opened):
    a speaker's words, evidence for a point rather than the point in the author's voice."""
    stripped = text.strip()
    opens = stripped[:1] in "“\"‘"
    closes_unopened = stripped.rstrip(".!?")[-1:] in "”\"" and not any(m in stripped[:-1] for m in "“\"")
    return opens or closes_unopened


#: a whole statement ends like one; a headline ("The scariest thing about X (and Y)") or a cut-off line does not
_STATEMENT_END = re.compile(r"[.!][\"'”’)\]]*\s*$")
#: … nor opens mid-quotation ("… If, however, …")
_CONTINUES = re.compile(r"^\W*?(?:…|\.\.\.)")


def is_question(text: str) -> bool:
    """A claim that asks ("What accounts for the shift?", "And the people losing cover?"): it raises a point
    without making it, so it neither labels a key point nor counts as a source that makes one."""
    return text.rstrip().rstrip("\"'”’)]").endswith("?")


def label_worthy(text: str) -> bool:
    """Whether a claim can stand as a key point's label: a statement of at least ``MIN_LABEL_WORDS``
    words in the author's own voice that reads on its own and ends as a sentence does; not a question,
    not site boilerplate, not a headline or its kicker, not a quotation and not the middle of one."""
    return (reads_alone(text) and not is_question(text)
            and len(text.split()) >= MIN_LABEL_WORDS and not _BOILERPLATE.search(text) and not site_note(text)
            and not _KICKER.match(text) and not someone_elses_words(text)
            and _STATEMENT_END.search(text) is not None and not _CONTINUES.match(text))


def medoid(indices: list[int], vectors: Rows, claims: list[Claim], usable: set[int] | None = None) -> int | None:
    """Among the members that can stand as a label (``label_worthy``, and in ``usable`` when given),
    the one with the highest mean cosine to all the others (ties: higher claim score, then id); None
    when no member can."""
    worthy = [i for i in indices if label_worthy(claims[i].text) and (usable is None or i in usable)]
    if not worthy:
        return None
    if len(indices) == 1:
        return indices[0]
    sub = vectors[indices]
    sims = sub @ sub.T
    mean = (sims.sum(1) - np.diag(sims)) / (len(indices) - 1)
    allowed = set(worthy)
    order = sorted((k for k in range(len(indices)) if indices[k] in allowed),
                   key=lambda k: (-round(float(mean[k]), 6), -claims[indices[k]].score, claims[indices[k]].id))
    return indices[order[0]]


def centred(vectors: np.ndarray, min_items: int = MIN_CENTRE) -> np.ndarray:
    """Rows with the corpus's mean removed and L2-normalised again, once there are ``min_items``.

    Every claim of a debate is about its topic, and sentence embeddings carry that topic as one
    large shared component: two claims on the same subject that say different or opposite things
    sit at cosine 0.5-0.6, so clusters cut on raw cosine are topics, not points. Removing the mean
    (as "all-but-the-top" post-processing does, Mu & Viswanath 2018) leaves what distinguishes the
    claims. Fewer than ``min_items`` rows estimate the mean too poorly, and a row that is the mean
    itself (a corpus of copies) has nothing left: both are returned unchanged.
    """
    if len(vectors) < min_items:
        return vectors
    shifted = vectors - corpus_mean(vectors)
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    if (norms < 1e-6).any():  # a claim that is the mean itself (every claim the same): no direction to remove
        return vectors
    shifted /= norms  # in place: one corpus-sized copy fewer (218 MB at 142,000 claims)
    return shifted


def corpus_mean(vectors: np.ndarray) -> np.ndarray:
    """The mean row (summed in float64, kept as float32) that ``centred`` removes."""
    return vectors.mean(0, keepdims=True, dtype=np.float64).astype(np.float32)


class CentredRows:
    """Rows of ``centred(vectors)``, computed when they are read: the clustering reads a sample and one block at a
    time, and afterwards only the labels' and the left-over claims' rows are read again, so the corpus-sized
    centred copy (218 MB at 142,000 claims) is never made. Each row is the one ``centred`` gives, bit for bit: the same float32 mean, and each row's norm
    is summed over that row alone."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors
        self.mean = corpus_mean(vectors)

    def __len__(self) -> int:
        return len(self.vectors)

    def __getitem__(self, rows) -> np.ndarray:
        part = self.vectors[rows] - self.mean
        part /= np.linalg.norm(part, axis=-1, keepdims=True)
        return part


#: the centred rows of the claims, held whole or computed when read (``CentredRows``)
Rows = np.ndarray | CentredRows

#: rows whose cosines ``row_cosines`` gathers at once, and that ``centred_rows`` checks at once
ROW_BLOCK = 4096


def centred_rows(vectors: np.ndarray, min_items: int = MIN_CENTRE) -> Rows:
    """``centred(vectors)`` as rows computed when read (``CentredRows``), or ``vectors`` itself wherever
    ``centred`` returns them unchanged (too few rows; a row that is the mean itself). The check reads the
    rows a block at a time, so no corpus-sized copy is made."""
    if len(vectors) < min_items:
        return vectors
    rows = CentredRows(vectors)
    for start in range(0, len(vectors), ROW_BLOCK):
        shifted = vectors[start:start + ROW_BLOCK] - rows.mean
        if (np.linalg.norm(shifted, axis=1) < 1e-6).any():
            return vectors
    return rows


def row_cosines(vectors: Rows, rows: np.ndarray, others: np.ndarray, block: int = ROW_BLOCK) -> np.ndarray:
    """``vectors[rows[k]] · vectors[others[k]]`` for each k, gathering ``block`` pairs of rows at a time, so the
    gathered copies of the rows stay small on a whole corpus (``docs/performance.md``)."""
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), block):
        stop = start + block
        out[start:stop] = np.einsum("ij,ij->i", vectors[rows[start:stop]], vectors[others[start:stop]])
    return out


def same_point_check(labelled: list[tuple[list[int], int]], claims: list[Claim], matcher: KeyPointMatcher,
                     minimum: float, independent) -> tuple[list[tuple[list[int], int]], dict[int, set[int]], int]:
    """Each group's members read against its label by the matcher's pair reader (``KeyPointMatcher.same_point``):
    a member below ``minimum`` leaves the group, since claims on one subject sit close on cosine whatever they
    say of it. Returns the groups still made by two or more independent sources (``independent`` counts them),
    each label's refused members, and how many groups were left with one source (no longer shared). Without a
    pair reader every group stays whole."""
    pairs = [(claims[i].text, claims[label].text) for group, label in labelled for i in group if i != label]
    reads = matcher.same_point(pairs)
    if reads is None:
        return labelled, {}, 0
    kept: list[tuple[list[int], int]] = []
    refused: dict[int, set[int]] = {}
    unshared = 0
    position = 0
    for group, label in labelled:
        members = [i for i in group if i != label]
        passed = reads[position:position + len(members)] >= minimum
        position += len(members)
        refused[label] = {i for i, ok in zip(members, passed) if not ok}
        remaining = sorted([label] + [i for i, ok in zip(members, passed) if ok])
        if independent(remaining) >= 2:
            kept.append((remaining, label))
        else:
            unshared += 1
    return kept, refused, unshared


def key_point_id(label_claim_id: str) -> str:
    """Ids follow the label claim, so a key point keeps its id when unrelated claims change."""
    return "kp-" + hashlib.sha256(label_claim_id.encode("utf-8")).hexdigest()[:10]


def build_key_points(claims: list[Claim], stances: list[Stance], hypothesis_ids: list[str], embedder, *,
                     threshold: float | None = None, max_key_points: int = 40, min_key_points: int = 5,
                     matcher: KeyPointMatcher | None = None, attach_min: float = 0.5,
                     attach_min_cosine: float = ATTACH_MIN_COSINE,
                     topic: str | None = None, sources: list[Source] | None = None,
                     centre: bool = True, spacy_model: str = DEFAULT_MODEL,
                     same_point_min: float | None = SAME_POINT_MIN) -> KeyPointResult:
    """Cluster claims into key points (largest source prevalence first, then the most argued: the highest
    mean claim score, so that a line of narration many sources repeat comes after the points they argue);
    ``topic`` is the debate question.

    A key point is made by two or more independent sources; points of a single source are kept only
    while fewer than ``min_key_points`` shared ones exist (a small or one-source corpus).

    Groups are cut, labelled and joined on the claims' vectors with the corpus's shared direction
    removed (``centred``; ``centre=False`` keeps the raw vectors, for comparison): on ArgKP-2021 dev
    (``bench quality --task keypoints``, "extraction" rows) that raised the share of same-group
    pairs that match one gold key point from 0.13 to 0.39 and cut the groups holding both pro and
    con arguments from 0.43 to 0.15. The returned ``vectors`` stay the raw ones.

    ``sources`` (optional) lets near-duplicate sources (``Source.duplicates``) count once in
    prevalence and stance splits; ``source_ids`` still lists every source.

    A question raises a point without making it: questions are clustered with the rest but join no key point.

    ``same_point_min``: after the cut each member is read against its group's label (``same_point_check``)
    and leaves the point below this; None reads nothing.
    """
    canonical = independent_sources(sources or [])
    ordered = sorted_claims(claims)
    if not ordered:
        return KeyPointResult([], [], np.zeros((0, getattr(embedder, "dim", 0)), dtype=np.float32),
                              cluster_vectors(np.zeros((0, 1), dtype=np.float32), threshold))
    vectors = np.asarray(embedder.embed([c.text for c in ordered]), dtype=np.float32)
    # the centred rows are computed when read (the clustering reads a sample and one block at a time), never
    # held for the whole corpus
    shape: Rows = centred_rows(vectors) if centre else vectors
    clustering = cluster_vectors(vectors, threshold) if shape is vectors else \
        cluster_vectors(shape, threshold, grid=CENTRED_GRID)
    # questions stay in the clustering (the contradiction finder reads these groups) but join no key point
    speaks = [not is_question(c.text) for c in ordered]
    members: dict[int, list[int]] = {}
    for i, lab in enumerate(clustering.labels):
        if speaks[i]:
            members.setdefault(int(lab), []).append(i)

    def independent(idx: list[int]) -> int:  # syndicated copies count once
        return independent_count((ordered[i].source_id for i in idx), canonical)

    groups = sorted(members.values(), key=lambda g: (-independent(g), -len(g), ordered[g[0]].id))
    shared_groups = [g for g in groups if independent(g) >= 2][:max_key_points]
    # one source's points (one claim, several of its own, or its syndicated copies' repeats of them): the
    # most argued first, and only to fill a corpus that has fewer than ``min_key_points`` shared ones
    alone = sorted((g for g in groups if independent(g) < 2),
                   key=lambda g: (-max(ordered[i].score for i in g), ordered[g[0]].id))

    def labelled_groups(candidate_groups: list[list[int]]) -> list[tuple[list[int], int]]:
        if not candidate_groups:
            return []
        candidates = sorted({i for g in candidate_groups for i in g if label_worthy(ordered[i].text)})
        usable = {i for i, ok in zip(candidates, clauses([ordered[i].text for i in candidates], spacy_model)) if ok}
        return [(g, lab) for g in candidate_groups if (lab := medoid(g, shape, ordered, usable)) is not None]

    matcher = matcher or KeyPointMatcher()
    labelled = labelled_groups(shared_groups)
    refused: dict[int, set[int]] = {}  # label → members read as another point, which never rejoin it
    unshared = 0
    if same_point_min is not None and labelled:
        labelled, refused, unshared = same_point_check(labelled, ordered, matcher, same_point_min, independent)
    # a few spare fillers, since a group with no self-contained statement to label it is no key point
    missing = min_key_points - (len(shared_groups) - unshared)
    fill = alone[: FILL_SPARE * missing] if missing > 0 else []
    labelled += labelled_groups(fill)[: max(0, min_key_points - len(labelled))]
    chosen = [g for g, _ in labelled]
    labels = [lab for _, lab in labelled]
    chosen_set = {i for g in chosen for i in g}

    # claims outside every key point join the best-matching one when the matcher agrees
    rest = [i for i in range(len(ordered)) if i not in chosen_set and speaks[i]]
    if rest and chosen and matcher.uses_head:
        topic_vec = np.asarray(embedder.embed([topic]), dtype=np.float32)[0] if topic else None
        context = group_context(vectors, vectors[labels], topic_vec, claim_rows=np.asarray(rest))
        cosines = context.sims  # claim · key-point label, read in place from ``vectors``
        scores = matcher.score_group(None, [ordered[i].text for i in rest], None,
                                     [ordered[j].text for j in labels], refine=cosines.max(1) >= attach_min_cosine,
                                     context=context)
        release = getattr(matcher, "release", None)  # a plugin's matcher may hold no model to release
        if release is not None:
            release()
        for column, label in enumerate(labels):  # a member the same-point check refused stays out of that point
            for row in (row for row, i in enumerate(rest) if i in refused.get(label, ())):
                scores[row, column] = -1.0
        best = np.argmax(scores, axis=1)
        # the head ranks key points *relative* to each other (ArgKP: every argument has one), so an absolute
        # cosine floor, read on the vectors the groups were cut on, keeps claims that match nothing from joining
        near = row_cosines(shape, np.asarray(rest), np.asarray(labels)[best])
        for row, i in enumerate(rest):
            if scores[row, best[row]] >= attach_min and near[row] >= attach_min_cosine:
                chosen[best[row]] = sorted(chosen[best[row]] + [i])

    positions = source_positions(stances)
    key_points = []
    for group, label in zip(chosen, labels):
        group_claims = [ordered[i] for i in group]
        key_points.append(KeyPoint(
            id=key_point_id(ordered[label].id),
            label=ordered[label].text,
            claim_ids=[c.id for c in group_claims],
            source_ids=sorted({c.source_id for c in group_claims}),
            stance_split=stance_split(group_claims, hypothesis_ids, positions, canonical),
        ))

    def prevalence_of(kp: KeyPoint) -> int:
        return independent_count(kp.source_ids, canonical)

    argued = {c.id: c.score for c in ordered}

    def how_argued(kp: KeyPoint) -> float:  # mean claim score: narration (a few tenths) sinks below argument
        return round(sum(argued[c] for c in kp.claim_ids) / len(kp.claim_ids), 3)

    key_points.sort(key=lambda k: (-prevalence_of(k), -how_argued(k), -len(k.claim_ids), k.id))
    shared = [k for k in key_points if prevalence_of(k) >= 2]
    if len(shared) >= min_key_points:
        key_points = shared  # a point one source makes is that source's, not a key point of the debate
    return KeyPointResult(key_points, ordered, vectors, clustering)
