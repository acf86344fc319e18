"""The learned event model: its policy, its features, its fit, and the shipped weights."""

from __future__ import annotations

import numpy as np
import pytest

from eventwire.extract import event_classifier as ec

POLICY = {"veto": 0.8, "relabel": 0.9, "add": 0.6}


def probs(**mass: float) -> np.ndarray:
    """A probability vector over the labels: the named ones, the rest spread evenly."""
    p = np.zeros(len(ec.LABELS))
    for label, value in mass.items():
        p[ec.LABELS.index(label)] = value
    rest = 1.0 - p.sum()
    free = p == 0
    p[free] = rest / free.sum()
    return p


@pytest.mark.parametrize(("rules", "p", "action", "types"), [
    (["ASSAULT"], probs(ASSAULT=0.7), "keep", {"ASSAULT"}),
    (["ASSAULT"], probs(NONE=0.85), "veto", set()),
    (["ASSAULT"], probs(NONE=0.75), "keep", {"ASSAULT"}),  # not sure enough to veto
    (["ACCUSE"], probs(THREATEN=0.95), "relabel", {"THREATEN"}),
    (["ACCUSE"], probs(THREATEN=0.85), "keep", {"ACCUSE"}),
    ([], probs(AID=0.7), "add", {"AID"}),
    ([], probs(AID=0.5), "keep", set()),
    ([], probs(NONE=0.99), "keep", set()),
])
def test_policy(rules, p, action, types):
    decision = ec.decide(rules, p, POLICY)
    assert decision.action == action
    assert ec.apply_decision(rules, decision) == types


def test_a_behaviour_switched_off_never_acts():
    off = {"veto": None, "relabel": None, "add": None}
    for rules, p in ((["ASSAULT"], probs(NONE=0.99)), (["ACCUSE"], probs(AID=0.99)), ([], probs(AID=0.99))):
        assert ec.decide(rules, p, off).action == "keep"


def test_features_blank_names_and_numbers(nlp):
    """A frame re-filled with other names and figures is the same input: names are not what the model learns."""
    a = nlp("Kenya sent 300 police officers to Haiti on Tuesday.")
    b = nlp("Brazil sent 1,200 police officers to Angola on Friday.")
    fa, fb = ec.sentence_features(a[:], []), ec.sentence_features(b[:], [])
    assert fa == fb
    assert not any("kenya" in f or "haiti" in f for f in fa)
    assert "u=send" in fa and "root>prep=to" in fa


def test_features_carry_the_rules_proposal(nlp):
    doc = nlp("The ministry condemned the raid.")
    verb = next(t for t in doc if t.lemma_ == "condemn")
    feats = ec.sentence_features(doc[:], [(verb, "ACCUSE", False)])
    assert {"rule=ACCUSE", "rule=ACCUSE:condemn", "nrule=1", "trig>dobj=raid"} <= set(feats)
    assert "nrule=0" in ec.sentence_features(doc[:], [])


def test_fit_is_deterministic_and_learns():
    from scipy.sparse import csr_matrix

    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=60)
    x = csr_matrix(np.eye(3)[y] + rng.random((60, 3)) * 0.1)
    w1, b1 = ec.fit_softmax(x, y, 3, c=10.0)
    w2, b2 = ec.fit_softmax(x, y, 3, c=10.0)
    assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    assert (np.argmax(x @ w1 + b1, axis=1) == y).all()


def test_folds_are_fixed_by_id():
    ids = [f"w9-x-{i}" for i in range(500)]
    folds = [ec.fold_of(i) for i in ids]
    assert folds == [ec.fold_of(i) for i in ids]
    assert set(folds) == set(range(ec.FOLDS))


def test_shipped_model_loads_and_is_on_by_default(monkeypatch):
    monkeypatch.delenv("EVENTWIRE_EVENT_MODEL", raising=False)
    ec._read_model.cache_clear()
    model = ec.load_model()
    if model is None:
        pytest.fail("no event model shipped in eventwire/models/ (run `make model`)")
    assert model.labels == ec.LABELS
    assert model.weights.shape == (len(model.index), len(ec.LABELS))
    assert set(model.policy) == {"veto", "relabel", "add", "guard"}
    p = model.proba(["u=attack", "rule=ASSAULT"])
    assert p.shape == (len(ec.LABELS),) and abs(float(p.sum()) - 1.0) < 1e-5
    monkeypatch.setenv("EVENTWIRE_EVENT_MODEL", "0")
    ec._read_model.cache_clear()
    assert ec.load_model() is None
    ec._read_model.cache_clear()


def test_the_switch_is_read_on_every_call(monkeypatch):
    """A process that once ran with the model off (a test, the trainer) does not keep it off."""
    monkeypatch.setenv("EVENTWIRE_EVENT_MODEL", "0")
    assert ec.load_model() is None
    monkeypatch.delenv("EVENTWIRE_EVENT_MODEL")
    assert ec.load_model() is not None


def test_dense_features_read_the_tensor_the_parse_left(nlp):
    """The dense part is spaCy's own tok2vec output (doc.tensor): the sentence mean, then the trigger's,
    its head's and its children's vectors; with no trigger the root stands in."""
    doc = nlp("Chad expelled the French ambassador on Monday.")
    width = doc.tensor.shape[1]
    verb = next(t for t in doc if t.lemma_ == "expel")
    vec = ec.dense_features(doc[:], [verb])
    assert vec.shape == (len(ec.DENSE_PARTS) * width,)
    assert np.allclose(vec[width:2 * width], doc.tensor[verb.i])
    assert np.allclose(ec.dense_features(doc[:], []), vec)  # the verb is the root
    noun = next(t for t in doc if t.lemma_ == "ambassador")
    assert not np.allclose(ec.dense_features(doc[:], [noun]), vec)
    bare = nlp.make_doc("Chad expelled the ambassador.")
    assert ec.dense_features(bare[:], []) is None


def test_a_dense_part_moves_the_probabilities_and_is_optional():
    labels = ec.LABELS
    base = ec.LinearModel({"u=x": 0}, np.zeros((1, len(labels)), np.float32), np.zeros(len(labels), np.float32),
                          labels, {})
    dw = np.zeros((4, len(labels)), np.float32)
    dw[0, labels.index("AID")] = 5.0
    dense = ec.LinearModel(base.index, base.weights, base.bias, labels, {}, dw, np.zeros(4, np.float32),
                           np.ones(4, np.float32))
    x = np.array([1.0, 0, 0, 0], np.float32)
    assert np.allclose(base.proba(["u=x"], x), 1 / len(labels))
    assert labels[int(np.argmax(dense.proba(["u=x"], x)))] == "AID"
    assert np.allclose(dense.proba(["u=x"], None), base.proba(["u=x"]))  # no tensor: the sparse part alone


@pytest.mark.parametrize(("text", "type_"), [
    ("Norway bankrolled the school programme in the north.", "AID"),
    ("Norway financed the school programme in the north.", "AID"),
    ("The ministry condemned the raid on the camp.", "ACCUSE"),
    ("The army cut the internet in the province.", "COERCE"),
])
def test_lexicon_features_name_the_class_of_the_key_word(nlp, text, type_):
    """Two verbs of one lexicon class give the model the same type feature, with no rule proposal needed:
    what a verb learns in training lends itself to the lexicon's other verbs of its class."""
    feats = ec.lexicon_features(nlp(text)[:], [])
    assert f"lexkey={type_}" in feats and f"lex={type_}" in feats


def test_lexicon_features_are_silent_without_a_trigger_word(nlp):
    assert ec.lexicon_features(nlp("The weather was mild and dry on Sunday.")[:], []) == set()


def test_policy_choice_takes_the_best_cross_validated_accuracy():
    """Rules wrong on most sentences, the model right and fairly sure: the chosen policy relabels them,
    and keeps the rules where the model is unsure."""
    samples = [ec.Sample(f"s{i}", "AID", [], ["ASSAULT"], "") for i in range(30)]
    samples += [ec.Sample(f"k{i}", "ASSAULT", [], ["ASSAULT"], "") for i in range(10)]
    p = np.stack([probs(AID=0.6, ASSAULT=0.1)] * 30 + [probs(ASSAULT=0.2, AID=0.15)] * 10)
    policy, acc = ec.choose_policy(samples, p)
    assert acc == 1.0
    assert ec.figures(samples, ec.combined(samples, p, policy))["sentence_accuracy"] == 1.0
    assert policy["relabel"] is not None and policy["relabel"] <= 0.5
