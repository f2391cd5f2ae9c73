"""Tutor text helpers: quantities with units, learner answers, fuzzy words, sentences."""

import pytest

from commerce_platform.tutor.text import learner_quantities, quantities, sentences, similar_words, tokens

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text,value,unit", [
    ("returned within 30 days of delivery", 30, "days"),
    ("leave 100 mm from the wall", 100, "mm"),
    ("the pipe run exceeds 7.5 m", 7.5, "m"),
    ("a 5-year warranty", 5, "years"),
    ("orders over €50 ship free", 50, "€"),
    ("a 10% restocking fee", 10, "%"),
    ("keep it above -5 °C", -5, "°C"),
])
def test_quantities_in_content(text, value, unit):
    q = quantities(text, with_unit_only=True)
    assert len(q) == 1 and q[0].value == value and q[0].unit.symbol == unit


@pytest.mark.parametrize("answer,value,unit", [
    ("thirty days", 30, "days"),
    ("30 dyas", 30, "days"),
    ("2 weeks", 2, "weeks"),
    ("about 100 millimetres", 100, "mm"),
    ("30", 30, None),
    ("7,5 m", 7.5, "m"),
])
def test_learner_quantities(answer, value, unit):
    q = learner_quantities(answer)[0]
    assert q.value == value and (q.unit.symbol if q.unit else None) == unit


@pytest.mark.parametrize("a,b,same", [
    ("refrigerant", "refrigerent", True), ("technician", "technicians", True), ("receipt", "reciept", True),
    ("days", "weeks", False), ("wall", "ball", False), ("12", "13", False),
])
def test_similar_words(a, b, same):
    assert similar_words(a, b) is same


def test_synonym_phrases_map_to_one_form():
    assert tokens("serviced annually by a licensed fitter") == tokens("serviced every 12 months by a certified installer")


def test_sentences_skip_markdown_structure():
    text = "# Returns\n| a | b |\n- Unused products can be returned within 30 days.\nThe receipt is required. Keep it."
    assert sentences(text) == ["Unused products can be returned within 30 days.", "The receipt is required."]


@pytest.mark.parametrize("a,b,same", [
    ("ordr", "order", True),            # 5 letters: one edit
    ("instalation", "installation", True),
    ("certifcate", "certificate", True),
    ("thermostat", "thermosatt", True),  # 10 letters: two edits
    ("pupm", "pump", True),             # 4 letters: one edit
    ("pumq", "pump", True),
    ("pimp", "pump", False),            # but never to another real word
    ("annual", "manual", False),         # both correct words: never a misspelling of each other
    ("pleasure", "pressure", False),
    ("plummer", "plumber", True),        # a rare word is likelier a slip
    ("installing", "installed", True),   # Snowball stems
])
def test_spelling_tolerance_scales_with_length_and_respects_real_words(a, b, same):
    assert similar_words(a, b) is same


def test_passage_words_count_as_real_words():
    # "brazing" is rare in the word list, so alone it may be a slip for "grazing"; in a passage it is a term
    assert similar_words("brazing", "grazing") is True
    assert similar_words("brazing", "grazing", known={"brazing"}) is False


@pytest.mark.parametrize("a,b,same", [
    ("tilaus", "tilauksen", True), ("palautus", "palautukset", True), ("returns", "returning", True),
    ("tilaus", "toimitus", False), ("days", "weeks", False),
])
def test_same_stem_in_english_and_finnish(a, b, same):
    from commerce_platform.tutor.text import same_stem

    assert same_stem(a, b) is same


def test_tokens_keep_decimals_and_symbols():
    assert tokens("Pay €50 within 2,5 days (10%)") == ["pay", "€", "50", "2,5", "days", "10", "%"]  # "within": a stop word
