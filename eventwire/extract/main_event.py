"""The article's headline event as 5W1H: who did what, when, where, why and how.

News puts its main event first, so the answer is looked for in the lead: the
first few sentences, scored by their word overlap with the title, by whether
the event coder found an event in them, and by position. In the chosen
sentence the main verb (or, under "X said", the reported verb) gives:

- who: its subject noun phrase (the agent of a passive when there is one),
- what: the verb phrase: auxiliaries, verb, particle and the core complement,
- when: the time expression of the sentence (the times stage, else spaCy DATE/TIME), else the
  first day-or-finer time of the first two lead sentences,
- where: the place phrase (a preposition with a GPE/LOC/FAC object), else the place named, else
  the most specific resolved place of the lead that the headline names,
- why: a causal or purpose clause ("because ...", "after ...", "amid ...", "to ..."),
- how: manner or instrument ("with ...", "by ...", "using ...", a manner adverb).

Every answer is a span of `article.text`; a question is left None when the
sentence does not answer it, since a wrong answer costs more than none: no
"what" from a bare passive ("were killed"), a side clause's lone verb or "have";
no "who" from an event's name or a dateline; no "where" from a place the
gazetteer does not know; no "why" from "as" clauses or "after"/"over" + a noun.
Verbs in quoted first or second person ("'I blame Comey'") are not the event. When
the headline is part of the text (its own first paragraph, as the 5W1H
evaluator feeds it) it competes as a lead sentence, and headline-ese is read
as such ("Lady Gaga protests outside ..." has a verb the tagger calls a noun);
when it is not, it only guides the choice of sentence and vets the answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from eventwire.data import load_yaml
from eventwire.extract import Context, extractors, parse_date
from eventwire.lexicon import PRONOUNS as _PRONOUNS
from eventwire.lexicon import SAY_VERBS as _REPORTING
from eventwire.model import MainEvent, Span, span_of

LEAD_SENTENCES = 4
WHEN_LEAD = 2  # on the dev set, later sentences' days were as often a follow-up's as the event's
MAX_WHAT_TOKENS = 10
MAX_NP_TOKENS = 8
MAX_PLACE_TOKENS = 6
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_TIME_LABELS = ("DATE", "TIME")
_SUBJECTS = ("nsubj", "nsubjpass")
_NP_CUTS = ("relcl", "acl", "appos", "punct", "advcl", "cc", "conj", "parataxis")
# "as" mostly marks what happens at the same time ("... as the transition starts"), not why.
_CAUSE_MARKS = {"because", "since", "after", "following", "so"}
_CAUSE_PREPS = {"after", "amid", "following", "over", "because", "due", "despite"}
_CAUSE_MULTI = ("in response to", "because of", "due to", "as a result of", "in retaliation for", "in protest at",
                "in protest against", "in protest over")
# Prepositions whose phrase says why. "after"/"following" + a noun phrase ("after the election result")
# and "over" say when or about what, far more often than why; "despite" says the opposite of why.
_WHY_PREPS = {"amid", "because", "due"}
_MANNER_PREPS = {"with", "by", "using", "through", "via"}
_STOP = {"the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "is", "are", "was", "were", "as",
         "with", "by", "from", "after", "over", "its", "his", "her", "their", "be", "has", "have", "it", "s"}
_WORD = re.compile(r"\w+")
_NOT_ACTORS = {"FAC", "EVENT", "LOC", "WORK_OF_ART", "PRODUCT", "DATE", "TIME", "LAW", "MONEY"}


@dataclass(frozen=True)
class Lists:
    actor_nouns: frozenset[str]
    acting_things: frozenset[str]
    junk_markers: tuple[str, ...]
    vague_times: frozenset[str]
    event_nouns: frozenset[str] = frozenset()
    synonym_of: dict[str, str] | None = None  # word -> the first word of its group


@lru_cache(maxsize=1)
def lists() -> Lists:
    data = load_yaml("main_event.yaml")
    synonym_of = {w: group[0] for group in data.get("synonyms", ()) for w in group}
    return Lists(frozenset(data["actor_nouns"]), frozenset(data["acting_things"]), tuple(data["junk_markers"]),
                 frozenset(data["vague_times"]), frozenset(data.get("event_nouns", ())), synonym_of)


@dataclass(frozen=True)
class Choice:
    sentence: SpacySpan
    verb: Token
    lead: tuple[SpacySpan, ...] = ()


# ---------------------------------------------------------------- choosing the sentence


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _lemmas(tokens: Iterable[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.is_alpha and t.lower_ not in _STOP}


def _lead(ctx: Context) -> list[SpacySpan]:
    """The first sentences that read as prose: a verb with a subject, long enough to report something."""
    lead = []
    junk = lists().junk_markers
    for sent in ctx.doc.sents:
        lower = sent.text.lower()
        if any(m in lower for m in junk) or _is_caption(sent):
            continue  # captions and page furniture left in uncleaned text
        if len(sent) >= 5 and _main_verb(sent) is not None:
            lead.append(sent)
        if len(lead) == LEAD_SENTENCES:
            break
    return lead


def _is_caption(sent: SpacySpan) -> bool:
    """'A plane was pictured at the airport (Reuters)': a photo caption, not the story's lead."""
    words = [t for t in sent if not t.is_punct]
    credited = sent.text.rstrip(" .").endswith(")") and "(" in sent.text[-40:]
    pictured = any(t.lemma_.lower() in ("picture", "photograph") and t.tag_ == "VBN" for t in words)
    return credited or pictured


def _score(ctx: Context, sent: SpacySpan, rank: int, title: set[str]) -> float:
    overlap = 0.0
    if title:
        words = _lemmas(sent) | _words(sent.text)
        overlap = len(title & words) / len(title)
    has_event = any(sent.start_char <= e.trigger.start < sent.end_char for e in ctx.record.events)
    return overlap * 3.0 + (0.5 if has_event else 0.0) + (1.0, 0.6, 0.4, 0.3)[min(rank, 3)]


def _title_words(ctx: Context) -> set[str]:
    """The title's words, their lemmas and bare plurals; computed once per document (it walks the doc)."""
    cached = ctx.scratch.get("main_event.title_words")
    if cached is None:
        title = ctx.record.article.title or ""
        doc_title = set(_words(title))
        # Lemmas of the title's words without a second parse: the document's own lemmas for the same
        # forms (the last occurrence's, as before).
        forms = {t.lower_: t.lemma_.lower() for t in ctx.doc if t.lower_ in doc_title} if doc_title else {}
        cached = doc_title | {forms[w] for w in doc_title if w in forms} | {w.rstrip("s") for w in doc_title}
        ctx.scratch["main_event.title_words"] = cached
    return cached


def choose(ctx: Context) -> Choice | None:
    lead = _lead(ctx)
    if not lead:
        return None
    title = _title_words(ctx)
    best = max(range(len(lead)), key=lambda i: _score(ctx, lead[i], i, title))
    sent = lead[best]
    verb = _main_verb(sent, title)
    return Choice(sent, verb, tuple(lead)) if verb is not None else None


def _main_verb(sent: SpacySpan, title: set[str] = frozenset()) -> Token | None:
    """The sentence's main verb: one the headline uses, else the root or the verb it reports."""
    if _headline_verb(sent.root):
        return sent.root  # the headline's own predicate, before any side clause ("... as Donald is elected")
    verb_as_subject = _verb_read_as_subject(sent.root)
    if verb_as_subject is not None:
        return verb_as_subject
    for tok in sent:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in title and tok.lemma_.lower() not in _REPORTING \
                and not _quoted_speaker(tok) \
                and (_has_subject(tok) or tok.dep_ == "conj" and _has_subject(tok.head)):
            return tok
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        verbs = [t for t in sent if t.pos_ == "VERB" and any(c.dep_ in _SUBJECTS for c in t.children)]
        return verbs[0] if verbs else None
    if root.lemma_.lower() in _REPORTING:
        inner = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
        if inner is not None:
            return inner
    if not any(c.dep_ in _SUBJECTS for c in root.children):
        return None
    if _quoted_speaker(root):
        # What the speaker says is still the quote; a clause joined to it ("..., but the Cubs are ...") is not,
        # nor a verb with a named subject that the parser hung on the quote ("'I will go': Lee quits").
        joined = (c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                  and _has_subject(c) and not _quoted_speaker(c))
        named = (t for t in sent if t.pos_ == "VERB" and not _quoted_speaker(t)
                 and any(c.dep_ in _SUBJECTS and c.lower_ not in _PRONOUNS for c in t.children))
        return next(joined, None) or next(named, None)
    return root


_FIRST_SECOND = {"i", "we", "you"}


def _quoted_speaker(verb: Token) -> bool:
    """"'I blame Comey'", "You knew it": a first- or second-person subject speaks in a quote, not the news.

    A reporter writes the event in the third person; "I" and "you" in a lead or
    headline are somebody's quoted words, whose verb is not the event reported.
    """
    if any(c.dep_ in _SUBJECTS and c.lower_ in _FIRST_SECOND for c in verb.children):
        return True
    # "You knew it couldn't come": what the speaker says, told with a pronoun, is inside the quote too.
    return verb.dep_ == "ccomp" and verb.head.i != verb.i and _quoted_speaker(verb.head) \
        and any(c.dep_ in _SUBJECTS and c.lower_ in _PRONOUNS for c in verb.children)


def _verb_read_as_subject(root: Token) -> Token | None:
    """'Rina Vale stages protest outside ...': the headline's verb in -s read as a plural noun subject.

    The tagger then makes the object ("protest") the verb. Read so when a
    person's name stands right before the -s word as its modifier, the -s word
    names no people or group ("Obama voters rally" is a real subject), and the
    supposed verb agrees with a plural (VBP) and has no object of its own.
    """
    if root.tag_ != "VBP" or any(c.dep_ == "dobj" for c in root.children):
        return None  # "Rina Vale songs top charts": a verb with its own object is the verb
    subject = next((c for c in root.lefts if c.dep_ == "nsubj" and c.tag_ == "NNS" and c.i == root.i - 1), None)
    if subject is None or subject.i == root.sent.start or _is_actor(subject) or _is_thing_that_acts(subject):
        return None
    name = root.doc[subject.i - 1]
    if name.dep_ == "compound" and name.head.i == subject.i and name.ent_type_ == "PERSON":
        return subject
    return None


def _headline_verb(root: Token) -> bool:
    """'Lady Gaga protests outside Trump Tower', 'Trump lands in Washington': a verb the tagger read as a noun.

    Headlines drop articles, so a present-tense verb in -s after a name is often
    tagged as a plural noun. It is read as the verb when a name stands before
    it as its subject (or as a compound the parser hung on it).
    """
    if root.pos_ != "NOUN" or root.tag_ != "NNS" or root.i == root.sent.start:
        return False
    return _noun_verb_subject(root) is not None


def _noun_verb_subject(root: Token) -> Token | None:
    """The name before a headline's noun-tagged verb: its nsubj, else a name compound just before it."""
    subject = next((c for c in root.lefts if c.dep_ in _SUBJECTS), None)
    if subject is not None:
        return subject
    left = root.doc[root.i - 1]
    if left.dep_ == "compound" and left.head.i == root.i and left.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return left
    return None


# ---------------------------------------------------------------- the answers


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in tok.children)


def _span(ctx: Context, tokens: Iterable[Token]) -> Span | None:
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ in ("cc", "punct")):
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].is_space):  # a headline's paragraph break is no answer
        toks.pop()
    if not toks:
        return None
    return span_of(ctx.text, toks[0].idx, toks[-1].idx + len(toks[-1].text))


def _contiguous(tokens: list[Token], anchor: Token) -> list[Token]:
    have = {t.i for t in tokens}
    lo = hi = anchor.i
    while lo - 1 in have:
        lo -= 1
    while hi + 1 in have:
        hi += 1
    return [t for t in tokens if lo <= t.i <= hi]


def _noun_phrase(head: Token, limit: int = MAX_NP_TOKENS, keep_quotes: bool = False) -> list[Token]:
    """A noun phrase without clauses and appositions; prepositional tails dropped when it runs long."""
    cut = {t.i for c in head.children if c.dep_ in _NP_CUTS and not (keep_quotes and c.is_quote)
           for t in c.subtree}
    toks = _contiguous([t for t in head.subtree if t.i not in cut], head)
    if len(toks) > limit:
        tail = {t.i for c in head.children if c.dep_ == "prep" and c.i > head.i for t in c.subtree}
        toks = [t for t in toks if t.i not in tail]
    return toks


def _core_np(head: Token) -> list[Token]:
    """A noun phrase without any modifier after a preposition: "Venezuela's main airport"."""
    cut = {t.i for c in head.children if c.dep_ in _NP_CUTS or c.dep_ == "prep" for t in c.subtree}
    return _contiguous([t for t in head.subtree if t.i not in cut], head)


def _who(ctx: Context, verb: Token) -> Span | None:
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    subject = pobj or next((c for c in verb.children if c.dep_ in _SUBJECTS and not _is_dateline(c)), None)
    if subject is None and verb.pos_ == "NOUN":
        subject = _noun_verb_subject(verb)
    if subject is None and verb.dep_ in ("conj", "xcomp"):
        subject = next((c for c in verb.head.children if c.dep_ in _SUBJECTS), None)
    if subject is None:
        return None
    if subject.lower_ in _PRONOUNS:
        return _antecedent(ctx, subject)
    if _is_event_name(subject):
        return None  # "the Brazilian Grand Prix was halted": an event is what happened, not who did it
    if not _is_actor(subject) and not _is_named_elsewhere(ctx, subject) and not _is_thing_that_acts(subject):
        return None
    names = _name_list(subject)
    if names:
        return _span(ctx, names)
    name = _person_name(subject)
    if not name:
        earlier = _first_description(subject)
        if earlier:
            return _span(ctx, earlier)
    return _span(ctx, name if name else _noun_phrase(subject))


def _first_description(head: Token) -> list[Token]:
    """"The boy fell ..." after "a five-year-old boy": a bare definite noun points back to its first description.

    News introduces a participant once with what identifies it ("a five-year-old
    boy", "a local farmer") and then says "the boy"; the description is the answer.
    Only for "the" + a noun, and only an earlier mention of the same noun that has modifiers.
    """
    phrase = _noun_phrase(head)
    if head.pos_ != "NOUN" or [t.lower_ for t in phrase] != ["the", head.lower_]:
        return []
    for tok in head.doc[:phrase[0].i]:
        if tok.lemma_ == head.lemma_ and tok.pos_ == "NOUN":
            words = [t for t in _core_np(tok) if t.dep_ not in ("det", "poss", "predet") and not t.is_punct]
            if len(words) >= 2:
                return words
    return []


_DASHES = {"-", "--", "—", "–"}


def _is_dateline(subject: Token) -> bool:
    """'KABUL, Afghanistan -- Insurgents struck ...': a place and a dash before the story, not its subject."""
    after = subject.right_edge.i + 1
    return after < len(subject.doc) and subject.doc[after].text in _DASHES and subject.i < subject.head.i


def _name_list(head: Token) -> list[Token]:
    """"Ann Lee, Bo Chan and Cy Diaz crash out": a subject that lists names is answered by the whole list.

    The run of proper nouns, commas and one "and" around the subject's head, inside
    its subtree, when it names three or more; the parser often hangs such lists on
    appositions, so the plain noun phrase would keep only the first name. A pair
    ("Obama and Trump meet") is left to the first name: two parties are usually
    two answers, each right on its own, and the pair matches neither.
    """
    inside = {t.i for t in head.subtree}
    doc = head.doc

    def listed(t: Token) -> bool:
        return t.i in inside and (t.pos_ == "PROPN" or t.lower_ in (",", "and", "&"))

    lo = hi = head.i
    while lo - 1 >= head.sent.start and listed(doc[lo - 1]):
        lo -= 1
    while hi + 1 < head.sent.end and listed(doc[hi + 1]):
        hi += 1
    run = list(doc[lo:hi + 1])
    while run and run[-1].pos_ != "PROPN":
        run.pop()
    joins = [t for t in run if t.lower_ in ("and", "&")]
    heads = [t for t in run if t.pos_ == "PROPN" and t.dep_ != "compound"]
    return run if len(joins) == 1 and len(heads) >= 3 and run[0].pos_ == "PROPN" else []


def _person_name(head: Token) -> list[Token]:
    """"Brazil's Massa" -> "Massa": a person is answered by the name, not by the possessive before it."""
    if head.ent_type_ != "PERSON":
        return []
    name = [t for t in head.sent if t.ent_type_ == "PERSON" and t.ent_iob_ != "O"]
    name = _contiguous(name, head)
    start = max((t.i for t in name if t.ent_iob_ == "B" and t.i <= head.i), default=head.i)
    name = [t for t in name if t.i >= start]
    # Keep what comes before the name only when it is a title or role ("Red Bull boss", "F1 legend").
    before = [t for t in _noun_phrase(head) if t.i < start]
    if before and not any(t.ent_type_ == "GPE" or t.dep_ == "poss" or t.tag_ == "POS" for t in before):
        return before + name
    return name


def _is_named_elsewhere(ctx: Context, head: Token) -> bool:
    """'Trump meets Obama': a word the tagger missed in a headline is a name where the body names it so."""
    if not head.is_title and not head.is_upper:
        return False
    return any(head.lower_ in {t.lower_ for t in ent} for ent in ctx.doc.ents
               if ent.label_ in ("PERSON", "ORG", "NORP") and ent.start != head.i)


def _is_event_name(head: Token) -> bool:
    """'the Grand Prix', 'the summit', 'the World Cup': a subject headed by a word for an event."""
    return head.ent_type_ == "EVENT" or head.lemma_.lower() in lists().event_nouns \
        or head.lower_ in lists().event_nouns


def _is_thing_that_acts(head: Token) -> bool:
    """Vehicles, weapons and forces of nature are news subjects too: 'planes landed', 'a storm hit'."""
    return head.ent_type_ == "EQUIPMENT" or head.lemma_.lower() in lists().acting_things


def _is_actor(head: Token) -> bool:
    """Can this noun do things? Names, counted people, and nouns for people and bodies."""
    if head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE", "OUTLET", "MILITARY"):
        return True
    if head.ent_type_ in _NOT_ACTORS:
        return False  # "the Brazilian Grand Prix", "the Eiffel Tower": events and things, not actors
    if head.pos_ == "PROPN":
        return True
    nouns = lists().actor_nouns
    lemma = head.lemma_.lower()
    return lemma in nouns or head.lower_ in nouns or lemma.rstrip("s") in nouns


def _antecedent(ctx: Context, pronoun: Token) -> Span | None:
    """A pronoun answers nothing; the first mention of the entity it refers to does."""
    entity_id = ctx.entity_at(pronoun.idx, pronoun.idx + len(pronoun.text))
    for entity in ctx.record.entities:
        if entity.id == entity_id and entity.mentions:
            first = min(entity.mentions, key=lambda m: m.start)
            if first.text.lower() not in _PRONOUNS:
                return span_of(ctx.text, first.start, first.end)
    return None


def _what(ctx: Context, verb: Token) -> Span | None:
    """Auxiliaries, negation, the verb, its particle and its first core complement."""
    toks = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i] + [verb]
    toks += [c for c in verb.children if c.dep_ == "prt"]
    if verb.lemma_.lower() == "have" and verb.pos_ in ("VERB", "AUX"):
        return None  # "had an excellent conversation": a possession or a light verb, not the event itself
    complement = next((c for c in verb.children if c.dep_ in ("dobj", "attr", "acomp", "oprd", "dative")), None)
    if complement is None and verb.dep_ == "nsubj" and verb.pos_ == "NOUN":
        # "stages protest outside X": the word taken for the verb is the object, the rest of its phrase follows
        side = {t.i for c in verb.head.children if c.dep_ == "prep" and not _is_argument(c) for t in c.subtree}
        rest = [t for t in _noun_phrase(verb.head, limit=len(verb.sent)) if t.i > verb.i and t.i not in side]
        if len(rest) >= MAX_WHAT_TOKENS:
            rest = [t for t in _core_np(verb.head) if t.i > verb.i]
        return _span(ctx, [verb] + rest)
    if complement is None:
        complement = _stray_object(verb)
        if complement is not None:  # the quote marks between verb and object, which the parser hung elsewhere
            toks += [t for t in verb.doc[verb.i + 1:complement.left_edge.i]]
    if complement is not None:
        toks += _noun_phrase(complement, limit=MAX_WHAT_TOKENS - len(toks), keep_quotes=True)
        toks += _object_prep(verb, toks)
    else:
        xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and _is_argument(c)), None)
        if xcomp is not None:
            toks += list(xcomp.subtree)[:MAX_WHAT_TOKENS - len(toks)]
        elif prep is not None:
            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
            toks += [prep] + (_noun_phrase(pobj, limit=MAX_WHAT_TOKENS - len(toks) - 1) if pobj is not None else [])
    toks = _contiguous(toks, verb)[:MAX_WHAT_TOKENS]
    if len(toks) == 1 and any(c.dep_ in _UNSAID for c in verb.children):
        return None  # "shows", "knew": the verb alone, without what it governs, says nothing
    if len(toks) == 1 and verb.dep_ in ("advcl", "acl"):
        return None  # "... as FBI clears", "Driver arrested as ...": a side clause's bare verb lost its object
    if _bare_passive(toks, verb):
        return None
    return _span(ctx, toks)


def _stray_object(verb: Token) -> Token | None:
    """"slams 'rigged' FBI": an object behind quote marks that the parser hung on the verb as a modifier.

    Quotes around a headline's adjective throw the parser off, and the object
    then comes out as an apposition or a bare noun modifier (or the verb as a
    noun); it is still the noun phrase right after the verb.
    """
    for child in verb.rights:
        if child.is_punct:
            continue
        if child.dep_ in ("appos", "npadvmod", "dobj") and child.pos_ in ("NOUN", "PROPN"):
            between = verb.doc[verb.i + 1:child.left_edge.i]
            return child if all(t.is_quote or t.is_punct and t.text in "'\"‘’“”" for t in between) \
                else None
        return None
    return None


def _bare_passive(toks: list[Token], verb: Token) -> bool:
    """"were killed", "have been named": a passive with nothing after it tells what befell someone, not the event.

    The event behind it (the crash, the attack) is what annotators and readers
    want; the bare participle matches neither, so it is better left unanswered.
    """
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    return passive and all(t.i == verb.i or t.dep_ in ("aux", "auxpass", "neg") for t in toks)


_UNSAID = ("ccomp", "dobj", "xcomp", "attr")


def _is_argument(prep: Token) -> bool:
    """'on FBI's James Comey', 'at Interlagos': not a time, a cause or an 'as' clause (when, why, side event).

    "over" stays: "outraged over the new shape" is what happened more often than why.
    """
    return not _is_time(prep) and (prep.lower_ not in _CAUSE_PREPS or prep.lower_ == "over") and prep.lower_ != "as"


def _object_prep(verb: Token, toks: list[Token]) -> list[Token]:
    """'blames loss | on FBI's James Comey': the verb's next argument-like phrase, when short enough."""
    after = max(t.i for t in toks)
    prep = next((c for c in verb.children if c.dep_ in ("prep", "agent") and c.i == after + 1), None)
    if prep is None or not _is_argument(prep):
        return []
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    pcomp = next((g for g in prep.children if g.dep_ == "pcomp" and g.tag_ == "VBG"), None)
    if pobj is None and pcomp is not None:  # "stuns his dad by storming into third place": how it came about
        # its place and time phrases answer where and when, not what
        cut = {t.i for c in pcomp.subtree if c.dep_ == "prep" and (_is_time(c) or _is_place(c)) for t in c.subtree}
        phrase = [prep] + _contiguous([t for t in pcomp.subtree if t.i not in cut], pcomp)
        return phrase if len(toks) + len(phrase) <= MAX_WHAT_TOKENS else []
    if pobj is None:
        return []
    phrase = [prep] + _core_np(pobj)
    return phrase if len(toks) + len(phrase) <= MAX_WHAT_TOKENS else []


def _is_place(prep: Token) -> bool:
    """'at the Grand Prix', 'in Lagos': a preposition whose own object is a named place."""
    return any(g.dep_ == "pobj" and g.ent_type_ in _PLACE_LABELS for g in prep.children)


def _is_time(prep: Token) -> bool:
    """'on Tuesday', 'in March': a preposition whose own object is a date."""
    return any(g.dep_ == "pobj" and g.ent_type_ in _TIME_LABELS for g in prep.children)


def _when(ctx: Context, sent: SpacySpan, verb: Token, lead: list[SpacySpan]) -> Span | None:
    """The time of the main verb's sentence, else the lead's first day or clock time near publication."""
    found = _sentence_time(ctx, sent, verb)
    if found is not None and re.fullmatch(r"(?:19|20)\d\d", found.text.strip()):
        # A bare year ("World Series 2016: ...") says little about when; the lead's day says more.
        return _lead_time(ctx, lead) or found
    return found or _lead_time(ctx, lead)


def _lead_time(ctx: Context, lead: list[SpacySpan]) -> Span | None:
    """News dates its event early: the first time in the first lead sentences naming a day or clock time.

    Only resolved values at day precision or finer count ("Thursday", "6.10am"),
    since a vague or month-wide time in a later sentence is background, not the event's.
    """
    vague = lists().vague_times
    for sent in lead[:WHEN_LEAD]:
        for t in ctx.record.times:
            if sent.start_char <= t.start < sent.end_char and t.type in ("DATE", "TIME") and t.value \
                    and _DAY_VALUE.match(t.value) and _near_publication(t.value, ctx.published) \
                    and t.text.lower() not in vague:
                return _trimmed(ctx, _part_of_day(ctx, t.start), t.end)
    return None


_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _trimmed(ctx: Context, start: int, end: int) -> Span:
    """A span without the full stop or paragraph break that an entity sometimes takes along ("6am.")."""
    while end > start and (ctx.text[end - 1] in ".," or ctx.text[end - 1].isspace()):
        end -= 1
    return span_of(ctx.text, start, end)


def _sentence_time(ctx: Context, sent: SpacySpan, verb: Token) -> Span | None:
    """The time expression nearest the main verb in the sentence, if it is news (near publication)."""
    found = [(t.start, t.end) for t in ctx.record.times if sent.start_char <= t.start < sent.end_char
             and t.type in ("DATE", "TIME") and _near_publication(t.value, ctx.published)]
    if not found and not ctx.record.times:
        # No times stage: spaCy's dates, but only ones that name a day, a month or a clock time.
        found = [(e.start_char, e.end_char) for e in sent.ents
                 if e.label_ in _TIME_LABELS and _DATEISH.search(e.text) and _this_year(e.text, ctx.published)]
    vague = lists().vague_times
    found = [f for f in found if not _is_duration(ctx.text[f[0]:f[1]]) and ctx.text[f[0]:f[1]].lower() not in vague]
    if not found:
        return None
    start, end = min(found, key=lambda f: abs(f[0] - verb.idx))
    return _trimmed(ctx, _part_of_day(ctx, start), end)


_PART_OF_DAY = re.compile(r"(?:\b(?:in|during)\s+)?\bthe\s+(?:early|small|late|wee)\s+hours\s+of\s+$"
                          r"|\b(?:late|early)\s+$", re.I)


def _part_of_day(ctx: Context, start: int) -> int:
    """'late Thursday', 'in the early hours of Thursday': the part of the day is part of the time.

    Taggers often leave such words outside the date; the answer keeps them, as
    they say when within the day the event happened.
    """
    found = _PART_OF_DAY.search(ctx.text[max(0, start - 40):start])
    return start - (len(found.group(0))) if found else start


_DATEISH = re.compile(r"\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
                      r"april|may|june|july|august|september|october|november|december", re.I)
NEWS_DAYS = 7


def _this_year(text: str, published: date | None) -> bool:
    years = re.findall(r"\b(1[89]\d\d|2\d\d\d)\b", text)
    return published is None or all(int(y) == published.year for y in years)


def _near_publication(value: str | None, published: date | None) -> bool:
    """The main event is news: a resolved date more than a week from publication belongs to the background."""
    if value is None or published is None:
        return True
    day = parse_date(value[:10]) if re.match(r"\d{4}-\d{2}-\d{2}", value) else None
    if day is not None:
        return abs((day - published).days) <= NEWS_DAYS
    if re.fullmatch(r"\d{4}-\d{2}", value):  # a month: the publication's own
        return value == published.isoformat()[:7]
    if re.fullmatch(r"\d{4}", value):
        return value == str(published.year)
    return False  # weeks, seasons, decades, vague references


def _is_duration(text: str) -> bool:
    # "for 10 weeks", "the past decade" say how long, not when.
    return bool(re.search(r"\b(years?|weeks|months|decades?|hours|days)\b", text.lower())) and not re.search(
        r"\b(ago|last|this|next|earlier|later)\b", text.lower())


def _where(ctx: Context, sent: SpacySpan, verb: Token, title: set[str] = frozenset()) -> Span | None:
    """The place phrase attached to the main verb, else the place the headline names, else the first.

    A place used as a modifier or named as a subject or a sporting side is no answer on its own.
    """
    return _verb_place(ctx, sent, verb, title)


def _verb_place(ctx: Context, sent: SpacySpan, verb: Token, title: set[str]) -> Span | None:
    named = _place_mentions(ctx, sent)
    places = [e for e in named if _can_answer(e)]  # "Kenya's Kipchoge" is no answer on its own ...
    places.sort(key=lambda e: not (_words(e.text) & title))
    in_place = {t.i for p in named for t in p}  # ... but "at Phnom Penh's main airport" is
    for prep in (c for c in verb.subtree if c.dep_ == "prep" and c.head.pos_ in ("VERB", "AUX")
                 and not _in_relative_clause(c)):
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        if pobj is None or prep.lower_ not in _PLACE_PREPS:
            continue
        phrase = _core_np(pobj)
        if any(t.i in in_place for t in phrase):  # "in Nairobi", "at Venezuela's main airport"
            place = next(p for p in named if any(t.i in {x.i for x in phrase} for t in p))
            if "places" in ctx.scratch and not _resolved(ctx, place):
                # "at the Grand Hotel in the city of Kano": a site the gazetteer does not know is placed by
                # the town it is in, when the phrase names one; an unknown name alone is not trusted.
                town = _known_town_inside(ctx, pobj, named)
                if town is not None:
                    return _trimmed(ctx, town.start_char, town.end_char)
                continue
            if len(phrase) > MAX_PLACE_TOKENS:  # "in the third round of the national cup at X": the place alone
                place = next(p for p in named if any(t.i in {x.i for x in phrase} for t in p))
                return _trimmed(ctx, place.start_char, place.end_char)
            return _span(ctx, [prep] + phrase)
        # "fired at protesters in Nairobi"; but "adults from South London" is where they come from
        for inner in (c for c in pobj.children if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS - {"from"}):
            inner_obj = next((g for g in inner.children if g.dep_ == "pobj"), None)
            if inner_obj is not None and inner_obj.i in in_place:
                return _span(ctx, [inner] + _core_np(inner_obj))
    # No place phrase on the verb: a place the sentence names, when the gazetteer knows it; an unknown
    # name ("the Red Lion") or a team's city ("victory over Denver") says nothing about where.
    places = [p for p in places if _resolved(ctx, p) and not _is_opponent(p) and not _in_relative_clause(p.root)]
    if not places:
        return None
    first = places[0]
    return _trimmed(ctx, first.start_char, first.end_char)


def _known_town_inside(ctx: Context, pobj: Token, named: list[SpacySpan]) -> SpacySpan | None:
    """The first resolved city or site named inside a place phrase ("the consulate in ... Kano")."""
    inside = {t.i for t in pobj.subtree}
    for place in named:
        if place.root.i in inside and place.root.i != pobj.i and _precision(ctx, place) in ("city", "point"):
            return place
    return None


def _precision(ctx: Context, ent: SpacySpan) -> str | None:
    return next((loc.precision for start, end, loc in ctx.scratch.get("places", ())
                 if start <= ent.start_char < end and loc.confidence), None)


def _place_mentions(ctx: Context, sent: SpacySpan) -> list[SpacySpan]:
    """The sentence's places as the places stage found them (multi-part names included), else spaCy's."""
    found = ctx.scratch.get("places")
    if found is None:
        return [e for e in sent.ents if e.label_ in _PLACE_LABELS]
    spans = (ctx.doc.char_span(start, end, alignment_mode="expand") for start, end, _ in found
             if sent.start_char <= start < sent.end_char)
    return [s for s in spans if s is not None]


def _can_answer(ent: SpacySpan) -> bool:
    """Not a modifier ("Kenya's Kipchoge") and not a subject ("the White House said"): those are actors."""
    return not _is_modifier(ent) and ent.root.dep_ not in _SUBJECTS


def _resolved(ctx: Context, ent: SpacySpan) -> bool:
    return any(start <= ent.start_char < end and loc.confidence
               for start, end, loc in ctx.scratch.get("places", ()))


def _is_opponent(ent: SpacySpan) -> bool:
    """'beat Denver', 'beat Boston 3-1', 'victory over Denver': a place the verb acts on names a side.

    English puts an event's place behind a preposition; a place hung on the verb
    without one (object, bare noun modifier) or after "over"/"against" is who was met.
    """
    root = ent.root
    if root.dep_ in ("dobj", "npadvmod", "dative"):
        return True
    return root.dep_ == "pobj" and root.head.lower_ in ("over", "against", "versus", "vs", "vs.", "v")


def _in_relative_clause(tok: Token) -> bool:
    """'two men who lived in East Side', 'the firm, which is based in Lagos': a place inside a relative
    clause describes a participant (where they live, where it is based), not where the event happened."""
    node = tok
    while node.head.i != node.i:
        if node.dep_ == "relcl" and node.pos_ in ("VERB", "AUX"):
            return True
        node = node.head
    return False


def _is_origin(ent: SpacySpan) -> bool:
    """'three adults from South London': where people come from, not where the event happened."""
    root = ent.root
    return root.dep_ == "pobj" and root.head.lower_ == "from" and root.head.head.pos_ in ("NOUN", "PROPN", "NUM")


def _more_specific(ctx: Context, answer: Span | None, lead: list[SpacySpan]) -> Span | None:
    """A city or site of the lead inside the answer's country, when the answer is a country alone.

    "attack in Afghanistan" with "Mazar-i-Sharif" in the lead: the most specific place of the event
    is the better answer, and news names the city early.
    """
    if answer is None or not lead:
        return answer
    found = ctx.scratch.get("places", [])
    inside = [loc for start, end, loc in found if answer.start <= start and end <= answer.end]
    starting = [loc for start, end, loc in found if answer.start <= start < answer.end]
    if starting and all(loc.precision == "point" for loc in starting):
        return _site_with_town(ctx, answer, found, lead[-1].end_char) or answer
    countries = {loc.country for loc in inside if loc.precision == "country" and loc.country}
    if not countries or any(loc.precision in ("city", "point") for loc in inside):
        return answer
    lead_end = lead[-1].end_char
    for start, end, loc in found:
        if start < lead_end and loc.country in countries and loc.precision in ("city", "point") and loc.confidence:
            ent = ctx.doc.char_span(start, end, alignment_mode="expand")
            if ent is not None and not _is_modifier(ent) and not _is_opponent(ent):
                return _trimmed(ctx, start, end)
    return answer


def _site_with_town(ctx: Context, answer: Span, found: list, lead_end: int) -> Span | None:
    """'Trump Tower' -> 'Trump Tower in New York City': a site, as the lead places it in its town.

    Where the lead writes the site followed by "in <known city>", that phrase
    names both the building and the city, the two levels readers look for.
    """
    sites = [(start, end) for start, end, loc in found if answer.start <= start < answer.end]
    name = ctx.text[sites[0][0]:sites[0][1]].strip()
    towns = {start: end for start, end, loc in found if loc.precision == "city" and loc.confidence}
    for match in re.finditer(re.escape(name) + r"\s+in\s+", ctx.text[:lead_end]):
        if match.end() in towns:
            return _trimmed(ctx, match.start(), towns[match.end()])
    return None


_PRECISION_RANK = {"point": 0, "city": 1, "region": 2, "country": 3}


def _lead_place(ctx: Context, lead: list[SpacySpan]) -> Span | None:
    """The most specific resolved place of the lead that the headline names (a city before its country).

    Uses the places stage (ctx.scratch["places"]); a place name used as an
    adjective ("Afghan forces"), as a subject ("Denver had led") or as a side
    in sport ("victory over Denver") is skipped, and unresolved names are not trusted.
    """
    found = []
    title = _title_words(ctx)
    for order, (start, end, loc) in enumerate(ctx.scratch.get("places", [])):
        if title and not _words(ctx.text[start:end]) & title:
            continue  # a place the headline does not name is more often background than the scene
        if loc.precision not in _PRECISION_RANK or not loc.confidence:
            continue
        sent = next((s for s in lead if s.start_char <= start < s.end_char), None)
        ent = ctx.doc.char_span(start, end, alignment_mode="expand")
        if sent is None or ent is None or not _can_answer(ent) or _is_opponent(ent) or _is_origin(ent) \
                or _in_relative_clause(ent.root):
            continue
        found.append((_PRECISION_RANK[loc.precision], order, start, end))
    if not found:
        return _unnamed_scene(ctx, lead, title)
    _, _, start, end = min(found)
    return _trimmed(ctx, start, end)


def _unnamed_scene(ctx: Context, lead: list[SpacySpan], title: set[str]) -> Span | None:
    """A headline that names no place leaves the scene to the story's first sentence: a city or site there.

    Only one the gazetteer knows, as the object of "in"/"at"/"near"/"outside",
    and not a modifier, a subject, a side in sport or people's origin.
    """
    places = ctx.scratch.get("places", [])
    if any(_words(ctx.text[s:e]) & title for s, e, _ in places):
        return None  # the headline names a place: _lead_place had its chance
    headline = (ctx.record.article.title or "").strip()
    body = [s for s in lead if not headline or s.text.strip() != headline][:1]
    for start, end, loc in places:
        if not body or not (body[0].start_char <= start < body[0].end_char):
            continue
        if loc.precision not in ("city", "point") or not loc.confidence:
            continue
        ent = ctx.doc.char_span(start, end, alignment_mode="expand")
        if ent is None or not _can_answer(ent) or _is_opponent(ent) or _is_origin(ent):
            continue
        if ent.root.dep_ == "pobj" and ent.root.head.lower_ in ("in", "at", "near", "outside"):
            return _trimmed(ctx, start, end)
    return None


_PLACE_PREPS = {"in", "at", "near", "outside", "inside", "into", "across", "from", "to", "on", "around",
                "throughout", "within", "off"}


def _is_modifier(ent: SpacySpan) -> bool:
    """'US President', 'Afghan forces', "Kenya's Kipchoge": a place name used as a modifier is not where."""
    root = ent.root
    return root.dep_ in ("compound", "amod", "nmod", "poss") and not (ent.start <= root.head.i < ent.end)


def _why(ctx: Context, verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ == "advcl":
            mark = next((g for g in child.children if g.dep_ == "mark"), None)
            if mark is not None and mark.lower_ in _CAUSE_MARKS:
                return _span(ctx, _limit(list(child.subtree)))
            to = next((g for g in child.children if g.dep_ == "aux" and g.lower_ == "to"), None)
            if to is not None and child.i > verb.i:  # a purpose: "flew to Moscow to meet ..."
                return _span(ctx, _limit(list(child.subtree)))
        if child.dep_ == "prep" and child.i > verb.i:
            phrase = " ".join(t.lower_ for t in child.subtree)
            if child.lower_ in _WHY_PREPS or any(phrase.startswith(m) for m in _CAUSE_MULTI):
                return _span(ctx, _limit(list(child.subtree)))
    return None


def _how(ctx: Context, verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _MANNER_PREPS and child.i > verb.i and _is_manner(child):
            return _span(ctx, _limit(list(child.subtree)))
        if child.dep_ == "advcl" and child.tag_ == "VBG" and child.lower_ in ("using",):
            return _span(ctx, _limit(list(child.subtree)))
        if child.dep_ == "advmod" and child.lower_.endswith("ly") and child.lower_ not in _NOT_MANNER:
            return _span(ctx, [child])
    return None


def _is_manner(prep: Token) -> bool:
    """'by storming', 'with a truck bomb': a means; but 'by the FBI' is an agent and 'with Obama' company.

    "by" gives the means only before a gerund (otherwise it names who did it, or
    "stands by" its object); "with" a person or an organisation is who took part.
    """
    objects = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]
    if prep.lower_ == "by":
        return any(g.tag_ == "VBG" for g in objects)
    if prep.lower_ == "with":
        return not any(g.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or g.lower_ in _PRONOUNS for g in objects)
    return True


# Adverbs in -ly that say when or how surely, not how.
_NOT_MANNER = {"reportedly", "allegedly", "apparently", "early", "only", "likely", "recently", "currently",
               "previously", "initially", "finally", "eventually", "immediately", "already", "nearly",
               "reply", "fly", "possibly", "probably", "supposedly", "purportedly", "lately", "formerly",
               "originally", "subsequently", "really", "hardly", "merely", "simply", "largely", "mostly"}


def _limit(tokens: list[Token], n: int = 12) -> list[Token]:
    return tokens[:n]


def _agrees(ctx: Context, span: Span | None, title: set[str], need: int = 1) -> Span | None:
    """Keep an answer only when the headline bears it out (any answer when there is no headline).

    The headline restates the main event, so an actor, a place or an action the
    headline does not mention is more likely a side event: better no answer.
    Words are compared as written and as lemmas ("blocked" agrees with "block").
    """
    if span is None or not title:
        return span
    found = _words(span.text)
    found |= {w.rstrip("s") for w in found}
    tokens = ctx.doc.char_span(span.start, span.end, alignment_mode="expand")
    if tokens is not None:
        found |= _lemmas(tokens)
    same = lists().synonym_of or {}
    return span if len({same.get(w, w) for w in title} & {same.get(w, w) for w in found}) >= need else None


@extractors.register("main_event", after=("events",))
def extract_main_event(ctx: Context) -> None:
    """Fill ctx.record.main_event."""
    choice = choose(ctx)
    if choice is None:
        ctx.record.main_event = MainEvent()
        return
    sent, verb = choice.sentence, choice.verb
    title = _title_words(ctx)
    ctx.record.main_event = MainEvent(
        who=_agrees(ctx, _who(ctx, verb), title),
        what=_agrees(ctx, _what(ctx, verb), title, need=2),
        when=_when(ctx, sent, verb, list(choice.lead)),
        where=_more_specific(ctx, _agrees(ctx, _where(ctx, sent, verb, title), title)
                             or _lead_place(ctx, list(choice.lead)), list(choice.lead)),
        why=_agrees(ctx, _why(ctx, verb), title),
        how=_agrees(ctx, _how(ctx, verb), title),
    )
