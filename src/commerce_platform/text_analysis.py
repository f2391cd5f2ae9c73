"""One text analyzer for the whole platform: normalization, tokens, stop words, stems, language.

Used by the support knowledge base (BM25), sentiment scoring, the tutor and the copilot lexicon, so
that "tilauksen" and "tilaus", or "returning" and "returns", meet wherever text is matched.

* ``normalize``: Unicode NFKC, case folded, typographic quotes and dashes made plain. Nordic letters
  (å ä ö æ ø) are kept: they carry meaning in Finnish and Swedish ("tämä" is not "tama").
* ``tokenize``: words (letters and digits, inner hyphens and apostrophes kept); with
  ``keep_symbols=True`` numbers keep their decimal part ("2,5", "1.5"), a number glued to a unit is
  split ("12mm" -> 12, mm) and %, €, $, ° are tokens of their own, for callers that read quantities.
* ``stem``: Snowball stemmers (the ``snowballstemmer`` package: pure Python) for English, Finnish and
  Swedish. Finnish adds one step Snowball leaves out: the -us/-uks- alternation ("tilaus",
  "tilauksen", "tilaukset" all become "tilaus").
* ``detect_language``: Finnish or English, by a documented score (see there). It is a heuristic for
  picking a stemmer, not a general language identifier.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

LANGUAGES = {"en": "english", "fi": "finnish", "sv": "swedish"}

_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-",
                        "\u2212": "-", "\u00a0": " "})

_LETTER = r"[^\W\d_]"
_ALNUM = r"[^\W_]"
_WORD_RE = re.compile(rf"{_ALNUM}+(?:['\-]{_ALNUM}+)*")
# numbers first, so "12mm" reads as 12 + mm and "2,5" stays one number
_SYMBOL_RE = re.compile(rf"\d+(?:[.,]\d+)?|{_LETTER}+(?:['\-]{_ALNUM}+)*|[%€$°]")

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""
a an and are as at be been being but by can could did do does doing for from had has have having how i if in into
is it its itself me my of on or our ours so than that the their them then there these they this those to too was
we were what when where which who whom why will with would you your yours am im i'm ive i've any some just also
about after before up out he she him her his hers us very own same such only should shall may might must""".split()),
    "fi": frozenset("""
ja on ei se että kun mutta tai joka jotka mitä miten minä mä mun minun meidän me te teidän he ne nyt vai jos
olen olet ole oli olivat ovat olla ollut sen sitä siitä sille siinä tämä tämän tätä tässä tuo nämä niin kuin myös
vain jo vielä sekä eli koska kanssa mikä missä mihin mistä joten hän häntä hänen sinä sinun sä sun en et emme
""".split()),
    "sv": frozenset("""
och att det som en ett är jag du han hon vi ni de den för med på av till inte har var om men så eller
""".split()),
}

# Letters and word endings that are common in Finnish and rare in English (and the other way round).
_FI_LETTERS = re.compile(r"[äö]")
_FI_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "ksen", "kset", "iin", "nen",
               "sen", "ssaan", "aan", "ään", "ita", "itä", "ja", "jä", "ni", "si", "mme", "tte", "vat", "vät", "ttu",
               "tty", "ut", "yt", "us", "ys", "je", "ke", "ua", "yä", "ia", "iä", "aa", "ää", "uu", "ee", "ii", "ta", "tä")
_EN_MARKS = re.compile(r"(?:th|w|c|q|x|z|sh|ch|ck|ph)|(?:ing|ed|tion|ly|ies|ness|ment|able|ous|ful)$")


@cache
def english_word_counts() -> dict[str, int]:
    """pyspellchecker's English word frequencies, loaded once per process (the tutor's dictionary and the
    copilot's typo mender both read them)."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en").word_frequency.dictionary)


def normalize(text: str) -> str:
    """NFKC, case folded, plain quotes/dashes; Nordic letters kept."""
    return unicodedata.normalize("NFKC", text or "").translate(_PLAIN).casefold()


def tokenize(text: str, *, keep_symbols: bool = False, normalized: bool = False) -> list[str]:
    """Tokens of ``text`` (normalized first unless ``normalized``).

    ``keep_symbols``: numbers keep a decimal part ("2,5" stays one token) and %, €, $, ° are tokens."""
    text = text if normalized else normalize(text)
    if keep_symbols:
        return _SYMBOL_RE.findall(text)
    return _WORD_RE.findall(text)


def stopwords(language: str) -> frozenset[str]:
    if language not in STOPWORDS:
        raise ValueError(f"no stop words for language {language!r}; known: {', '.join(sorted(STOPWORDS))}")
    return STOPWORDS[language]


def is_stopword(word: str, language: str | None = None) -> bool:
    """Stop word of ``language``, or of any known language when it is None."""
    if language is None:
        return any(word in words for words in STOPWORDS.values())
    return word in stopwords(language)


@cache
def _stemmer(language: str):
    if language not in LANGUAGES:
        raise ValueError(f"no stemmer for language {language!r}; known: {', '.join(sorted(LANGUAGES))}")
    # Imported on the first stem, not at module import: the package loads all of its ~30
    # languages, which an HTTP Lambda's cold start (/health, check-sql) does not need.
    import snowballstemmer

    return snowballstemmer.stemmer(LANGUAGES[language])


# Finnish nouns in -us/-ys/-os/-is inflect on a -ks- stem (tilaus -> tilauksen); Snowball keeps the
# two apart, so its "tilauks" is brought back to "tilaus".
_FI_KS = re.compile(r"([uyoöi])ks$")


@lru_cache(maxsize=65536)
def stem(word: str, language: str = "en") -> str:
    """Snowball stem of one normalized word in ``language`` ("en", "fi", "sv"); numbers unchanged.

    ``language="auto"`` picks Finnish or English for the word alone (``word_language``)."""
    if not word or not any(ch.isalpha() for ch in word):
        return word
    if language == "auto":
        language = word_language(word)
    out = _stemmer(language).stemWord(word)
    if language == "fi":
        out = _FI_KS.sub(r"\1s", out)
        if out[-1:] in ("u", "y", "o", "ö", "i") and word.startswith(out + "ks"):
            out += "s"  # tilaukseni -> "tilau": the possessive form cut inside the -ks- stem
    return out


_LIGHT_EN = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


@lru_cache(maxsize=65536)
def light_stem(word: str, language: str = "en") -> str:
    """Inflection only (plural, past, -ing), derivation kept: "installers" -> "installer", never
    "instal". For term statistics, where "installer" and "installation" are different terms.
    Other languages have no light form here (Finnish cases are inflection): their Snowball stem."""
    if language != "en":
        return stem(word, language)
    w = word.lower()
    for suffix, repl in _LIGHT_EN:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def stems(words: Iterable[str], language: str = "en") -> list[str]:
    return [stem(w, language) for w in words]


def _fi_score(word: str) -> float:
    """Evidence that one word is Finnish (> 0) or English (< 0)."""
    if word in STOPWORDS["fi"]:
        return 2.0
    if word in STOPWORDS["en"]:
        return -2.0
    if not word.isalpha() or len(word) < 3:
        return 0.0
    score = 0.0
    if _FI_LETTERS.search(word):
        score += 3.0
    if word.endswith(_FI_ENDINGS):
        score += 1.0
    if re.search(r"(aa|ää|uu|yy|ii|ee|oo)", word):
        score += 0.5
    if _EN_MARKS.search(word):
        score -= 1.5
    if word[-1] in "aeiouyäö":
        score += 0.5
    elif word[-1] not in "nts":
        score -= 0.5
    return score


def word_language(word: str) -> str:
    """"fi" or "en" for one word: Finnish letters, stop words and endings against English letter
    groups (th, w, c, q, x, z) and suffixes (-ing, -ed, -tion, ...). Ties are English."""
    return "fi" if _fi_score(word) >= 1.0 else "en"


def detect_language(text: str | Iterable[str]) -> str:
    """"fi" or "en" for a text (or its tokens): the sum of the per-word evidence behind
    ``word_language`` (stop words 2 points, an ä/ö 3, a Finnish ending 1, an English letter group or
    suffix -1.5) is above 0.5 for Finnish. Empty text is English."""
    words = tokenize(text) if isinstance(text, str) else list(text)
    total = sum(_fi_score(w) for w in words)
    return "fi" if total > 0.5 else "en"


def analyze(text: str, language: str | None = None, *, keep_stopwords: bool = False) -> list[str]:
    """Stems of the content words of ``text``; the language is detected for the text when None.

    A word with Finnish letters is stemmed as Finnish even in an English text (product and place
    names written in Finnish inside English sentences)."""
    words = tokenize(text, keep_symbols=True)
    words = [w for w in words if any(ch.isalnum() for ch in w)]
    lang = language or detect_language(words)
    stop = STOPWORDS.get(lang, frozenset())
    out = []
    for w in words:
        if not keep_stopwords and (w in stop or (lang != "fi" and w in STOPWORDS["fi"] and _FI_LETTERS.search(w))):
            continue
        word_lang = "fi" if language is None and lang == "en" and _FI_LETTERS.search(w) else lang
        out.append(stem(w, word_lang))
    return out
