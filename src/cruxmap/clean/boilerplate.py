"""Line rules for page furniture: link lists, promos, newsletter/share/navigation bars, ads.

Each rule looks at one line (or a short run of lines) and never at a long prose paragraph:
the phrase rules only fire on short lines (``MAX_FURNITURE_WORDS``), so a body sentence
that merely mentions a newsletter or says "follow us" is never taken out.
"""

from __future__ import annotations

import re

from .lines import Line, ends_sentence

MAX_FURNITURE_WORDS = 30
MAX_PROMO_WORDS = 40
MAX_FOLLOWING_HEADLINES = 6

_URL = r"(?:https?://|www\.)\S+|pic\.twitter\.com/\S+"
_URL_ONLY = re.compile(rf"^(?:[-•*·>\[(]?\s*(?:{_URL})\s*[\])]?[,;]?\s*)+$", re.I)

#: "Related article: …", "Read more: …", "MORE: …", "See also — …"
_PROMO_LABEL = re.compile(
    r"^[-•*\s]*(?:related(?: (?:article|articles|story|stories|content|coverage|reading|links?|posts?|videos?|news))?"
    r"|read (?:more|also|next|this)|also read|more(?: (?:on this(?: story)?|from [\w ]{1,30}|coverage|news|stories))?"
    r"|see also|recommended(?: reading| for you)?|don['’]t miss|must read|editor['’]s picks?|top stories"
    r"|watch(?: (?:more|now|this|live))?|listen(?: now)?|keep reading|further reading|you (?:may|might) also like"
    r"|full coverage"
    r"|trending(?: now)?|most read)\s*(?:\.\.\.|…)?\s*(?P<sep>[:»>|–—]|\.\.\.|…)",
    re.I,
)
_PROMO_ALONE = re.compile(
    r"^[-•*\s]*(?:related(?: (?:articles|stories|content|coverage|reading|links|posts|videos))?|read more|more"
    r"|see also|more on this(?: story)?|recommended(?: reading)?|further reading|watch|listen|keep reading"
    r"|you (?:may|might) also like)\s*(?:\.\.\.|…)?\s*:?$",
    re.I,
)
_PROMO_TAIL = re.compile(r"\s(?:Read|Find out|Learn|See) more\s*[»>›]?$", re.I)

#: whole lines that are newsletter, share, follow, navigation, advertising or copyright furniture;
#: each pattern fires only on lines of at most ``MAX_FURNITURE_WORDS`` words
_FURNITURE = [
    ("newsletter", re.compile(r"^\W*sign[ -]?up\b|\bsign(?:ing)?[ -]?up\b.{0,80}\b(?:newsletters?|inbox)\b", re.I)),
    ("newsletter", re.compile(r"\bnewsletters?\b.{0,60}\b(?:sign[ -]?up|subscribe)\b|\bmanage newsletters\b", re.I)),
    ("newsletter", re.compile(r"^(?:subscribe|get (?:our|the) .{0,40}newsletter|newsletter\b)|\bdelivered .{0,30}to your inbox\b", re.I)),
    ("newsletter", re.compile(r"\bsubscribe (?:now|today|here|for|to (?:our|the))\b.{0,60}$|\bin(?:to)? your inbox\b", re.I)),
    ("newsletter", re.compile(r"^thank you for (?:signing up|subscribing)\b", re.I)),
    ("appeal", re.compile(r"^support (?:our |the |\w+['’]s |\w+ )?[\w -]{0,30}journalism\b|\bchip in \$\d+|^donate (?:now|today)\b", re.I)),
    ("share", re.compile(r"^(?:share(?: this(?: article| story| page)?)?|share on \w+|tweet(?: this)?|e-?mail(?: this)?"
                         r"|print(?: this)?|copy link|facebook|twitter|linkedin|whatsapp|reddit|pinterest|comments?)"
                         r"(?:\s*[|,/•·]?\s*(?:share|tweet|post|e-?mail|print|facebook|twitter|linkedin|whatsapp|reddit|pinterest|comments?))*\s*$",
                         re.I)),
    ("share", re.compile(r"^share this (?:article|story)\b", re.I)),
    ("follow", re.compile(r"^[-•*\s]*follow (?:us\b|@\w+|[\w.’' ]{1,40} on (?:twitter|facebook|instagram|threads|bluesky|x)\b)", re.I)),
    ("follow", re.compile(r"^[-•*\s]*(?:join us|like us|find us|connect with us) on \w+", re.I)),
    ("follow", re.compile(r"^.{0,60}\bon (?:twitter|instagram|x)\s*:?\s*@\w+\.?\s*$", re.I)),
    ("follow", re.compile(r"\badd [\w .'’-]{1,40} as an interest\b", re.I)),
    ("advertisement", re.compile(
        r"^(?:advertisement|advertising|ad|sponsored(?: content)?|paid content|story continues below|story continued below"
        r"|continue reading(?: below| the main story)?|article continues (?:below|after (?:this )?(?:ad|advertisement))"
        r"|(?:advertisement\s+)?continue reading the main story|scroll to continue|skip (?:this )?(?:ad|advertisement))\s*:?$",
        re.I)),
    ("app-promo", re.compile(r"^\W*(?:click|tap) (?:here|to) (?:to )?(?:get|download|read|watch|sign|subscribe|for)\b", re.I)),
    ("app-promo", re.compile(r"^(?:download|get) (?:the|our) [\w ]{1,30} app\b", re.I)),
    ("copyright", re.compile(r"^(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}|by\b)|\ball rights reserved\b|^©\s*[A-Z].{0,60}$", re.I)),
    ("navigation", re.compile(
        r"^(?:loading\.*|close|menu|home|search|skip to (?:main )?content|back to top|log ?in|sign ?in|toggle navigation"
        r"|next article|previous article|next|previous|prev|top|jump to comments)$|^visit .{1,40}homepage\b", re.I)),
    ("notice", re.compile(r"^this (?:article|story|page) is (?:more than|over) \w+ (?:years?|months?) old$", re.I)),
    ("timestamp", re.compile(
        r"^(?:(?:updated|published|posted)\s*:?\s*)?(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago$",
        re.I)),
    ("credit-line", re.compile(
        r"^(?:the )?[\w .,&’'-]{2,80} contributed (?:reporting )?to this (?:report|story|article)\.?$|^contributing:\s", re.I)),
    ("markup", re.compile(r"^\[/?[a-z_-]{2,20}\]$", re.I)),
]
#: a sign-up box is often one long run-on line; it may be longer when it starts like one
_SIGN_UP_BOX = re.compile(r"^\W*(?:newsletter sign[ -]?up|sign up|subscribe|get (?:our|the) .{0,40}newsletter)\b"
                          r"|\bnewsletter\b.{0,80}\bsign[ -]?up\b.{0,200}\b(?:privacy|e-?mail)\b", re.I)
MAX_SIGN_UP_BOX_WORDS = 70
#: an embedded video box as news pages print it in the text: "JUST WATCHED <title> Replay More Videos …
#: MUST WATCH <title> 01:47" (the labels are upper case; a title may run long, hence its own limit)
_VIDEO_BOX = re.compile(r"^(?:JUST WATCHED\b.{1,300}?\bReplay More Videos\b"
                        r"|MUST WATCH\s+[^:].{0,200}?\s(?:\d{1,2}:)?\d{1,2}:\d{2}\s*$)")
#: the opinion desk's disclaimer, alone or closing the author's bio line: "The views expressed in this
#: essay are theirs." (the line goes whole: a bio is about the author, not the question)
_DISCLAIMER = re.compile(
    r"(?:^|[.!?]\s+)(?:the )?(?:views|opinions) expressed (?:in this (?:commentary|column|article|piece|op-ed|essay)"
    r"|here(?:in)?) are (?:solely |entirely )?(?:(?:his|her|their|the author['’]s) own|his|hers|theirs"
    r"|those of the authors?(?: alone)?)\s*\.?\s*$", re.I)
MAX_BOX_WORDS = 60
#: a request for money addressed to the reader, often a long paragraph of its own ("… please consider making a
#: contribution to us today", "your financial contribution …", "make a one-time donation to support …")
_APPEAL_BOX = re.compile(
    r"\byour financial (?:contribution|support|gift)\b"
    r"|\bconsider making a (?:financial |one-time |monthly )?(?:contribution|donation|gift) to (?:us\b|our\b|(?:the )?(?-i:[A-Z]))"
    r"|\bmake a (?:one-time |monthly |recurring )?(?:donation|contribution) to support\b"
    r"|\bfor as little as \$\d+,? you can (?:help|support) us\b"
    r"|\bwill you help us\b.{0,160}\b(?:donat\w*|contribut\w*|become a (?:member|patron|supporter))\b", re.I)
MAX_APPEAL_WORDS = 150
#: the desk's line on how to write in, and an author's standard funding disclosure
_LETTERS = re.compile(r"^\W*(?:to )?(?:send|submit|write) (?:us )?a letter to the editor\b", re.I)
_DISCLOSURE = re.compile(
    r"\bown shares in\b.{0,40}\bfunding from any (?:company|organi[sz]ation)\b.{0,40}\bbenefit from this article\b"
    r"|\bha(?:s|ve) disclosed no relevant affiliations\b", re.I)
MAX_NOTE_WORDS = 60
#: a short line that sends the reader somewhere: an imperative ("Click …", "Join …", "Sign up now …") and a link;
#: a tweet embedded in the text ("… https://t.co/… — Name (@handle) date") is somebody's words and stays
_CALL_TO_ACTION = re.compile(
    r"(?:^|[.!?]\s+|►\s*)(?:click|tap|sign up|subscribe|join|download|donate|shop|visit|register|go to|head to|"
    r"check out|learn more|read more|watch|listen|follow)\b", re.I)
_LINK = re.compile(_URL, re.I)
#: a link title followed by where to read it ("Harbour Plan: A Fair Deal Read more at: https://…"), glued without a stop
_READ_AT = re.compile(rf"\b(?:read|see|find out|learn) more (?:at|here|on)\b\W{{0,3}}(?:{_URL})", re.I)
_TWEET = re.compile(r"\bt\.co/|pic\.twitter\.com/|\(@\w+\)")
_APP_STORE = re.compile(r"(?:^|[.!?]\s+)download\b.{0,60}\b(?:iphone|ipad|android|app store|google play)\b", re.I)
MAX_CALL_WORDS = 40


def site_note(text: str) -> bool:
    """True for words that address the reader on the site's behalf (an appeal for money, how to write in, a
    funding disclosure, an app download): the line rules remove such lines, and the key-point labels refuse a
    sentence of them found inside a longer paragraph."""
    return any(p.search(text) for p in (_APPEAL_BOX, _LETTERS, _DISCLOSURE, _APP_STORE))


def url_line(line: Line) -> bool:
    return bool(_URL_ONLY.match(line.text))


def mark_url_lines(lines: list[Line]) -> None:
    """Lines that hold only links: ``url-list`` when several follow each other, else ``url``."""
    index = 0
    while index < len(lines):
        if not (lines[index].kept and url_line(lines[index])):
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(lines) and lines[run_end + 1].kept and url_line(lines[run_end + 1]):
            run_end += 1
        reason = "url-list" if run_end > index else "url"
        for line in lines[index : run_end + 1]:
            line.removed = reason
        index = run_end + 1


def _headline_like(line: Line) -> bool:
    """A short line that does not end like a sentence: a link title under a promo label."""
    return line.word_count() <= 20 and (not ends_sentence(line.text) or line.text.endswith("?"))


def mark_promos(lines: list[Line]) -> list[tuple[int, int, str]]:
    """'Related article: …', 'Read more: …' lines, and a bare 'Related' label with its headlines.

    A body sentence with a 'Read more' link glued to its end keeps the sentence: only the
    link words are cut, and their raw span is returned.
    """
    inline: list[tuple[int, int, str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.kept:
            continue
        words = line.word_count()
        if _PROMO_ALONE.match(line.text):
            line.removed = "promo"
            taken = 0
            while (
                index < len(lines) and taken < MAX_FOLLOWING_HEADLINES and lines[index].kept
                and _headline_like(lines[index])
            ):
                lines[index].removed = "promo"
                index += 1
                taken += 1
        elif words <= MAX_PROMO_WORDS and _PROMO_LABEL.match(line.text):
            if words > 25 and ends_sentence(line.text):
                continue  # "Analysis: the senator said…" style prose, not a link title
            line.removed = "promo"
        elif tail := _PROMO_TAIL.search(line.text):
            before = line.text[: tail.start()].rstrip()
            if ends_sentence(before) and not before.endswith("?"):
                start = line.start + tail.start() + 1
                inline.append((start, line.end, "promo"))
                line.trim_end(start)
            elif words <= MAX_PROMO_WORDS:
                line.removed = "promo"
    return inline


#: furniture that may run longer than ``MAX_FURNITURE_WORDS``: (reason, most words, pattern), first match wins
_BOXES = [
    ("newsletter", MAX_SIGN_UP_BOX_WORDS, _SIGN_UP_BOX),
    ("video", MAX_BOX_WORDS, _VIDEO_BOX),  # anchored at the line's start
    ("disclaimer", MAX_BOX_WORDS, _DISCLAIMER),
    ("appeal", MAX_APPEAL_WORDS, _APPEAL_BOX),
    ("letters", MAX_NOTE_WORDS, _LETTERS),
    ("disclosure", MAX_NOTE_WORDS, _DISCLOSURE),
]


def furniture_reason(line: Line) -> str | None:
    words = line.word_count()
    for reason, most, pattern in _BOXES:
        if words <= most and pattern.search(line.text):
            return reason
    if words <= MAX_FURNITURE_WORDS:
        for reason, pattern in _FURNITURE:
            if pattern.search(line.text):
                return reason
    if words <= MAX_CALL_WORDS:
        if _APP_STORE.search(line.text):
            return "app-promo"
        if _LINK.search(line.text) and _CALL_TO_ACTION.search(line.text) and not _TWEET.search(line.text):
            return "link-promo"
        if _READ_AT.search(line.text):
            return "link-promo"
    return None


def mark_furniture(lines: list[Line]) -> None:
    for line in lines:
        if line.kept:
            reason = furniture_reason(line)
            if reason:
                line.removed = reason


def mark_separators(lines: list[Line]) -> None:
    """Lines without a letter or digit ('***', '___', '• • •')."""
    for line in lines:
        if line.kept and not any(char.isalnum() for char in line.text):
            line.removed = "separator"


def _normalized_title(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def mark_title(lines: list[Line], title: str | None) -> None:
    """The first line when it repeats the article's title (the title lives in ``Source.title``)."""
    if not title:
        return
    wanted = _normalized_title(title)
    for line in lines:
        if line.kept:
            if wanted and _normalized_title(line.text) == wanted:
                line.removed = "title"
            return
