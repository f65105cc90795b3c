"""A hand-built, realistic DebateMap for the report and web UI tests.

Four invented articles argue whether the (fictional) city of Northbridge should bring in a
congestion charge; every layer the pipeline produces is present (sentences, claims, quotes,
events, stances, key points, contradictions, ACH, cruxes, camps, removed boilerplate), and
every span is computed from the text, so offsets are exact. ``report_map(malicious=True)``
adds a fifth article whose metadata, text, quotes and speaker carry HTML/script injection
attempts; a safe renderer must show them as inert text.

All prose here was written for this fixture.
"""

from __future__ import annotations

import re

from cruxmap.model import (
    AchCell,
    AchMatrix,
    AchRow,
    Camp,
    Claim,
    Contradiction,
    Crux,
    DebateMap,
    Event,
    Failure,
    Hypothesis,
    KeyPoint,
    Passage,
    Question,
    Quote,
    Removal,
    RunInfo,
    Sentence,
    Source,
    Stance,
)

QUESTION = "Should Northbridge introduce a congestion charge for its city centre?"
HYPOTHESES = [
    Hypothesis(id="H1", statement="A congestion charge would cut traffic and pollution and should be introduced."),
    Hypothesis(id="H2", statement="A charge would hurt low-paid commuters and small shops more than it helps."),
    Hypothesis(id="P1", kind="proposition",
               statement="Cities that introduced a charge kept lower traffic for years afterwards."),
]

MALICIOUS_SOURCE_ID = "src-evil0000"
#: Strings the malicious article carries; none may appear unescaped in the report.
INJECTIONS = [
    "<script>window.__pwned=1;document.title='pwned'</script>",
    '<img src=x onerror="window.__pwned=2">',
    "</script><script>window.__pwned=3</script>",
]

_ARTICLES = [
    {
        "id": "src-a1b2c3d4", "title": "The case for a Northbridge congestion charge", "outlet": "Harbour Gazette",
        "author": "Mara Ellis", "published": "2024-03-04", "url": "https://gazette.example/charge",
        "paragraphs": [
            ("Northbridge has talked about a congestion charge for a decade, and the traffic has only grown. "
            "Average bus speeds on the ring road fell to 9 km/h in October 2023, slower than a brisk cyclist."),
            ("A daily fee of four pounds would cut car trips into the centre and pay for better buses. "
            "Stockholm introduced its charge in January 2006 and traffic across the cordon dropped by a fifth. "
            "\"The evidence from other cities is overwhelming,\" said Priya Nair, the council's transport lead."),
            ("Critics say the fee hurts the poor, but most low-paid workers in Northbridge already take the bus. "
            "The council should approve the scheme when it votes on 14 May."),
        ],
        "claims": [
            ("A daily fee of four pounds would cut car trips into the centre and pay for better buses.",
             {"H1": ("support", 0.91), "H2": ("oppose", 0.62)}),
            ("Stockholm introduced its charge in January 2006 and traffic across the cordon dropped by a fifth.",
             {"H1": ("support", 0.74), "P1": ("support", 0.81)}),
            ("Critics say the fee hurts the poor, but most low-paid workers in Northbridge already take the bus.",
             {"H2": ("oppose", 0.86)}),
            ("The council should approve the scheme when it votes on 14 May.", {"H1": ("support", 0.88)}),
        ],
        "quotes": [("The evidence from other cities is overwhelming,", "Priya Nair", "transport lead", "said")],
        "events": [("October 2023", "2023-10", "bus speeds on the ring road fell to 9 km/h"),
                   ("January 2006", "2006-01", "Stockholm introduced its congestion charge"),
                   ("14 May", "2024-05-14", "council vote on the charge")],
        "removed": [("caption", "Photo: Traffic on the ring road at rush hour."),
                    ("promo", "Related: Ten things to do in Northbridge this spring")],
    },
    {
        "id": "src-e5f6a7b8", "title": "A charge that taxes the night shift", "outlet": "Northbridge Courier",
        "author": "Tomasz Wren", "published": "2024-03-11", "url": "https://courier.example/night-shift",
        "paragraphs": [
            ("Nurses, cleaners and bakers start work before the first bus runs. "
            "For them a congestion charge is simply a tax on getting to work."),
            ("Supporters point to Stockholm, but Northbridge is not Stockholm: our buses are sparse after dark. "
            "Traffic in several charging cities crept back within a few years as drivers got used to paying. "
            "\"We will lose the evening trade,\" said Alan Brooks, who chairs the Market Street traders."),
            "The council should drop the scheme and fund night buses first.",
        ],
        "claims": [
            ("For them a congestion charge is simply a tax on getting to work.",
             {"H2": ("support", 0.89), "H1": ("oppose", 0.71)}),
            ("Supporters point to Stockholm, but Northbridge is not Stockholm: our buses are sparse after dark.",
             {"H1": ("oppose", 0.64)}),
            ("Traffic in several charging cities crept back within a few years as drivers got used to paying.",
             {"P1": ("oppose", 0.83), "H1": ("oppose", 0.58)}),
            ("The council should drop the scheme and fund night buses first.",
             {"H1": ("oppose", 0.9), "H2": ("support", 0.77)}),
        ],
        "quotes": [("We will lose the evening trade,", "Alan Brooks", "chair of the Market Street traders", "said")],
        "events": [],
        "removed": [("url-list", "https://courier.example/subscribe\nhttps://courier.example/newsletter")],
    },
    {
        "id": "src-c9d0e1f2", "title": "What Stockholm's trial actually showed", "outlet": "Transit Review",
        "author": None, "published": "2023-11-20", "url": None,
        "paragraphs": [
            ("Stockholm ran a seven-month trial in 2006 before a referendum made the charge permanent. "
            "Traffic across the cordon fell by about twenty percent and stayed lower for the next decade."),
            ("Public support rose once people saw emptier streets, according to the city's own surveys. "
            "Yet the design matters: exemptions and the price level decide who pays."),
            "Researcher Lena Holm said the charge worked \"because the alternatives were already good.\"",
        ],
        "claims": [
            ("Traffic across the cordon fell by about twenty percent and stayed lower for the next decade.",
             {"P1": ("support", 0.92), "H1": ("support", 0.55)}),
            ("Public support rose once people saw emptier streets, according to the city's own surveys.",
             {"H1": ("support", 0.61)}),
            ("Yet the design matters: exemptions and the price level decide who pays.",
             {"H2": ("neutral", 0.4), "H1": ("mixed", 0.45)}),
        ],
        "quotes": [("because the alternatives were already good.", "Lena Holm", "researcher", "said")],
        "events": [("in 2006", "2006", "Stockholm's seven-month trial")],
        "removed": [],
    },
    {
        "id": "src-0a1b2c3d", "title": "Shopkeepers fear the cordon", "outlet": "Northbridge Courier",
        "author": "Jo Adebayo", "published": "2024-02-02", "url": None,
        "paragraphs": [
            ("Traders on Market Street met on Tuesday to discuss the council's plan. "
            "\"Half my customers drive in from the villages,\" said Alan Brooks. "
            "Priya Nair told the meeting that shops in other charging cities had not lost trade."),
            ("Footfall on the street has already fallen since the car park closed in March 2022. "
            "A charge would push shoppers to the retail park outside the ring road."),
        ],
        "claims": [
            ("Footfall on the street has already fallen since the car park closed in March 2022.",
             {"H2": ("support", 0.52)}),
            ("A charge would push shoppers to the retail park outside the ring road.",
             {"H2": ("support", 0.84), "H1": ("oppose", 0.66)}),
        ],
        "quotes": [("Half my customers drive in from the villages,", "Alan Brooks", None, "said"),
                   ("shops in other charging cities had not lost trade", "Priya Nair", None, "told")],
        "events": [("on Tuesday", "2024-01-30", "traders' meeting on the plan"),
                   ("March 2022", "2022-03", "the Market Street car park closed")],
        "removed": [("boilerplate", "Sign up for our morning briefing.")],
    },
]

_MALICIOUS = {
    "id": MALICIOUS_SOURCE_ID, "title": "Breaking " + INJECTIONS[0], "outlet": INJECTIONS[1],
    "author": "Eve </script><b>", "published": "2024-03-20", "url": "javascript:window.__pwned=4",
    "paragraphs": [
        "A reader sent this " + INJECTIONS[0] + " to the paper. "
        "The charge would be a disaster for everyone " + INJECTIONS[1] + " in town.",
        "\"" + INJECTIONS[2] + " is what I think,\" said the mayor in March 2024.",
    ],
    "claims": [("The charge would be a disaster for everyone " + INJECTIONS[1] + " in town.",
                {"H1": ("oppose", 0.7), "H2": ("support", 0.6)})],
    "quotes": [(INJECTIONS[2] + " is what I think,", "<b onmouseover=\"window.__pwned=5\">Mayor</b>", INJECTIONS[1],
                "said")],
    "events": [("March 2024", "2024-03", "the mayor " + INJECTIONS[0])],
    "removed": [("promo", INJECTIONS[0])],
}


ASTRAL_SOURCE_ID = "src-f00dcafe"
#: An article with characters outside the Basic Multilingual Plane before and inside its spans: each is one
#: code point (one character in Python and in map.json's offsets) but two UTF-16 units in JavaScript; the
#: flag and the mechanic are several code points each.
_ASTRAL = {
    "id": ASTRAL_SOURCE_ID, "title": "Pedal power \U0001f6b2 on the ring road", "outlet": "Northbridge Courier",
    "author": "Rui Okafor", "published": "2024-06-10",
    "url": "https://courier.example/\U0001f6b2/\U0001f389/ring-road-ride-" + "\U0001d7d1" * 6
           + "-cyclists-take-the-closed-ring-road-for-a-day-of-quiet-streets-and-faster-buses",
    "paragraphs": [
        ("Cyclists \U0001f6b2 took over the ring road on 9 June \U0001f389 to show what a quieter centre could feel "
        "like. Organisers counted \U0001d7d1\U0001d7ce\U0001d7ce riders, among them a \U0001f469\u200d\U0001f527 "
        "mechanic from the \U0002000b market and a family flying a \U0001f1fa\U0001f1e6 flag."),
        ("\"A charge pays for streets like these \U0001f6e3\ufe0f,\" said Ines Varga, who led the ride. "
        "Buses crossed the cordon four minutes faster while the road was closed to cars."),
        "The council should back the charge and spend what it raises on protected bike lanes.",
    ],
    "claims": [
        (("Organisers counted \U0001d7d1\U0001d7ce\U0001d7ce riders, among them a \U0001f469\u200d\U0001f527 "
         "mechanic from the \U0002000b market and a family flying a \U0001f1fa\U0001f1e6 flag."),
         {"H1": ("neutral", 0.3)}),
        ("Buses crossed the cordon four minutes faster while the road was closed to cars.",
         {"P1": ("support", 0.72)}),
        ("The council should back the charge and spend what it raises on protected bike lanes.",
         {"H1": ("support", 0.97)}),
    ],
    "quotes": [("A charge pays for streets like these \U0001f6e3\ufe0f,", "Ines Varga", "organiser of the ride", "said")],
    "events": [("9 June", "2024-06-09", "cyclists rode the ring road closed to cars")],
    "removed": [("promo", "Share this \U0001f4e3 with a friend")],
}


def _find(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def _sentences(source_id: str, text: str) -> list[Sentence]:
    out = []
    for i, m in enumerate(re.finditer(r"[^\n]+?(?:[.!?][\"”]?(?=\s|$)|$)", text)):
        chunk = m.group(0).strip()
        if chunk:
            start = text.index(chunk, m.start())
            out.append(Sentence(id=f"{source_id}-s{i}", source_id=source_id, start=start,
                                end=start + len(chunk), text=chunk))
    return out


def _add_article(m: DebateMap, art: dict) -> None:
    sid = art["id"]
    text = "\n\n".join(art["paragraphs"])
    removed, raw_offset = [], 0
    for reason, chunk in art["removed"]:
        removed.append(Removal(start=raw_offset, end=raw_offset + len(chunk), reason=reason, text=chunk))
        raw_offset += len(chunk) + 1
    m.sources.append(Source(id=sid, path=f"corpus/{sid}.txt", title=art["title"], author=art["author"],
                            outlet=art["outlet"], published=art["published"], url=art["url"], language="en",
                            sha256=sid.ljust(64, "0"), text=text, removed=removed))
    sentences = _sentences(sid, text)
    m.sentences.extend(sentences)

    def sentence_of(start: int) -> Sentence:
        return next(s for s in sentences if s.start <= start < s.end)

    per_hyp: dict[str, list[tuple[str, float, str]]] = {}
    for i, (claim_text, stances) in enumerate(art["claims"]):
        start, end = _find(text, claim_text)
        cid = f"{sid}-c{i}"
        m.claims.append(Claim(id=cid, source_id=sid, start=start, end=end, text=claim_text,
                              sentence_id=sentence_of(start).id, score=0.9))
        for hid, (label, score) in stances.items():
            m.stances.append(Stance(target="claim", target_id=cid, hypothesis_id=hid, label=label, score=score))
            per_hyp.setdefault(hid, []).append((label, score, cid))
    for hid, votes in per_hyp.items():  # source stance: the claims' net direction
        net = sum(s if lab == "support" else -s if lab == "oppose" else 0.0 for lab, s, _ in votes)
        label = "support" if net > 0.3 else "oppose" if net < -0.3 else "mixed"
        strongest = sorted(votes, key=lambda v: -v[1])[:3]
        spans = {c.id: (c.start, c.end) for c in m.claims}
        m.stances.append(Stance(target="source", target_id=sid, hypothesis_id=hid, label=label,
                                score=round(min(1.0, abs(net) / len(votes)), 2),
                                claim_ids=[c for _, _, c in votes],
                                evidence=[Passage(start=spans[c][0], end=spans[c][1]) for _, _, c in strongest]))
    cursor = 0
    for i, (words, speaker, role, cue) in enumerate(art["quotes"]):
        start, end = _find(text, words, cursor)
        cursor = end
        m.quotes.append(Quote(id=f"{sid}-q{i}", source_id=sid, start=start, end=end, text=words, speaker=speaker,
                              speaker_role=role, cue=cue))
    for i, (date_text, iso, description) in enumerate(art["events"]):
        start, end = _find(text, date_text)
        m.events.append(Event(id=f"{sid}-e{i}", source_id=sid, start=start, end=end, date_text=date_text, date=iso,
                              anchor=art["published"], description=description, sentence_id=sentence_of(start).id))


def _split(m: DebateMap, claim_ids: list[str]) -> dict[str, dict[str, int]]:
    """hypothesis → {support, oppose, neutral} counts of sources, from the claims' stances."""
    out: dict[str, dict[str, int]] = {}
    for h in m.hypotheses:
        seen: dict[str, str] = {}
        for st in m.stances:
            if st.target == "claim" and st.target_id in claim_ids and st.hypothesis_id == h.id:
                src = st.target_id.rsplit("-c", 1)[0]
                seen[src] = st.label if st.label in ("support", "oppose") else "neutral"
        if seen:
            out[h.id] = {k: sum(v == k for v in seen.values()) for k in ("support", "oppose", "neutral")}
    return out


def _key_point(m: DebateMap, kid: str, label: str, claim_ids: list[str]) -> KeyPoint:
    sources = sorted({c.rsplit("-c", 1)[0] for c in claim_ids})
    return KeyPoint(id=kid, label=label, claim_ids=claim_ids, source_ids=sources, stance_split=_split(m, claim_ids))


def _ach(m: DebateMap) -> AchMatrix:
    grid = {  # evidence id → ratings for H1, H2, P1
        "src-a1b2c3d4-c1": ("CC", "N", "CC"), "src-c9d0e1f2-c0": ("C", "N", "CC"),
        "src-e5f6a7b8-c2": ("I", "C", "II"), "src-e5f6a7b8-c0": ("I", "CC", "N"),
        "src-0a1b2c3d-c1": ("I", "C", "N"), "src-a1b2c3d4-c2": ("C", "I", "N"),
        "src-a1b2c3d4-q0": ("C", "N", "C"), "src-0a1b2c3d-e1": ("N", "C", "N"),
        "src-c9d0e1f2-c2": ("N", "N", "N"),
    }
    texts = {**{c.id: (c.text, "claim", c.source_id) for c in m.claims},
             **{q.id: (q.text, "quote", q.source_id) for q in m.quotes},
             **{e.id: (e.description, "event", e.source_id) for e in m.events}}
    weights = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}
    rows = []
    for eid, ratings in grid.items():
        text, kind, src = texts[eid]
        values = [weights[r] for r in ratings]
        cells = [AchCell(hypothesis_id=h.id, rating=r, score=round(0.5 + weights[r] / 4, 2))
                 for h, r in zip(m.hypotheses, ratings)]
        rows.append(AchRow(evidence_id=eid, evidence_kind=kind, source_id=src, text=text, cells=cells,
                           diagnosticity=round((max(values) - min(values)) / 4, 2)))
    rows[4].cells[0] = AchCell(hypothesis_id="H1", rating="II", score=0.0, overridden=True,
                               note="Analyst: the retail-park shift is documented in the council's own study.")
    rows.sort(key=lambda r: -r.diagnosticity)
    ranking = []
    for h in m.hypotheses:
        inc = sum(-weights[c.rating] for r in rows for c in r.cells if c.hypothesis_id == h.id and weights[c.rating] < 0)
        con = sum(weights[c.rating] for r in rows for c in r.cells if c.hypothesis_id == h.id and weights[c.rating] > 0)
        ranking.append({"hypothesis_id": h.id, "inconsistency": float(inc), "consistency": float(con)})
    ranking.sort(key=lambda r: (r["inconsistency"], -r["consistency"]))
    for rank, r in enumerate(ranking, 1):
        r["rank"] = float(rank)
    return AchMatrix(rows=rows, ranking=ranking, sensitivity=["src-e5f6a7b8-c2", "src-a1b2c3d4-c1"])


def report_map(malicious: bool = False) -> DebateMap:
    """The fixture map; ``malicious=True`` adds the injection article (and its claim, quote, event)."""
    m = DebateMap(question=Question(question=QUESTION, hypotheses=HYPOTHESES), hypotheses=list(HYPOTHESES))
    for art in _ARTICLES + ([_MALICIOUS] if malicious else []):
        _add_article(m, art)
    m.key_points = [
        _key_point(m, "kp-1", "A charge cuts traffic across the cordon",
                   ["src-a1b2c3d4-c0", "src-a1b2c3d4-c1", "src-c9d0e1f2-c0"]),
        _key_point(m, "kp-2", "The fee falls hardest on low-paid and early-shift workers",
                   ["src-e5f6a7b8-c0", "src-a1b2c3d4-c2"] + (["src-evil0000-c0"] if malicious else [])),
        _key_point(m, "kp-3", "Traffic returns once drivers get used to paying", ["src-e5f6a7b8-c2"]),
        _key_point(m, "kp-4", "Shops lose trade to out-of-town retail",
                   ["src-0a1b2c3d-c1", "src-0a1b2c3d-c0"]),
        _key_point(m, "kp-5", "The council should decide on the scheme now",
                   ["src-a1b2c3d4-c3", "src-e5f6a7b8-c3"]),
    ]
    m.contradictions = [
        Contradiction(a="src-c9d0e1f2-c0", b="src-e5f6a7b8-c2", score=0.87, kind="factual"),
        Contradiction(a="src-a1b2c3d4-c2", b="src-e5f6a7b8-c0", score=0.74, kind="evaluative"),
        Contradiction(a="src-a1b2c3d4-c3", b="src-e5f6a7b8-c3", score=0.69, kind="evaluative"),
    ]
    m.ach = _ach(m)
    m.cruxes = [
        Crux(id="crux-h-H1", statement=HYPOTHESES[0].statement, kind="hypothesis", hypothesis_id="H1", score=0.82,
             sides={"support": ["src-a1b2c3d4", "src-c9d0e1f2"], "oppose": ["src-0a1b2c3d", "src-e5f6a7b8"]},
             evidence={"support": ["src-a1b2c3d4-c0", "src-c9d0e1f2-c0"],
                       "oppose": ["src-e5f6a7b8-c3", "src-0a1b2c3d-c1"]},
             diagnostic_evidence=["src-e5f6a7b8-c2", "src-a1b2c3d4-c1"]),
        Crux(id="crux-k-kp-3-P1", statement="Traffic returns once drivers get used to paying", kind="key_point",
             hypothesis_id="P1", key_point_id="kp-3", score=0.64,
             sides={"support": ["src-a1b2c3d4", "src-c9d0e1f2"], "oppose": ["src-e5f6a7b8"]},
             evidence={"support": ["src-c9d0e1f2-c0"], "oppose": ["src-e5f6a7b8-c2"]},
             diagnostic_evidence=["src-e5f6a7b8-c2"]),
    ]
    m.camps = [
        Camp(id="camp-1", source_ids=["src-a1b2c3d4", "src-c9d0e1f2"], positions=["kp-1"],
             note="2 camps from 4 sources (silhouette 0.41)"),
        Camp(id="camp-2", source_ids=["src-0a1b2c3d", "src-e5f6a7b8"] + ([MALICIOUS_SOURCE_ID] if malicious else []),
             positions=["kp-2", "kp-4"]),
    ]
    m.run = RunInfo(id="run-0123456789ab", created="2024-03-21T09:30:00Z", cruxmap_version="0.1.0",
                    backends={"stance": "stance.offline.v1"}, timings={"map": 1.2})
    m.failures = [Failure(path="corpus/empty.txt", stage="ingest", error="empty-file",
                          message="corpus/empty.txt: the file is empty — remove it or add the article text")]
    return m


#: copies in ``long_report_map``: with the four articles, 64 sources and more quotes and events than a page (50)
COPIES = 60


def long_report_map() -> DebateMap:
    """The fixture with COPIES more sources, each a copy of one of the four with its quotes and events, plus a
    closing line only it has and a quote of that line by a speaker only it quotes."""
    m = report_map()
    originals = list(m.sources)
    for i in range(COPIES):
        base = originals[i % len(originals)]
        sid = f"src-copy{i:03d}"
        line = f"The archive desk filed copy {i} of this piece under reference kestrel-{i:03d}."
        text = base.text + "\n\n" + line
        m.sources.append(base.model_copy(update={"id": sid, "text": text, "title": f"Copy {i}: {base.title}"}))
        m.quotes += [q.model_copy(update={"id": f"{q.id}-c{i}", "source_id": sid})
                     for q in m.quotes if q.source_id == base.id]
        m.events += [e.model_copy(update={"id": f"{e.id}-c{i}", "source_id": sid})
                     for e in m.events if e.source_id == base.id]
        start = text.index(line)
        m.quotes.append(Quote(id=f"{sid}-desk", source_id=sid, start=start, end=start + len(line), text=line,
                              speaker=f"Archivist {i:03d}", cue="wrote", direct=False))
    return m


def astral_report_map() -> DebateMap:
    """The fixture plus an article with emoji and other characters outside the Basic Multilingual Plane
    (``ASTRAL_SOURCE_ID``), before its claims, quote and date and inside some of them."""
    m = report_map()
    _add_article(m, _ASTRAL)
    return m
