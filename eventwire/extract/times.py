"""Time expressions (TIMEX3) resolved against the publication date.

Candidates come from our own regular expressions over the article text (the
way HeidelTime works: patterns plus normalisation rules), because spaCy's DATE
spans are often too long ("Last December two"). Each match is normalised
against the anchor date: the publication date, else a dated dateline
("KYIV, March 3, 2019 -"). Without an anchor, relative expressions keep a null
value with the reason "no anchor" instead of a guess.

Conventions (documented because news differs from other genres):
- A bare weekday is the most recent such day on or before the publication
  date ("on Friday" in a Friday article is that day; "on Saturday" in a Monday
  article is two days before); in a future-tense clause it is the next one.
- A bare month is in the publication year, unless it lies after the
  publication month in a past-tense clause, or is named with "last": then the
  year before ("In December, X sent ..." in March 2019 -> 2018-12).
- "three months after", "three-month", "eight years" are DURATIONs (P3M ...);
  "three months ago" is a DATE resolved by subtraction.
- "in recent months", "recently" -> PAST_REF; "now", "currently" ->
  PRESENT_REF; "soon", "the future" -> FUTURE_REF (precision "vague").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from eventwire.extract import Context, extractors
from eventwire.extract.quantities import MONTHS, clause_tokens, parse_number
from eventwire.model import EventDate, TimeExpr

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}
# TIMEX3 duration unit letters; decades and centuries are written in years.
UNITS = {"second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1), "day": ("", "D", 1),
         "week": ("", "W", 1), "fortnight": ("", "W", 2), "month": ("", "M", 1), "year": ("", "Y", 1),
         "decade": ("", "Y", 10), "century": ("", "Y", 100)}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
CENTURY_WORDS = {"nineteenth": 19, "twentieth": 20, "twenty-first": 21, "eighteenth": 18}

# Regular-expression building blocks. Month names are case-sensitive so the verb
# "may" and the noun "march" stay out; abbreviations need their full stop.
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|Sept)")
_WEEKDAY = r"(?:[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|[Ss]unday)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d\d\d|2[01]\d\d)"
_NUMWORD = (r"(?i:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
            r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
            r"sixty|seventy|eighty|ninety|hundred|a hundred|several|a few|few|a couple of|couple of|"
            r"many|some|half an?|a half)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|and a half))?")
_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|century|centuries)"
_MOD = r"(?:(?i:early|late|mid|the end of|the beginning of|the start of|the middle of|earlier|later)[- ])"
_REL = r"(?i:last|this|next|past|coming|previous|current)"
_PART = r"(?:morning|afternoon|evening|night)"
_ZONE = r"(?:\s?(?:GMT|UTC|BST|CET|EST|EDT|ET|PST|PT|local time|[A-Z]{3}))?"
_CLOCK = r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s?[ap]\.?m\.?)?|(?:1[0-2]|[1-9])\s?[ap]\.?m\.?|noon|midnight)"
# Words before a bare month or year that make it a date, not a name or a count.
_DATE_CUES = {"in", "since", "until", "till", "by", "from", "to", "through", "during", "before", "after",
              "of", "early", "late", "mid", "last", "next", "this", "between", "and", "or", "around", "for",
              "the", "that", "end", "beginning", "start"}


# Possessives before a decade that make it an age ("in her 50s", "men in their twenties").
_AGE_OWNERS = {"her", "his", "their", "my", "your", "its", "our", "early", "late", "mid"}


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    kind: str
    groups: dict[str, str | None]


@dataclass(frozen=True)
class Norm:
    type: str
    value: str | None
    precision: str | None
    reason: str | None = None


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, regex) pairs; longer matches win over shorter overlapping ones."""
    b = r"(?<![\w$£€-])"  # "sub-five-minute" is no time; "mid-2011" has its own prefix
    e = r"(?![\w])"
    raw = [
        ("iso", rf"{b}(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d){e}"),
        ("mdy", rf"{b}{_MOD}?(?:{_WEEKDAY},?\s)?(?P<mon>{_MONTH})\s(?P<d>{_DAY})(?:,?\s(?:(?P<y>{_YEAR})|(?P<ybad>[2-9]\d{{3}}(?!\s[a-z]))))?{e}"),
        ("dmy", rf"{b}(?:{_WEEKDAY},?\s)?(?:the\s)?(?P<d>{_DAY})\s(?:of\s)?(?P<mon>{_MONTH})(?:,?\s(?:(?P<y>{_YEAR})|(?P<ybad>[2-9]\d{{3}}(?!\s[a-z]))))?{e}"),
        ("my", rf"{b}{_MOD}?(?P<mon>{_MONTH}),?\s(?:of\s)?(?P<y>{_YEAR}){e}"),
        ("relmonth", rf"{b}(?P<rel>{_REL})\s(?P<mon>{_MONTH}){e}"),
        ("month", rf"{b}{_MOD}?(?P<mon>{_MONTH}){e}"),
        ("year", rf"{b}{_MOD}?(?:(?P<pre>the\s)(?:year\s)?)?(?P<y>{_YEAR})(?!s|\s?%|[.,]\d){e}"),
        ("fy", rf"{b}(?i:(?:fiscal|financial)\s(?:year\s)?)(?P<y>{_YEAR}){e}"),
        ("decade", rf"{b}(?i:the\s)?{_MOD}?(?P<dec>(?:1[5-9]|20)\d0|'\d0|\d0)'?s{e}"),
        ("century", rf"{b}(?i:the\s)?{_MOD}?(?P<cent>\d{{1,2}})(?:st|nd|rd|th)[\s-](?i:century){e}"),
        ("centuryw", rf"{b}(?i:the\s)?(?P<cent>(?i:nineteenth|twentieth|twenty-first|eighteenth))\s(?i:century){e}"),
        ("season", rf"{b}(?P<rel>{_REL}\s)?(?P<season>(?i:spring|summer|autumn|winter))(?:\s(?:of\s)?(?P<y>{_YEAR}))?"
                   rf"(?!\w|\s[A-Z])"),  # "Summer Time", "Winter Olympics" are names
        ("fall", rf"{b}(?:(?P<rel>{_REL})\s(?P<season>fall)|the\s(?P<s2>fall)(?:\s(?:of\s)?(?P<y>{_YEAR}))?){e}"),
        ("quarter", rf"{b}(?i:the\s)?(?P<rel>{_REL}\s)?(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))"
                    rf"(?:\s|-)(?i:quarter)(?:\s(?:of\s)?(?P<y>{_YEAR}))?{e}"),
        ("deictic", rf"{b}(?P<w>(?i:yesterday|today|tomorrow|tonight)){e}"),
        ("weekend", rf"{b}(?i:the\s)(?P<w>(?i:weekend)){e}"),
        ("relunit", rf"{b}{_MOD}?(?P<rel>{_REL}|(?i:this\s(?:past|coming)))\s(?P<fiscal>(?i:fiscal|financial)\s)?"
                    rf"(?P<unit>(?i:week|weekend|month|year|decade|century|quarter)){e}"),
        ("relrange", rf"{b}(?i:the\s)(?P<rel>(?i:past|last|next|coming|previous|following|first|final))\s"
                     rf"(?P<n>{_NUMWORD})\s(?P<unit>{_UNIT}){e}"),
        ("relrange1", rf"{b}(?i:the\s)(?P<rel>(?i:past|next|coming|previous|following))\s"
                      rf"(?P<unit>(?i:week|month|year|decade|century|day|hour)){e}"),
        ("ago", rf"{b}(?P<n>{_NUMWORD})\s(?P<unit>{_UNIT})\s(?P<dir>(?i:ago|earlier|before|later|after|from now|hence)){e}"),
        ("weekday", rf"{b}(?:(?P<pre>(?i:on)\s)|(?P<rel>(?i:last|next|this|coming)\s))?(?P<wd>{_WEEKDAY})(?:\s(?P<part>{_PART}))?{e}"),
        ("partday", rf"{b}(?P<rel>(?i:this|last|yesterday|tomorrow|early this|late last|late))\s(?P<part>{_PART}){e}"),
        ("clock", rf"{b}(?P<clock>{_CLOCK}){_ZONE}(?:,?\s(?:on\s)?(?P<wd>{_WEEKDAY}|(?i:today|yesterday|tomorrow)))?{e}"),
        ("dur", rf"{b}(?:(?i:the|a|an)\s)?(?:(?i:mere|full|whole|further|additional|another|more)\s)?"
                rf"(?P<n>{_NUMWORD})(?:\s(?i:more|full|whole|long))?[\s-](?P<unit>{_UNIT}){e}"),
        ("approxdur", rf"{b}(?i:almost|nearly|about|around|more than|less than|over|some|at least)\s"
                      rf"(?P<n>{_NUMWORD})[\s-](?P<unit>{_UNIT}){e}"),
        ("bareunit", rf"{b}(?P<pre>(?i:for|in|within|over|after|take|took|takes)\s)(?P<unit>(?i:seconds|minutes|hours|days|weeks|months|years|decades|centuries)){e}"),
        ("bareunit2", rf"{b}(?P<unit>(?i:seconds|minutes|hours|days|weeks|months|years|decades))(?=\s(?i:before|after|later|earlier|ago)\b)"),
        ("set", rf"{b}(?P<every>(?i:every|each))\s(?P<unit>(?i:second|minute|hour|day|week|month|year|"
                rf"morning|afternoon|evening|night|weekend|{_WEEKDAY[3:-1]})){e}"),
        ("setadv", rf"{b}(?P<adv>(?i:daily|weekly|monthly|annually|yearly|hourly|nightly)){e}"),
        ("past", rf"{b}(?P<w>(?i:recently|lately|in\sthe\spast|the\spast|previously|formerly|in\srecent\s(?:days|weeks|months|years|decades)"
                 rf"|recent\s(?:days|weeks|months|years|decades)|once)){e}"),
        ("present", rf"{b}(?P<w>(?i:now|currently|nowadays|at\spresent|presently|at\sthe\smoment|right\snow|these\sdays|the\spresent\sday)){e}"),
        ("future", rf"{b}(?P<w>(?i:soon|the\sfuture|in\sthe\scoming\s(?:days|weeks|months|years)|the\scoming\s(?:days|weeks|months|years)"
                   rf"|in\sthe\snear\sfuture|shortly)){e}"),
    ]
    return tuple((kind, re.compile(rx)) for kind, rx in raw)


# --- finding ---------------------------------------------------------------

def find_matches(text: str) -> list[Match]:
    """All pattern matches, overlaps resolved: the longest wins, then the earliest."""
    found: list[Match] = []
    for kind, rx in _patterns():
        for m in rx.finditer(text):
            # a "pre" group is context the pattern needs but TIMEX3 leaves out of the span
            start = m.end("pre") if "pre" in rx.groupindex and m.group("pre") else m.start()
            if m.end() > start:
                found.append(Match(start, m.end(), kind, m.groupdict()))
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken: list[Match] = []
    for m in found:
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.start)


def _prev_word(text: str, start: int) -> str:
    words = re.findall(r"[A-Za-z]+", text[max(0, start - 25):start])
    return words[-1].lower() if words else ""


def _plausible(m: Match, text: str, doc: Doc | None) -> bool:
    """Filter matches that are usually not times: bare months and years out of context, 'once', 'now that'."""
    word = text[m.start:m.end]
    if m.kind == "year" and _counts_things(doc, m):
        return False
    if m.kind == "decade" and _prev_word(text, m.start) in _AGE_OWNERS:
        return False  # "a woman in her 50s" is an age, not the 1950s
    if m.kind in ("month", "year") and (word[:1].isupper() or word[:1].isdigit()) and " " not in word:
        if _prev_word(text, m.start) in _DATE_CUES:
            return True
        return _ent_label(doc, m) == "DATE"
    if m.kind == "past" and word.lower() in ("once", "the past", "previously", "formerly"):
        return word.lower() == "the past" and _prev_word(text, m.start) == "in"
    if m.kind == "present" and word.lower() == "now":
        return not re.match(r"\s+that\b", text[m.end:m.end + 8])
    # "the one day", "the many years" read as counts of things, not durations
    vague_n = (m.groups.get("n") or "").lower() in ("some", "many", "a", "an")
    return not (m.kind == "dur" and vague_n and _prev_word(text, m.start) == "the")


def _counts_things(doc: Doc | None, m: Match) -> bool:
    """'2010 shares': a year-like number modifying a plural noun is a count."""
    if doc is None:
        return False
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span[-1]
    return tok.dep_ == "nummod" and tok.head.tag_ == "NNS" and tok.head.i == tok.i + 1


def _ent_label(doc: Doc | None, m: Match) -> str:
    if doc is None:
        return ""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span[0].ent_type_ if span is not None and len(span) else ""


# --- tense, used to pick the past or the next weekday/month ----------------

# "would" is mostly future-in-the-past in news ("forecasters said frost would follow on Thursday").
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would"}
_FUTURE_LEMMAS = {"schedule", "plan", "expect", "due", "set", "intend", "aim", "hope", "prepare", "forecast",
                  "predict"}
# A postponement points ahead of the report whatever the tense: "postponed until Saturday".
_POSTPONE_LEMMAS = {"postpone", "delay", "adjourn", "reschedule", "defer", "move", "push"}


def clause_tense(doc: Doc | None, start: int, end: int, calls: bool = True) -> str | None:
    """"past", "future" or None (present or unknown) for the clause holding [start, end); with `calls`, a
    time inside what a verb calls for is "future"."""
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    if calls and _called_for(span.root):
        return "future"
    return verb_tense(span.root)


# Verbs whose object or infinitive is an event still to come: "called for a strike on Thursday", "urged
# supporters to march on Saturday". A day inside that phrase is the called-for event's, after the call.
_CALL_LEMMAS = frozenset({"call", "urge", "appeal", "ask", "invite", "summon", "plan", "vow", "pledge", "promise",
                          "threaten", "demand", "encourage", "mobilise", "mobilize"})


def _called_for(tok: Token) -> bool:
    cur = tok
    for _ in range(6):
        if cur.head is cur:
            return False
        if cur.pos_ in ("VERB", "AUX") and cur is not tok:
            to = any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
            return cur.dep_ in ("xcomp", "advcl") and to and _lemma_of(cur.head) in _CALL_LEMMAS
        if cur.pos_ in ("NOUN", "PROPN") and cur.dep_ == "pobj" and cur.head.lower_ in ("for", "to") and \
                _lemma_of(cur.head.head) in _CALL_LEMMAS:
            return True  # "called for a strike on Thursday"
        cur = cur.head
    return False


def _lemma_of(tok: Token) -> str:
    return tok.lemma_.lower()


def verb_tense(tok: Token) -> str | None:
    """The tense of the nearest verb at or above `tok`: "past", "future" or None."""
    start = tok
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            break
        if tok.head is tok:
            break
        tok = tok.head
    children = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if children & _FUTURE_AUX or (tok.lemma_ in _FUTURE_LEMMAS and tok.tag_ in ("VBN", "VBZ", "VBP")):
        return "future"
    if tok.lemma_ in _POSTPONE_LEMMAS and any(t.lower_ in ("until", "till", "to") for t in start.ancestors
                                              if t.i > tok.i):
        return "future"
    if "going" in children or (tok.head.lemma_ in _FUTURE_LEMMAS and tok.dep_ == "xcomp"):
        return "future"
    if tok.tag_ == "VBD" or children & {"had", "did", "was", "were"} or \
            (tok.tag_ == "VBN" and children & {"has", "have"}):
        return "past"
    return None


def _governing_tense(doc: Doc | None, m: Match) -> str | None:
    """Tense of the clause an "after/before" phrase modifies ("It comes ... after they held": present)."""
    if doc is None:
        return "unknown"
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return "unknown"
    tok = span[-1]
    if tok.dep_ == "mark":  # "after the countries held ...": the subordinate verb's head is the main verb
        return verb_tense(tok.head.head) if tok.head.head is not tok.head else "unknown"
    return verb_tense(tok.head)


# --- normalising -----------------------------------------------------------

def _iso(d: date) -> str:
    return d.isoformat()


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_no(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _year_for_month(month: int, anchor: date, tense: str | None, rel: str | None = None) -> int:
    if rel in ("last", "past", "previous"):
        return anchor.year if month < anchor.month else anchor.year - 1
    if rel in ("next", "coming"):
        return anchor.year if month > anchor.month else anchor.year + 1
    if tense == "past" and month > anchor.month:
        return anchor.year - 1
    if tense == "future" and month < anchor.month:
        return anchor.year + 1
    return anchor.year


def _weekday_date(wd: int, anchor: date, tense: str | None, rel: str | None) -> date:
    back = (anchor.weekday() - wd) % 7
    fwd = (wd - anchor.weekday()) % 7
    if rel == "last":
        return anchor - timedelta(days=back or 7)
    if rel in ("next", "coming"):
        return anchor + timedelta(days=fwd or 7)
    if tense == "future":
        return anchor + timedelta(days=fwd)
    return anchor - timedelta(days=back)


def _unit_key(unit: str) -> str:
    u = unit.lower()
    if u.startswith("centur"):
        return "century"
    return u.rstrip("s")


def _duration(n: float | None, unit: str) -> str:
    t, letter, mult = UNITS[_unit_key(unit)]
    if n is None:
        return f"P{t}X{letter}"
    amount = n * mult
    if amount != int(amount):  # "half an hour", "two and a half years": step down a unit
        if letter == "H":
            return f"PT{int(amount * 60)}M"
        if letter == "Y":
            return f"P{int(amount * 12)}M"
        if letter == "D":
            return f"PT{int(amount * 24)}H"
        return f"P{t}{amount:g}{letter}"
    return f"P{t}{int(amount)}{letter}"


def _count(word: str) -> float | None:
    """Number words of durations; vague ones ("several", "a few") give None (TIMEX3 'X')."""
    w = word.lower().strip()
    if w in ("a", "an", "one"):
        return 1.0
    if w in ("half a", "half an", "a half"):
        return 0.5
    if w.endswith("and a half"):
        base = parse_number(w.removesuffix("and a half").strip(" -"))
        return None if base is None else base + 0.5
    return parse_number(w)


NEEDS_ANCHOR = Norm("DATE", None, None, "no anchor")


def normalise(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    """The TIMEX3 type, value and precision of one match."""
    handler = _HANDLERS[m.kind]
    try:
        return handler(m, text, anchor, tense)
    except (ValueError, KeyError, OverflowError) as exc:  # never crash on odd input
        return Norm("DATE", None, None, f"cannot normalise: {exc}")


def _h_iso(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    g = m.groups
    d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    return Norm("DATE", _iso(d), "day") if d else Norm("DATE", None, None, "impossible date")


_JUST_AFTER = 7  # days
_RANGE_START = re.compile(r"(?:\b(?:between|from)\s+[0-3]?\d(?:st|nd|rd|th)?\s*(?:-|\u2013|and|to|until)|"
                          r"\b[0-3]?\d\s*[-\u2013])\s*$", re.IGNORECASE)


def _h_month_day(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    g = m.groups
    month, day = _month_no(g["mon"]), int(re.sub(r"\D", "", g["d"]))
    if not 1 <= day <= 31:
        return Norm("DATE", None, None, "impossible date")
    if g.get("ybad"):  # "March 3, 2391": dropping the year would invent this year's March 3
        return Norm("DATE", None, None, "year out of range")
    if m.kind == "dmy" and _RANGE_START.search(text[max(0, m.start - 24):m.start]):
        # "between 9 - 13 June", "from 2 to 6 October": the last day of a span dates no one event in it
        return Norm("DATE", None, None, "the end of a range of days")
    if g.get("y"):
        year = int(g["y"])
    elif anchor is None:
        return NEEDS_ANCHOR
    else:
        year = anchor.year
        guess = _safe_date(year, month, day)
        # A past day within a week after publication ("between 11 and 16 April" in a report of 14 April) is
        # the end of a range or a misdated report, almost never last year's (a writer names that year):
        # unresolved rather than a year off.
        if guess and tense == "past" and anchor + timedelta(days=1) < guess <= anchor + timedelta(days=_JUST_AFTER):
            return Norm("DATE", None, None, "a past day just after the publication date")
        # An unyeared date further ahead in a past clause is last year's.
        if guess and tense == "past" and guess > anchor + timedelta(days=1):
            year -= 1
        elif guess and tense == "future" and guess < anchor - timedelta(days=1):
            year += 1
    d = _safe_date(year, month, day)
    if d is None:
        return Norm("DATE", None, None, "impossible date")
    return Norm("DATE", _iso(d), "day")


def _h_month_year(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    return Norm("DATE", f"{int(m.groups['y']):04d}-{_month_no(m.groups['mon']):02d}", "month")


def _h_month(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    if anchor is None:
        return NEEDS_ANCHOR
    month = _month_no(m.groups["mon"])
    rel = (m.groups.get("rel") or "").lower() or None
    return Norm("DATE", f"{_year_for_month(month, anchor, tense, rel):04d}-{month:02d}", "month")


def _h_year(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    return Norm("DATE", f"{int(m.groups['y']):04d}", "year")


def _h_decade(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    dec = m.groups["dec"].lstrip("'")
    if len(dec) == 2:  # "the '90s", "the 90s": the last century's, unless it is in the future
        century = 19 if anchor is None or int(dec) > anchor.year % 100 else anchor.year // 100
        dec = f"{century}{dec}"
    return Norm("DATE", dec[:3], "decade")


def _h_century(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    raw = m.groups["cent"].lower()
    n = CENTURY_WORDS.get(raw) or int(raw)
    return Norm("DATE", f"{n - 1:02d}", "century")


def _h_season(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    g = m.groups
    season = SEASONS[(g.get("season") or g.get("s2") or "").lower()]
    if g.get("y"):
        return Norm("DATE", f"{g['y']}-{season}", "season")
    if anchor is None:
        return NEEDS_ANCHOR
    rel = (g.get("rel") or "").strip().lower()
    year = anchor.year + {"last": -1, "next": 1, "previous": -1, "past": -1}.get(rel, 0)
    if not rel and tense == "past" and season in ("FA", "WI") and anchor.month < 9:
        year -= 1
    return Norm("DATE", f"{year}-{season}", "season")


def _h_quarter(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    g = m.groups
    q = ORDINALS[g["q"].lower()]
    if g.get("y"):
        return Norm("DATE", f"{g['y']}-Q{q}", "quarter")
    if anchor is None:
        return NEEDS_ANCHOR
    year = anchor.year - (1 if (g.get("rel") or "").strip().lower() in ("last", "previous") else 0)
    current = (anchor.month - 1) // 3 + 1
    if not g.get("rel") and tense == "past" and q > current:
        year -= 1  # "profits rose in the third quarter", said in March: last year's
    return Norm("DATE", f"{year}-Q{q}", "quarter")


def _h_deictic(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    if anchor is None:
        return NEEDS_ANCHOR
    w = m.groups["w"].lower()
    if w == "tonight":
        return Norm("TIME", f"{_iso(anchor)}TNI", "day")
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[w]
    return Norm("DATE", _iso(anchor + timedelta(days=shift)), "day")


def _h_relunit(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    if anchor is None:
        return NEEDS_ANCHOR
    rel = m.groups["rel"].lower().split()[-1]
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
    unit = m.groups["unit"].lower()
    if unit == "week":
        return Norm("DATE", _week(anchor + timedelta(weeks=step)), "week")
    if unit == "weekend":
        return Norm("DATE", _week(anchor + timedelta(weeks=step)) + "-WE", "week")
    if unit == "month":
        y, mo = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
        return Norm("DATE", f"{y:04d}-{mo + 1:02d}", "month")
    if unit == "year":
        return Norm("DATE", f"{anchor.year + step:04d}", "year")
    if unit == "quarter":
        y, q = divmod(anchor.year * 4 + (anchor.month - 1) // 3 + step, 4)
        return Norm("DATE", f"{y}-Q{q + 1}", "quarter")
    if unit == "decade":
        return Norm("DATE", f"{anchor.year // 10 + step:03d}", "decade")
    return Norm("DATE", f"{anchor.year // 100 + step:02d}", "century")


def _h_weekend(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    """"over the weekend": the one just past, or the coming one in a future clause."""
    if anchor is None:
        return NEEDS_ANCHOR
    if tense == "future":
        return Norm("DATE", _week(anchor + timedelta(days=(5 - anchor.weekday()) % 7)) + "-WE", "week")
    # the Saturday on or before the anchor (a Sunday anchor's weekend is its own)
    back = (anchor.weekday() - 5) % 7
    return Norm("DATE", _week(anchor - timedelta(days=back)) + "-WE", "week")


def _h_relrange(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    n = _count(m.groups["n"]) if m.groups.get("n") else 1.0
    return Norm("DURATION", _duration(n, m.groups["unit"]), "duration")


def _h_ago(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    n = _count(m.groups["n"])
    unit = _unit_key(m.groups["unit"])
    direction = m.groups["dir"].lower()
    if direction not in ("ago", "from now", "hence"):  # "three months after": a duration
        return Norm("DURATION", _duration(n, unit), "duration")
    if anchor is None:
        return NEEDS_ANCHOR
    if n is None or n != int(n) or unit in ("second", "minute", "hour"):
        return Norm("DATE", "PAST_REF" if direction == "ago" else "FUTURE_REF", "vague")
    k = int(n) * (-1 if direction == "ago" else 1)
    if unit == "day":
        return Norm("DATE", _iso(anchor + timedelta(days=k)), "day")
    if unit in ("week", "fortnight"):
        return Norm("DATE", _week(anchor + timedelta(weeks=k * (2 if unit == "fortnight" else 1))), "week")
    if unit == "month":
        y, mo = divmod(anchor.year * 12 + anchor.month - 1 + k, 12)
        return Norm("DATE", f"{y:04d}-{mo + 1:02d}", "month")
    years = k * {"year": 1, "decade": 10, "century": 100}[unit]
    return Norm("DATE", f"{anchor.year + years:04d}", "year")


def _h_weekday(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    if anchor is None:
        return NEEDS_ANCHOR
    rel = (m.groups.get("rel") or "").strip().lower() or None
    d = _weekday_date(WEEKDAYS[m.groups["wd"].lower()], anchor, tense, rel)
    part = m.groups.get("part")
    if part:
        return Norm("TIME", f"{_iso(d)}T{PARTS_OF_DAY[part.lower()]}", "day")
    return Norm("DATE", _iso(d), "day")


def _h_partday(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    if anchor is None:
        return NEEDS_ANCHOR
    rel = m.groups["rel"].lower()
    shift = -1 if ("yesterday" in rel or "last" in rel) else 1 if "tomorrow" in rel else 0
    return Norm("TIME", f"{_iso(anchor + timedelta(days=shift))}T{PARTS_OF_DAY[m.groups['part'].lower()]}", "day")


def _clock_value(clock: str) -> str | None:
    c = clock.lower().replace(" ", "").replace(".", ":", 1) if re.match(r"\d+\.\d\d", clock) else \
        clock.lower().replace(" ", "").replace(".", "")
    if c == "noon":
        return "12:00"
    if c == "midnight":
        return "00:00"
    mt = re.match(r"(\d{1,2})(?::(\d\d))?(am|pm)?$", c)
    if not mt:
        return None
    h, mi = int(mt.group(1)), int(mt.group(2) or 0)
    if mt.group(3) == "pm" and h < 12:
        h += 12
    if mt.group(3) == "am" and h == 12:
        h = 0
    return f"{h:02d}:{mi:02d}" if h < 24 and mi < 60 else None


def _h_clock(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    hhmm = _clock_value(m.groups["clock"])
    if hhmm is None:
        return Norm("TIME", None, None, "impossible time")
    if anchor is None:
        return Norm("TIME", None, None, "no anchor")
    wd = (m.groups.get("wd") or "").lower()
    if wd in WEEKDAYS:
        d = _weekday_date(WEEKDAYS[wd], anchor, tense, None)
    else:
        d = anchor + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(wd, 0))
    return Norm("TIME", f"{_iso(d)}T{hhmm}", "minute")


def _h_dur(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    return Norm("DURATION", _duration(_count(m.groups["n"]), m.groups["unit"]), "duration")


def _h_bareunit(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    return Norm("DURATION", _duration(None, m.groups["unit"]), "duration")


def _h_set(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    unit = m.groups["unit"].lower()
    if unit in PARTS_OF_DAY:
        return Norm("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[unit]}", "set")
    if unit in WEEKDAYS:
        return Norm("SET", f"XXXX-WXX-{WEEKDAYS[unit] + 1}", "set")
    if unit == "weekend":
        return Norm("SET", "XXXX-WXX-WE", "set")
    return Norm("SET", _duration(1, unit), "set")


def _h_setadv(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
    unit = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year", "yearly": "year",
            "hourly": "hour", "nightly": "day"}[m.groups["adv"].lower()]
    return Norm("SET", _duration(1, unit), "set")


def _h_ref(value: str) -> Callable[[Match, str, date | None, str | None], Norm]:
    def handler(m: Match, text: str, anchor: date | None, tense: str | None) -> Norm:
        return Norm("DATE", value, "vague")
    return handler


_HANDLERS: dict[str, Callable[[Match, str, date | None, str | None], Norm]] = {
    "iso": _h_iso, "weekend": _h_weekend, "mdy": _h_month_day, "dmy": _h_month_day, "my": _h_month_year, "relmonth": _h_month,
    "month": _h_month, "year": _h_year, "fy": _h_year, "decade": _h_decade, "century": _h_century,
    "centuryw": _h_century, "season": _h_season, "fall": _h_season, "quarter": _h_quarter,
    "deictic": _h_deictic, "relunit": _h_relunit, "relrange": _h_relrange, "relrange1": _h_relrange,
    "ago": _h_ago, "weekday": _h_weekday, "partday": _h_partday, "clock": _h_clock, "dur": _h_dur,
    "approxdur": _h_dur, "bareunit": _h_bareunit, "bareunit2": _h_bareunit, "set": _h_set, "setadv": _h_setadv,
    "past": _h_ref("PAST_REF"), "present": _h_ref("PRESENT_REF"), "future": _h_ref("FUTURE_REF"),
}

# Prepositions and articles the pattern may have taken in that TIMEX3 leaves out of the span.
_LEADING = re.compile(r"^(?:(?:on|in|at)\s+)", re.IGNORECASE)


# --- datelines -------------------------------------------------------------

_DATELINE = re.compile(
    rf"^\s*(?P<place>[A-Z][A-Za-z .'/\u2019-]{{1,40}}?)(?:,\s*[A-Z][A-Za-z .]{{1,30}})?,?\s+"
    rf"(?P<date>(?P<mon>{_MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?=\s))\s(?P<d>{_DAY})(?:,?\s(?P<y>{_YEAR}))?)\s*(?:\([^)]{{1,40}}\))?\s*[-\u2013\u2014:]"
)


# A dateline opens the first paragraph of the story, which a scraped page may precede with its
# headline, a byline and a photo caption: the first few paragraphs are tried.
_DATELINE_PARAGRAPHS = 6


def _dateline_match(text: str) -> tuple[re.Match[str], int] | None:
    offset = 0
    for _ in range(_DATELINE_PARAGRAPHS):
        m = _DATELINE.match(text[offset:offset + 200])
        if m:
            return m, offset
        nxt = text.find("\n", offset)
        if nxt < 0:
            return None
        offset = nxt + 1
    return None


def find_dateline(text: str) -> dict[str, object] | None:
    """A wire dateline opening a paragraph near the top: "KYIV, March 3 (Reuters) -"."""
    found = _dateline_match(text)
    if found is None:
        return None
    m, at = found
    return {"place": m.group("place").strip(), "start": at + m.start("date"), "end": at + m.end("date"),
            "year": int(m.group("y")) if m.group("y") else None,
            "place_start": at + m.start("place"), "place_end": at + m.start("place") + len(m.group("place").strip())}


def _dateline_anchor(text: str) -> date | None:
    """A full date in the dateline is an anchor when the publication date is unknown."""
    found = _dateline_match(text)
    if found is None or not found[0].group("y"):
        return None
    m = found[0]
    return _safe_date(int(m.group("y")), _month_no(m.group("mon")), int(re.sub(r"\D", "", m.group("d"))))


# --- the extractor ---------------------------------------------------------

# Kinds whose value the tense decides (a weekday, a month without its year): only they need
# the called-for check.
_TENSED_KINDS = frozenset({"weekday", "mdy", "dmy", "month", "relmonth", "season", "fall", "weekend", "clock",
                           "partday", "quarter"})


def find_times(text: str, anchor: date | None, doc: Doc | None = None) -> list[TimeExpr]:
    """Every time expression in `text`, normalised against `anchor` (None: relative ones unresolved)."""
    out: list[TimeExpr] = []
    for m in find_matches(text):
        if not _plausible(m, text, doc):
            continue
        lead = _LEADING.match(text[m.start:m.end])
        start = m.start + (lead.end() if lead and m.kind in ("past", "future") else 0)
        tense = clause_tense(doc, m.start, m.end, calls=m.kind in _TENSED_KINDS and not m.groups.get("y"))
        norm = normalise(m, text, anchor, tense)
        out.append(TimeExpr(start, m.end, text[start:m.end], norm.type, norm.value, norm.precision,
                            anchor.isoformat() if anchor and norm.value else None,
                            norm.reason))
        implied = _implied_date(m, text, anchor, _governing_tense(doc, m) if m.kind == "ago" else "unknown")
        if implied is not None:
            out.append(implied)
    return out


def _implied_date(m: Match, text: str, anchor: date | None, tense: str | None) -> TimeExpr | None:
    """"It comes two months after the drills": the drills were two months before the report.

    Besides the DURATION ("two months", P2M) a present-tense clause anchors the
    phrase at the publication date, so "two months after" also gets the DATE it
    implies (publication date minus two months). Past and future clauses have
    another anchor (their own event), which we do not guess.
    """
    direction = (m.groups.get("dir") or "").lower()
    if m.kind != "ago" or direction not in ("after", "before") or anchor is None or tense is not None:
        return None
    flipped = Match(m.start, m.end, m.kind, {**m.groups, "dir": "ago" if direction == "after" else "from now"})
    norm = normalise(flipped, text, anchor, tense)
    if norm.type != "DATE" or norm.value is None or norm.value.endswith("_REF"):
        return None
    return TimeExpr(m.start, m.end, text[m.start:m.end], "DATE", norm.value, norm.precision, anchor.isoformat(),
                    "implied by a present-tense 'after/before'")


@extractors.register("times", after=("entities",))
def extract_times(ctx: Context) -> None:
    """Fill ctx.record.times; the anchor used is ctx.published, else a dated dateline.

    Leaves ctx.scratch["dateline"] (place and date offsets) when the text opens with one.
    """
    text = ctx.text
    anchor = ctx.published or _dateline_anchor(text)
    dateline = find_dateline(text)
    if dateline:
        ctx.scratch["dateline"] = dateline
    ctx.record.times = find_times(text, anchor, ctx.doc)


# --- event dates -----------------------------------------------------------

def _is_dating(t: TimeExpr) -> bool:
    return t.type in ("DATE", "TIME")


_FINER_THAN_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T.+$")


def calendar_date(value: str | None, text: str | None, precision: str | None, source: str) -> EventDate:
    """An event's date is the calendar value at its precision ("Sunday night" is the day 2024-06-09); a part
    of day or a clock time ("2024-06-09TNI", "2024-06-09T14:30") is kept beside it in `timex`."""
    m = _FINER_THAN_DAY.match(value or "")
    if m is None:
        return EventDate(value, text, precision, source)
    return EventDate(m.group(1), text, "day", source, timex=value)


def _to_event_date(t: TimeExpr, source: str) -> EventDate:
    return calendar_date(t.value, t.text, t.precision, source)


def event_date(ctx: Context, trigger: Token, sentence: Span) -> EventDate | None:
    """The date of the event whose trigger is `trigger`: its clause, else its sentence, else the time the
    paragraph set before it (`_discourse_date`), else None; never a past event after its publication."""
    return _checked(ctx, _event_date(ctx, trigger, sentence), trigger)


def _event_date(ctx: Context, trigger: Token, sentence: Span) -> EventDate | None:
    doc = trigger.doc
    dateline = ctx.scratch.get("dateline")
    in_sentence = [t for t in ctx.record.times if _is_dating(t)
                   and sentence.start_char <= t.start and t.end <= sentence.end_char]
    if dateline and len(in_sentence) > 1:
        # The dateline dates the filing, not the event, when the sentence names another time.
        in_sentence = [t for t in in_sentence if not (t.start < dateline["end"] and dateline["start"] < t.end)]
    if not in_sentence:
        return _discourse_date(ctx, trigger, sentence)
    roots = [trigger]
    if trigger.pos_ not in ("VERB", "AUX") and trigger.head is not trigger:
        roots.append(trigger.head)  # a nominal trigger ("the deployment") takes its verb's clause
    served = _served_verb(trigger)
    if served is not None:
        # the purpose is pursued, and the participle told, when the served act happens: its own day wins
        # over one inside the trigger's phrase ("blocked a road on Friday to protest an arrest on 2 March")
        own = clause_tokens(trigger)
        above = [t for t in in_sentence if _specific(t) and _inside(doc, t, clause_tokens(served) - own)]
        if above:
            return _to_event_date(min(above, key=lambda t: (_depth(doc, t, served), t.start)), "clause")
    for root in roots:
        clause = clause_tokens(root)
        for t in _prefer_resolved(in_sentence):
            if _inside(doc, t, clause):
                return _to_event_date(t, "clause")
    # A relative clause dates its own noun ("Guaidó, who declared himself leader in January"), not the event.
    described = _relative_clause_tokens(sentence, trigger)
    outside = [t for t in in_sentence if not _inside(doc, t, described)]
    if not outside:
        return None
    return _to_event_date(_prefer_resolved(outside)[0], "sentence")


def _discourse_date(ctx: Context, trigger: Token, sentence: Span) -> EventDate | None:
    """A sentence that names no time goes on at the time the paragraph set ("On 10 January 2022, X
    attacked Y. Two soldiers were killed."): the last day-precise date of an earlier sentence of the same
    paragraph, when the event is told in the simple past like it. A future, a past perfect ("had
    clashed") or a present clause is told at another time: undated rather than wrongly dated."""
    verb = _told_verb(trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head)
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    # "Demanding unpaid wages.": a subjectless participle standing as a sentence goes on with the narrative
    fragment = verb.tag_ == "VBG" and verb.dep_ == "ROOT" and not aux and \
        not any(c.dep_.startswith("nsubj") for c in verb.children)
    if (verb_tense(verb) != "past" and not fragment) or "had" in aux:
        return None
    para_start = ctx.text.rfind("\n", 0, sentence.start_char) + 1
    earlier = [t for t in ctx.record.times if _is_dating(t) and para_start <= t.start < sentence.start_char
               and t.precision == "day" and t.value]
    if not earlier:
        return None
    last = earlier[-1]
    return calendar_date(last.value, last.text, last.precision, "discourse")


def _told_verb(verb: Token) -> Token:
    """A subjectless participle ("Police responded, killing one") is told in its main verb's tense."""
    for _ in range(3):
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head is not verb and \
                verb.head.pos_ in ("VERB", "AUX") and not any(c.dep_.startswith("nsubj") for c in verb.children):
            verb = verb.head
        else:
            break
    return verb


def _served_verb(trigger: Token) -> Token | None:
    """The verb a purpose infinitive or a subjectless participle serves: "gathered on Tuesday to demand",
    "marched on Thursday, denouncing"."""
    if trigger.pos_ != "VERB" or trigger.dep_ not in ("advcl", "xcomp") or trigger.head is trigger:
        return None
    if any(c.dep_.startswith("nsubj") for c in trigger.children) or trigger.head.pos_ not in ("VERB", "AUX"):
        return None
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
    return trigger.head if to or trigger.tag_ == "VBG" else None


def _depth(doc: Doc, t: TimeExpr, root: Token) -> int:
    """How many dependency steps the time phrase hangs below `root` (a day on the verb itself is near, a
    day inside its object's phrase is further)."""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None:
        return 99
    tok, steps = span.root, 0
    while tok is not root and tok.head is not tok and steps < 20:
        tok, steps = tok.head, steps + 1
    return steps if tok is root else 99


def _specific(t: TimeExpr) -> bool:
    return bool(t.value) and not t.value.endswith("_REF")


def _checked(ctx: Context, found: EventDate | None, trigger: Token) -> EventDate | None:
    """A past event dated after its own publication is a misreading ("on Friday" taken for the next one):
    undated rather than wrongly dated."""
    if found is None or ctx.published is None or not found.value:
        return found
    day = first_day(found.value)
    if day is not None and day > ctx.published + timedelta(days=1) and verb_tense(trigger) == "past":
        return None
    return found


# The first month of a TIMEX3 season or quarter.
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-(SP|SU|FA|WI)|-Q([1-4])|-W(\d{2}))?(?:T.*)?$")


def first_day(value: str) -> date | None:
    """The first calendar day a TIMEX3 value covers ("2025" Jan 1, "2025-SU" Jun 1, "2025-Q3" Jul 1,
    "2025-W20" its Monday), so a past event is never dated at a period that begins after publication
    ("agreed on Tuesday to finish it by the summer": the summer dates the plan, not the agreement)."""
    m = _PERIOD.match(value)
    if m is None:
        return None
    year, month, day, season, quarter, week = m.groups()
    try:
        if week:
            return date.fromisocalendar(int(year), int(week), 1)
        if season:
            return date(int(year), _SEASON_START[season], 1)
        if quarter:
            return date(int(year), 3 * int(quarter) - 2, 1)
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def _relative_clause_tokens(sentence: Span, trigger: Token) -> set[int]:
    found: set[int] = set()
    for tok in sentence:
        if tok.dep_ == "relcl" and not (tok.left_edge.i <= trigger.i <= tok.right_edge.i):
            found.update(range(tok.left_edge.i, tok.right_edge.i + 1))
    return found


def _inside(doc: Doc, t: TimeExpr, tokens: set[int]) -> bool:
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    return span is not None and any(tok.i in tokens for tok in span)


def _prefer_resolved(times: list[TimeExpr]) -> list[TimeExpr]:
    """Specific values first (a day before a vague 'recently'), text order otherwise."""
    rank = {"minute": 0, "day": 0, "week": 1, "month": 1, "season": 2, "quarter": 2, "year": 2}
    return sorted(times, key=lambda t: (t.value is None, rank.get(t.precision or "", 3), t.start))
