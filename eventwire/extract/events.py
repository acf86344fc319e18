"""PLOVER 2021 / CAMEO event coding from the dependency parse.

For every sentence the coder finds the verbs and nouns that name an event
(patterns in `eventwire/data/verbs/*.yaml`, CAMEO -> PLOVER facts in
`eventwire/data/cameo_plover.yaml`), then reads the actor and recipient off the
parse. Decisions worth knowing (tests pin them):

- Frames: a trigger inside the complement of another trigger is that trigger's
  content, not an event of its own: "accused Y of seizing power" is one ACCUSE,
  "threatened to halt gas deliveries" one THREATEN (its mode from the content).
  Verbs of saying are no events: in "a news agency reported that troops crossed" the
  landing is the event and the reporter is its attribution.
- Coordinated subjects ("Russia and China condemned ...") give one event per
  actor, sharing trigger and recipient. A symmetric event with a coordinated
  subject and no recipient ("Ghana and Togo agreed ...") is coded A->B and B->A.
- Future and intent: a cooperative action that is promised or intended ("will
  provide aid", "ready to send troops") is AGREE; a hostile one ("would impose a
  blockade", "might suspend the talks") is THREATEN, as PLOVER asks for one category
  rather than category + auxiliary mode. "may/could/might" lower the confidence.
- Negation: a refused or negated future cooperative action ("will not accept")
  is REJECT. A negated past event ("did not meet") is kept with negated=True so
  that consumers can drop it; it never counts as a realised event.
- "X said Y must do Z" is a REQUEST by X of Y.
- Events inside relative, adverbial and temporal clauses ("after the talks",
  "who had attacked") are background: emitted only when the sentence has no
  event in its main clauses.
- Recipients, best first: the trigger's objects and their "of/by/among" phrases, its recipient
  prepositions, "in protest/defiance of X", then the object of a purpose clause ("opened fire to
  disperse demonstrators"). A country the clause names beats the article's default country; police
  and courts act at home; curfew and martial law fall on the people of the place (or state) imposing them.
- Robustness: non-English articles, sentences over MAX_TOKENS tokens and
  sentences with almost no lower-case words (tables, all-caps headlines) are skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from eventwire.data import data_files, load_yaml
from eventwire.dictionary import NON_STATE_CODES, Actor, dictionary, fuzzy_country, surname_country
from eventwire.extract import Context, extractors
from eventwire.extract.claims import attribution_for
from eventwire.extract.places import document_country, event_location
from eventwire.extract.quantities import event_quantities, phrase_head
from eventwire.extract.times import event_date
from eventwire.lexicon import (
    LEGAL_TEXTS,
    MACHINE_HEADS,
    NATURAL_FORCES,
    PERCEPTION_VERBS,
    PERSON_NOUNS,
    POSSESSIVE_PRONOUNS,
    PRONOUNS,
    RESPONSE_VERBS,
    SAY_VERBS,
    VIOLENT_CROWDS,
    event_entries,
    lemma_aliases,
)
from eventwire.model import Entity, Event, EventDate, Participant, span_of

MAX_TOKENS = 200  # no news sentence is longer; a longer "sentence" is a flattened table or list
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"})
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE"})
MUTUAL_CAMEO = frozenset({"057"})  # signing a formal agreement: the parties sign with each other
DEFAULT_RECIPIENT_PREPS = ("against", "on", "with", "to", "at", "into", "upon")
FUTURE_AUX = frozenset({"will", "shall", "would", "'ll", "wo"})
MODAL_AUX = frozenset({"may", "might", "could", "can", "ca"})
OBLIGATION_AUX = frozenset({"must", "should"})
INTENT_HEADS = frozenset({"plan", "intend", "prepare", "ready", "willing", "expect", "aim", "hope", "want",
                          "decide", "poised", "set", "due", "determined", "eager", "resolve", "prepared",
                          "go", "seek", "try", "attempt", "propose"})
BACKGROUND_DEPS = frozenset({"relcl", "acl", "advcl", "csubj"})
BACKGROUND_PREPS = frozenset({"after", "before", "following", "since", "despite", "amid", "during", "until",
                              "because", "as", "when", "while", "over", "for", "in"})
DOMESTIC_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "CVL", "MED", "EDU", "BUS", "LAB",
                              "REF", "HLH"})
HABITUAL = frozenset({"long", "repeatedly", "often", "always", "frequently", "regularly", "usually"})
MONTHS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})
PAIR_NOUNS = frozenset({"country", "nation", "side", "neighbour", "neighbor", "government", "state"})
BASED_VERBS = frozenset({"base", "headquarter", "station"})
MILITARY_HEADS = frozenset({"plane", "aircraft", "jet", "warplane", "bomber", "helicopter", "drone", "troop",
                            "soldier", "force", "warship", "ship", "vessel", "submarine", "tank", "army",
                            "military", "navy", "marine", "paratrooper", "fighter", "artillery", "missile",
                            "unit", "contingent", "battalion", "brigade", "militant", "rebel", "guerrilla",
                            "gunman", "insurgent", "militia", "police", "policeman", "jihadist"})
NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "det", "nummod", "quantmod", "case", "flat",
                     "prep", "pobj", "appos", "npadvmod"})
FUTURE_CAMEO = {"AID": "033", "COOPERATE": "031", "CONSULT": "036", "SUPPORT": "032", "CONCEDE": "035",
                "RETREAT": "035", "AGREE": "030"}
THREAT_CAMEO = {"ASSAULT": "138", "MOBILIZE": "138", "COERCE": "132", "SANCTION": "131", "PROTEST": "133"}
THREAT_MODE = {"ASSAULT": "violence", "MOBILIZE": "violence", "COERCE": "restrict", "SANCTION": "relations",
               "PROTEST": "relations"}


@dataclass(frozen=True)
class Pattern:
    lemma: str
    cameo: str
    type: str
    mode: str | None
    prt: str | None = None
    prep: str | None = None
    objects: frozenset[str] = frozenset()
    frame: str | None = None
    recipient: tuple[str, ...] = DEFAULT_RECIPIENT_PREPS
    flags: frozenset[str] = frozenset()
    source: str = field(default="", compare=False)  # where the pattern comes from: file and entry

    @property
    def specificity(self) -> int:
        return bool(self.objects) * 2 + bool(self.prt or self.prep)


@dataclass
class Candidate:
    """A trigger found in a sentence, before roles are read."""

    token: Token
    pattern: Pattern
    is_noun: bool
    content: list[Candidate] = field(default_factory=list)  # triggers in its complement
    absorbed: bool = False
    background: bool = False


# ---------------------------------------------------------------- pattern data


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, tuple[str, str | None]]:
    table: dict[str, tuple[str, str | None]] = {}
    for code, value in load_yaml("cameo_plover.yaml").items():
        type_, _, mode = str(value).partition(" ")
        table[str(code)] = (type_, mode or None)
    return table


def _pattern(entry: dict) -> Pattern:
    code = str(entry["cameo"])
    type_, mode = cameo_table().get(code, (None, None))
    type_ = entry.get("type", type_)
    mode = entry.get("mode", mode)
    if type_ is None:
        raise ValueError(f"verb pattern {entry} names CAMEO {code}, which has no PLOVER type")
    flags = frozenset(k for k in ("requires_military_actor", "requires_person", "only_cooperative",
                                  "requires_speech_object", "intransitive", "light", "causative", "denial")
                  if entry.get(k))
    if entry.get("requires_adv"):  # one word or a list of them, any of which will do
        advs = entry["requires_adv"]
        flags |= {"adv:" + "|".join([advs] if isinstance(advs, str) else advs)}
    if entry.get("actor_prep"):
        flags |= {"actor_prep:" + entry["actor_prep"]}
    return Pattern(
        lemma=str(entry["lemma"]).lower(), cameo=code, type=type_, mode=mode, prt=entry.get("prt"),
        prep=entry.get("prep"), objects=frozenset(entry.get("object") or ()), frame=entry.get("frame"),
        recipient=tuple(entry.get("recipient") or ()) + DEFAULT_RECIPIENT_PREPS, flags=flags,
        source=str(entry.get("source") or ""),
    )


RESTRICTING_FLAGS = frozenset({"requires_military_actor", "requires_person", "only_cooperative",
                               "requires_speech_object", "intransitive"})


def _restrictions(pat: Pattern) -> frozenset[str]:
    return frozenset(f for f in pat.flags if f in RESTRICTING_FLAGS or f.startswith(("adv:", "actor_prep:")))


def _subsumed(pat: Pattern, known: list[Pattern]) -> bool:
    """An earlier pattern of the same verb form already covers this one: same or wider objects, or no
    objects and the same type (the object adds only a CAMEO subcode, and would lose the verb's frame).
    A pattern that holds only under a condition the new one lacks ("beat" of a military actor against
    "beat up" of anyone, "fly" of a military actor against "fly" with troops as object) covers nothing
    wider than itself."""
    for k in known:
        if not _restrictions(k) <= _restrictions(pat):
            # the hand-written condition stays on the same verb form: "beat" alone remains military-only
            if k.prt == pat.prt and k.prep == pat.prep and not k.objects and not pat.objects:
                return True
            continue
        bare = not k.objects and not k.prt and not k.prep
        if bare and k.type == pat.type:  # "agree on", "reject the plan": the bare verb says it already
            return True
        if k.prt == pat.prt and k.prep == pat.prep and (
                (not k.objects and not pat.objects) or (pat.objects and k.objects >= pat.objects)
                or (pat.objects and not k.objects and k.type == pat.type)):
            return True
    return False


@lru_cache(maxsize=1)
def patterns() -> tuple[dict[str, list[Pattern]], dict[str, list[Pattern]]]:
    """(verb lemma -> patterns, noun lemma -> patterns), most specific first. The hand-written files in
    data/verbs/ come first; the lexicon (data/lexicon/events.yaml) adds what they do not cover.
    Built once per change of the data files or of the code that builds them (eventwire/cache.py)."""
    import eventwire.lexicon
    from eventwire.cache import memo
    from eventwire.data import DATA_DIR

    inputs = [*DATA_DIR.rglob("*.yaml"), Path(__file__), Path(eventwire.lexicon.__file__)]
    return memo("event-patterns", inputs, _build_patterns)


def _build_patterns() -> tuple[dict[str, list[Pattern]], dict[str, list[Pattern]]]:
    verbs: dict[str, list[Pattern]] = {}
    nouns: dict[str, list[Pattern]] = {}
    for name in data_files("verbs"):
        table = nouns if name.endswith("nouns.yaml") else verbs
        for i, entry in enumerate(load_yaml(name) or []):
            pat = _pattern({**entry, "source": f"{name}:{i + 1}:{entry.get('lemma')}"})
            table.setdefault(pat.lemma, []).append(pat)
    lex_verbs, lex_nouns = event_entries()
    for table, entries in ((verbs, lex_verbs), (nouns, lex_nouns)):
        # bare forms first, so that an object frame of the same type as a bare verb is known to add nothing
        for entry in sorted(entries, key=lambda e: bool(e.get("object"))):
            pat = _pattern(entry)
            known = table.setdefault(pat.lemma, [])
            bare = next((k for k in known if not (k.objects or k.prt or k.prep) and k.type == pat.type), None)
            if pat.objects and bare is not None and pat.cameo != bare.cameo and "light" not in pat.flags:
                # a finer category of a verb that already names the type ("rejected the request for military
                # aid"): keep the subcode, with the bare verb's frame and recipient words
                known.append(replace(pat, frame=bare.frame, flags=pat.flags | bare.flags,
                                     recipient=tuple(dict.fromkeys(pat.recipient + bare.recipient))))
            elif not _subsumed(pat, known):
                known.append(pat)
    for alias, verb in lemma_aliases().items():  # the verb's phrasal and object forms ("staged exercises");
        # its bare form is left out: a light verb's event noun stays the trigger ("staged a walkout")
        verbs[alias] = verbs.get(alias, []) + [replace(p, lemma=alias) for p in verbs.get(verb, ())
                                               if p.prt or p.prep or p.objects]
    for table in (verbs, nouns):
        for pats in table.values():
            pats.sort(key=lambda p: -p.specificity)
    return verbs, nouns


def all_patterns() -> list[Pattern]:
    verbs, nouns = patterns()
    return [p for table in (verbs, nouns) for pats in table.values() for p in pats]


# ---------------------------------------------------------------- parse helpers


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _object_heads(tok: Token) -> list[Token]:
    """Direct objects (or passive subjects) of a verb, with their conjuncts."""
    objs = _children(tok, "dobj", "nsubjpass", "attr", "oprd")
    out = []
    for o in objs:
        out.append(o)
        out += [c for c in o.children if c.dep_ == "conj"]
    return out


def _has_particle(tok: Token, word: str) -> bool:
    return any(c.lower_ == word for c in tok.children if c.dep_ in ("prt", "prep", "advmod", "dobj"))


def _object_words(obj: Token) -> set[str]:
    """The head lemma of an object with its modifiers, and the two-word name they form ("war game")."""
    words = {_lemma(obj), obj.lower_}
    mods = [c for c in obj.children if c.dep_ in ("compound", "amod")]
    words |= {_lemma(c) for c in mods}
    words |= {f"{_lemma(c)} {_lemma(obj)}" for c in mods}
    return words


def _object_matches(tok: Token, objects: frozenset[str], prep: str | None = None) -> bool:
    return bool(_object_word_set(tok, prep) & objects)


def _object_word_set(tok: Token, prep: str | None = None) -> set[str]:
    """The words naming the verb's objects: its direct objects, or what a measure or group noun heading
    the object is "of" ("delivered 300 boxes of vaccines", "welcomed a team of monitors"); for a
    prepositional verb ("called for talks", "engaged in negotiations"), the object of its preposition."""
    objs = _object_heads(tok)
    if prep:
        objs += [o for p in tok.children if p.dep_ in ("prep", "prt") and p.lower_ == prep
                 for o in _with_conjuncts(next(iter(_children(p, "pobj")), None))]
    if not objs:  # "allowed inspectors to visit": the parser makes the object the subject of the "to" clause
        objs = [s for c in _children(tok, "ccomp", "xcomp") for s in _children(c, "nsubj")]
    words: set[str] = set()
    for obj in objs:
        words |= _object_words(obj)
        for of in _prep_objects(obj, ("of",)):
            words |= _object_words(of)
    return words


def _subject(tok: Token) -> Token | None:
    """The grammatical subject of a verb, climbing xcomp/conj chains for controlled verbs."""
    seen = 0
    while seen < 8:
        seen += 1
        subj = _children(tok, "nsubj", "csubj")
        if subj:
            return subj[0]
        if tok.dep_ == "xcomp" and tok.head.i != tok.i:
            raised = _children(tok.head, "nsubjpass")
            if raised and _children(tok.head, "auxpass"):
                # "X is said to have bombed", "X was rumoured to have agreed", "X was urged to act": the
                # passive's subject does the act of the clause it governs
                return raised[0]
        if tok.dep_ in ("xcomp", "conj", "acomp", "pcomp", "advcl", "prep") and tok.head.i != tok.i:
            tok = tok.head
            continue
        if tok.dep_ == "acomp" or (tok.dep_ == "ccomp" and tok.head.pos_ == "ADJ"):
            tok = tok.head
            continue
        return None
    return None


def _pronoun(tok: Token) -> bool:
    """A pronoun, not a name spelt like one: "US", "IT" in capitals are the United States, a trade."""
    return tok.lower_ in PRONOUNS and not (len(tok.text) > 1 and tok.text.isupper())


def _resolve_pronoun(tok: Token) -> Token | None:
    """A pronoun subject -> the subject of the verb that governs its clause ("Peru says it will")."""
    head = tok.head
    for _ in range(8):
        if head.head.i == head.i:
            break
        head = head.head
        subj = [c for c in head.children if c.dep_ == "nsubj" and not _pronoun(c)]
        if subj:
            return subj[0]
    return None


def _clause_path(tok: Token) -> Iterator[Token]:
    """Ancestors of `tok`, up to the root."""
    seen = 0
    while tok.head.i != tok.i and seen < 60:
        seen += 1
        yield tok
        tok = tok.head
    yield tok


# ---------------------------------------------------------------- trigger finding


def _verb_pattern(tok: Token, verbs: dict[str, list[Pattern]]) -> Pattern | None:
    if tok.pos_ not in ("VERB",) and not (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
        return None
    if tok.dep_ == "amod":  # a participle describing a noun ("the Indian-administered valley") is a state
        return None
    object_words: dict[str | None, set[str]] = {}  # per preposition: read once, tried on every pattern
    for pat in verbs.get(_lemma(tok), ()):
        if pat.prt and not _has_particle(tok, pat.prt):
            continue
        if pat.prep and not any(c.lower_ == pat.prep for c in tok.children if c.dep_ in ("prep", "prt")):
            continue
        if pat.objects:
            if pat.prep not in object_words:
                object_words[pat.prep] = _object_word_set(tok, pat.prep)
            if not object_words[pat.prep] & pat.objects:
                continue
        if not _flags_hold(tok, pat):
            continue
        return pat
    return None


def _flags_hold(tok: Token, pat: Pattern) -> bool:
    if "intransitive" in pat.flags and _children(tok, "dobj"):
        return False  # "demonstrated the weakness of the plan" is showing, not protesting
    for flag in pat.flags:
        if flag.startswith("adv:") and not any(c.lower_ in flag[4:].split("|") for c in tok.children):
            return False
    if "requires_military_actor" in pat.flags:
        # the force acts: the subject, or in a passive the agent ("were beaten by police")
        agent = [o for a in _children(tok, "agent") for o in _children(a, "pobj")]
        subj = agent or _children(tok, "nsubj", "nsubjpass")
        if not subj:
            return False
        head = subj[0]
        words = {_lemma(head)} | {_lemma(c) for c in head.children if c.dep_ in ("compound", "amod")}
        if not words & MILITARY_HEADS and head.ent_type_ not in ("EQUIPMENT", "MILITARY"):
            return False
    if "requires_person" in pat.flags:
        subj = _children(tok, "nsubj")
        if not subj or subj[0].ent_type_ not in ("PERSON",) and _lemma(subj[0]) not in (
                "president", "minister", "leader", "delegation", "envoy", "secretary", "king", "premier"):
            return False
    return True


def _noun_pattern(tok: Token, nouns: dict[str, list[Pattern]]) -> Pattern | None:
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ not in (
            "dobj", "nsubj", "nsubjpass", "ROOT", "attr", "conj", "appos", "pobj", "compound"):
        return None
    if _lemma(tok) not in nouns:
        return None  # most nouns name no event: the cheap test first
    if tok.ent_type_ in ("DATE", "TIME") or (tok.lower_ == "march" and tok.text[:1].isupper() and tok.i > tok.sent.start):
        return None  # "in March" is a month, not a protest march
    lemma = _lemma(tok)
    if tok.dep_ == "compound" and lemma not in ("peace", "ceasefire"):
        return None
    pats = _noun_patterns(tok, nouns)
    if not pats and _on_strike(tok):
        pats = [p for p in nouns.get(lemma, ()) if p.cameo == "143"]
    if not pats:
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ not in ("of", "in", "to", "into") and not _on_strike(tok):
        return None  # "after the talks", "during demonstrations": background mentions
    if _bare_anaphor(tok):
        return None  # "did not respond to the accusation": the event told before, not a new one
    return pats[0]


def _noun_patterns(tok: Token, nouns: dict[str, list[Pattern]]) -> list[Pattern]:
    """The noun's patterns whose modifier it has: a noun pattern's `objects` are the modifiers it needs
    ("hunger strike", "drone strike"); one without needs none."""
    mods = {_lemma(c) for c in tok.children if c.dep_ in ("compound", "amod")}
    return [p for p in nouns.get(_lemma(tok), ()) if not p.objects or p.objects & mods]


def _modified_noun_pattern(tok: Token, nouns: dict[str, list[Pattern]]) -> Pattern | None:
    pats = _noun_patterns(tok, nouns)
    return pats[0] if pats else None


def _on_strike(noun: Token) -> bool:
    """"went on strike", "are on strike": the labour idiom, whatever the noun's modifiers."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.lower_ == "on" and _lemma(prep.head) in ("go", "be", "remain", "stay")


def _bare_anaphor(noun: Token) -> bool:
    """"the accusation", "this protest": a definite noun with nothing of its own points back."""
    kids = [c for c in noun.children if not c.is_punct]
    return bool(kids) and all(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                              for c in kids) and noun.dep_ in ("pobj", "dobj")


def _obligation_pattern(tok: Token) -> Pattern | None:
    """"X said (that) Y must do Z": a REQUEST by X of Y."""
    if tok.pos_ != "VERB" or tok.dep_ != "ccomp" or _lemma(tok.head) not in SAY_VERBS:
        return None
    if not any(_lemma(c) in OBLIGATION_AUX for c in tok.children if c.dep_ == "aux"):
        return None
    pat = _pattern({"lemma": _lemma(tok), "cameo": "100", "frame": "control", "source": "rule:said-must->REQUEST"})
    return Pattern(**{**pat.__dict__, "flags": pat.flags | {"obligation"}})


def find_candidates(sent: SpacySpan) -> list[Candidate]:
    verbs, nouns = patterns()
    cands: dict[int, Candidate] = {}
    for tok in sent:
        pat = _obligation_pattern(tok)
        if pat is not None:
            cands[tok.i] = Candidate(tok, pat, False)
            continue
        pat = _verb_pattern(tok, verbs)
        if pat is not None and "light" in pat.flags:
            # a light verb and its event noun ("carried out strikes"): the noun is the trigger
            noun = _light_object(tok, pat)
            if noun is not None:  # the noun's own pattern where it has one: its type and recipient words
                cands[noun.i] = Candidate(noun, _modified_noun_pattern(noun, nouns) or pat, True)
            continue
        if pat is not None:
            cands[tok.i] = Candidate(tok, pat, False)
            continue
        if tok.i in cands:
            continue
        pat = _noun_pattern(tok, nouns)
        if pat is not None:
            cands[tok.i] = Candidate(tok, pat, True)
    _nest(cands)
    return sorted(cands.values(), key=lambda c: c.token.i)


def _light_object(verb: Token, pat: Pattern) -> Token | None:
    """The object noun of a light verb that the pattern names."""
    objs = _object_heads(verb)
    if pat.prep:
        objs += [o for p in verb.children if p.dep_ in ("prep", "prt") and p.lower_ == pat.prep
                 for o in _children(p, "pobj")]
    for obj in objs:
        words = _object_words(obj)
        for of in _prep_objects(obj, ("of",)):
            words |= _object_words(of)
        if words & pat.objects:
            return obj
    return None


def _nest(cands: dict[int, Candidate]) -> None:
    """Absorb each trigger into the nearest trigger above it; mark background clauses."""
    for cand in cands.values():
        prev = cand.token
        for anc in list(_clause_path(cand.token))[1:]:
            if prev.dep_ == "conj" and not cand.is_noun:
                break  # a coordinated verb is an event of its own
            if prev.dep_ in BACKGROUND_DEPS and anc.i not in cands and not (
                    prev is cand.token and (_co_event(prev) or _perceived(prev))):
                cand.background = True
            in_prep_clause = prev.dep_ == "pcomp" or (prev.dep_ == "pobj" and prev.head.lower_ in BACKGROUND_PREPS)
            if in_prep_clause and anc.lower_ in BACKGROUND_PREPS and anc.lower_ not in ("in", "for", "over", "as"):
                cand.background = True
            if anc.i in cands:
                owner = cands[anc.i]
                if prev.dep_ == "advcl" and _infinitive_complement(prev, owner):
                    cand.background = False  # "have vowed to retaliate": the parser's advcl is the frame's content
                    cand.absorbed = True
                    owner.content.append(cand)
                    break
                if prev is cand.token and _co_event(prev) and cand.pattern.type != owner.pattern.type:
                    break  # "broke up the rally, arresting twelve": an event of its own, in the foreground
                if prev.dep_ in ("relcl", "acl") or (prev.dep_ == "advcl" and not owner.is_noun):
                    cand.background = True
                    break
                cand.absorbed = True
                owner.content.append(cand)
                break
            prev = anc


def _co_event(clause: Token) -> bool:
    """A bare participle clause ("..., accusing X of Y", "..., killing five") is something the subject
    did too, not a circumstance: no subordinator ("after", "while") and no subject of its own."""
    return (clause.dep_ == "advcl" and clause.tag_ == "VBG"
            and not any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in clause.children))




def _perceived(clause: Token) -> bool:
    """"saw about 40 marines come ashore from the ships": what a witness saw happen is the event, though the
    parser hangs the participle on the seen noun."""
    if clause.dep_ != "acl" or clause.tag_ not in ("VBN", "VBG"):
        return False
    noun = phrase_head(clause.head)
    return noun.dep_ == "dobj" and _lemma(noun.head) in PERCEPTION_VERBS


def _infinitive_complement(clause: Token, owner: Candidate) -> bool:
    """A "to" clause right under a control verb ("vowed to retaliate") is what it frames, even when the
    parser calls it an adverbial clause."""
    return (owner.pattern.frame == "control" and not owner.is_noun and clause.head.i == owner.token.i
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children))


# ---------------------------------------------------------------- modality


def _aux_lemmas(tok: Token) -> set[str]:
    found = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    found |= {_lemma(c) for c in tok.children if c.dep_ in ("aux", "auxpass")}
    return found


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return not _counterfactual(tok)
    return any(c.lower_ in ("never", "no") and c.dep_ in ("advmod", "det") for c in tok.children)


def _counterfactual(tok: Token) -> bool:
    """An unreal past condition: "had X not done it" or "if X had not done it, ... would have". Its
    "not" denies the imagined world, so the event took place (the army did intervene)."""
    had = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and c.lower_ == "had"]
    if not had or tok.dep_ != "advcl":
        return False
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    inverted = bool(subjects) and had[0].i < subjects[0].i
    conditional = any(c.dep_ == "mark" and c.lower_ == "if" for c in tok.children) and any(
        c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in tok.head.children)
    return inverted or conditional


def _intent(tok: Token) -> bool:
    """Promised, planned or future: "will send", "plans to send", "is ready to send"."""
    if _aux_lemmas(tok) & FUTURE_AUX:
        return True
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("xcomp", "ccomp", "acomp") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if _lemma(cur) in INTENT_HEADS or cur.lower_ in INTENT_HEADS:
            return True
        if _aux_lemmas(cur) & FUTURE_AUX:
            return True
    return False


def _hedged(tok: Token) -> bool:
    cur = tok
    for _ in range(3):
        if _aux_lemmas(cur) & MODAL_AUX:
            return True
        if cur.dep_ not in ("xcomp",) or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


# ---------------------------------------------------------------- participants


@dataclass
class Resolved:
    participant: Participant
    token: Token  # the head the participant was read from


def _span_text(tok: Token) -> tuple[int, int]:
    """Character range of the noun phrase headed by `tok`, without clauses or trailing prepositions."""
    keep = [tok]
    stack = [tok]
    while stack:
        cur = stack.pop()
        for c in cur.children:
            if cur is tok and c.dep_ == "case" and tok.dep_ == "poss":
                continue  # "Kigali's release": the actor is Kigali, without the clitic
            if c.dep_ in ("compound", "amod", "poss", "nmod", "det", "nummod", "case", "flat", "quantmod") or (
                    c.dep_ == "prep" and c.lower_ == "of") or (c.dep_ == "pobj" and cur.lower_ == "of"):
                keep.append(c)
                stack.append(c)
    start = min(t.idx for t in keep)
    end = max(t.idx + len(t) for t in keep)
    return start, end


def _entity_span(ctx: Context, tok: Token) -> SpacySpan | None:
    """The named entity a token is in. `doc.ents` builds every span anew on each call, so the token ->
    entity table is made once per document (in ctx.scratch)."""
    if not tok.ent_type_:
        return None
    table = ctx.scratch.get("events.ent_of")
    if table is None or table[0] is not tok.doc:
        by_token: dict[int, SpacySpan] = {}
        for ent in tok.doc.ents:
            for i in range(ent.start, ent.end):
                by_token.setdefault(i, ent)
        table = ctx.scratch["events.ent_of"] = (tok.doc, by_token)
    return table[1].get(tok.i)


def _once_per_document(ctx: Context, name: str, tok: Token, compute):  # noqa: ANN001, ANN202
    """`compute(ctx, tok)`, kept in the document's scratch space: the answer depends only on the document
    and the earlier stages, and the same tokens are asked about many times over."""
    memo = ctx.scratch.setdefault(name, {})
    if tok.i not in memo:
        memo[tok.i] = compute(ctx, tok)
    return memo[tok.i]


def _lookup_token(ctx: Context, tok: Token) -> tuple[Actor | None, SpacySpan | Token | None]:
    """The actor a token names, by the dictionary or the places stage."""
    return _once_per_document(ctx, "events.looked_up", tok, _lookup_token_once)


def _lookup_token_once(ctx: Context, tok: Token) -> tuple[Actor | None, SpacySpan | Token | None]:
    ent = _entity_span(ctx, tok)
    if _stance_prefixed(tok) or (ent is not None and (ent[0].lower_ in STANCE_PREFIXES or _stance_prefixed(ent[0]))):
        return None, None  # "pro-Russian rebels", "an anti-Iran blogger": whom they favour, not whose
    if ent is not None and ent.label_ not in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY",
                                               "ORDINAL", "EQUIPMENT", "PLATFORM"):
        for name in (ent.text, ent.ent_id_):
            if name:
                actor = ctx.dictionary.lookup(name, ctx.year)
                if actor is not None:
                    return actor, ent
        # "the Sierra Leone militias", "U.S. forces": the longest dictionary name inside the entity
        words = [t.text for t in ent]
        for n in range(len(words) - 1, 0, -1):
            for i in range(len(words) - n + 1):
                actor = ctx.dictionary.lookup(" ".join(words[i:i + n]), ctx.year)
                if actor is not None:
                    return actor, ent
        place = _place_actor(ctx, ent)
        if place is not None:
            return place, ent
    actor = ctx.dictionary.lookup(tok.text, ctx.year)
    if actor is not None and actor.kind in ("country", "demonym", "capital", "org", "body", "person"):
        return actor, tok
    found = _inexact_lookup(ctx, tok, ent)
    if found[0] is None and tok.pos_ == "NOUN":
        return _described_country(ctx, tok)
    return found


# a pure function of one word that scans every country name: asked again for the same words in every article
_fuzzy_country = lru_cache(maxsize=4096)(fuzzy_country)


def _described_country(ctx: Context, tok: Token) -> tuple[Actor | None, SpacySpan | Token | None]:
    """"the Gulf kingdom": a country the entities stage joined to a description of it."""
    if "events.descriptions" not in ctx.scratch:  # once per document: (start, end, country) of each description
        ctx.scratch["events.descriptions"] = [
            (m.start, m.end, e) for e in ctx.record.entities if e.type == "GPE" and e.country
            for m in e.mentions if m.text[:4].lower() == "the "]
    for start, end, entity in ctx.scratch["events.descriptions"]:
        if start <= tok.idx < end:
            return Actor(name=entity.name, type="GPE", kind="country", country=entity.country), tok
    return None, None


def _inexact_lookup(ctx: Context, tok: Token, ent: SpacySpan | None) -> tuple[Actor | None,
                                                                                SpacySpan | Token | None]:
    """Names the dictionary lacks as written: a person known only by a surname several known people of
    one country share ("President Bush" -> USA, no sector: which Bush is unknown), and a misspelt
    country name or demonym ("Ethopia", "Afganistan")."""
    if ent is not None and ent.label_ == "PERSON":
        country = surname_country(ent[-1].text)
        if country:
            return Actor(name=ent.text, type="PERSON", kind="person", country=country), ent
        return None, None
    # a capital letter says "name" only inside a sentence; at its start only the tagger can say so
    if tok.text[:1].isupper() and (tok.pos_ == "PROPN" or tok.pos_ in ("ADJ", "NOUN") and tok.i > tok.sent.start):
        found = _fuzzy_country(tok.text)
        if found is not None:
            return found, tok
    return None, None


def _place_actor(ctx: Context, ent: SpacySpan) -> Actor | None:
    """A city, region or base the dictionary lacks ("Bamako", "the Kursk region") stands for its
    country: read from the places stage, which resolved it with the article's context."""
    # The places stage may know a name the NER mislabelled ("El Fasher" as an ORG): trust it only when
    # it covers the whole name and the gazetteer has no rival for it.
    place_label = ent.label_ in ("GPE", "LOC", "FAC")
    for start, end, loc in ctx.scratch.get("places", ()):
        if not (start <= ent.start_char < end) or not loc.country:
            continue
        if (loc.confidence or 0) >= 0.5 and place_label or (
                (start, end) == (ent.start_char, ent.end_char) and (loc.confidence or 0) >= 0.95):
            return Actor(name=loc.text, type="GPE", kind="place", country=loc.country)
    return None


def _resolve_country(ctx: Context, head: Token) -> tuple[Actor | None, SpacySpan | Token | None]:
    """Breadth-first over the noun phrase: the head, then its modifiers, then 'of/in/by' objects."""
    return _once_per_document(ctx, "events.resolved", head, _resolve_country_once)


def _resolve_country_once(ctx: Context, head: Token) -> tuple[Actor | None, SpacySpan | Token | None]:
    located = _people_located(ctx, head)
    if located[0] is not None:
        return located
    office = _office_of(ctx, head)
    if office[0] is not None:
        return office
    queue = [head]
    later: list[Token] = []  # prepositional phrases: after every modifier of the noun phrase itself
    seen = {head.i}
    steps = 0
    ngo: Token | None = None  # a named association or forum: NGO unless the phrase names a country
    while (queue or later) and steps < 40:
        steps += 1
        cur = queue.pop(0) if queue else later.pop(0)
        if cur.dep_ == "poss" and cur.lower_ in POSSESSIVE_PRONOUNS:  # "their forces": whose forces?
            owner = _possessor(cur)
            if owner is not None and owner.i not in seen:
                seen.add(owner.i)
                queue.append(owner)
            continue
        actor, where = _lookup_token(ctx, cur)
        if actor is not None and actor.country:
            return actor, where
        if ngo is None and cur.pos_ == "PROPN" and ctx.dictionary.sector_of(cur.lower_) == "NGO":
            ngo = cur
        kids = sorted(cur.children, key=lambda c: (c.dep_ not in ("poss", "compound", "amod"), abs(c.i - cur.i)))
        found: list[Token] = []
        for c in kids:
            if c.i in seen:
                continue
            if c.dep_ in ("poss", "compound", "amod", "nmod", "flat", "appos", "npadvmod") or (
                    c.dep_ == "prep" and c.lower_ in ("of", "in", "from", "by", "for")) or (
                    c.dep_ == "pobj" and cur.dep_ == "prep") or (
                    c.dep_ == "acl" and _lemma(c) in BASED_VERBS):  # "a newspaper based in Beirut"
                seen.add(c.i)
                found.append(c)
        # the modifiers of a prepositional object come before its siblings: in "the withdrawal of
        # Serbian forces from Bosnia" the forces are Serbian, whatever the "from" phrase says; and
        # "Kenyan President Ruto in Tokyo" is Kenyan, whatever the "in" phrase says
        if cur.dep_ in ("pobj", "prep"):
            queue = found + queue
        else:
            queue += [c for c in found if c.dep_ != "prep"]
            later += [c for c in found if c.dep_ == "prep"]
    if ngo is not None:
        return Actor(name=ngo.text, type="ORG", kind="org", country="NGO", sector="NGO"), ngo
    return None, None


STANCE_PREFIXES = frozenset({"anti", "pro"})


def _stance_prefixed(tok: Token) -> bool:
    """"an anti-Iran blogger", "pro-Iranian militias": the name says whom they are for or against,
    not whose they are."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in STANCE_PREFIXES:
        return True
    return tok.i >= 1 and doc[tok.i - 1].lower_ in ("anti-", "pro-")


def _office_of(ctx: Context, head: Token) -> tuple[Actor | None, SpacySpan | Token | None]:
    """"Jan Novak, the United Nations special envoy": a person introduced by an office
    in an international body acts for that body (IGO, NGO ...), whatever his nationality."""
    for appos in _children(head, "appos"):
        actor, where = _lookup_token(ctx, appos)
        if actor is None:
            for tok in appos.subtree:
                if tok.ent_type_ == "ORG":
                    actor, where = _lookup_token(ctx, tok)
                    break
        if actor is not None and actor.country in NON_STATE_CODES:
            return actor, where
    return None, None


def _people_located(ctx: Context, head: Token) -> tuple[Actor | None, SpacySpan | Token | None]:
    """A people named by where it lives is coded by that country: "Hungarians in south Slovakia",
    "the Hungarians of southern Slovakia" -> SVK, not HUN (CAMEO codes residents, not ethnicity)."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return None, None
    own, _ = _lookup_token(ctx, head)
    if own is None or own.kind != "demonym":
        return None, None
    for obj in _prep_objects(head, ("in", "of", "from")):
        actor, where = _lookup_token(ctx, obj)
        if actor is not None and actor.country and actor.kind in ("country", "capital", "place"):
            return actor, where
    return None, None


def _possessor(pron: Token) -> Token | None:
    """The owner of "its/their" in "X said their forces had withdrawn": the nearest governing subject
    that is not the possessed phrase itself."""
    inside = {t.i for t in pron.head.subtree}
    cur = pron.head
    for _ in range(8):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside and not _pronoun(c):
                return c
    return None


# Heads that name a position in some body, not the body: the modifier says which ("rebel leader").
GENERIC_HEADS = frozenset({"leader", "chief", "head", "spokesman", "spokeswoman", "spokesperson", "official",
                           "member", "commander", "representative", "envoy", "delegation"})


def _sector(ctx: Context, head: Token, actor: Actor | None, where: SpacySpan | Token | None) -> str | None:
    """A named body, group or person keeps its own sector; a country or demonym that only
    modifies the head noun gives way to the head's sector ("Israeli troops" -> MIL)."""
    head_is_name = where is not None and (
        (isinstance(where, Token) and where.i == head.i) or (isinstance(where, SpacySpan) and head in where))
    if actor is not None and actor.sector and (head_is_name or actor.kind not in ("country", "demonym", "capital")):
        return actor.sector
    comps = [c for c in head.children if c.dep_ == "compound" and not c.ent_type_]
    for c in comps:
        two = ctx.dictionary.sector_of(f"{c.lower_} {head.lower_}")
        if two:
            return two
    found = _modifier_sector(ctx, head) if _lemma(head) in GENERIC_HEADS else None
    found = found or ctx.dictionary.sector_of(head.lower_) or ctx.dictionary.sector_of(_lemma(head))
    if found:
        return found
    for c in head.children:  # "military planes", "police officers"; "rebel leader Juan Perez"
        if c.dep_ in ("amod", "compound") and not c.ent_type_:
            found = (_modifier_sector(ctx, c) if _lemma(c) in GENERIC_HEADS else None) or ctx.dictionary.sector_of(c.lower_)
            if found:
                return found
    return None


def _modifier_sector(ctx: Context, head: Token) -> str | None:
    """"rebel leader", "army chief", "union spokesman": the body the position is in decides the sector."""
    for c in head.children:
        if c.dep_ in ("amod", "compound") and not c.ent_type_:
            found = ctx.dictionary.sector_of(c.lower_) or ctx.dictionary.sector_of(_lemma(c))
            if found:
                return found
    return None


class Bare(Participant):
    """A participant known only by its words ("six farmers", "a crowded market"): named in the event, but
    it ties it to no state, body or named group. Made a plain Participant when the event is stored."""


CROWD_COUNTS = frozenset({"dozens", "scores", "hundreds", "thousands", "tens", "millions", "crowds"})


def resolve_participant(ctx: Context, head: Token | None, home: str | None = None,
                        fallback: bool = True, bare: bool = False) -> Participant | None:
    """The participant a head names. A domestic body or person the phrase gives no country takes
    `home` when given (the actor's jurisdiction), else the article's country; `fallback=False` leaves
    such a participant without a country. A common noun that names no country, sector or entity ("six
    farmers", "a crowded market") is no participant unless `bare`: then it is one by its words alone."""
    if head is not None and (head.pos_ == "NUM" or head.ent_type_ == "CARDINAL" or head.lower_ in CROWD_COUNTS):
        # "hundreds of people", "thousands of students": the people act, not the number; a bare
        # "Thousands rallied" names its crowd by the number alone
        crowd = last = head
        for _ in range(3):  # "tens of thousands of farmers"
            head = next((o for p in _children(last, "prep") if p.lower_ == "of" for o in _children(p, "pobj")),
                        None)
            if head is None or head.lower_ not in CROWD_COUNTS:
                break
            last = head
        if head is None and bare and last.lower_ in CROWD_COUNTS:
            return Bare(text=ctx.text[crowd.idx:last.idx + len(last)])
    if head is None or head.pos_ in ("PUNCT", "NUM"):
        return None
    if _pronoun(head):
        head = _resolve_pronoun(head) or _previous_subject(head)
        if head is None:
            return None
    actor, where = _resolve_country(ctx, head)
    source = _source_phrase(ctx, head, where) if actor is not None else None
    if source is not None:  # "rebuffed a request from Beirut": Beirut, whose request it was
        head = source
    start, end = _span_text(head)  # the mention in this sentence, even when an antecedent resolves it
    if actor is None:
        antecedent = _antecedent(ctx, head)
        if antecedent is not None:
            actor, where = _resolve_country(ctx, antecedent)
            head = antecedent if actor is not None else head
    text = ctx.text[start:end]  # doc.text joins every token: per participant, it made long texts quadratic
    if where is not None:
        w_start = where.start_char if isinstance(where, SpacySpan) else where.idx
        w_end = where.end_char if isinstance(where, SpacySpan) else where.idx + len(where)
        entity = ctx.entity_at(w_start, w_end) or ctx.entity_at(start, end)
    else:
        entity = _unprefixed_entity(ctx, head, start, end)
    sector = _sector(ctx, head, actor, where)
    country = actor.country if actor is not None else None
    if country is None and entity is not None:  # the entities stage may know more ("Mr Mayorca")
        record = next((e for e in ctx.record.entities if e.id == entity), None)
        if record is not None:
            country, sector = record.country, sector or record.sector
    if country is None and sector is None and entity is None and head.pos_ not in ("PROPN",):
        if bare and head.pos_ == "NOUN":
            return Bare(text=text)
        return None  # "the plan", "the area": not an actor
    if country is None:  # "families escaping the fighting in Yemen": where the phrase's own clause points
        country = _clause_country(ctx, head)
    if country is None and fallback and _domestic(head, sector):
        country = home or document_country(ctx)
    return Participant(text=text, entity=entity, country=country, sector=sector)


SOURCE_PREPS = frozenset({"from", "by"})


def _source_phrase(ctx: Context, head: Token, where: SpacySpan | Token | None) -> Token | None:
    """A thing said, asked or offered ("a request from Beirut", "an offer of talks from the militia",
    "allegations by the government"), or an act named by a noun ("a strike by postal workers"), stands for
    whoever it comes from: the from/by phrase that named the country."""
    if where is None or head.pos_ != "NOUN" or head.ent_type_:
        return None
    if _lemma(head) not in role_words()["message_heads"] and _lemma(head) not in patterns()[1]:
        return None  # nor an event noun ("a strike by postal workers"): "aid groups from Darfur" come from it
    tok = where.root if isinstance(where, SpacySpan) else where
    for _ in range(6):
        if tok.head.i == tok.i or tok.i == head.i:
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ in SOURCE_PREPS:
            owner = tok.head.head  # the head itself, or what it is "of" ("an offer of talks from X")
            if owner.i == head.i or (owner.dep_ == "pobj" and owner.head.lower_ == "of" and owner.head.head.i == head.i):
                return tok
        tok = tok.head
    return None


def _unprefixed_entity(ctx: Context, head: Token, start: int, end: int) -> str | None:
    """The entity a phrase mentions, unless it is only the target of an "anti-"/"pro-" modifier."""
    entity = ctx.entity_at(start, end)
    if entity is None:
        return None
    for tok in head.subtree:
        if start <= tok.idx < end and _stance_prefixed(tok) and ctx.entity_at(tok.idx, tok.idx + len(tok)) == entity:
            return None
    return entity


def _clause_country(ctx: Context, head: Token) -> str | None:
    for tok in _clause_modifier_heads(head):
        actor, _ = _lookup_token(ctx, tok)
        if actor is not None and actor.country:
            return actor.country
    return None


# Nouns a report uses in turn for the same things: "three frigates docked ... the warships were sent".
NOUN_KINDS = {lemma: kinds[0] for kinds in (
    ("aircraft", "plane", "jet", "warplane", "airplane", "airliner", "bomber", "fighter"),
    ("ship", "vessel", "warship", "boat", "frigate", "corvette", "destroyer"),
    ("troop", "soldier", "serviceman"),
) for lemma in kinds}


def _noun_kind(lemma: str) -> str:
    return NOUN_KINDS.get(lemma, lemma)


def _antecedent(ctx: Context, head: Token) -> Token | None:
    """Definite anaphora: "the planes" is the nearest earlier noun phrase of the article with the same
    head lemma that names its country ("Three Chinese military transport planes")."""
    if head.pos_ != "NOUN" or not any(c.lower_ in ("the", "these", "those") for c in head.children
                                      if c.dep_ == "det"):
        return None
    if any(c.dep_ in ("compound", "amod", "poss", "nmod") for c in head.children):
        return None  # "the Ream naval base" names a thing of its own
    kind = _noun_kind(_lemma(head))
    start = head.sent.start
    for i in reversed(_nouns_by_kind(ctx, head.doc).get(kind, ())):
        if i >= start:
            continue
        tok = head.doc[i]
        actor, _ = _resolve_country(ctx, tok)
        if actor is not None and actor.country:
            return tok
    return None


def _nouns_by_kind(ctx: Context, doc: Doc) -> dict[str, list[int]]:
    """Token indices of the document's common nouns by their kind, in order: made once per document, as
    every definite description used to rescan the whole text before it."""
    found = ctx.scratch.get("events.nouns")
    if found is None or found[0] is not doc:
        table: dict[str, list[int]] = {}
        for tok in doc:
            if tok.pos_ == "NOUN":
                table.setdefault(_noun_kind(_lemma(tok)), []).append(tok.i)
        found = ctx.scratch["events.nouns"] = (doc, table)
    return found[1]


def _domestic(head: Token, sector: str | None) -> bool:
    """A person, an unnamed state body or a group the text gives no country ("President Ruto",
    "the Foreign Ministry", "opposition leaders"): in news these are, unless named as foreign,
    of the country the article is about."""
    if head.ent_type_ == "PERSON" or any(t.ent_type_ == "PERSON" for t in head.children if t.dep_ == "compound"):
        return True
    return sector in DOMESTIC_SECTORS


def _previous_subject(pron: Token) -> Token | None:
    """A sentence-opening "It/They denied ..." refers to the subject of the sentence before."""
    if pron.dep_ not in ("nsubj", "nsubjpass") or pron.lower_ not in ("it", "they", "he", "she"):
        return None
    sent = pron.sent
    if sent.start == 0:
        return None
    prev = pron.doc[sent.start - 1].sent
    subj = [c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass") and not _pronoun(c)]
    return subj[0] if subj else None


def _with_conjuncts(tok: Token | None) -> list[Token]:
    if tok is None:
        return []
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN"):
            out.append(c)
    return out


def _verbal_source(cand: Candidate) -> list[Token]:
    """A thing said that an object's verb receives names its sayer with "from": "drew condemnation from
    France", "faced criticism from Rome"; the verb's subject is then whom it is said of."""
    tok = cand.token
    if not cand.is_noun or cand.pattern.type not in VERBAL_TYPES or tok.dep_ != "dobj" \
            or _lemma(tok.head) not in role_words()["receiving_verbs"]:
        return []
    return _prep_objects(tok, ("from",))[:1] or _prep_objects(tok.head, ("from",))[:1]


def _actor_heads(cand: Candidate) -> list[Token]:
    tok = cand.token
    if cand.is_noun:
        for c in tok.children:
            if c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE", "ORG"))):
                return [c]
        for prep in _children(tok, "prep"):
            if prep.lower_ == "by":
                return _children(prep, "pobj")[:1]
        source = _verbal_source(cand)
        if source:  # "drew condemnation from France": the condemnation is France's
            return source
        if tok.dep_ == "nsubjpass":  # "strikes were carried out by X": the light verb's agent
            return _with_conjuncts(next(iter(o for a in _children(tok.head, "agent") for o in _children(a, "pobj")), None))
        if tok.dep_ in ("dobj", "attr") or (tok.dep_ == "pobj" and tok.head.dep_ == "prep"):
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            for _ in range(3):  # "approved 40 million dollars in aid": the verb above the measured noun
                if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                    break
                verb = verb.head
            if _lemma(verb) in PERCEPTION_VERBS or _lemma(verb) in RESPONSE_VERBS:
                return []  # "patrols heard gunfire", "did not respond to a request": someone else's act
            subj = _subject(verb)
            return _with_conjuncts(subj)
        return []
    if "obligation" in cand.pattern.flags:
        return _with_conjuncts(_subject(tok.head))
    agents = [p for p in _children(tok, "agent")]
    if _reduced_passive(tok) is not None:  # "Opposition leader arrested by police": only the agent acts
        return _with_conjuncts(next(iter(_children(agents[0], "pobj")), None)) if agents else []
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    if not agents and passive:  # "assaulted and robbed by youths": the agent hangs on the last conjunct
        agents = [a for c in tok.children if c.dep_ == "conj" for a in _children(c, "agent")]
    if agents:
        return _with_conjuncts(next(iter(_children(agents[0], "pobj")), None))
    holder = _children(tok, "nsubjpass")
    if holder and cand.pattern.type == "AGREE" and cand.pattern.frame == "control":
        return _with_conjuncts(holder[0])  # "Tunisia is committed to holding elections": a stance, its holder acts
    if passive and not holder and tok.dep_ in ("xcomp", "pcomp", "advcl", "ccomp"):
        return []  # "drivers reported being assaulted": who reports it is the victim, not the attacker
    subj = _dateline_subject(_subject(tok))
    if subj is None or subj.dep_ == "nsubjpass" or tok.tag_ == "VBN":
        for flag in cand.pattern.flags:  # "soldiers unloaded from the cargo ships": the ships' owner acts
            if flag.startswith("actor_prep:"):
                found = _prep_objects(tok, (flag.split(":", 1)[1],))
                if found:
                    return found[:1]
    moved = _children(tok, "nsubjpass")
    if subj is None and moved and cand.pattern.type == "MOBILIZE":
        # "The ships were sent to Libya": a force moved with no agent named acts for its own country
        return _with_conjuncts(moved[0])
    if subj is not None and subj.dep_ == "nsubjpass" and subj.head.i == tok.i:
        return []  # the verb's own passive subject undergoes it (a raised one, "X is said to have", acts)
    return _with_conjuncts(subj)


def _reduced_passive(verb: Token) -> Token | None:
    """Headline passives drop the auxiliary: "Seven soldiers killed in border clash", "Opposition leader
    arrested at airport". A past participle with no auxiliary that heads the sentence over a subject, or
    hangs on the sentence's head noun, is passive: the noun is what the act is done to."""
    if verb.tag_ != "VBN" or any(c.dep_ in ("aux", "auxpass") for c in verb.children) or _children(verb, "dobj"):
        return None
    if verb.dep_ == "ROOT":
        subj = _children(verb, "nsubj")
        return subj[0] if subj else None
    if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    return None


def _dateline_subject(subj: Token | None) -> Token | None:
    """"VILNIUS, Feb 26 - The ministers met": the parser may take the dateline's date for the
    subject and hang the real subject on it as an apposition."""
    if subj is None:
        return None
    opens_dateline = subj.i == subj.sent.start and subj.is_upper and subj.nbor(1).text == "," \
        if subj.i + 1 < len(subj.doc) else False
    if not (opens_dateline or subj.ent_type_ in ("DATE", "CARDINAL") or subj.lower_[:3] in MONTHS):
        return subj
    appos = [c for c in subj.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")
             and c.ent_type_ not in ("DATE", "OUTLET", "ORG") and c.lower_[:3] not in MONTHS]
    return appos[0] if appos else subj


def _prep_objects(tok: Token, preps: Iterable[str]) -> list[Token]:
    found = []
    children = _children(tok, "prep", "dative")
    # "pulling out of Abkhazia", "moved away from": a particle parsed as a preposition holds the real one
    children += [p for c in children if c.lower_ in ("out", "away", "off", "back") and not _children(c, "pobj")
                 for p in _children(c, "prep")]
    for word in preps:
        for prep in children:
            if prep.lower_ == word:
                found += _children(prep, "pobj") or _stranded_object(prep)
    return found


def _stranded_object(prep: Token) -> list[Token]:
    """A preposition the parser left without its object because the noun phrase after it was taken
    as the subject of a following clause ("gave asylum to three activists sheltering in ..."):
    the noun phrase that starts right after the preposition, or the subject of the clause hung on it."""
    for clause in _children(prep, "pcomp"):
        subj = [t for t in _children(clause, "nsubj", "nsubjpass") if t.i == prep.i + 1 or t.i > prep.i]
        if subj and not _pronoun(subj[0]):
            return subj[:1]
    if any(prep.children) or prep.i + 1 >= len(prep.doc):
        return []
    tok = prep.doc[prep.i + 1]
    for _ in range(6):
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod", "poss", "nmod", "flat"):
            return [tok] if tok.dep_ in ("nsubj", "nsubjpass") and tok.i > prep.i else []
        if tok.dep_ not in ("det", "nummod", "amod", "compound", "poss", "nmod", "flat", "quantmod", "case"):
            return []
        tok = tok.head
    return []


FORCE_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION"})
GOAL_PREPS = ("to", "into", "onto", "toward", "towards")  # where a thing handed, sent or moved ends up
FACING_PREPS = ("along", "opposite", "facing", "toward", "towards", "near")


def _beyond_own(objs: list[Token]) -> list[Token]:
    """"to its border with Finland", "along its coast opposite Taiwan": the actor's own border or coast is
    no recipient; the state it faces is."""
    out: list[Token] = []
    for obj in objs:
        if _own_possession(obj):
            out += _prep_objects(obj, ("with", "opposite", "facing", "near", "of"))
    return out


def _dative_objects(tok: Token) -> list[Token]:
    """The indirect object: a bare noun ("lent Vietnam") or the object of a dative "to"."""
    out: list[Token] = []
    for d in _children(tok, "dative"):
        out += _children(d, "pobj") if d.pos_ == "ADP" else [d]
    return out


def _asked_of(verb: Token) -> list[Token]:
    """Whom a thing is asked of: the "from" phrase of the asking verb or of the thing asked ("sought
    credit from the IMF", "requested fuel from Algeria"), and the addressee of the message it is asked
    in ("demanded elections in a letter to the commission"). An act asked for keeps its own "from"
    ("demanded the withdrawal of forces from Syria": where they leave)."""
    heads: list[Token] = []
    objs = _children(verb, "dobj")
    if not any(_lemma(o) in patterns()[1] for o in objs):
        heads += [o for o in _prep_objects(verb, ("from",)) if not _own_possession(o)]
        for obj in objs:
            heads += [o for o in _prep_objects(obj, ("from",)) if not _own_possession(o)]
    for msg in _prep_objects(verb, ("in", "through", "via")):
        if _lemma(msg) in role_words()["message_heads"]:
            heads += _prep_objects(msg, ("to",))
    return heads


def _recipient_heads(cand: Candidate) -> list[Token]:
    """Candidate recipient heads, best first; the first that resolves to an actor wins."""
    tok = cand.token
    pat = cand.pattern
    heads: list[Token] = []
    if "obligation" in pat.flags:
        heads += _children(tok, "nsubj")
    if not cand.is_noun:
        undergoer = _reduced_passive(tok)
        if undergoer is not None:
            heads.append(undergoer)
        if pat.type != "MOBILIZE":  # "police were deployed to the scene": the force moved is no recipient
            for moved in _children(tok, "nsubjpass"):
                if _lemma(moved) in patterns()[1] and pat.type not in FORCE_TYPES:
                    # "Spain's transfer of six tanks to Latvia was completed": the moved thing is an act
                    heads += _prep_objects(moved, GOAL_PREPS) + _goods_goal(moved)
                heads.append(moved)  # "arms sales to X were halted": to whom the halted thing went
                heads += _prep_objects(moved, pat.recipient)
        heads += _dative_objects(tok)  # "lent Vietnam $2 billion", "gave tanks to Ukraine"
        if pat.type == "REQUEST":  # "sought a loan from the IMF", "demanded X in a letter to Y": whom it is asked of
            heads += _asked_of(tok)
        if pat.objects:  # "summoned the Spanish ambassador", "received the delegation": the person asked for
            heads += [o for o in _children(tok, "dobj") if _lemma(o) in role_words()["person_heads"]
                      and _lemma(o) in pat.objects and not _own_possession(o)]
            if pat.type in FORCE_TYPES:  # "beat three students": a force pattern that asks for a person
                heads += [o for o in _children(tok, "dobj") if _lemma(o) in PERSON_NOUNS  # names its victim
                          and _lemma(o) in pat.objects and not _own_possession(o)]
        for obj in _children(tok, "dobj"):  # "lent the nation billions": the receiver glued onto the sum
            if _is_time(obj):
                heads += [c for c in obj.children if c.dep_ in ("compound", "nmod") and c.pos_ in ("NOUN", "PROPN")
                          and not _is_time(c)]
        facing = _prep_objects(tok, FACING_PREPS)  # "massed troops opposite Taiwan"
        dobj = _direct_objects(tok)
        towards = _prep_objects(tok, pat.recipient)
        if dobj and pat.type in ("ASSAULT", "COERCE"):  # "whipped two women with cables": once an act of
            towards = [o for o in towards if not _weapon(o)]  # violence has its victim, "with" a thing is the weapon
        if pat.type in ("ASSAULT", "COERCE") and not pat.objects:  # "kidnapped nine nurses near Bunia": the
            heads += [o for o in dobj if not _own_possession(o)]  # victims, then where
        heads += [o for o in facing if not _own_possession(o)]
        heads += _beyond_own(towards + facing)
        pattern_object = pat.objects and dobj and _object_matches(tok, pat.objects)
        # "flew to Lima for talks with her counterpart": the partner of the purpose, before the destination
        heads += [w for f in _prep_objects(tok, ("for",)) for w in _prep_objects(f, ("with", "between"))
                  if not _own_possession(w)]
        if dobj and pat.type not in FORCE_TYPES:
            # "handed the fugitive to the police", "shared data with Poland": the goal, then the theme; in
            # an act of force the object is the victim ("deported the activist to X")
            goal_preps = GOAL_PREPS + (() if pat.type in HOSTILE else ("with",))
            heads += [o for o in _prep_objects(tok, goal_preps) if not _own_possession(o)]
            # the goal hung on the goods: "gifted 75 ambulances to Nepal's provinces", "blankets and stoves to"
            heads += [o for obj in dobj for o in _prep_objects(obj, goal_preps) if not _own_possession(o)]
        heads += _beneficiaries(tok, pat.type, dobj)  # "financed 18 howitzers for Ukraine", "stood behind X"
        if not pattern_object:
            heads += [o for o in dobj if not _own_possession(o)]
        # "filed a case against Russia at the court": whom the thing done is against, before where it is brought
        heads += [o for obj in dobj for o in _prep_objects(obj, ("against",)) if not _own_possession(o)]
        heads += [o for o in towards if not _own_possession(o)]  # "received him at his palace": his own
        if pat.objects and not dobj:  # "allowed UN inspectors to visit": the object parsed as the clause's subject
            heads += [s for c in _children(tok, "ccomp", "xcomp") for s in _children(c, "nsubj")]
        for obj in dobj:  # "imposed sanctions on X", "rejected a request by X", "condemned Peru's arrest of"
            heads += [c for c in obj.children if c.dep_ == "poss" and not _pronoun(c)]
            if pattern_object:  # "summoned the British ambassador": whose ambassador
                heads += [c for c in obj.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")]
            for goods in _prep_objects(obj, ("of",)):  # "300 boxes of vaccines to the Red Cross"
                heads += _prep_objects(goods, pat.recipient)
            heads += _prep_objects(obj, ("of", "by", "from") + pat.recipient + GROUP_PREPS)
            if not pattern_object and not _own_possession(obj):
                heads.append(obj)  # "sent corvettes": the corvettes are what is sent, not to whom
        for obj in dobj:
            heads += _clause_modifier_heads(obj)
    else:
        if _verbal_source(cand):  # "Russia's shelling of X drew condemnation from France": said of Russia
            subj = _subject(tok.head)
            if subj is not None:
                heads += [subj] + [c for c in subj.children if c.dep_ == "poss" and not _pronoun(c)]
        heads += _prep_objects(tok, pat.recipient)
        if pat.type not in FORCE_TYPES:  # "Norway's donation of 50 ambulances to Moldova": where the goods go
            heads += _goods_goal(tok)
        gov = _governing_verb(tok)
        heads += _beneficiaries(tok, pat.type, [])  # "aid for X"
        if gov is not None:  # light verb + noun: "held talks with X", "engaged in talks with X"
            heads += _prep_objects(gov, pat.recipient)
            heads += _beneficiaries(gov, pat.type, [])  # "threw its support behind X"
        # a nominal event's "of" phrase is its patient once the agent has a slot of its own ("X's
        # bombing of Y", "the release of Y by X") or is the subject of the verb that governs it
        # ("X announced the pardon of Y"); the actor's own ("the withdrawal of its troops") is not
        heads += [o for o in _prep_objects(tok, ("of",)) if not _own_possession(o)]
    verb = _governing_verb(tok) if cand.is_noun else tok
    refusal = pat.type == "REJECT"
    heads += _stance_objects(tok, refusal)
    if verb is not None and verb.i != tok.i:
        heads += _stance_objects(verb, refusal)
    if refusal:  # "refused to step down despite pressure from X": the pressure hangs on the refused act
        for comp in _children(tok, "xcomp"):
            heads += _stance_objects(comp, refusal)
    # the purpose comes last: "fired shots to scatter protesters", "went on hunger strike to press for ..."
    if verb is not None:
        heads += _purpose_objects(verb)
        heads += _addressees(verb)  # last: "'We reject these terms,' the minister told the Chilean envoy"
    # "troops along its border with Eritrea", however the phrase attaches: the state the actor's own
    # border faces stands where the border stood
    heads = [w for h in heads for w in (_beyond_own([h]) if _own_possession(h) else []) + [h]]
    return [h for h in heads if not _is_time(h)]


CLAUSE_CHAIN = frozenset({"xcomp", "conj", "acomp", "advcl"})  # "will not be ready to sign", "... and will leave"


def _addressees(verb: Token) -> list[Token]:
    """A quote or reported clause is said to someone and of someone: "'Your demands are unacceptable,'
    the minister told the Turkish ambassador", "'We reject their claims,' the minister said of Algeria",
    "X told the IAEA it would not allow inspections". The addressee and the one spoken of are whom the
    clause's event is with, when the clause names nobody itself; an audience ("told reporters", "said at a
    news conference") is nobody's recipient."""
    clause = verb
    for _ in range(4):
        if clause.dep_ != "ccomp" and clause.dep_ in CLAUSE_CHAIN and clause.head.i != clause.i:
            clause = clause.head
    if clause.dep_ != "ccomp" or _lemma(clause.head) not in SAY_VERBS:
        return []
    say = clause.head
    heads = [o for o in _children(say, "dobj", "dative") if o.i != clause.i and o.pos_ in ("NOUN", "PROPN")]
    heads += _prep_objects(say, ("to", "of"))
    audience = role_words()["audience_heads"]
    return [h for h in heads if _lemma(h) not in audience and not _pronoun(h) and not _news_outlet(h)]


def _news_outlet(tok: Token) -> bool:
    """"told Reuters", "said to the BBC": a named news organisation (the actor dictionary's media) is an
    audience too."""
    if tok.pos_ != "PROPN":
        return False
    doc, start, end = tok.doc, tok.i, tok.i + 1
    if tok.ent_type_:  # the whole entity the token is in, from the IOB tags (doc.ents builds every span)
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    actor = dictionary().lookup(doc[start:end].text)
    return actor is not None and actor.kind == "media"


def _goods_goal(noun: Token) -> list[Token]:
    """Where what a transfer noun moves ends up: "the gift of ten boats to the coast guard" (the goal hangs
    on the goods as often as on the noun)."""
    return [g for goods in _prep_objects(noun, ("of",)) for g in _prep_objects(goods, GOAL_PREPS)
            if not _own_possession(g)]


def _beneficiaries(verb: Token, type_: str, dobj: list[Token]) -> list[Token]:
    """Whom an act is for, by its type (data/roles.yaml: beneficiary_preps): "financed 18 howitzers for
    Ukraine" (AID: the goods' or the verb's "for"), "stood firmly behind Azerbaijan" (SUPPORT)."""
    preps = tuple(role_words().get(f"beneficiary_preps_{type_.lower()}", ()))
    if not preps:
        return []
    found = _prep_objects(verb, preps) + [o for obj in dobj for o in _prep_objects(obj, preps)]
    return [o for o in found if not _own_possession(o) and not _is_time(o)]


def _weapon(obj: Token) -> bool:
    """The object of "with" that names a thing, not a state or group: what an act is done with (in a
    sanction "with" names the partner: "suspended its dialogue with X", so only acts of force ask)."""
    return obj.head.lower_ == "with" and obj.pos_ == "NOUN" and not obj.ent_type_ and _lemma(obj) not in PERSON_NOUNS


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun trigger is the object of: "began a hunger strike", "went on strike", "strikes
    were carried out"."""
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        return noun.head.head
    return None


GROUP_PREPS = ("among", "between")
PRESSURE_NOUNS = frozenset({"pressure", "call", "demand", "appeal", "request", "plea", "urging", "ultimatum"})  # "peace efforts among Sudan's factions"
STANCE_NOUNS = frozenset({"protest", "defiance", "opposition", "retaliation", "response", "solidarity"})
PURPOSE_PREPS = ("of", "for", "against", "on", "to", "from", "by", "with", "among", "between", "over", "at")


def _direct_objects(tok: Token) -> list[Token]:
    """Direct objects with their conjuncts ("launched mortar, rocket and machine-gun rounds against X"), and an
    object shifted behind an "as" phrase ("condemned as a provocation Belarus's detention of ...")."""
    out: list[Token] = []
    for obj in _children(tok, "dobj", "dative"):
        out.append(obj)
        conj = obj
        for _ in range(6):  # "mortar, rocket and machine-gun rounds": each conjunct hangs on the one before
            conj = next((c for c in conj.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")), None)
            if conj is None:
                break
            out.append(conj)
    for as_obj in _prep_objects(tok, ("as",)):
        out += [c for c in as_obj.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")]
    return out


def _stance_objects(tok: Token, refusal: bool = False) -> list[Token]:
    """"in protest of X", "in defiance of X", "in retaliation for X": X is whom the act answers.
    A refusal also answers whoever presses for it: "refused to step down despite pressure from X"."""
    heads: list[Token] = []
    for stance in _prep_objects(tok, ("in",)):
        if _lemma(stance) in STANCE_NOUNS:
            heads += _prep_objects(stance, ("of", "against", "at", "over", "for", "to"))
    if refusal:
        for press in _prep_objects(tok, ("despite", "in spite of")):
            if _lemma(press) in PRESSURE_NOUNS:
                heads += _prep_objects(press, ("by", "from", "of"))
                heads += [c for c in press.children if c.dep_ == "poss" and not _pronoun(c)]
    return heads


def _purpose_objects(tok: Token) -> list[Token]:
    """The recipient of an act done for a purpose is whom the purpose clause acts on: "opened fire to
    disperse demonstrators", "reopened the crossing to let grain through to Kyrgyzstan", "blocked a road
    to show their disapproval of US policies". Read one clause deep: its objects, what they are of,
    for or against, and who those objects' own clauses point at ("the handover of land taken by X")."""
    heads: list[Token] = []
    for clause in _children(tok, "advcl"):  # an xcomp ("promised to continue aid") is content, not purpose
        if not any(c.lower_ == "to" and c.dep_ == "aux" for c in clause.children):
            continue
        objs = _direct_objects(clause)
        inner = [o for o in objs if not _own_possession(o)]
        for obj in objs:
            inner += [c for c in obj.children if c.dep_ == "poss" and not _pronoun(c)]
            inner += _prep_objects(obj, PURPOSE_PREPS)
        inner += _prep_objects(clause, PURPOSE_PREPS)
        for obj in list(inner):
            inner += _clause_modifier_heads(obj)
            inner += [c for c in obj.children if c.dep_ == "poss" and not _pronoun(c)]
        heads += inner
    return heads


@lru_cache(maxsize=1)
def role_words() -> dict[str, frozenset[str]]:
    """The word lists of data/roles.yaml, by name."""
    return {name: frozenset(words) for name, words in (load_yaml("roles.yaml") or {}).items()}


def _own_possession(obj: Token) -> bool:
    """"withdraw its troops", "recalled their ambassador": the actor's own, never the recipient; the
    possessive covers the conjuncts too ("its banks and army"). A relational noun is nobody's own: "met
    his counterpart", "urged its allies" name the other side."""
    if _lemma(obj) in role_words()["relational_heads"]:
        return False
    while True:
        if any(c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS for c in obj.children):
            return True
        if obj.dep_ != "conj" or obj.head.i == obj.i:
            return False
        obj = obj.head


MODIFIER_PREPS = ("into", "to", "from", "in", "on", "against", "at")


def _clause_modifier_heads(obj: Token) -> list[Token]:
    """Who or where an object's own clause points at, after the object's direct recipients:
    "a pipeline running into Kenya", "arms taken from border guards", "the demonstration
    staged by students", "families escaping the fighting in Yemen"."""
    heads: list[Token] = []
    for clause in _children(obj, "acl", "relcl"):
        for agent in _children(clause, "agent"):
            heads += _children(agent, "pobj")
        heads += _prep_objects(clause, MODIFIER_PREPS)
        for inner in _children(clause, "dobj"):
            heads += _prep_objects(inner, ("in", "of"))
            heads.append(inner)
    # relative pronouns ("a visit that ... raised questions") stand for the object itself
    return [h for h in heads if h.pos_ in ("NOUN", "PROPN") and not _pronoun(h)]


def _is_time(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY")


def _content_recipient(cand: Candidate) -> list[Token]:
    """For frames: the recipient read from the complement ("demanded that Peru reopen" -> US)."""
    tok = cand.token
    for comp in _children(tok, "ccomp", "xcomp", "acl"):
        subj = _children(comp, "nsubj", "nsubjpass")
        if subj and not _pronoun(subj[0]) and not _own_possession(subj[0]):
            return subj[:1]  # "demanded that Peru reopen ..."; not "denied that its troops had ..."
    heads: list[Token] = []
    for sub in cand.content:
        heads += _recipient_heads(sub)
    for comp in _children(tok, "ccomp", "xcomp"):
        heads += [o for o in _children(comp, "dobj", "dative") if not _own_possession(o)]
        heads += _prep_objects(comp, DEFAULT_RECIPIENT_PREPS + ("in",))
        for obj in _children(comp, "dobj"):
            heads += _prep_objects(obj, DEFAULT_RECIPIENT_PREPS + ("of", "in") + GROUP_PREPS)
    return [h for h in heads if not _is_time(h)]


# ---------------------------------------------------------------- coding one candidate


@dataclass
class Coded:
    type: str
    mode: str | None
    cameo: str
    negated: bool
    confidence: float
    rule: str = "pattern"  # the coding rule that turned the pattern into this type (eval rules counts them)


@lru_cache(maxsize=1)
def _non_event_objects() -> tuple[frozenset[str], frozenset[str]]:
    data = load_yaml("non_event_objects.yaml")
    return frozenset(data["types"]), frozenset(data["objects"])


def _acts_on_a_non_event(cand: Candidate) -> bool:
    """"released a statement", "provided Newsweek a comment": a giving verb whose object is words or wares;
    "a request for comment", "calls for details": asking for words is no demand on anybody."""
    types, objects = _non_event_objects()
    if cand.is_noun and cand.pattern.type == "REQUEST":
        return any(_lemma(o) in objects for o in _prep_objects(cand.token, ("for",)))
    if cand.is_noun or cand.pattern.type not in types or cand.pattern.objects:
        return False
    acted_on = _children(cand.token, "dobj", "nsubjpass")
    if cand.token.dep_ == "acl":  # "images released by SpaceX"
        acted_on.append(cand.token.head)
    return any(_lemma(o) in objects for o in acted_on)


def _code(cand: Candidate) -> Coded | None:
    pat = cand.pattern
    tok = cand.token
    if _acts_on_a_non_event(cand):
        return None
    type_, mode, cameo = pat.type, pat.mode, pat.cameo
    negated = _negated(tok)
    conf = 0.9 if pat.specificity else 0.8
    if cand.is_noun:
        conf = 0.7
    inner = cand.content[0] if cand.content else None
    if inner is not None and ("causative" in pat.flags or "denial" in pat.flags):
        # "ordered the expulsion of ...": the ordered act; "denied bombing the village": that act, negated
        done = _code(inner)
        if done is not None:
            denied = "denial" in pat.flags
            rule = "denied-act->negated" if denied else "ordered-act"
            return Coded(done.type, done.mode, done.cameo, done.negated or denied or negated, conf, rule)
    if pat.frame == "control" and inner is not None:
        inner_type = inner.pattern.type
        if type_ == "THREATEN":
            mode = THREAT_MODE.get(inner_type, inner.pattern.mode if inner_type == "COERCE" else None)
            cameo = THREAT_CAMEO.get(inner_type, cameo)
            if inner.pattern.mode in ("curfew", "martial-law"):
                mode, cameo = "restrict", "1323" if inner.pattern.mode == "curfew" else "1324"
        elif type_ == "REJECT" and inner_type == "REJECT":  # "refused to rule out air strikes"
            threat = _threat_content(inner.token)
            return Coded("THREATEN", *threat, False, 0.5, "not-ruled-out->THREATEN") if threat else None
        elif "only_cooperative" in pat.flags and inner_type not in COOPERATIVE:
            return None
        elif type_ == "AGREE" and pat.lemma in PROMISE_VERBS and inner_type in HOSTILE:
            # "vowed to fight on", "swore to retaliate": a promise of violence is a threat
            return Coded("THREATEN", THREAT_MODE.get(inner_type), THREAT_CAMEO.get(inner_type, "130"),
                         negated, conf, "promised-violence->THREATEN")
    elif "only_cooperative" in pat.flags:
        return None
    if (_intent(tok) or _noun_intent(cand)) and type_ not in ("THREATEN", "REJECT", "REQUEST", "ACCUSE"):
        if negated and type_ in COOPERATIVE:
            return Coded("REJECT", None, "124", False, conf * 0.9, "refused-cooperation->REJECT")
        if type_ in COOPERATIVE:
            return Coded("AGREE", None, FUTURE_CAMEO.get(type_, "030"), False, conf * 0.8, "future-cooperation->AGREE")
        if (type_ in HOSTILE or type_ == "PROTEST") and _conditional_or_hypothetical(tok):
            # "would impose a blockade", "will strike unless ...": a threat; a planned or announced act
            # ("will carry out more strikes", "plan to march") keeps its type
            cameo = EMERGENCY_THREAT.get(mode or "", THREAT_CAMEO.get(type_, "130"))
            return Coded("THREATEN", THREAT_MODE.get(type_), cameo, False, conf * 0.8, "future-hostility->THREATEN")
    if _hedged(tok):
        conf *= 0.6
        if type_ in HOSTILE:
            return Coded("THREATEN", THREAT_MODE.get(type_), THREAT_CAMEO.get(type_, "130"), False, conf,
                         "hedged-hostility->THREATEN")
    rule = "threat-content" if pat.frame == "control" and inner is not None and type_ == "THREATEN" else "pattern"
    return Coded(type_, mode, cameo, negated, conf, rule)


PROMISE_VERBS = frozenset({"vow", "swear", "pledge", "promise"})
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "'d"})
CONDITION_MARKS = frozenset({"if", "unless"})
READINESS = frozenset({"ready", "prepared", "willing"})


def _conditional_or_hypothetical(tok: Token) -> bool:
    """The act is hypothetical ("would", "could") or bound to a condition ("if", "unless"), on the verb
    or on the verbs that frame it ("said it would be ready to strike")."""
    cur = tok
    for _ in range(4):
        if _aux_lemmas(cur) & HYPOTHETICAL_AUX or (cur is not tok and _lemma(cur) in READINESS):
            return True  # "would impose", "is ready to impose": a disposition, not a plan
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children)
               for c in cur.children):
            return True
        if cur.dep_ not in ("xcomp", "ccomp", "acomp", "dobj", "pobj", "prep", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _noun_intent(cand: Candidate) -> bool:
    """A noun trigger is promised or planned when the verb it is the object of is: "would tighten the
    naval blockade", "plans to hold talks"."""
    if not cand.is_noun:
        return False
    verb = _governing_verb(cand.token)
    return verb is not None and verb.pos_ == "VERB" and _intent(verb)


THREAT_WORDS = {  # what a threat not ruled out is of: (mode, CAMEO) by the words of its content
    ("restrict", "1312"): frozenset({"sanction", "embargo", "tariff", "boycott", "penalty"}),
    ("violence", "138"): frozenset({"military", "force", "attack", "strike", "action", "war", "invasion",
                                    "offensive", "operation", "airstrike", "bombing", "raid", "incursion"}),
}


def _threat_content(tok: Token) -> tuple[str, str] | None:
    """"refused to rule out new sanctions" threatens sanctions, "... military action" force."""
    words = {_lemma(t) for t in tok.subtree}
    for threat, cues in THREAT_WORDS.items():
        if words & cues:
            return threat
    return None


def _best(ctx: Context, heads: Iterable[Token], exclude: set[int], home: str | None = None) -> Participant | None:
    """The first head that names its own country; else the first that resolves to a country through
    the domestic fallback; else the first that resolves at all. A country the clause names beats the
    article's default: in "fired heavy artillery at Eritrean positions" the artillery is no recipient."""
    heads = [h for h in heads if h.i not in exclude]
    first = None
    for head in heads:
        found = resolve_participant(ctx, head, fallback=False)
        if found is None:
            continue
        if found.country and home and found.country == home and _own_possession(head):
            continue  # "massed troops along its coast": the actor's own coast is nobody's recipient
        if found.country:
            return _located_patient(ctx, heads, head, found) or _modified_patient(ctx, heads, head, found) or found
        first = first or found
    if first is None:
        # no head names a country, a sector or an entity: the first noun phrase in the recipient's slot
        # ("kidnapped forty schoolgirls", "shelled a crowded market"), by its words alone
        return next((p for p in (resolve_participant(ctx, h, fallback=False, bare=True) for h in heads)
                     if p is not None), None)
    for head in heads:
        found = resolve_participant(ctx, head, home=home)
        if found is not None and found.country:
            return found
    return first


# where, never at whom: "at", "on", "against" name targets ("fired at protesters", "strikes on X")
PLACE_PREPS = frozenset({"in", "near", "outside", "inside", "across", "around", "throughout"})


def _locative(head: Token) -> bool:
    """A place phrase: the object of a preposition of place ("in northern Yemen", "in prisons")."""
    return head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPS


def _located_patient(ctx: Context, heads: list[Token], place: Token, found: Participant) -> Participant | None:
    """"killed 25 people at a mosque in Kunduz", "released 150 detainees held in prisons in Sanaa": the
    people the act falls on are the recipient, of the country of the place where it falls on them (as
    CAMEO codes unnamed victims); the place phrase only gives the country."""
    if not _locative(place):
        return None
    for head in heads:
        if head.i == place.i:
            return None
        goal = head.dep_ == "pobj" and head.head.lower_ in GOAL_PREPS  # "sent generators to clinics in X"
        if (head.dep_ not in ("dobj", "nsubjpass") and not goal) or head.head.i == place.i:
            continue
        own = resolve_participant(ctx, head, fallback=False, bare=True)
        if own is not None and not own.country:
            return replace(_plain(own), country=found.country)
    return None


def _modified_patient(ctx: Context, heads: list[Token], named: Token, found: Participant) -> Participant | None:
    """"freed two hostages held by gunmen in Niger", "rescued sailors kidnapped by pirates": whoever the
    patient's own clause names (its agent, its place) only tells of the patient; the patient, known by its
    words, is the recipient, of the country that clause gives."""
    for head in heads:
        if head.i == named.i:
            return None
        if head.dep_ not in ("dobj", "nsubjpass") or head.pos_ != "NOUN" or _lemma(head) in patterns()[1] \
                or _lemma(head) in role_words()["message_heads"]:
            continue
        for clause in _children(head, "acl", "relcl"):  # a participle or relative clause on the patient:
            if clause.dep_ == "acl" and clause.tag_ != "VBN":  # not its purpose ("the use of force to ...")
                continue
            if clause.left_edge.i <= named.i <= clause.right_edge.i:
                own = resolve_participant(ctx, head, fallback=False, bare=True)
                if own is not None and not own.country:
                    return replace(_plain(own), country=found.country)
    return None


def _coordinated_owners(head: Token) -> list[Token]:
    """"The foreign ministers of Poland and Lithuania" act for both countries: one head per owner."""
    if head.ent_type_ or head.pos_ != "NOUN":
        return [head]
    for mod in head.children:  # "Saudi and Iranian diplomats", "US and Philippine forces"
        if mod.dep_ in ("amod", "compound") and mod.ent_type_ in ("NORP", "GPE"):
            owners = [mod] + [c for c in mod.children if c.dep_ == "conj" and c.ent_type_ in ("NORP", "GPE")]
            if len(owners) > 1:
                return owners
    for prep in _children(head, "prep"):
        if prep.lower_ == "of":
            objs = _with_conjuncts(next(iter(_children(prep, "pobj")), None))
            if len(objs) > 1 and all(o.ent_type_ in ("GPE", "NORP", "ORG") for o in objs):
                return objs
    return [head]


def _pair_heads(ctx: Context, head: Token) -> list[Token]:
    """"the two countries", "both sides", "the neighbours": the last pair of states named together
    earlier in the article ("Armenia and Azerbaijan ...")."""
    noun = head
    for c in head.children:  # "the two countries' border commissions"
        if c.dep_ == "poss":
            noun = c
    if _lemma(noun) not in PAIR_NOUNS or not any(
            c.lower_ in ("two", "both") for c in noun.children if c.dep_ in ("nummod", "det", "predet")):
        return []
    for tok in reversed(noun.doc[: noun.sent.start]):
        if tok.dep_ == "conj" and _is_state(ctx, tok) and _is_state(ctx, tok.head):
            return [tok.head, tok]
    return _two_most_named_states(ctx, noun.sent.start_char)


def _two_most_named_states(ctx: Context, before: int) -> list[Token]:
    """With no "X and Y" to refer back to, "the two countries" are the two states the article has named
    most so far, and clearly more than any third (a tie leaves the pair unknown)."""
    counts: list[tuple[int, int, Entity]] = []
    for ent in ctx.record.entities:
        earlier = [m for m in ent.mentions if m.end <= before]
        if ent.type == "GPE" and ent.country and len(ent.country) == 3 and ent.country not in NON_STATE_CODES \
                and earlier:
            counts.append((len(earlier), -earlier[0].start, ent))
    counts.sort(key=lambda c: (c[0], c[1]), reverse=True)
    if len(counts) < 2 or (len(counts) > 2 and counts[2][0] >= counts[1][0]):
        return []
    heads = []
    for _, _, ent in counts[:2]:
        m = [m for m in ent.mentions if m.end <= before][-1]
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return []
        heads.append(span.root)
    return heads


def _is_state(ctx: Context, tok: Token) -> bool:
    actor, _ = _lookup_token(ctx, tok)
    return actor is not None and actor.kind in ("country", "capital") and bool(actor.country)


def _reciprocal(cand: Candidate) -> bool:
    """"accused each other", "fired at one another"."""
    for t in cand.token.subtree:
        if t.lower_ in ("other", "another") and any(c.lower_ in ("each", "one") for c in t.children):
            return True
        if t.lower_ == "other" and t.i > 0 and t.doc[t.i - 1].lower_ == "each":
            return True
    return False


def _subject_act(cand: Candidate) -> Candidate | None:
    """"Israel's bombing of the consulate killed two generals", "Spain's gift of tanks to Latvia drew
    praise": a verb whose subject is an act named by a noun (an event or message noun of the lexicon) tells
    of that act; its participants are the noun's own ("X's", "by X"; "of Y", "to Y", "on Y")."""
    if cand.is_noun:
        return None
    for subj in _children(cand.token, "nsubj"):  # a passive's subject is what the verb acts on, not a teller
        if subj.pos_ == "NOUN" and (_lemma(subj) in patterns()[1] or _lemma(subj) in role_words()["message_heads"]):
            return Candidate(token=subj, pattern=cand.pattern, is_noun=True)
    return None


def _participants(ctx: Context, cand: Candidate) -> tuple[list[Participant | None], Participant | None]:
    actors, recipient = _clause_participants(ctx, cand)
    act = _subject_act(cand)
    if act is not None:  # the act's own recipient, where it names one, before the clause's
        recipient = _better(_clause_participants(ctx, act)[1], recipient)  # the actor stays the clause's
    return actors, recipient


def _clause_participants(ctx: Context, cand: Candidate) -> tuple[list[Participant | None], Participant | None]:
    actor_heads = _actor_heads(cand)
    office: Token | None = None
    if len(actor_heads) == 1:
        owners = _coordinated_owners(actor_heads[0])
        office = actor_heads[0] if len(owners) > 1 else None
        actor_heads = _pair_heads(ctx, actor_heads[0]) or owners
    actors = [resolve_participant(ctx, h, bare=True) for h in actor_heads]
    actors = [a for a in actors if a is not None] or [None]
    if office is not None:  # "the foreign ministers of Poland and Lithuania": each country's minister, GOV
        sector = _sector(ctx, office, None, None)
        actors = [replace(a, sector=a.sector or sector) if a is not None else None for a in actors]
    exclude = {h.i for h in actor_heads}
    home = _jurisdiction(actors[0])
    recipient = _best(ctx, _recipient_heads(cand), exclude, home)
    if (recipient is None or recipient.country is None) and (cand.pattern.frame == "control" or cand.is_noun):
        recipient = _better(_best(ctx, _content_recipient(cand), exclude, home), recipient)
    return actors, recipient


def _better(new: Participant | None, old: Participant | None) -> Participant | None:
    """The content's recipient replaces the clause's own, unless it is known only by its words and the
    clause's own is more."""
    if new is None or (_nobody(new) and old is not None and not _nobody(old)):
        return old
    return new


JURISDICTION_SECTORS = frozenset({"COP", "JUD"})


def _jurisdiction(actor: Participant | None) -> str | None:
    """Police and courts act at home: the person or group they act on, when the text gives it no country,
    is of the actor's country ("a Peruvian court summoned a former minister", "Turkish police
    broke up a demonstration by students"), not of the article's most-named place."""
    if actor is None or actor.sector not in JURISDICTION_SECTORS:
        return None
    country = actor.country
    return country if country and country not in NON_STATE_CODES else None


VERBAL_TYPES = frozenset({"SUPPORT", "ACCUSE", "REQUEST", "REJECT", "THREATEN", "AGREE", "CONCEDE", "CONSULT"})


def _not_an_act(cand: Candidate, coded: Coded) -> bool:
    """A machine does not speak or decide ("the aircraft are supporting preparations"), nature and
    markets act for nobody ("the cyclone battered the coast"), and a legal text in the present states a
    standing rule ("the constitution does not allow foreign bases")."""
    heads = _actor_heads(cand)
    if not heads:
        return False
    head = heads[0]
    if coded.type in VERBAL_TYPES and _lemma(head) in MACHINE_HEADS:
        return True
    names = {_lemma(head), head.lower_.removesuffix("s")} | {_lemma(c) for c in _children(head, "compound")}
    if NATURAL_FORCES & names and head.ent_type_ not in ("GPE", "NORP"):  # "a storm", "Cyclone Freddy"
        return True
    present = cand.token.tag_ in ("VBZ", "VBP") or any(
        c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in cand.token.children)
    return present and _lemma(head) in LEGAL_TEXTS and not head.ent_type_


def code_candidate(ctx: Context, cand: Candidate) -> list[tuple[Coded, Participant | None, Participant | None]]:
    coded = _code(cand)
    if coded is None:
        return []
    if _not_an_act(cand, coded):
        return []
    actors, recipient = _participants(ctx, cand)
    out = []
    for actor in actors:
        out.append((coded, actor, recipient))
    pair = len(actors) == 2 and None not in actors
    # "Egypt and Israel agreed to share intelligence on militants in Sinai": a recipient of one of the two
    # countries is no third party, so each acts on the other
    own_side = recipient is None or recipient.country is None or recipient.country in {a.country for a in actors if a}
    mutual = coded.type in SYMMETRIC or coded.cameo in MUTUAL_CAMEO
    if pair and (_reciprocal(cand) or (mutual and own_side)):
        out = [(coded, actors[0], actors[1]), (coded, actors[1], actors[0])]
    return out


# ---------------------------------------------------------------- sentences


def _skip_sentence(sent: SpacySpan) -> bool:
    if len(sent) > MAX_TOKENS or len(sent) < 3:
        return True
    alpha = [t for t in sent if t.is_alpha]
    if not alpha:
        return True
    shouting = sum(1 for t in alpha if t.is_upper and len(t) > 1)
    if shouting / len(alpha) > 0.5:
        return True  # an all-caps headline: the tagger reads it as a string of names
    lower = sum(1 for t in alpha if t.is_lower)
    # a table of names and numbers has no verb of its own; "Brazil condemned Colombian President
    # Gustavo Petro" is mostly names too, but a sentence
    return lower / len(alpha) < 0.3 and not any(t.pos_ in ("VERB", "AUX") and t.is_lower for t in sent)


def code_sentence(ctx: Context, sent: SpacySpan) -> list[tuple[Candidate, Coded, Participant | None,
                                                               Participant | None]]:
    cands = [c for c in find_candidates(sent) if not c.absorbed]
    main = [c for c in cands if not c.background]
    chosen = main or [c for c in cands if c.background]
    out = []
    for cand in chosen:
        for coded, actor, recipient in code_candidate(ctx, cand):
            if cand.background:
                coded.confidence *= 0.7
            out.append((cand, coded, actor, recipient))
    return out


Proposal = tuple[Candidate, Coded, Participant | None, Participant | None]


def _model_hook(ctx: Context, sent: SpacySpan, found: list[Proposal]) -> tuple[list[Proposal], str]:
    """The learned model's say on the rules' events of one sentence (eventwire/extract/event_classifier.py):
    keep them, veto them, relabel them, or add one where the rules found none, as its policy allows.
    Returns the events and their source. While the model is trained (ctx.scratch holds
    "event_model_features") it only records the sentence's features."""
    from eventwire.extract import event_classifier as ec

    collecting = ctx.scratch.get("event_model_features")
    model = ec.load_model() if collecting is None else None
    if collecting is None and model is None:
        return found, "rules"
    feats = ec.sentence_features(sent, [(cand.token, coded.type, coded.negated) for cand, coded, _, _ in found])
    wants_dense = collecting is not None or model.dense_weights is not None
    dense = ec.dense_features(sent, [cand.token for cand, _, _, _ in found]) if wants_dense else None
    if collecting is not None:
        collecting.append(feats)
        ctx.scratch.setdefault("event_model_dense", []).append(dense)
        return found, "rules"
    probs = model.proba(feats, dense)
    decision = ec.decide([coded.type for _, coded, _, _ in found], probs, model.policy, model.labels)
    if decision.action == "veto" and not _dated_placed_violence(ctx, sent, found):
        return [], "model"
    if decision.action == "relabel":
        cameo = ec.CAMEO_ROOT[decision.label]
        return [(cand, replace(coded, type=decision.label, mode=None, cameo=cameo), actor, recipient)
                for cand, coded, actor, recipient in found], "rules+model"
    if decision.action == "add":
        return _model_backoff(ctx, sent, decision.label, decision.prob), "model"
    return found, "rules"


# Acts of force and crowds the rules found in a sentence that also names the day and a place are
# reports of something that happened there and then ("On Sunday, gunmen shot dead two traders in X";
# "Hundreds marched in Y on 3 May"); the model, which reads one sentence without its article, is not
# let veto them. Measured in docs/MEASURED.md, "Lead, wave 5".
FIRM_WHEN_DATED_AND_PLACED = frozenset({"ASSAULT", "PROTEST"})


def _dated_placed_violence(ctx: Context, sent: SpacySpan, found: list[Proposal]) -> bool:
    if not any(coded.type in FIRM_WHEN_DATED_AND_PLACED for _, coded, _, _ in found):
        return False
    lo, hi = sent.start_char, sent.end_char
    dated = any(t.precision == "day" and lo <= t.start < hi for t in ctx.record.times)
    return dated and any(p.start is not None and lo <= p.start < hi for p in ctx.record.places)


def _model_backoff(ctx: Context, sent: SpacySpan, label: str, prob: float) -> list[Proposal]:
    """No rule fired but the model is sure of a type: its trigger is the main verb (the reported
    clause's, under a verb of saying), its roles read the same way as the rules'."""
    from eventwire.extract.event_classifier import CAMEO_ROOT

    root = sent.root
    if root.pos_ != "VERB" or _lemma(root) in SAY_VERBS:
        comps = [c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
        if not comps:
            return []
        root = comps[0]
    pat = _pattern({"lemma": _lemma(root), "cameo": CAMEO_ROOT[label], "type": label})
    cand = Candidate(root, pat, False)
    actors, recipient = _participants(ctx, cand)
    coded = Coded(label, None, pat.cameo, _negated(root), round(prob * 0.7, 3))
    return [(cand, coded, actor, recipient) for actor in actors]


@extractors.register("events", after=("entities", "times", "places", "quantities", "claims"))
def extract_events(ctx: Context) -> None:
    """Fill ctx.record.events: every event each sentence asserts."""
    language = (ctx.record.article.language or "en").lower()
    if not language.startswith("en"):
        return
    n = len(ctx.record.events)
    for sent in ctx.doc.sents:
        if _skip_sentence(sent):
            continue
        found, source = _model_hook(ctx, sent, code_sentence(ctx, sent))
        kept: dict[int, Event] = {}  # trigger token index -> event, in this sentence
        for cand, coded, actor, recipient in found:
            n += 1
            event = _event(ctx, f"e{n}", sent, cand, coded, actor, recipient, source)
            twin = kept.get(cand.token.head.i) if cand.token.dep_ == "conj" else None
            if twin is not None and _same_event(twin, event):
                _absorb(twin, event)  # "killed 12 and wounded 30": one assault, both counts
                n -= 1
                continue
            kept[cand.token.i] = event
            if event.type == "MOBILIZE":
                event.recipient = _deployment_recipient(ctx, event)
            if event.cameo in EMERGENCY_CAMEO:
                event.recipient = _restricted_population(event)
            if event.type in LOCAL_TYPES:
                event.actor = _local_actor(event)
            if event.date is None and _realised_past(cand, coded):
                event.date = _article_date(ctx)
            if _nobody(event.actor) and _nobody(event.recipient) and (cand.is_noun or not _names_a_polity(sent, event)) \
                    and not _physical_act(cand, coded, event, alone=len(found) == 1):
                # "the summit is scheduled", "the actors released a statement", "safety cars were deployed":
                # nobody acts on anybody, and nothing in the sentence ties it to a state or a place
                n -= 1
                continue
            event.recipient = _local_recipient(event)  # after the test above: a place makes nobody a party
            event.actor, event.recipient = _plain(event.actor), _plain(event.recipient)
            ctx.record.events.append(event)


ACT_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "through", "into", "across", "along",
                            "on"})
CASUALTY_COUNTS = frozenset({"dead", "injured", "people", "abducted"})


def _physical_act(cand: Candidate, coded: Coded, event: Event, alone: bool) -> bool:
    """An attack or a crowd's action needs no named party to be an event: "an explosion ripped through a
    bus station", "a bomb went off in the market, killing four", "youths beat up two traders at the bus
    park". It stands when it happens somewhere (a place phrase on the trigger, or on the verb a noun
    trigger is the subject or object of) or counts its victims. A noun trigger stands so only as the
    sentence's one event ("a roadside bomb went off near a checkpoint, killing two" is told by "killing")."""
    if event.type not in LOCAL_TYPES or coded.negated or cand.background or (cand.is_noun and not alone):
        return False
    if any(q.counts in CASUALTY_COUNTS for q in event.quantities):
        return True
    if event.type == "PROTEST" and isinstance(event.actor, Bare):  # "hundreds of traders staged a protest"
        return True
    if not cand.is_noun and isinstance(event.actor, Bare) and isinstance(event.recipient, Bare) and any(
            _lemma(h) in PERSON_NOUNS for h in _recipient_heads(cand)[:1]):
        return True  # "relatives of a patient assaulted two nurses": someone named by words hurts a person
    if not cand.is_noun and isinstance(event.actor, Bare) and any(
            _lemma(h) in VIOLENT_CROWDS for h in _actor_heads(cand)[:1]):
        return True  # "rioters set fire to the governor's office", "a mob stoned the station"
    tok = cand.token
    if cand.is_noun and cand.pattern.cameo.startswith("183") and tok.dep_ == "nsubj" and _children(tok.head, "dobj"):
        return True  # "a roadside bomb hit an army patrol": the bomb acts on something ("fighting displaced
        # a million" is no one act)
    holders = [tok] + ([tok.head] if cand.is_noun and tok.dep_ in ("nsubj", "nsubjpass", "dobj") else [])
    return any(c.dep_ == "prep" and c.lower_ in ACT_PLACE_PREPS
               and any(o.pos_ in ("NOUN", "PROPN") for o in _children(c, "pobj")) for h in holders for c in h.children)


def _nobody(p: Participant | None) -> bool:
    return p is None or (isinstance(p, Bare) and not p.country)


def _plain(p: Participant | None) -> Participant | None:
    return Participant(**vars(p)) if isinstance(p, Bare) else p


def _names_a_polity(sent: SpacySpan, event: Event) -> bool:
    return event.location is not None or any(ent.label_ in ("GPE", "NORP", "LOC") for ent in sent.ents)


def _party(p: Participant | None) -> str | None:
    return (p.country or p.text.lower()) if p is not None else None


def _same_event(first: Event, second: Event) -> bool:
    """Coordinated verbs of one type, one actor and no conflicting recipient tell one event."""
    return (first.type == second.type and first.negated == second.negated
            and _party(first.actor) == _party(second.actor)
            and not _different_targets(first.recipient, second.recipient))


def _different_targets(a: Participant | None, b: Participant | None) -> bool:
    """Two named or national targets are two events; unnamed victims ("killed 23 soldiers and wounded
    40 civilians") are the toll of one."""
    if a is None or b is None or _party(a) == _party(b):
        return False
    named = any(p.country or p.text[:1].isupper() for p in (a, b))
    return named


def _absorb(into: Event, other: Event) -> None:
    seen = {(q.start, q.end) for q in into.quantities}
    into.quantities += [q for q in other.quantities if (q.start, q.end) not in seen]
    into.recipient = into.recipient or _plain(other.recipient)
    into.location = into.location or other.location
    into.date = into.date or other.date


def _realised_past(cand: Candidate, coded: Coded) -> bool:
    """A past event of the main narrative: not negated, promised, hedged or habitual background."""
    tok = cand.token
    if coded.negated or cand.background or _intent(tok) or _hedged(tok):
        return False
    if any(c.lower_ in HABITUAL for c in tok.children if c.dep_ == "advmod"):
        return False  # "has long been", "has repeatedly"
    if _co_event(tok):  # "..., accusing X": as past as the verb it goes with
        return tok.head.tag_ in ("VBD", "VBN") and _realised_past(Candidate(tok.head, cand.pattern, False), coded)
    if _present_perfect_active(tok):
        return False  # "Russia has condemned ...", "have fought two wars": background, not the day's news
    return tok.tag_ in ("VBD", "VBN")


def _present_perfect_active(tok: Token) -> bool:
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    return (tok.tag_ == "VBN" and any(c.lower_ in ("has", "have", "'ve", "’ve") for c in auxes)
            and not any(c.dep_ == "auxpass" for c in auxes))


def _article_date(ctx: Context) -> EventDate | None:
    """The date of the article's lead event: the first dated event in its first three sentences.
    An undated past event of the narrative takes it, marked source="article" (issue 4: an event takes
    the time of its clause, else of its sentence, else of the article's main event)."""
    sents = list(itertools.islice(ctx.doc.sents, 3))
    limit = sents[-1].end_char if sents else 0
    published = ctx.published.isoformat() if ctx.published else None
    for ev in ctx.record.events:
        if ev.evidence.start < limit and ev.date is not None and ev.date.value and ev.date.source != "article":
            if published and ev.date.value[:1].isdigit() and ev.date.value[:10] > published:
                continue  # "talks will resume on March 3": a planned event dates nothing that happened
            return replace(ev.date, source="article")
    return None


EMERGENCY_THREAT = {"curfew": "1323", "martial-law": "1324"}  # "ready to declare martial law"
# impose (or threaten) curfew, martial law; and lift or ease them (CONCEDE: the same people gain)
EMERGENCY_CAMEO = frozenset({"1723", "1724", "1323", "1324", "0813", "0814"})


def _restricted_population(event: Event) -> Participant | None:
    """A curfew or martial law is imposed on the people of a place (PLOVER COERCE curfew/martial-law: the
    recipient is who is affected): the country of the place where it is imposed, else the country of the
    state that imposes it, which can impose it only at home."""
    rec = event.recipient
    if rec is not None and rec.country:
        return rec
    loc = event.location
    if loc is not None and loc.country and (loc.confidence or 0) >= 0.5:
        return Participant(text=loc.text, country=loc.country)
    actor = event.actor
    if actor is not None and actor.country and actor.country not in NON_STATE_CODES and actor.sector in (
            "GOV", "MIL", "COP", "LEG", None):
        # the people under it, named by their country's code: the text names no span for them
        return Participant(text=actor.country, country=actor.country, sector="CVL")
    return rec


LOCAL_TYPES = frozenset({"ASSAULT", "PROTEST"})


def _local_actor(event: Event) -> Participant | None:
    """Unnamed attackers and crowds ("a roadside bomb near Samarra killed", "people blocked streets in Hong
    Kong", "a reporter was shot dead in Mogadishu") are coded, as CAMEO coders do, by the country where they
    act: the event's place, when the phrase names no country and no known group of its own."""
    actor = event.actor
    if actor is not None and (actor.country or actor.entity):
        return actor
    loc = event.location
    if loc is None or not loc.country or (loc.confidence or 0) < 0.5:
        return actor
    if actor is None:
        return Participant(text=loc.text, country=loc.country)
    return replace(actor, country=loc.country)


def _local_recipient(event: Event) -> Participant | None:
    """Unnamed people or things an act falls on ("freed 300 prisoners", "banned the main opposition
    party", "kidnapped 40 pupils in Kaduna") are coded, as CAMEO coders do, by where it happens: the
    event's place; with no place, a state acting on them acts at home, except in an attack, whose
    victims are as often abroad."""
    rec = event.recipient
    if rec is None or rec.country or event.type == "MOBILIZE" or _names_an_act(rec.text):
        return rec
    loc = event.location
    if loc is not None and loc.country and (loc.confidence or 0) >= 0.5:
        return replace(rec, country=loc.country)
    actor = event.actor
    if event.type != "ASSAULT" and actor is not None and actor.country and actor.country not in NON_STATE_CODES:
        return replace(rec, country=actor.country)
    return rec


def _names_an_act(text: str) -> bool:
    """"calls for a ceasefire", "border talks": a thing said or done, which no place makes a party."""
    words = text.lower().split()
    if not words:
        return False
    head = words[words.index("of", 1) - 1] if "of" in words[1:] else words[-1]  # "calls of ...", "talks"
    nouns = patterns()[1]
    return any(w in role_words()["message_heads"] or w in nouns for w in (head, head.removesuffix("s")))


def _deployment_recipient(ctx: Context, event: Event) -> Participant | None:
    """A force deployed somewhere is aimed at that country: with no recipient country in the clause,
    take the host of the same actor's earlier deployment in the article ("troops were unloaded from
    the ships" continues "ships docked in Libya"), else the country of the event's place."""
    rec = event.recipient
    if rec is not None and rec.country:
        return rec
    actor_country = event.actor.country if event.actor else None
    for earlier in reversed(ctx.record.events):
        if (earlier.type == "MOBILIZE" and earlier.recipient is not None and earlier.recipient.country
                and earlier.actor is not None and earlier.actor.country == actor_country):
            return earlier.recipient
    loc = event.location
    if loc is not None and loc.country and loc.country != actor_country and (loc.confidence or 0) >= 0.5:
        return Participant(text=loc.text, country=loc.country)
    return rec


def _event(ctx: Context, eid: str, sent: SpacySpan, cand: Candidate, coded: Coded, actor: Participant | None,
           recipient: Participant | None, source: str) -> Event:
    tok = cand.token
    trigger = span_of(ctx.text, tok.idx, tok.idx + len(tok))
    evidence = span_of(ctx.text, sent.start_char, sent.end_char)
    return Event(
        id=eid, type=coded.type, trigger=trigger, evidence=evidence, mode=coded.mode, cameo=coded.cameo,
        actor=actor, recipient=recipient, location=event_location(ctx, tok, sent),
        date=event_date(ctx, tok, sent), quantities=list(event_quantities(ctx, tok, sent)),
        negated=coded.negated, attribution=attribution_for(ctx, tok.idx, tok.idx + len(tok)),
        confidence=round(coded.confidence, 3), source=source,
    )


def iter_types(events: Iterable[Event]) -> list[str]:
    return [e.type for e in events]

