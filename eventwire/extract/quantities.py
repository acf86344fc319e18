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


def _is_number(tok: Token) -> bool:
    low = tok.lower_
    if tok.ent_type_ in _SKIP_ENTS:
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
    if glued:
        value: float | None = float(glued.group(1)) * _units()["scales"][glued.group(2)]
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
    return out
