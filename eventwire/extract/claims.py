"""Who says what, through which channel, how surely.

Every reported statement becomes a `Claim`: its speaker (a name or a
description such as "images on social media"), the cue ("said", "according
to", "appeared to show"), the content it vouches for, the channel it came
through (a platform, a news agency, a statement; never a speaker) and a
certainty: reported, hedged or denied. Unattributed hedges ("reportedly",
"it is not clear", "may have") are claims too, with no speaker, so that the
events inside them are marked hedged.

Chains: a claim whose cue lies inside another claim's content is reported
*via* that claim ("the BBC said Sputnik reported ..."). The article's own
credits (`article.credits`, e.g. "(Reuters)") are the outermost voice; they are
not made into claims: a claim with `via=None` is carried by the article itself.

The cue words live in `eventwire/data/claims.yaml`; the finders below read the
dependency parse, one sentence at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from eventwire.data import load_yaml
from eventwire.extract import Context, extractors
from eventwire.lexicon import PERSONAL_PRONOUNS as _PRONOUNS
from eventwire.lexicon import reporting_certainty
from eventwire.model import Attribution, Claim, Speaker, span_of

_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
# Children that end a speaker noun phrase: "Sok Dara, a Cambodian reporter, ..." -> "Sok Dara".
_NP_CUTS = ("appos", "relcl", "acl", "punct", "advcl", "parataxis")
_QUOTES_OPEN = "\"“‘'"
_QUOTES_CLOSE = "\"”’'"
_EDGE_JUNK = set(",.;:!?-–—()[]") | set(_QUOTES_OPEN) | set(_QUOTES_CLOSE)
# How far back (characters) a pronoun speaker may look for the speaker it stands for.
_PRONOUN_REACH = 600
_WITH_XCOMP = {"vow", "pledge", "promise", "threaten", "claim", "deny", "refuse", "agree", "offer"}
_EVIDENCE_VERBS = {"show", "depict", "reveal", "suggest", "indicate", "confirm", "appear"}


@dataclass(frozen=True)
class Cues:
    """The word lists of claims.yaml, as sets."""

    certainty_of_verb: dict[str, str]
    denial_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    accusation_verbs: frozenset[str]
    evidence_nouns: frozenset[str]
    hedge_adverbs: frozenset[str]
    raising_verbs: frozenset[str]
    passive_hedges: frozenset[str]
    modals: frozenset[str]
    doubt_adjectives: dict[str, str]
    hedge_speaker_words: frozenset[str]
    channels: dict[tuple[str, ...], str]
    channel_heads: frozenset[str]


@lru_cache(maxsize=1)
def cues() -> Cues:
    data: dict[str, Any] = load_yaml("claims.yaml")
    by_verb = reporting_certainty()
    channels = {tuple(str(k).split()): v for k, v in data["channels"].items()}
    return Cues(
        certainty_of_verb=by_verb,
        denial_verbs=frozenset(data["denial_verbs_with_object"]),
        claim_nouns=frozenset(data["claim_nouns"]),
        accusation_verbs=frozenset(data["accusation_verbs"]),
        evidence_nouns=frozenset(data["evidence_nouns"]),
        hedge_adverbs=frozenset(data["hedge_adverbs"]),
        raising_verbs=frozenset(data["hedge_raising_verbs"]),
        passive_hedges=frozenset(data["hedge_passive_verbs"]),
        modals=frozenset(data["hedge_modals"]),
        doubt_adjectives=dict(data["doubt_adjectives"]),
        hedge_speaker_words=frozenset(data["hedge_speaker_words"]),
        channels=channels,
        channel_heads=frozenset(data["channel_heads"]),
    )


@dataclass(frozen=True)
class Draft:
    """A claim before ids and chains: character offsets into the text."""

    cue: tuple[int, int]
    content: tuple[int, int]
    certainty: str
    speaker: tuple[int, int] | None = None
    channel: str | None = None


# ---------------------------------------------------------------- small helpers


def _trim(tokens: Iterable[Token]) -> tuple[int, int] | None:
    """The character range of a run of tokens, without punctuation and quotes at its edges."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].text in _EDGE_JUNK or toks[0].dep_ in ("cc", "mark") and len(toks) > 1):
        toks.pop(0)
    closing = None
    while toks and toks[-1].text in _EDGE_JUNK:
        last = toks.pop()
        closing = last if last.text in "\"”" else closing
    if not toks:
        return None
    end = toks[-1].idx + len(toks[-1].text)
    # Keep a closing quote when the span opened one: 'sent to “fulfil contracts”', not '“fulfil contracts'.
    if _open_quote(toks):
        nxt = toks[-1].doc[toks[-1].i + 1] if toks[-1].i + 1 < len(toks[-1].doc) else None
        closing = closing or (nxt if nxt is not None and nxt.text in "\"”" else None)
        if closing is not None:
            end = closing.idx + len(closing.text)
    return toks[0].idx, end


def _open_quote(toks: list[Token]) -> bool:
    text = "".join(t.text_with_ws for t in toks)
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _range(tokens: Iterable[Token]) -> list[Token]:
    """All tokens from the first to the last of `tokens` (a contiguous run)."""
    toks = list(tokens)
    if not toks:
        return []
    doc = toks[0].doc
    return list(doc[min(t.i for t in toks): max(t.i for t in toks) + 1])


def _subtree_without(tok: Token, cut: Iterable[str]) -> list[Token]:
    """`tok`'s subtree minus the subtrees of its children whose relation is in `cut`."""
    cut = set(cut)
    dropped: set[int] = set()
    for child in tok.children:
        if child.dep_ in cut:
            dropped.update(t.i for t in child.subtree)
    return [t for t in tok.subtree if t.i not in dropped]


def _has_own_subject(tok: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in tok.children)


def _clause(verb: Token, drop: Iterable[Token] = ()) -> tuple[int, int] | None:
    """The clause a verb heads, without coordinated clauses that have their own subject."""
    dropped = {t.i for t in drop}
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and _has_own_subject(child):
            dropped.update(t.i for t in child.subtree)
            dropped.update(c.i for c in verb.children if c.dep_ == "cc" and c.i < child.i)
    toks = [t for t in verb.subtree if t.i not in dropped]
    # Keep it contiguous: stop at the first gap after the verb.
    return _trim(_contiguous_around(toks, verb))


def _contiguous_around(toks: list[Token], anchor: Token) -> list[Token]:
    have = {t.i for t in toks}
    lo = hi = anchor.i
    while lo - 1 in have:
        lo -= 1
    while hi + 1 in have:
        hi += 1
    return [t for t in toks if lo <= t.i <= hi]


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, inherited through xcomp/conj/advcl when it has none of its own."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        for child in tok.children:
            if child.dep_ in ("nsubj", "csubj"):
                # "Juan Guaidó, who declared ...": the relative pronoun stands for its antecedent.
                if child.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
                    return tok.head
                return child
        if tok.dep_ in ("xcomp", "conj", "advcl") and tok.head is not tok:
            tok = tok.head
        else:
            return None
    return None


def _speaker_tokens(head: Token) -> list[Token]:
    """The speaker noun phrase: the subject without appositions, relative clauses and the like."""
    toks = _subtree_without(head, _NP_CUTS)
    return _contiguous_around(toks, head)


def _channel_in(tokens: list[Token], outlets: bool = True) -> str | None:
    """The channel named among `tokens`: an outlet name, else the most specific channel phrase."""
    if outlets:
        for tok in tokens:
            if tok.ent_type_ == "OUTLET":
                ent = _entity_of(tok)
                return _strip_channel_words(list(ent)).text if ent is not None else tok.text
    table = cues().channels
    words = [t.lower_ for t in tokens]
    best: tuple[bool, int, str] | None = None
    for i in range(len(words)):
        for n in (3, 2, 1):
            key = tuple(words[i: i + n])
            if len(key) != n or key not in table or (key == ("x",) and not _is_platform_x(tokens[i])):
                continue
            # A named platform ("Telegram") says more than a generic word ("post", "statement").
            rank = (table[key][0].isupper(), n, table[key])
            if best is None or rank[:2] > best[:2]:
                best = rank
    return best[2] if best else None


def _strip_channel_words(toks: list[Token]) -> SpacySpan:
    """'Xinhua news agency' -> 'Xinhua': the channel words are not the speaker's name."""
    heads = cues().channel_heads | {"news", "state", "-", "run", "state-run"}
    end = len(toks)
    while end > 1 and toks[end - 1].lower_ in heads:
        end -= 1
    return toks[0].doc[toks[0].i: toks[end - 1].i + 1]


def _is_platform_x(tok: Token) -> bool:
    # "on X", "a post on X": X is the platform only as a capital letter after "on".
    return tok.text == "X" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("on", "via")


def _entity_of(tok: Token) -> SpacySpan | None:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _channel_of_verb(verb: Token, content: tuple[int, int] | None) -> str | None:
    """The channel in the verb's own modifiers: "on Twitter", "in a statement", "told Reuters"."""
    toks: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("prep", "dative", "dobj", "agent", "npadvmod"):
            sub = list(child.subtree)
            if content and sub[0].idx >= content[0] and sub[-1].idx < content[1]:
                continue
            toks.extend(sub)
    return _channel_in(sorted(toks, key=lambda t: t.i)) if toks else None


def _resolve_speaker(head: Token) -> tuple[list[Token], str | None]:
    """Split a subject into speaker and channel: "a statement from the ministry" -> (the ministry, statement)."""
    c = cues()
    np = _speaker_tokens(head)
    channel = _channel_in(np, outlets=False) or _quoted_by(head)
    if head.lemma_.lower() in c.channel_heads or head.lower_ in c.channel_heads:
        # The owner of the channel speaks: an outlet named in it ("Russia's Sputnik news agency"),
        # else a possessive or a "from/by/of" phrase, else another name inside.
        named = [t for t in np if t.ent_type_ in ("OUTLET", "ORG", "PERSON", "GPE", "NORP") and t.i != head.i]
        outlets = [t for t in named if t.ent_type_ == "OUTLET"]
        owner = _channel_owner(head)
        others = [t for t in named if t.ent_type_ != "GPE"]
        # "Egypt's state-run MENA news agency": the name the channel itself bears speaks, not its owner
        own_name = [t for t in others if t.dep_ == "compound" and t.head.i in (head.i, *(c.i for c in head.children))]
        pick = outlets or own_name or ([] if owner is not None else others)
        if pick and (ent := _entity_of(pick[0])) is not None:
            return list(_strip_channel_words(list(ent))), channel
        if owner is not None:
            return _speaker_tokens(owner), channel
    if channel is None:
        channel = _agency_channel(np)
    return np, channel


def _channel_owner(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _quoted_by(head: Token) -> str | None:
    """'The general, quoted by TASS, said': TASS is the channel."""
    for child in head.children:
        if child.dep_ == "acl" and child.lemma_.lower() in ("quote", "cite", "interview"):
            return _channel_in(list(child.subtree))
    return None


def _agency_channel(np: list[Token]) -> str | None:
    """A news agency speaking without the words "news agency" still speaks through one."""
    from eventwire.dictionary import dictionary

    for tok in np:
        if tok.ent_type_ == "OUTLET":
            ent = _entity_of(tok)
            actor = dictionary().lookup(ent.text if ent is not None else tok.text)
            if actor is not None and actor.get("agency"):
                return "news agency"
    return None


def _hedged_speaker(tokens: list[Token]) -> bool:
    words = cues().hedge_speaker_words
    return any(t.lower_ in words for t in tokens)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


# ---------------------------------------------------------------- finders


def _quote_content(sent: SpacySpan, verb: Token, text: str) -> tuple[int, int] | None:
    """Quoted words the verb introduces: 'X said: "..."' or '"...," X said'."""
    after = max(t.idx + len(t.text) for t in verb.subtree)
    m = re.match(r"\s*[:,]?\s*([\"“])", text[after: after + 8])
    if m:
        open_at = after + m.end()
        close = re.search(r"[\"”]", text[open_at:])
        if close:
            return _strip_span(text, open_at, open_at + close.start())
    start = sent.start_char
    if text[start: start + 1] in "\"“":
        close = re.search(r"[\"”]", text[start + 1: verb.idx])
        if close:
            return _strip_span(text, start + 1, start + 1 + close.start())
    return None


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or text[start] in _EDGE_JUNK):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_JUNK):
        end -= 1
    return (start, end) if end > start else None


def _content_of(verb: Token, sent: SpacySpan, text: str) -> tuple[int, int] | None:
    """What a reporting verb reports: its clause complement, else the quote it introduces."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            return _trim(child.subtree)
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "xcomp" and lemma in _WITH_XCOMP:
            return _trim(child.subtree)
    for child in verb.children:
        # "said in a statement that ...": the parser often hangs the clause on "statement".
        pobj = next((g for g in child.children if g.dep_ == "pobj"), None) if child.dep_ == "prep" else None
        if pobj is not None and pobj.lower_ in _channel_words():
            clause = _object_with_clause(pobj)
            if clause and clause[0].i > pobj.i:
                return _trim(clause)
    for child in verb.children:
        # "denied the charges", "denied involvement": the object is what is denied.
        if child.dep_ == "dobj" and cues().certainty_of_verb.get(lemma) == "denied":
            return _trim(_object_with_clause(child))
    return _quote_content(sent, verb, text) or _host_clause(verb)


def _host_clause(verb: Token) -> tuple[int, int] | None:
    """'X happened on Monday, the ministry said, in ...': the parser hangs 'said' on the clause it reports."""
    head = verb.head
    if verb.dep_ not in ("parataxis", "advcl", "conj") or head.i >= verb.i or head.pos_ not in ("VERB", "AUX"):
        return None
    if not any(t.text == "," for t in verb.doc[head.i: verb.i]):
        return None
    start = next(iter(verb.subtree))
    toks = [t for t in head.subtree if t.i < start.i]
    return _trim(toks)


@lru_cache(maxsize=1)
def _channel_words() -> frozenset[str]:
    return frozenset(w for key in cues().channels for w in key)


def _object_with_clause(obj: Token) -> list[Token]:
    """'claims that X' -> the clause X when there is one, else the whole object."""
    for child in obj.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" for g in child.children):
            return list(child.subtree)
    return list(obj.subtree)


def _reporting_verbs(sent: SpacySpan, text: str) -> Iterator[Draft]:
    c = cues()
    for verb in sent:
        lemma = verb.lemma_.lower()
        certainty = c.certainty_of_verb.get(lemma)
        if certainty is None or verb.pos_ not in ("VERB", "AUX"):
            continue
        if _negated(verb):
            if certainty != "denied":
                continue
            certainty = "reported"  # "did not deny that ..."
        passive = any(ch.dep_ in ("auxpass", "nsubjpass") for ch in verb.children)
        content = _content_of(verb, sent, text)
        if content is None:
            continue
        subject = _passive_agent(verb) if passive else _subject(verb)
        if subject is None:
            if passive:  # "it was reported that ...": nobody vouches for it
                yield Draft((_aux_start(verb), _end(verb)), content, "hedged", None, _channel_of_verb(verb, content))
            continue
        speaker_toks, channel = _resolve_speaker(subject)
        channel = _channel_of_verb(verb, content) or channel
        if _hedged_speaker(speaker_toks) or any(
            ch.dep_ == "advmod" and ch.lower_ in c.hedge_adverbs for ch in verb.children
        ):
            certainty = "hedged"
        yield Draft((verb.idx, _end(verb)), content, certainty, _trim(speaker_toks), channel)


def _passive_agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _aux_start(verb: Token) -> int:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    return min([verb.idx] + [a.idx for a in auxes])


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _denials_of_claims(sent: SpacySpan) -> Iterator[Draft]:
    """'rejected claims that ...', 'dismissed the reports'."""
    c = cues()
    for verb in sent:
        if verb.lemma_.lower() not in c.denial_verbs or verb.lemma_.lower() in c.certainty_of_verb:
            continue
        obj = next((ch for ch in verb.children if ch.dep_ == "dobj"), None)
        subject = _subject(verb)
        if obj is None or subject is None or obj.lemma_.lower() not in c.claim_nouns:
            continue
        content = _trim(_object_with_clause(obj))
        if content is None:
            continue
        speaker_toks, channel = _resolve_speaker(subject)
        yield Draft((verb.idx, _end(verb)), content, "denied", _trim(speaker_toks),
                    _channel_of_verb(verb, content) or channel)


def _accusations(sent: SpacySpan) -> Iterator[Draft]:
    """'X accused Y of Z': a claim of X about Y, from Y to the end of Z."""
    c = cues()
    for verb in sent:
        if verb.lemma_.lower() not in c.accusation_verbs or verb.pos_ != "VERB":
            continue
        obj = next((ch for ch in verb.children if ch.dep_ == "dobj"), None)
        subject = _subject(verb)
        if obj is None or subject is None:
            continue
        grounds = [p for p in list(verb.children) + list(obj.children)
                   if p.dep_ == "prep" and p.lower_ in ("of", "for", "over")]
        if not grounds:
            continue
        toks = list(obj.subtree) + [t for p in grounds for t in p.subtree]
        content = _trim(_range(toks))
        if content is None:
            continue
        speaker_toks, channel = _resolve_speaker(subject)
        yield Draft((verb.idx, _end(verb)), content, "reported", _trim(speaker_toks),
                    _channel_of_verb(verb, content) or channel)


def _according_to(sent: SpacySpan) -> Iterator[Draft]:
    """'According to X, ...' / '..., according to X': the rest of the sentence is X's."""
    for tok in sent:
        if tok.lower_ != "according" or tok.i + 1 >= sent.end or tok.doc[tok.i + 1].lower_ != "to":
            continue
        to = tok.doc[tok.i + 1]
        pobj = next((g for g in list(to.children) + list(tok.children) if g.dep_ == "pobj"), None)
        if pobj is None:
            continue
        phrase_end = max(t.i for t in pobj.subtree)
        before = [t for t in sent if t.i < tok.i]
        after = [t for t in sent if t.i > phrase_end]
        rest = after if len([t for t in after if not t.is_punct]) >= len([t for t in before if not t.is_punct]) \
            else before
        content = _trim(rest)
        if content is None:
            continue
        speaker_toks, channel = _resolve_speaker(pobj)
        yield Draft((tok.idx, _end(to)), content, "reported", _trim(speaker_toks), channel)


def _evidence(sent: SpacySpan) -> Iterator[Draft]:
    """'Images on social media (appeared to) show X': the images speak; 'appeared to' hedges."""
    c = cues()
    for verb in sent:
        lemma = verb.lemma_.lower()
        if lemma not in _EVIDENCE_VERBS or verb.pos_ not in ("VERB", "AUX"):
            continue
        subject = _subject(verb)
        if subject is None or subject.lemma_.lower() not in c.evidence_nouns:
            continue
        cue_end_tok, certainty = verb, "reported"
        if lemma in c.raising_verbs:
            inner = next((ch for ch in verb.children if ch.dep_ == "xcomp"), None)
            if inner is None:
                continue
            cue_end_tok, certainty = inner, "hedged"
        elif verb.dep_ == "xcomp" and verb.head.lemma_.lower() in c.raising_verbs:
            continue  # the raising verb above reports it
        after = [t for t in cue_end_tok.subtree if t.i > cue_end_tok.i]
        ccomp = next((ch for ch in cue_end_tok.children if ch.dep_ == "ccomp"), None)
        content = _trim(ccomp.subtree) if ccomp is not None else _trim(after)
        if content is None:
            continue
        speaker_toks, channel = _resolve_speaker(subject)
        yield Draft((verb.idx, _end(cue_end_tok)), content, certainty, _trim(speaker_toks), channel)


def _hedges(sent: SpacySpan) -> Iterator[Draft]:
    """Unattributed hedges: 'reportedly', 'appeared to', 'may have', 'is believed to', 'it is not clear'."""
    c = cues()
    for tok in sent:
        lower, lemma = tok.lower_, tok.lemma_.lower()
        if lower in c.hedge_adverbs and tok.dep_ == "advmod":
            head = tok.head
            if head.lemma_.lower() in c.certainty_of_verb:
                continue  # "reportedly said": the reporting verb's claim takes the hedge
            content = _clause(head, drop=[tok])
            if content:
                yield Draft((tok.idx, _end(tok)), content, "hedged")
        elif lemma in c.raising_verbs and tok.pos_ in ("VERB", "AUX"):
            yield from _raising_hedge(tok)
        elif lower in c.modals and tok.dep_ == "aux":
            yield from _modal_hedge(tok)
        elif lemma in c.passive_hedges and any(ch.dep_ == "auxpass" for ch in tok.children):
            yield from _passive_hedge(tok)
        elif lower in c.doubt_adjectives:
            yield from _doubt_hedge(tok, c.doubt_adjectives[lower])


def _raising_hedge(verb: Token) -> Iterator[Draft]:
    inner = next((ch for ch in verb.children if ch.dep_ == "xcomp"), None)
    subject = _subject(verb)
    if inner is None:
        return
    if subject is not None and subject.lemma_.lower() in cues().evidence_nouns:
        return  # the evidence finder makes the images the speaker
    to = next((ch for ch in inner.children if ch.dep_ == "aux" and ch.lower_ == "to"), None)
    cue_end = _end(to) if to is not None else _end(verb)
    toks = (list(subject.subtree) if subject is not None else []) + list(inner.subtree)
    content = _trim(_range(toks))
    if content:
        yield Draft((verb.idx, cue_end), content, "hedged")


def _modal_hedge(modal: Token) -> Iterator[Draft]:
    # Only the perfect is a hedge about the past: "may have carried"; plain "may" is about the future.
    nxt = modal.doc[modal.i + 1] if modal.i + 1 < len(modal.doc) else None
    if nxt is None or nxt.lower_ != "have" or modal.head.tag_ != "VBN":
        return
    content = _clause(modal.head, drop=[modal, nxt])
    if content:
        yield Draft((modal.idx, _end(nxt)), content, "hedged")


def _passive_hedge(verb: Token) -> Iterator[Draft]:
    """'X is believed to have ...', 'it is thought that ...'."""
    if _passive_agent(verb) is not None:
        return
    start = _aux_start(verb)
    xcomp = next((ch for ch in verb.children if ch.dep_ == "xcomp"), None)
    if xcomp is not None:
        to = next((ch for ch in xcomp.children if ch.dep_ == "aux" and ch.lower_ == "to"), None)
        subject = next((ch for ch in verb.children if ch.dep_ == "nsubjpass"), None)
        toks = (list(subject.subtree) if subject is not None else []) + list(xcomp.subtree)
        content = _trim(_range(toks))
        if content:
            yield Draft((start, _end(to) if to is not None else _end(verb)), content, "hedged")
        return
    if verb.lemma_.lower() in cues().certainty_of_verb:
        return  # "it was reported that": the reporting-verb finder handles it
    ccomp = next((ch for ch in verb.children if ch.dep_ == "ccomp"), None)
    if ccomp is not None and (content := _trim(ccomp.subtree)):
        yield Draft((start, _end(verb)), content, "hedged")


def _doubt_hedge(adj: Token, kind: str) -> Iterator[Draft]:
    """'it is not clear what ...', 'it was unclear whether ...'."""
    verb = adj.head if adj.dep_ in ("acomp", "attr", "amod") and adj.head.pos_ in ("AUX", "VERB") else adj
    if kind == "negated" and not (_negated(verb) or _negated(adj)):
        return
    clause = next((ch for ch in list(adj.children) + list(verb.children) if ch.dep_ in ("ccomp", "advcl")
                   and any(g.dep_ == "mark" or g.tag_ in ("WDT", "WP", "WRB") for g in ch.subtree)), None)
    if clause is None:
        return
    content = _trim(clause.subtree)
    if content:
        yield Draft((min(verb.idx, adj.idx), _end(adj)), content, "hedged")


def _quoted_as_saying(sent: SpacySpan) -> Iterator[Draft]:
    """"The agency quoted a senior official as saying the deal was close": the one quoted speaks, through
    the channel that quotes."""
    for verb in sent:
        if verb.lemma_.lower() not in ("quote", "cite") or verb.pos_ != "VERB":
            continue
        speaker = next((c for c in verb.children if c.dep_ == "dobj"), None)
        as_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        saying = next((g for g in as_prep.children if g.dep_ == "pcomp"), None) if as_prep is not None else None
        if speaker is None or saying is None:
            continue
        said = [t for c in saying.children if c.dep_ in ("ccomp", "dobj") for t in c.subtree]
        content = _trim(said) if said else None
        if content is None:
            continue
        quoter = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        channel = _channel_in(_speaker_tokens(quoter)) if quoter is not None else None
        spk = _trim(_speaker_tokens(speaker))
        yield Draft((verb.idx, _end(verb)), content, "reported", spk,
                    channel or (quoter.text if quoter is not None and quoter.ent_type_ else None))


_VERIFY = frozenset({"verify", "confirm", "corroborate", "authenticate"})


def _unverified(sent: SpacySpan) -> Iterator[Draft]:
    """"Reuters could not independently verify the report", "It was not possible to confirm the claims":
    the reporter's own doubt about what the sentence before says. That sentence becomes the content of a
    speakerless hedge, so the events it tells are hedged."""
    if sent.start == 0:
        return
    for verb in sent:
        if verb.lemma_.lower() not in _VERIFY or verb.pos_ != "VERB":
            continue
        doubted = _negated(verb) or any(_negated(a) or a.lemma_.lower() in ("unable", "impossible")
                                        for a in verb.ancestors)
        if not doubted:
            continue
        before = sent.doc[sent.start - 1].sent
        content = _trim(before)
        if content:
            start = min([verb.idx] + [a.idx for a in verb.ancestors if a.i > sent.start])
            yield Draft((max(start, sent.start_char), _end(verb)), content, "hedged")
        return


# ---------------------------------------------------------------- assembly


def find_drafts(ctx: Context) -> list[Draft]:
    """Every claim in the document, at most one per cue, in text order."""
    text = ctx.text
    found: dict[tuple[int, int], Draft] = {}
    for sent in ctx.doc.sents:
        for finder in (_evidence(sent), _according_to(sent), _denials_of_claims(sent), _accusations(sent),
                       _quoted_as_saying(sent), _reporting_verbs(sent, text), _hedges(sent), _unverified(sent)):
            for draft in finder:
                if not any(_overlaps(draft.cue, k) for k in found):
                    found[draft.cue] = draft
    drafts = sorted(found.values(), key=lambda d: d.cue)
    return _drop_nested_hedges(drafts)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _drop_nested_hedges(drafts: list[Draft]) -> list[Draft]:
    """A speakerless hedge inside another speakerless hedge adds nothing: the outer one governs."""
    keep = []
    for d in drafts:
        if d.speaker is None and any(
            o is not d and o.speaker is None and _inside(d.cue, o.content) and _inside(d.content, o.content)
            for o in drafts
        ):
            continue
        keep.append(d)
    return keep


def _via(drafts: list[Draft]) -> list[int | None]:
    """For each draft, the index of the innermost other claim whose content holds its cue."""
    vias: list[int | None] = []
    for d in drafts:
        holders = [(o.content[1] - o.content[0], j) for j, o in enumerate(drafts)
                   if o is not d and _inside(d.cue, o.content) and not _inside(o.cue, d.content)]
        vias.append(min(holders)[1] if holders else None)
    return vias


def _speaker(ctx: Context, rng: tuple[int, int] | None, previous: Speaker | None) -> Speaker | None:
    if rng is None:
        return None
    start, end = rng
    text = ctx.text[start:end]
    # "He said ...", "It denied ...": the pronoun stands for the last named speaker nearby, so the
    # claim is credited to that mention (its text and offsets) rather than to a bare pronoun.
    if text.lower() in _PRONOUNS and previous is not None and previous.end is not None \
            and 0 <= start - previous.end <= _PRONOUN_REACH:
        return Speaker(previous.text, previous.entity or ctx.entity_at(start, end), previous.start, previous.end)
    return Speaker(text, ctx.entity_at(start, end), start, end)


_CONTINUING_CUES = frozenset({"say", "add", "write", "post", "tell", "explain", "note"})


def _speaker_key(speaker: Speaker) -> object:
    return speaker.entity or (speaker.start, speaker.end)


def _continues(ctx: Context, draft: Draft, speaker: Speaker) -> bool:
    """A pronoun speaker ("He said") with a plain saying verb continues the named speaker's last claim."""
    if draft.speaker is None:
        return False
    said_by_pronoun = ctx.text[draft.speaker[0]:draft.speaker[1]].lower() in _PRONOUNS
    cue = ctx.doc.char_span(*draft.cue, alignment_mode="expand")
    return said_by_pronoun and cue is not None and any(t.lemma_.lower() in _CONTINUING_CUES for t in cue)


@extractors.register("claims", after=("entities", "times"))
def extract_claims(ctx: Context) -> None:
    """Fill ctx.record.claims."""
    drafts = find_drafts(ctx)
    vias = _via(drafts)
    ids = [f"c{i + 1}" for i in range(len(drafts))]
    claims: list[Claim] = []
    previous: Speaker | None = None
    channels: dict[object, str] = {}  # speaker (entity, else its mention) -> the channel of its last claim
    for i, d in enumerate(drafts):
        speaker = _speaker(ctx, d.speaker, previous)
        channel = d.channel
        if speaker is not None and speaker.text.lower() not in _PRONOUNS:
            if channel is None and _continues(ctx, d, speaker):
                # "X wrote on Twitter that ... He said that ...": the pronoun goes on in the same post
                channel = channels.get(_speaker_key(speaker))
            previous = speaker
            if channel:
                channels[_speaker_key(speaker)] = channel
        claims.append(Claim(
            id=ids[i],
            speaker=speaker,
            cue=span_of(ctx.text, *d.cue),
            content=span_of(ctx.text, *d.content),
            channel=channel,
            certainty=d.certainty,
            via=ids[vias[i]] if vias[i] is not None else None,
        ))
    ctx.record.claims = claims


def attribution_for(ctx: Context, start: int, end: int) -> Attribution | None:
    """The attribution and certainty of the innermost claim whose content covers [start, end).

    A speakerless hedge reported inside someone's claim keeps that speaker and
    channel but says hedged. Plain narration gives None (asserted).
    """
    covering = [c for c in ctx.record.claims if c.content.start <= start and end <= c.content.end]
    if not covering:
        return None
    claim = min(covering, key=lambda c: c.content.end - c.content.start)
    voice = claim
    by_id = {c.id: c for c in ctx.record.claims}
    while voice.speaker is None and voice.via in by_id:
        voice = by_id[voice.via]
    certainty = claim.certainty
    if any(c.certainty == "hedged" and c.speaker is None for c in covering):
        certainty = "hedged" if claim.certainty != "denied" else "denied"
    return Attribution(
        speaker=voice.speaker.text if voice.speaker else None,
        channel=claim.channel or voice.channel,
        certainty=certainty,
        claim=claim.id,
    )

