"""Numbers with units and what they count.

A quantity starts at a number token (digits or words) and reads the parse
around it: the noun it modifies ("100 troops"), a unit with an "of" phrase
("12 tonnes of supplies"), a currency ("$3 billion", "billions of dollars"),
the verb that turns people into the dead ("12 people were killed") and the
approximation markers before it ("about", "at least", "dozens").

Convention: vague multiples ("dozens", "hundreds", "several") keep value None
with approx True: we never invent a number the text does not give. "a dozen"
is 12 and "three dozen" 36. Word lists live in eventwire/data/units.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Span, Token

from eventwire.data import load_yaml
from eventwire.extract import Context, extractors
from eventwire.model import Quantity

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12,
}
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
               "trillion": 1_000_000_000_000}
# "2bn", "5m", "10k": a number with its scale glued on.
_GLUED = re.compile(r"(\d+(?:\.\d+)?)(bn|mn|m|k|tn|b)")
# Labels whose numbers are not quantities: years, clock times, ordinals ("the 99th day").
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}


@lru_cache(maxsize=1)
def _units() -> dict[str, Any]:
    """units.yaml with reverse lookups built once per process."""
    data = load_yaml("units.yaml")
    counts = {noun: cat for cat, nouns in data["counts"].items() for noun in nouns}
    verbs = {verb: cat for cat, vs in data["verb_counts"].items() for verb in vs}
    markers = sorted(data["approx_markers"], key=lambda m: -len(m.split()))
    return {"counts": counts, "verbs": verbs, "units": data["units"], "currencies": data["currencies"],
            "victims": set(data.get("victim_nouns") or ()), "not_victims": set(data.get("not_victim_nouns") or ()),
            "abduct_verbs": set(data.get("abduct_verbs") or ()), "animals": set(data.get("animal_nouns") or ()),
            "scales": data["scales"], "markers": markers, "vague": set(data["vague_numbers"])}


def parse_number(text: str) -> float | None:
    """'1,200' -> 1200.0, '1.5 million' -> 1.5e6, 'twenty-five' -> 25.0, 'three dozen' -> 36.0.

    Returns None for vague or unreadable numbers ("several", "dozens", "2.3.4").
    """
    words = re.sub(r"[-\u2013]", " ", text.lower().replace(",", "")).split()
    words = [w for w in words if w != "and"]
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        elif word in SMALL:
            current += SMALL[word]
            if word == "dozen" and current > 12:  # "three dozen": 3 + 12 -> 3 * 12
                current = (current - 12) * 12
        elif word in MULTIPLIERS:
            mult = MULTIPLIERS[word]
            if mult == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * mult
                current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


# Thousands separators in the wrong places ("1,2,3") and words glued to digits ("twenty-3"): the text
# says there is a number but not which one, so the quantity keeps value None with a reason.
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_MIXED = re.compile(r"[a-z]+-\d+|\d+-[a-z]+")


def number_problem(text: str) -> str | None:
    """Why a number-like text cannot be read, or None when it can be."""
    for word in re.split(r"\s+", text.lower().strip()):
        if _MIXED.fullmatch(word) and any(part in SMALL or part in MULTIPLIERS for part in word.split("-")):
            return "words and digits mixed"
        if re.fullmatch(r"[\d.,]+", word) and "," in word and not _GROUPED.fullmatch(word):
            return "malformed number"
    return None


# Month names and their abbreviations (times.py reads the numbers; it imports them from here, as it
# imports this module).
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}


def _month_name(tok: Token | None) -> bool:
    return tok is not None and tok.text[:1].isupper() and tok.text.lower() in MONTHS


def _day_of_month(tok: Token) -> bool:
    """"Around 4 March 2025", "on March 4": a day beside a capitalised month name is part of a date, also where
    the tagger leaves the day out of its DATE entity (it often does after "Around" or "Between")."""
    if not (tok.is_digit and len(tok.text) <= 2 and 1 <= int(tok.text) <= 31):
        return False
    doc = tok.doc
    return _month_name(doc[tok.i + 1] if tok.i + 1 < len(doc) else None) or \
        _month_name(doc[tok.i - 1] if tok.i > 0 else None)


def _is_number(tok: Token) -> bool:
    low = tok.lower_
    if tok.ent_type_ in _SKIP_ENTS or _day_of_month(tok):
        return False
    if low in _units()["vague"] or low in ("dozen", "dozens"):
        return True
    if _GLUED.fullmatch(low):
        return True
    if tok.pos_ == "NUM" and number_problem(low):
        return True
    if tok.like_num and not re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)", low):
        return low not in ("a", "an") and tok.pos_ != "PRON"
    return False


def _number_run(tok: Token) -> tuple[int, int]:
    """Token range [i, j) of a multi-token number: '1.5 million', 'three dozen', 'two hundred'."""
    doc = tok.doc
    i = j = tok.i
    while j + 2 < len(doc) and doc[j + 1].text == "-" and doc[j + 2].like_num and doc[j].like_num:
        j += 2  # "twenty-five"
    while j + 1 < len(doc) and (doc[j + 1].like_num or doc[j + 1].lower_ in ("dozen", "hundred")
                                or doc[j + 1].lower_ in _units()["scales"] and doc[j + 1].lower_ not in ("m", "b", "k")
                                ) and doc[j + 1].ent_type_ not in _SKIP_ENTS and doc[j + 1].lower_ != "a":
        j += 1
    if i > 0 and doc[i - 1].lower_ == "a" and doc[i].lower_ in ("dozen", "hundred", "thousand", "million"):
        i -= 1
    return i, j + 1


_RANGE_WORDS = {"to", "or", "-", "\u2013"}
_RANGE_TOKEN = re.compile(r"(\d+)[-\u2013](\d+)")


def _range_low(doc: Any, i: int, j: int) -> tuple[float, int, int] | None:
    """A range around the number run [i, j): "5-7", "20 to 25", "between 10 and 12", "one or two". Returns
    its lower bound (ACLED's convention: the most conservative figure) and the token range of the whole."""
    before = doc[i - 1].lower_ if i >= 1 else ""
    after_ = doc[j].lower_ if j < len(doc) else ""
    if not (before in _RANGE_WORDS or before == "and" or after_ in _RANGE_WORDS or after_ == "and"
            or any(t.text in ("-", "\u2013") or "-" in t.text or "\u2013" in t.text for t in doc[i:j])):
        return None  # no range word beside the number: the common case, decided cheaply
    glued = _RANGE_TOKEN.fullmatch(doc[i:j].text.replace(" ", ""))
    if glued and int(glued.group(1)) < int(glued.group(2)):
        return float(glued.group(1)), i, j
    here = parse_number(doc[i:j].text)
    if here is None:
        return None
    # the run is the upper bound: "20 to [25]", "between 10 and [12]"
    if i >= 2 and doc[i - 2].like_num and (doc[i - 1].lower_ in _RANGE_WORDS or
                                           doc[i - 1].lower_ == "and" and i >= 3 and doc[i - 3].lower_ == "between"):
        low = parse_number(doc[i - 2].text)
        if low is not None and low < here:
            return low, i - 2, j
    # the run is the lower bound: "[20] to 25", "between [10] and 12"
    if j + 1 < len(doc) and doc[j + 1].like_num and (doc[j].lower_ in _RANGE_WORDS or
                                                     doc[j].lower_ == "and" and i >= 1 and doc[i - 1].lower_ == "between"):
        high = parse_number(doc[j + 1].text)
        if high is not None and here < high:
            return here, i, j + 2
    return None


def _approx_marker(doc: Any, i: int) -> tuple[int, bool]:
    """Start index including any approximation marker before token i, and whether one was found."""
    before = " ".join(t.lower_ for t in doc[max(0, i - 3):i])
    for marker in _units()["markers"]:
        if before == marker or before.endswith(" " + marker):
            return i - len(marker.split()), True
    return i, False


def _of_object(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _noun_of(num: Token, end_tok: Token) -> Token | None:
    """The noun the number counts: its head when it is a numeric modifier, else the next noun."""
    for tok in (end_tok, num):
        if tok.dep_ in ("nummod", "quantmod", "compound") and tok.head.pos_ in ("NOUN", "PROPN") \
                and tok.head.i > end_tok.i:
            return tok.head
    of = _of_object(end_tok)  # "dozens of troops", "thousands of people"
    if of is not None:
        return None if of.pos_ in ("PRON", "DET") else of
    nxt = end_tok.nbor(1) if end_tok.i + 1 < len(end_tok.doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "ADJ") and nxt.lower_ in _units()["counts"]:
        return nxt
    return None


def _currency(doc: Any, i: int, j: int, noun: Token | None) -> str | None:
    cur = _units()["currencies"]
    if i > 0 and doc[i - 1].text in cur:
        return cur[doc[i - 1].text]
    if noun is not None and noun.lemma_.lower() in cur:
        return cur[noun.lemma_.lower()]
    return None


def _scale_suffix(tok: Token) -> float:
    """'3bn' or '5m' glued to a number (tokenised '3', 'bn')."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in ("bn", "m", "mn", "k", "tn", "b") and tok.idx + len(tok.text) == nxt.idx:
        return float(_units()["scales"][nxt.lower_])
    return 1.0


def _count_category(noun: Token | None) -> str | None:
    if noun is None:
        return None
    counts, verbs = _units()["counts"], _units()["verbs"]
    lemma = noun.lemma_.lower()
    cat = counts.get(noun.lower_) or counts.get(lemma)
    head = noun.head
    # "12 people were killed", "12 civilians died", "killing 12 protesters"
    if lemma in _units()["animals"]:
        return lemma  # "killed 30 cattle": no people
    if cat in (None, "people", "troops") and head.pos_ == "VERB" and head.lemma_.lower() in verbs and \
            noun.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return verbs[head.lemma_.lower()]
    return cat or lemma


def quantity_at(tok: Token) -> Quantity | None:
    """The quantity whose number starts at `tok`, or None when `tok` starts none."""
    doc = tok.doc
    i, j = _number_run(tok)
    num_text = doc[i:j].text
    start, approx = _approx_marker(doc, i)
    vague = doc[i].lower_ in _units()["vague"] or doc[i].lower_ in ("dozens",)
    glued = _GLUED.fullmatch(doc[i].lower_)
    problem = number_problem(num_text)
    rng = None if vague or glued else _range_low(doc, i, j)
    if rng is not None and rng[1] == i:
        problem = None
        j = rng[2]  # "20 to 25 soldiers": one count, at its lower bound
    if glued:
        value: float | None = float(glued.group(1)) * _units()["scales"][glued.group(2)]
    elif rng is not None and rng[1] == i:
        value, approx = rng[0], True
    else:
        value = None if vague or problem else parse_number(num_text)
    if value is None and not vague and not problem:
        return None
    if vague:
        approx = True
    end_tok = doc[j - 1]
    noun = _noun_of(doc[i], end_tok)
    unit = None
    if value is not None:
        value *= _scale_suffix(end_tok)
    currency = _currency(doc, i, j, noun)
    last = noun.i if noun is not None and noun.i >= j else j - 1
    if currency:
        unit, counts = currency, "money"
        if i > 0 and doc[i - 1].text in _units()["currencies"] and start == i:
            start = i - 1
        last = max(last, j - 1 + (1 if _scale_suffix(end_tok) != 1.0 else 0))
    elif noun is not None and noun.lemma_.lower() in _units()["units"]:
        unit = _units()["units"][noun.lemma_.lower()]
        of = _of_object(noun)
        counts = _count_category(of) if of is not None else None
        if of is not None:
            last = of.i
    elif j < len(doc) and doc[j].text == "%":
        unit, counts, last = "percent", None, j
    else:
        counts = _count_category(noun)
        if noun is None and doc[i].head.pos_ == "VERB" and doc[i].dep_ in ("dobj", "nsubj", "nsubjpass"):
            counts = _units()["verbs"].get(doc[i].head.lemma_.lower())  # "killing 12", "12 died"
    if value is None and counts is None and unit is None and not problem:
        return None  # "several" alone says nothing
    if noun is None and unit is None and counts is None and doc[i].lower_ == "one":
        return None  # "one of them", "one said": a pronoun, not a count
    span = doc[start:last + 1]
    return Quantity(value, unit, counts, approx, span.text, span.start_char, span.end_char, reason=problem)


@extractors.register("quantities", after=("entities",))
def extract_quantities(ctx: Context) -> None:
    """Find every quantity; keep them in ctx.scratch["quantities"] (list[Quantity], text order)."""
    found: list[Quantity] = []
    covered = -1
    for tok in ctx.doc:
        if tok.idx < covered or not _is_number(tok):
            continue
        q = quantity_at(tok)
        if q is not None and q.start is not None and q.end is not None:
            found.append(q)
            covered = q.end
    ctx.scratch["quantities"] = found


# Dependents that open a clause of their own: a number or time inside them is not the trigger's.
_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis", "conj"}


def clause_tokens(root: Token) -> set[int]:
    """Token indices of `root`'s own clause: its subtree minus embedded clauses with a verb."""
    keep: set[int] = set()
    stack = [root]
    while stack:
        tok = stack.pop()
        keep.add(tok.i)
        for child in tok.children:
            if child.dep_ in _CLAUSE_DEPS and child.pos_ in ("VERB", "AUX"):
                continue
            stack.append(child)
    return keep


def phrase_head(noun: Token) -> Token:
    """The head of a measure or coordinated phrase: "supplies" in "some 60 soldiers and 12 tonnes of
    supplies" leads to "soldiers", whose role in the clause the whole phrase shares."""
    for _ in range(6):
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ in ("NOUN", "PROPN", "NUM"):
            noun = noun.head.head
        elif noun.dep_ == "conj" and noun.head.i != noun.i and noun.pos_ in ("NOUN", "PROPN"):
            noun = noun.head
        else:
            break
    return noun


def _clause_root(trigger: Token) -> Token:
    """The trigger, or the noun/verb it modifies ("troops ... offloaded": troops is the subject)."""
    root = trigger
    if trigger.dep_ in ("acl", "relcl", "amod", "oprd") or (trigger.pos_ == "NOUN" and trigger.head.pos_ == "VERB"):
        root = phrase_head(trigger.head)
    # "60 soldiers and 12 tonnes ... unloaded": a trigger on the last conjunct covers them all
    while root.dep_ == "conj" and root.pos_ in ("NOUN", "PROPN") and root.head is not root:
        root = root.head
    return root


def event_quantities(ctx: Context, trigger: Token, sentence: Span) -> list[Quantity]:
    """The quantities in the trigger's sentence that hang off its clause.

    Covers "X wrote that she counted some 60 soldiers and 12 tonnes of supplies
    unloaded": the trigger "unloaded" has "soldiers" as its subject.
    """
    doc = trigger.doc
    root = _clause_root(trigger)
    scope = clause_tokens(root) | clause_tokens(trigger)
    # a subject of the trigger coordinated with other nouns brings their numbers too
    for child in trigger.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
            scope |= clause_tokens(child)
        # "landed ..., carrying dozens of troops": a subjectless participle describes the same event
        if child.dep_ in ("advcl", "xcomp") and child.tag_ in ("VBG", "VBN") and \
                not any(c.dep_.startswith("nsubj") for c in child.children):
            scope |= clause_tokens(child)
    # "he saw about 100 troops ... offloaded": the object of a perception verb whose
    # complement is the trigger is the trigger's logical subject.
    if trigger.dep_ in ("ccomp", "xcomp", "oprd", "advcl") and trigger.head.pos_ == "VERB":
        for child in trigger.head.children:
            if child.dep_ == "dobj" and child.i < trigger.i:
                scope |= clause_tokens(child)
    out = []
    for q in ctx.scratch.get("quantities", []):
        if q.start is None or not (sentence.start_char <= q.start < sentence.end_char):
            continue
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is not None and any(t.i in scope for t in span):
            out.append(q)
    out = _merge(out, casualty_counts(trigger))
    if _violent(trigger):
        out = _merge(out, reported_none(sentence) + stated_figure(sentence) + body_counts(sentence))
    return _merge(out, summary_counts(ctx, trigger, sentence))


# --- casualties and other counts of people -------------------------------------

_ONE_DETS = {"a", "an", "another", "one", "the", "this", "that"}
_PAIR_WORDS = {"both": 2.0, "couple": 2.0, "pair": 2.0}
_PERSON_PRONOUNS = {"him", "her", "he", "she", "himself", "herself"}


def _victim_value(noun: Token) -> tuple[float | None, bool, int, int] | None:
    """How many people one noun phrase names: "a merchant" 1, "two women" 2, "at least 5 soldiers"
    5 (approx), "1 employee and her 2 sons" 3, "both victims" 2; None for "civilians" (no number).
    Returns (value, approx, first token, last token)."""
    nouns = [noun] + [c for c in noun.conjuncts if c.i > noun.i and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
    total, approx = 0.0, False
    first, last = noun.left_edge.i, noun.i
    for k, n in enumerate(nouns):
        if k and _same_person(n):
            last = max(last, n.i)
            continue  # "a cleric and teacher": one person named twice
        got = _one_victim_value(n) if _is_person(n) or _counted_group(n) else None
        if got is None:
            return None
        total += got[0]
        approx = approx or got[1]
        first, last = min(first, n.left_edge.i), max(last, n.i)
    return total, approx, first, last


def _same_person(n: Token) -> bool:
    """A singular conjunct with no determiner, number or possessor of its own shares the first one's: "1 imam
    and religious scholar", "a cleric and teacher" name one person."""
    return n.tag_ == "NN" and n.pos_ == "NOUN" and not any(
        c.dep_ in ("det", "nummod", "poss", "quantmod") for c in n.children)


def _counted_group(n: Token) -> bool:
    """A number on a group's name or acronym counts its members in a toll ("killed 12 Shabaab", "the death
    of 4 FLN"); a common noun that is no person ("30 cattle") does not."""
    if n.pos_ not in ("PROPN", "NOUN") or not any(c.dep_ == "nummod" for c in n.children):
        return False
    lemma = n.lemma_.lower()
    return _units()["counts"].get(lemma) not in _THING_CATEGORIES and lemma not in _units()["units"] and \
        lemma not in _units()["currencies"] and lemma not in _units()["animals"]


_PARTITIVE = {"both": 2.0, "one": 1.0, "each": None, "all": None}
_THING_CATEGORIES = frozenset({"aircraft", "vessels", "vehicles", "weapons", "equipment", "buildings"})


def _partitive_value(n: Token) -> tuple[float, bool] | None:
    """"Both of the farmers" 2, "one of the guards" 1, "all of the 5 passengers" 5."""
    of = _of_object(n)
    if of is None or not _is_person(of):
        return None
    value = _PARTITIVE.get(n.lower_)
    if value is not None:
        return value, False
    inner = _one_victim_value(of)
    return inner if inner is not None and n.lower_ == "all" else None


def _one_victim_value(n: Token) -> tuple[float, bool] | None:
    if n.ent_type_ in ("DATE", "TIME"):
        return None
    if n.lower_ in _PARTITIVE and _of_object(n) is not None:
        return _partitive_value(n)
    if n.lower_ in ("another", "one"):
        return 1.0, False
    if n.pos_ == "NUM" or n.like_num:  # "killing two", "one of the perpetrators"
        value = parse_number(n.text)
        return (value, False) if value is not None else None
    if n.lower_ in _PERSON_PRONOUNS:
        return 1.0, False
    if n.pos_ == "PROPN" and n.ent_type_ == "PERSON":
        return 1.0, False
    approx = any(c.lower_ in ("least", "more", "over", "about", "around", "nearly", "some", "than")
                 for c in n.subtree if c.i < n.i)
    for child in n.children:
        if child.dep_ == "nummod":
            i, j = _number_run(child)
            low = _range_low(child.doc, i, j)
            if low is not None:
                return low[0], True
            value = parse_number(child.doc[i:j].text)
            if value is not None:
                return value, approx
            return None
    for child in n.children:
        if child.lower_ in _PAIR_WORDS:
            return _PAIR_WORDS[child.lower_], False
    if n.lower_ in _PAIR_WORDS:
        return _PAIR_WORDS[n.lower_], False
    if n.tag_ in ("NN", "NNP") and n.pos_ in ("NOUN", "PROPN") and \
            any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _ONE_DETS) for c in n.children):
        return 1.0, False  # "a merchant", "his co-driver", "the driver"
    return None


_PERSON_CATEGORIES = {"people", "troops", "dead", "injured", "detained", "displaced"}
_PERSON_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "man", "men", "woman", "women", "person", "ee", "ier",
                   "ary", "ite", "ic")


def _is_person(n: Token) -> bool:
    """Could this noun be people ("a merchant", "two militiamen", "him"), not a thing ("a protest")?"""
    if n.lower_ in _PERSON_PRONOUNS or n.ent_type_ in ("PERSON", "NORP") or n.pos_ == "NUM":
        return True
    if n.lower_ in _PARTITIVE and _of_object(n) is not None:
        return True  # "both of the farmers": as person as its "of" phrase (checked there)
    if n.lower_ == "another" and n.dep_ in ("dobj", "nsubjpass", "nsubj"):
        return True  # "injuring one soldier and killing another"
    lemma = n.lemma_.lower()
    if _units()["counts"].get(lemma) in _PERSON_CATEGORIES or lemma in _units()["victims"]:
        return True
    return n.pos_ == "NOUN" and lemma.endswith(_PERSON_ENDINGS) and lemma not in _units()["not_victims"]


def _casualty_category(verb: Token) -> str | None:
    """What a verb does to the people it names: "killed" dead, "shot dead" dead, "wounded" injured."""
    lemma = verb.lemma_.lower()
    cats = _units()["verbs"]
    if lemma in _units()["abduct_verbs"]:
        return "abducted"
    if lemma == "leave":  # "left 15 people dead", "left two wounded"
        for tok in verb.subtree:
            if tok.lower_ in ("dead", "injured", "wounded") and tok.dep_ in ("oprd", "acomp", "ccomp", "amod",
                                                                               "xcomp", "advcl", "dobj"):
                return "dead" if tok.lower_ == "dead" else "injured"
        return None
    if lemma in ("shoot", "stab", "beat", "hack", "burn", "club", "crush", "stone", "torture", "bury", "hang"):
        for child in verb.children:
            if child.lower_ == "dead" or (child.lower_ == "to" and any(g.lower_ == "death" for g in child.children)):
                return "dead"  # "shot dead", "beaten to death"
            if child.lower_ == "alive" and lemma in ("burn", "bury"):
                return "dead"  # "burned alive", "buried alive"
        return None
    return cats.get(lemma)


def _victims_of(verb: Token) -> Token | None:
    """The people the verb acts on: its object, its passive subject, the subject of "die"; a verb
    coordinated with another shares its object ("shot and killed a man", "was shot and killed")."""
    intransitive = verb.lemma_.lower() in ("die", "perish", "drown", "succumb")
    wanted = ("nsubj",) if intransitive else ("dobj", "nsubjpass")
    for dep in wanted:
        found = next((c for c in verb.children if c.dep_ == dep), None)
        if found is not None:
            return found
    head = verb
    while head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head  # "a man was dragged out, shot, and killed": the first verb holds the subject
        found = next((c for c in head.children if c.dep_ in wanted), None)
        if found is not None:
            return found
    for conj in verb.conjuncts:
        found = next((c for c in conj.children if c.dep_ in wanted and c.i > verb.i), None)
        if found is not None:
            return found
    return None


def _casualty_verbs(trigger: Token) -> list[Token]:
    """The trigger, the verbs coordinated with it and its subjectless participles ("killing a woman and
    injuring a man"): the verbs whose victims belong to this event."""
    start = [trigger]
    if trigger.pos_ == "NOUN" and trigger.head.pos_ == "VERB" and trigger.dep_ in ("nsubj", "nsubjpass", "dobj"):
        start.append(trigger.head)  # "an IED exploded, killing two"
    toll = _toll_verb_over(trigger)
    if toll is not None:
        start.append(toll)  # "two children died in an explosion", "killed in an ambush"
    # "a farmer died after soldiers beat him", "a woman was killed when a shell hit her house": the toll is
    # told in the main clause the trigger's "when/after" clause hangs on
    if trigger.dep_ == "advcl" and trigger.i != trigger.head.i and \
            (_casualty_category(trigger.head) in ("dead", "injured") or _among_pairs(trigger.head)):
        start.append(trigger.head)
    # "launched a drone strike that left 20 dead": a relative clause on the trigger or its object
    for tok in [trigger, *[c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]]:
        start += [c for c in tok.children if c.dep_ == "relcl" and c.pos_ == "VERB"]
    out, stack, seen = [], start, set()
    while stack:
        tok = stack.pop()
        if tok.i in seen:
            continue
        seen.add(tok.i)
        out.append(tok)
        for child in tok.children:
            participle = child.dep_ in ("advcl", "xcomp", "acl") and child.tag_ in ("VBG", "VBN") and \
                not any(c.dep_.startswith("nsubj") for c in child.children)
            if (child.dep_ == "conj" and child.pos_ == "VERB") or participle:
                stack.append(child)
        if tok.dep_ == "conj" and tok.head.pos_ == "VERB":
            stack.append(tok.head)
    return out


def _toll_verb_over(trigger: Token) -> Token | None:
    """The casualty verb whose phrase holds a noun trigger: "died in an explosion (of a device)", "were
    wounded in a grenade attack", "killed during the fighting"."""
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return None
    tok = trigger
    for _ in range(3):
        if tok.dep_ == "compound":
            tok = tok.head
        if tok.dep_ != "pobj" or tok.head.dep_ != "prep":
            return None
        up = tok.head.head
        if up.pos_ in ("VERB", "AUX"):
            return up if _casualty_category(up) in ("dead", "injured") else None
        if up.pos_ not in ("NOUN", "PROPN"):
            return None
        tok = up
    return None


def _death_nouns(tokens: list[Token]) -> list[tuple[str, Token, Token]]:
    """"the death of 4 soldiers and 2 gendarmes", "the killing of a farmer": (category, noun, victims)."""
    out = []
    for tok in tokens:
        cat = {"death": "dead", "killing": "dead", "murder": "dead", "abduction": "abducted",
               "kidnapping": "abducted", "arrest": "detained", "injury": "injured"}.get(tok.lemma_.lower())
        if cat is None:
            continue
        if not _toll_noun(tok):
            continue
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    out.append((cat, tok, obj))
    return out


_TOLL_WORDS = {"dead": "dead", "killed": "dead", "injured": "injured", "wounded": "injured"}


def _among_pairs(verb: Token) -> list[tuple[str, Token]]:
    """"A boy was among those killed", "two nurses were among the wounded": the subject of "be" is counted
    in the toll the "among" phrase names."""
    if verb.lemma_.lower() != "be":
        return []
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return []
    out = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "among":
            continue
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            cat = _TOLL_WORDS.get(obj.lower_)
            if cat is None and obj.lower_ in ("those", "people", "victims"):
                cat = next((_casualty_category(c) for c in obj.children if c.dep_ == "acl" and _casualty_category(c)),
                           None)
            if cat is not None:
                out.append((cat, subject))
    return out


def _refers_back(tok: Token) -> bool:
    """"A constable died in the attack", "four were killed during the raid": the definite attack a toll
    sentence names is the one told before, not a new one."""
    return tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ("in", "during", "by") and \
        _casualty_category(tok.head.head) is not None and \
        any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their") for c in tok.children)


def _toll_noun(noun: Token) -> bool:
    """"resulted in the death of 4", "causing the death of a man": the event's toll. Not "protested
    against the death of a boy" or "demanding justice for the killing of X": a cause, told before."""
    if noun.dep_ in ("dobj", "nsubj", "nsubjpass"):
        return noun.head.lemma_.lower() not in ("demand", "protest", "condemn", "denounce", "mourn", "investigate",
                                                "commemorate", "mark", "protest", "remember", "recall")
    if noun.dep_ == "pobj":
        return noun.head.lower_ in ("in", "to") and noun.head.head.lemma_.lower() in ("result", "lead", "end")
    return False


def casualty_counts(trigger: Token) -> list[Quantity]:
    """People counted by what the event's verbs did to them, also without a digit ("killed a merchant")."""
    doc = trigger.doc
    pairs = []
    verbs = _casualty_verbs(trigger)  # once: the walk over the parse is the costly part
    for verb in verbs:
        cat = _casualty_category(verb)
        victims = _victims_of(verb) if cat else None
        if cat and victims is not None:
            pairs.append((cat, victims))
    pairs += [pair for verb in verbs for pair in _among_pairs(verb)]
    seen_i: set[int] = set()
    scope = [t for v in verbs for t in v.subtree if not (t.i in seen_i or seen_i.add(t.i))]
    pairs += [(cat, obj) for cat, _noun, obj in _death_nouns(scope)]
    return _victim_quantities(doc, pairs)


def _victim_quantities(doc: Any, pairs: list[tuple[str, Token]]) -> list[Quantity]:
    """One count per (category, victims phrase), for the phrases whose number can be read."""
    out = []
    seen: set[tuple[str, int]] = set()
    for cat, victims in pairs:
        if (cat, victims.i) in seen:
            continue
        seen.add((cat, victims.i))
        got = _victim_value(victims)
        if got is None:
            continue
        value, approx, first, last = got
        start, marked = _approx_marker(doc, first)
        span = doc[start:last + 1]
        out.append(Quantity(value, None, _CATEGORY_NAMES.get(cat, cat), approx or marked, span.text,
                            span.start_char, span.end_char))
    return out


# units.yaml's verb categories, as the output names them
_CATEGORY_NAMES = {"detained": "detained"}

_NONE_REPORTED = re.compile(
    r"\b(?:(?P<no>no)\s+(?:(?:reported|known|immediate)\s+)?(?P<what>casualties|fatalities|deaths|injuries|"
    r"one|body|people)\s*(?:were|was|have been|had been)?\s*(?:reported|recorded|killed|hurt|injured|harmed|"
    r"wounded)?|(?P<unk>casualties|fatalities)\s+(?:were\s+|are\s+)?(?:unknown|not known|unclear|"
    r"not reported))\b", re.IGNORECASE)


def reported_none(sentence: Span) -> list[Quantity]:
    """"No injuries were reported" -> injured 0; "no casualties" -> dead 0 and injured 0; "casualties
    unknown" -> a count of the dead with no value and the reason. Never a guess."""
    out = []
    for m in _NONE_REPORTED.finditer(sentence.text):
        start, end = sentence.start_char + m.start(), sentence.start_char + m.end()
        text = m.group(0)
        if m.group("unk"):
            out.append(Quantity(None, None, "dead", False, text, start, end, reason="casualties not known"))
            continue
        what = m.group("what").lower()
        tail = text.lower()
        if what in ("one", "body", "people") and not re.search(r"killed|hurt|injured|harmed|wounded", tail):
            continue
        if what == "injuries" or (what in ("one", "body", "people") and "killed" not in tail):
            cats = ["injured"]
        elif what in ("fatalities", "deaths") or "killed" in tail:
            cats = ["dead"]
        else:
            cats = ["dead", "injured"]
        out += [Quantity(0.0, None, c, False, text, start, end) for c in cats]
    return out


_VIOLENT = frozenset({"attack", "kill", "shoot", "shell", "bomb", "pound", "bombard", "clash", "fire", "ambush", "strike", "raid",
                      "explode", "detonate", "fight", "assault", "beat", "stab", "massacre", "hit", "target",
                      "open", "storm", "burn", "lynch", "execute", "murder", "abduct", "kidnap", "die", "injure",
                      "wound", "explosion", "shooting", "bombing", "airstrike", "shelling", "fighting", "clashes"})
_COUNTED = frozenset({"dead", "injured", "abducted", "detained"})


def _violent(tok: Token) -> bool:
    return tok.lemma_.lower() in _VIOLENT and tok.pos_ in ("VERB", "NOUN")


# Events whose report goes on to tell a toll of its own: a protest where a protester was killed.
_TOLL_OWNERS = frozenset({"protest", "demonstrate", "march", "rally", "riot", "demonstration", "unrest",
                          "disperse", "stampede"})
_TOLL_VERBS = frozenset({"die", "kill", "injure", "wound", "perish", "succumb"})
# Verbs whose subject event noun is the one told before ("The fighting led to the deaths of four").
_RESULT_VERBS = frozenset({"result", "lead", "cause", "leave", "claim", "kill", "injure", "wound", "end"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her", "such"})
_FRESH = frozenset({"a", "an", "another", "new", "second", "separate", "further", "fresh"})
# A sentence that says its deaths are of another incident ("in a separate accident") tells no toll of ours.
_ELSEWHERE = frozenset({"separate", "separately", "unrelated", "elsewhere", "accident", "accidentally"})


def _owns_toll(tok: Token) -> bool:
    """A violent or protest trigger, or a verb whose object is an attack or a weapon ("launched missiles",
    "carried out an attack", "exchanged fire", "threw grenades")."""
    if _violent(tok) or (tok.lemma_.lower() in _TOLL_OWNERS and tok.pos_ in ("VERB", "NOUN")):
        return True
    return tok.pos_ == "VERB" and any(
        c.dep_ == "dobj" and (_violent(c) or _units()["counts"].get(c.lemma_.lower()) == "weapons"
                              or c.lemma_.lower() in _ATTACK_OBJECTS) for c in tok.children)


_ATTACK_OBJECTS = frozenset({"grenade", "explosive", "ied", "airstrike", "strike", "operation", "offensive"})


def _new_attack(tok: Token) -> bool:
    """Does this word of a later sentence tell an attack of its own, or only name the one told before ("the
    attack", "clashes resulted in", "died in the raid", "was shot dead")?"""
    if not _violent(tok) or tok.lemma_.lower() in _TOLL_VERBS:
        return False
    if tok.pos_ == "VERB":
        if any(c.lower_ == "had" for c in tok.children if c.dep_ == "aux"):
            return False  # "the victim had been attacked before": an earlier event, told as background
        # "a second mortar round struck a truck", "the blast hit a bus": the attack told before, named again
        subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ in ("NOUN", "NUM", "PRON") and _names_it_again(subject):
            return False
        # "One of the men was shot and killed": a passive toll verb with no agent adds victims, not an attack
        passive = any(c.dep_ == "auxpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children)
        return not (passive and (_casualty_category(tok) or any(_casualty_category(c) for c in tok.conjuncts)))
    if tok.dep_ in ("compound", "amod") or _refers_back(tok) or tok.lemma_.lower() == "fire":
        return False  # "was set on fire", "exchange of fire": what the attack did, not another one
    if any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in tok.children):
        return False
    fresh = any(c.lower_ in _FRESH for c in tok.children if c.dep_ in ("det", "amod"))
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in _RESULT_VERBS and not fresh:
        return False
    # "died in clashes", "killed during fighting": the phrase of a toll verb
    return not (tok.dep_ == "pobj" and _casualty_category(tok.head.head) is not None)


def _later_sentences(doc: Any, sentence: Span) -> Any:
    """The sentences after `sentence`, in order, without walking the document from its start."""
    i = sentence.end
    while i < len(doc):
        sent = doc[i].sent
        yield sent
        i = max(sent.end, i + 1)


def _names_it_again(subject: Token) -> bool:
    """"the blast", "one of the shells", "the attackers": a definite or partitive subject of a violent verb
    refers to the attack or the weapons told before."""
    if subject.lower_ in ("one", "some", "two", "several") and _of_object(subject) is not None:
        of = _of_object(subject)
        return of is not None and any(c.lower_ in _DEFINITE for c in of.children if c.dep_ in ("det", "poss"))
    if subject.pos_ != "NOUN" or not (_violent(subject) or _units()["counts"].get(subject.lemma_.lower()) in
                                      ("weapons", "aircraft")):
        return False
    return any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in subject.children)


def summary_counts(ctx: Context, trigger: Token, sentence: Span) -> list[Quantity]:
    """Counts of later sentences of the paragraph that tell the toll and no new attack ("1 fatality.",
    "Three people died.", "After the bombardment, five were dead.") belong to the violent (or protest)
    events of the last sentence before them that told one; a sentence in between that tells no attack
    ("The motive is unknown.") does not cut them off."""
    if not _owns_toll(trigger):
        return []
    doc = ctx.doc
    para_end = ctx.text.find("\n", sentence.end_char)
    para_end = len(ctx.text) if para_end < 0 else para_end
    out: list[Quantity] = []
    for sent in _later_sentences(doc, sentence):
        if sent.start_char >= para_end:
            break
        if any(_new_attack(t) or t.lower_ in _ELSEWHERE for t in sent):
            break  # a new attack: its toll is its own
        for q in ctx.scratch.get("quantities", []):
            if q.counts in _COUNTED and q.start is not None and sent.start_char <= q.start < sent.end_char:
                out.append(q)
        for tok in sent:
            if (_casualty_category(tok) and tok.pos_ == "VERB") or _among_pairs(tok):
                out += casualty_counts(tok)
        out += _victim_quantities(doc, [(cat, obj) for cat, _noun, obj in _death_nouns(list(sent))])
        out += reported_none(sent) + stated_figure(sent) + body_counts(sent)
    return out


_NUMBER_WORD = (r"\d[\d,]*|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty")
# A report's own figure for the toll, stated after the narrative in monitoring notes: "deaths coded as 4",
# "the toll was put at about 9", "casualties recorded as 1 here, the rest under another incident".
_STATED = re.compile(
    r"\b(?:fatalit(?:y|ies)|casualt(?:y|ies)|deaths?|dead|killed)\b[^.;()]{0,80}?\b(?P<how>coded|estimated|"
    r"put|set|counted|recorded)\s+(?:as|at)\s+(?:about\s+|around\s+)?(?P<n>" + _NUMBER_WORD + r")\b",
    re.IGNORECASE)


def stated_figure(sentence: Span) -> list[Quantity]:
    """The toll a report states as its own figure ("Fatalities coded as 3."): a count of the dead."""
    out = []
    for m in _STATED.finditer(sentence.text):
        value = parse_number(m.group("n"))
        if value is None:
            continue
        # the span is the figure itself, so another count the same sentence names (a total shared with
        # other incidents) stays beside it
        start, end = sentence.start_char + m.start("how"), sentence.start_char + m.end()
        out.append(Quantity(value, None, "dead", m.group("how").lower() != "coded", sentence.text[m.start("how"):m.end()],
                            start, end))
    return out


_BODY_NOUNS = frozenset({"body", "corpse", "remains"})
_BODY_VERBS = frozenset({"find", "discover", "recover", "retrieve", "dump", "exhume", "return", "identify",
                         "lie", "pull", "dig", "wash", "hand", "locate", "spot", "abandon", "leave", "bury"})
_BODY_STATES = frozenset({"dead", "lifeless", "mutilated", "beheaded", "decapitated", "charred", "burnt", "burned",
                          "headless", "decomposed", "decomposing", "tortured", "bound", "dismembered"})


def body_counts(sentence: Span) -> list[Quantity]:
    """"The bodies of three men were found", "five bodies were recovered", "a woman's body was found":
    the dead a report counts by their bodies. A body that nobody finds and that no state describes ("the
    governing body") is not one."""
    out = []
    for tok in sentence:
        if tok.lemma_.lower() not in _BODY_NOUNS or tok.pos_ != "NOUN":
            continue
        head = tok.head
        found = head.lemma_.lower() in _BODY_VERBS and tok.dep_ in ("nsubjpass", "dobj", "nsubj")
        if not found and not any(c.lower_ in _BODY_STATES for c in tok.children if c.dep_ in ("amod", "compound")):
            continue
        got: tuple[float | None, bool, int, int] | None = None
        num = next((c for c in tok.children if c.dep_ == "nummod"), None)
        of = _of_object(tok)
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")), None)
        if num is not None:
            i, j = _number_run(num)
            value = parse_number(tok.doc[i:j].text)
            got = (value, False, tok.left_edge.i, tok.i) if value is not None else None
        elif of is not None or owner is not None:
            got = _victim_value(of if of is not None else owner)
            if got is not None:
                got = (got[0], got[1], min(got[2], tok.left_edge.i), max(got[3], tok.i))
        elif tok.tag_ == "NN" and any(c.dep_ in ("det", "poss") for c in tok.children):
            got = (1.0, False, tok.left_edge.i, tok.i)  # "his body was found"
        if got is None or got[0] is None:
            continue
        span = tok.doc[got[2]:got[3] + 1]
        out.append(Quantity(got[0], None, "dead", got[1], span.text, span.start_char, span.end_char))
    return out


def _merge(found: list[Quantity], extra: list[Quantity]) -> list[Quantity]:
    """Add counts whose span no earlier quantity covers ("3 civilians" read once, not twice)."""
    out = list(found)
    for q in extra:
        clash = next((o for o in out if o.start is not None and q.start is not None
                      and o.start < (q.end or 0) and q.start < (o.end or 0)), None)
        inside = [o for o in out if o.start is not None and q.start is not None and q.end is not None
                  and q.start <= o.start and (o.end or 0) <= q.end and (o.end or 0) - o.start < q.end - q.start]
        if clash is not None and q.counts in _COUNTED and q.value is not None and len(inside) > 1 and \
                all(o.value is not None and o.value < q.value for o in inside):
            # "Four soldiers and three members of the militia were killed": the toll of both phrases, 7
            out = [o for o in out if o not in inside] + [q]
        elif clash is None:
            out.append(q)
        elif q.counts in _COUNTED and clash.counts not in _COUNTED and q.value is not None:
            out[out.index(clash)] = q  # "two men" counted as people; the verb says they were killed
    return out
