"""The word lists behind speaker finding: reporting cues, the head nouns that tell a person from a
group, an organisation or a document, and the time phrases that may sit between a speaker and a cue."""

from __future__ import annotations

import re

CUE_WORDS = """
said says say saying told tells tell added adds adding wrote writes write asked asks ask explained explains
noted notes argued argues argue warned warns warn stated declared declares insisted insists insist
claimed claims claim continued continues recalled recalls remarked replied replies responded responds tweeted
tweets posted acknowledged acknowledges admitted admits announced announces commented complained
concluded concludes conceded concedes suggested suggests emphasized emphasised emphasizes stressed
stresses observed observes predicted predicts promised promises urged urges believes believe believed
thinks think thought reported reports testified quipped joked shouted cautioned countered contended
contends maintained maintains asserted asserts alleged alleges agreed agrees vowed vows boasted mused
wondered explained insisted pointed quote quoted quoting suggesting noting arguing warning insisting
telling declaring explaining writing stating claiming stressing demanded pleaded exclaimed retorted
answered reiterated lamented recounted reads chanted chant chants chanting yelled yells yelling screamed
screaming shout shouts shouting asserting acknowledging admitting
announcing complaining predicting promising recalling replying responding tweeting urging vowing
called calls described describes dubbed labeled labelled stipulates stipulated stipulate states
asking calling describing labeling labelling branding typed sings sang posed thundered bellowed counters
shows showed show found finds estimates estimated indicates indicated determined determines emailed texted read confirmed confirms
ran runs lectured lecturing lectures surmised surmises
""".split()
#: participles that only introduce the words after them (``footage of X asking, “…”``, ``X calling it a “…”``)
LEADING_PARTICIPLES = frozenset({"asking", "calling", "describing", "labeling", "labelling", "branding"})
#: cues only after the words they report (``“…,” Ana sings``, ``“…?” he posed``); before them they sing a song or
#: pose a threat, not words
TRAILING_ONLY_CUES = frozenset({"sings", "sang", "posed"})
#: cues that introduce reported (indirect) speech, not only direct quotations
INDIRECT_CUES = frozenset(CUE_WORDS) - {
    "read",
    "ran",
    "runs",
    "asked",
    "asks",
    "ask",
    "continued",
    "continues",
    "replied",
    "replies",
    "responded",
    "responds",
    "posted",
    "wondered",
    "shouted",
    "quipped",
    "joked",
    "pointed",
    "tweets",
    "adding",
    "saying",
    "chanted",
    "chant",
    "chants",
    "chanting",
    "shout",
    "shouts",
    "shouting",
    "yelling",
    "screaming",
    "yelled",
    "yells",
    "screamed",
    "called",
    "calls",
    "described",
    "describes",
    "dubbed",
    "labeled",
    "labelled",
    "typed",
    "sings",
    "sang",
    "posed",
} - LEADING_PARTICIPLES
_CUES_IN_ORDER = ["according to", "put it", "pointed out", "points out", "point out", "cited as saying",
                  "quoted as saying", *(f"went on to {verb}" for verb in ("say", "add", "argue", "note", "call", "describe")),
                  "went on", *sorted(set(CUE_WORDS) - {"pointed"}, key=len, reverse=True)]


def _by_first_letter(alternatives: list[str]) -> str:
    """The alternatives grouped under their first letter, each group in the given order: the same matches as one
    flat alternation (only one group can match at a position), found without trying every cue at every word."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0], []).append(re.escape(alternative[1:]).replace("\\ ", " "))
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


#: any reporting cue, longest first
CUE_PATTERN = re.compile(r"\b(" + _by_first_letter(_CUES_IN_ORDER) + r")\b", re.IGNORECASE)
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LAW"})
#: head nouns of documents that can "say" something (``the agreement stipulates``)
DOCUMENT_NOUNS = frozenset(
    """
agreement agreements statement declaration strategy report treaty charter communique communiqué resolution contract
memo memorandum letter document plan law bill act accord deal text draft constitution doctrine study survey
paper review assessment ruling indictment complaint lawsuit filing manifesto platform proposal pact protocol
convention framework guidelines conclusions editorial poll polls data analysis research census audit
figures numbers estimates projections forecast findings investigation order motion text memoir opinion
comment post tweet message headline caption sign banner petition summary legislation release
""".split()
)
#: nouns of speech or thought whose owner is the speaker (``Posen’s assumption that …“…”``)
SPEECH_NOUNS = frozenset(
    """
assumption argument claim claims promise pledge vow warning statement words remark remarks comment comments
assertion insistence contention view belief call demand message phrase conclusion verdict description
characterization prediction suggestion proposal reply response answer advice slogan motto mantra
observation complaint accusation allegation charge refrain refrains retort quip pledge boast
""".split()
)
PRONOUNS = {"he": "PERSON", "she": "PERSON", "they": None, "we": None, "i": None, "it": "ORG"}
DETERMINERS = frozenset(
    "the a an this that these those one another some many several most other two three "
    "his her their its our my your both all few".split()
)
#: words that may sit between a speaker and the cue (``Putin also said``)
ADVERBS = frozenset(
    "also later then once again has had have would will had previously recently repeatedly "
    "further reportedly publicly privately often has since still even already had "
    "first initially ultimately himself herself itself themselves now could might should must".split()
)
CLAUSE_STOPS = frozenset(
    "that and but because as while when if which who whom where after before since than "
    "so or nor though although whether what how why is are was were be been being do does "
    "did to of in on at for with by from about into not".split()
)
ROLE_NOUNS = frozenset(
    """
spokesman spokeswoman spokesperson analyst professor adviser advisor aide official officials diplomat envoy
chief head founder author historian economist expert experts commentator columnist correspondent editor
reporter strategist scholar fellow researcher lawyer attorney manager chairman chairwoman chair secretary
minister president senator ambassador general director leader negotiator commander officer assistant
deputy special senior top former then national security campaign candidate nominee governor mayor
congressman congresswoman lawmaker lawmakers representative spokespeople source sources critic critics
analysts observers people residents voters supporters opponents member members ceo executive investigator
prosecutor judge veteran activist activists organizer strategist pollster writer journalist host anchor
doctor physician surgeon
""".split()
)
#: crowds that chant, shout or sing words in quotation marks (``protesters chanted, “…”``)
CROWD_NOUNS = frozenset(
    "protesters protestors demonstrators counterprotesters counter-protesters marchers crowd crowds mourners "
    "rioters fans students workers worshippers worshipers onlookers spectators participants attendees".split()
)
#: heads of a many-person subject (``a gathering of students``, ``hundreds of people``, ``some``)
COLLECTIVE_HEADS = frozenset("crowd gathering throng mob chorus hundreds thousands dozens scores some many others".split())
PLURAL_SOURCES = frozenset(
    "officials sources experts analysts critics observers people residents voters "
    "supporters opponents lawmakers members aides diplomats activists scholars "
    "economists historians witnesses investigators prosecutors researchers skeptics sceptics defenders "
    "proponents advocates campaigners environmentalists relatives surrogates allies".split()
) | (CROWD_NOUNS - {"crowd"})
#: head nouns of organisations that speak as one (``the ministry said``)
ORGANISATION_NOUNS = frozenset(
    """
ministry government administration campaign company firm party council agency department embassy committee
commission court kremlin white house pentagon office bureau union alliance army military police network
newspaper paper magazine station bank fund group coalition organisation organization institute foundation press
board cabinet parliament congress senate house regime authorities authority television radio media outlet
center centre leadership
""".split()
)

_DAYS = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|weekend|night|"
    r"morning|afternoon|evening)"
)
#: a day or a part of the calendar a time phrase names (``on Thursday``, ``last week``)
DAYS = _DAYS
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
#: a time phrase between a speaker and the cue, or right after the cue
TIME_PHRASE_END = re.compile(
    r"(?:\b(?:on|last|this|late|early|earlier|later)\s+)?\b"
    + _DAYS
    + r"(?:\s+(?:morning|afternoon|evening|night))?$|\b(?:yesterday|today|tonight)$"
    + r"|\b(?:in|since|by)\s+(?:the\s+)?\d{4}s?$"  # ``who in 2010 said``
    + r"|\b(?:last|this|early|late|earlier)\s+(?:spring|summer|autumn|fall|winter)$"  # ``a report released last spring found``
    + r"|\b(?:in|last|this|early|late)\s+" + _MONTHS + r"$"  # ``a report released in March found``
)
TIME_PHRASE_START = re.compile(
    r"(?:(?:on|last|this|late|early|earlier|later)\s+)?"
    + _DAYS
    + r"(?:\s+(?:morning|afternoon|evening|night))?\b\s*|(?:yesterday|today|tonight)\b\s*"
)
