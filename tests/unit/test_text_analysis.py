"""The platform's text analyzer: normalization, tokens, stop words, Snowball stems, language."""

import pytest

from commerce_platform.text_analysis import (
    analyze,
    detect_language,
    is_stopword,
    normalize,
    stem,
    stopwords,
    tokenize,
    word_language,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("language,forms", [
    ("fi", ["tilaus", "tilauksen", "tilaukset", "tilauksia", "tilaukseni"]),
    ("fi", ["palautus", "palautuksen", "palautukset"]),
    ("fi", ["toimitus", "toimituksen", "toimitukset"]),
    ("fi", ["lasku", "laskun", "laskut", "laskua"]),
    ("en", ["return", "returns", "returned", "returning"]),
    ("en", ["pipe", "pipes"]),
    ("en", ["ship", "shipping", "ships"]),
    ("en", ["install", "installing", "installed", "installs"]),
    ("en", ["warranty", "warranties"]),
])
def test_inflected_forms_share_a_stem(language, forms):
    assert len({stem(f, language) for f in forms}) == 1, {f: stem(f, language) for f in forms}


@pytest.mark.parametrize("a,b", [("tilaus", "toimitus"), ("pipe", "pump"), ("days", "weeks")])
def test_different_words_keep_different_stems(a, b):
    assert stem(a, "auto") != stem(b, "auto")


def test_numbers_are_not_stemmed_and_unknown_language_is_refused():
    assert stem("2,5", "fi") == "2,5" and stem("30", "en") == "30"
    with pytest.raises(ValueError, match="no stemmer for language 'xx'"):
        stem("word", "xx")
    with pytest.raises(ValueError, match="no stop words"):
        stopwords("xx")


@pytest.mark.parametrize("text,expected", [
    ("Sähkö ÄÖÅ", "sähkö äöå"),
    ("ØRESUND Æble", "øresund æble"),
    ("It’s – fine", "it's - fine"),
    ("STRASSE Straße", "strasse strasse"),
])
def test_normalize_keeps_nordic_letters(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text,kwargs,expected", [
    ("Missä on tilaukseni?", {}, ["missä", "on", "tilaukseni"]),
    ("Sähkö-asennus, it's done.", {}, ["sähkö-asennus", "it's", "done"]),
    ("Hinta 2,5 € ja 30% alennus", {}, ["hinta", "2", "5", "ja", "30", "alennus"]),
    ("Hinta 2,5 € ja 30% alennus", {"keep_symbols": True}, ["hinta", "2,5", "€", "ja", "30", "%", "alennus"]),
    ("1.5 m at -5 °C, $20", {"keep_symbols": True}, ["1.5", "m", "at", "5", "°", "c", "$", "20"]),
    ("12mm pipe", {"keep_symbols": True}, ["12", "mm", "pipe"]),
    ("12mm pipe", {}, ["12mm", "pipe"]),
    ("", {}, []),
])
def test_tokenizer(text, kwargs, expected):
    assert tokenize(text, **kwargs) == expected


@pytest.mark.parametrize("text,language", [
    ("Missä on tilaukseni?", "fi"),
    ("Tilaus ei ole vielä tullut", "fi"),
    ("palautus ohje", "fi"),
    ("kuinka kauan toimitus kestää", "fi"),
    ("where is my order", "en"),
    ("how long until the money from my return shows up on my card", "en"),
    ("installation of copper pipe", "en"),
    ("", "en"),
])
def test_detect_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("word,language", [("tilauksen", "fi"), ("päivä", "fi"), ("shipping", "en"),
                                           ("the", "en"), ("ja", "fi"), ("installation", "en")])
def test_word_language(word, language):
    assert word_language(word) == language


def test_stopwords_per_language():
    assert is_stopword("the", "en") and not is_stopword("the", "fi")
    assert is_stopword("että", "fi") and is_stopword("och") and not is_stopword("tilaus")


def test_analyze_drops_stop_words_and_stems_in_the_detected_language():
    assert analyze("Missä on tilaukseni?") == analyze("tilauksen") == ["tilaus"]
    assert analyze("the returned pipes") == ["return", "pipe"]
    # a Finnish word inside an English sentence is stemmed as Finnish
    assert "päivä" in analyze("delivery within 30 päivää")


@pytest.mark.parametrize("word,expected", [("installers", "installer"), ("installation", "installation"),
                                           ("returned", "return"), ("pipes", "pipe"), ("glass", "glass"),
                                           ("warranties", "warranty")])
def test_light_stem_strips_inflection_only(word, expected):
    from commerce_platform.text_analysis import light_stem

    assert light_stem(word) == expected
    assert light_stem("tilauksen", "fi") == stem("tilauksen", "fi")
