"""The copilot's lexicon: every phrase it knows, built from the semantic layer and the lake.

A phrase maps to one or more senses (a measure, an entity, a dimension, an attribute, a
predicate, a value of a dimension, a grammar word). Nothing here is written by hand: the
words come from ``semantic_layer.json`` (synonyms, glossary phrases, grammar tables) and
from the lake's distinct values and names (``Vocabulary``).

Typo tolerance: a word of five or more letters (four, when only one word is near: see
``_correct_short``) that the lexicon does not know is replaced
by the one known word within one edit (insert, delete, replace, swap of neighbours; only a
swap for function words), or, from six letters, within two edits when nothing is nearer (see
``mend``); when two known words are equally close, nothing is replaced (and the word stays
unexplained, so the question is refused rather than guessed, naming both words).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..text_analysis import english_word_counts, normalize
from .semantic import SemanticLayer, Vocabulary

Sense = tuple[Any, ...]   # ("measure", "revenue"), ("value", "city", "Helsinki"), ("grammar", "negation"), ...

TOKEN_RE = re.compile(r"__\w+?__|\d+(?:[.,]\d+)?|[a-zåäöøæéü0-9]+(?:[-'][a-zåäöøæéü0-9]+)*|%|€|\$")
MIN_TYPO_LENGTH = 5
TYPO_TARGET_FLAG = "typo_target"  # a grammar table marked false holds no typo targets (_phrase_words)
SHORT_TYPO_LENGTH = 4   # four letters: corrected only when the one close word is unambiguous
MIN_TWO_EDIT_LENGTH = 6  # six letters or more: two edits from one known word (and none nearer) is mended
LETTERS = "abcdefghijklmnopqrstuvwxyzåäöøæ"


def tokenize(text: str) -> list[str]:
    """The platform's normalization (text_analysis.normalize: NFKC, case folded, plain quotes and
    dashes); the copilot keeps its own token pattern for placeholders, money and percent signs."""
    return TOKEN_RE.findall(normalize(text))


@dataclass
class Span:
    start: int
    end: int
    text: str
    senses: list[Sense]
    used: bool = False

    def first(self, kind: str) -> Sense | None:
        return next((s for s in self.senses if s[0] == kind), None)

    def arg(self, kind: str, index: int = 1) -> Any:
        """The ``index``-th part of the first sense of ``kind`` (the caller has seen it is there)."""
        sense = self.first(kind)
        if sense is None:
            raise LookupError(f"{self.text!r} has no {kind} sense")
        return sense[index]

    def has(self, kind: str, *args: Any) -> bool:
        return any(s[0] == kind and s[1:1 + len(args)] == tuple(args) for s in self.senses)


def purpose_patterns(purpose: dict) -> list[str]:
    """A purpose's ``phrase_patterns`` written out: each form with each kind and noun ("the winter campaign", "for an
    in-store promotion"; ``{a}`` is "a" or "an" before the kind)."""
    spec = purpose.get("phrase_patterns") or {}
    out = []
    for form in spec.get("forms", []):
        for kind in spec.get("kinds", []):
            for noun in spec.get("nouns", [""]):
                article = "an" if kind[:1] in "aeiou" else "a"
                out.append(" ".join(form.format(kind=kind, noun=noun, a=article).split()))
    return out


def formula_variants(phrase: str, spec: dict) -> list[str]:
    """The other ways of saying a formula synonym ("line revenue minus qty x unit cost"): the factors of each term
    ("minus", "plus" part) in every order, each product sign of the layer ("x", "times") and each alias of a factor
    word ("qty" for "quantity"). A phrase with no product sign has none."""
    words = phrase.split()
    signs = list(spec.get("products", []))
    if not signs or not set(words) & set(signs):
        return []
    terms: list[list[str]] = [[]]
    joins: list[str] = []
    for word in words:
        if word in spec.get("terms", []):
            joins.append(word)
            terms.append([])
        else:
            terms[-1].append(word)
    orders: list[list[str]] = [[]]
    for term in terms:
        factors = [" ".join(f).strip() for f in _split_on(term, set(signs))]
        if any(not f for f in factors):
            return []  # a sign with nothing on one side is no product
        orders = [[*done, " x ".join(p)] for done in orders for p in _orders(factors)]
    forms = set()
    if "(" in phrase:  # a bracketed factor is one factor: its sign is not the term's, no factor is moved
        orders = [[" ".join(t) for t in terms]]
    for order in orders:
        text = order[0] + "".join(f" {j} {t}" for j, t in zip(joins, order[1:], strict=True))
        forms |= {text.replace(" x ", f" {sign} ") for sign in signs}
    for canonical, aliases in spec.get("aliases", {}).items():
        forms |= {re.sub(rf"(?<!product )\b{re.escape(canonical)}\b", alias, form) for form in forms for alias in aliases}
    return sorted(forms - {phrase})


def _split_on(words: list[str], signs: set[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word in signs:
            parts.append([])
        else:
            parts[-1].append(word)
    return parts


def _orders(factors: list[str]) -> list[tuple[str, ...]]:
    from itertools import permutations
    return list(permutations(factors)) if len(factors) <= 3 else [tuple(factors)]


@dataclass
class Lexicon:
    phrases: dict[tuple[str, ...], list[Sense]] = field(default_factory=dict)
    max_words: int = 1
    words: set[str] = field(default_factory=set)       # every word of every phrase (typo targets)
    value_words: set[str] = field(default_factory=set)  # words that only occur in lake values/names
    targets: set[str] = field(default_factory=set)      # words a typo may be corrected to
    extra_words: set[str] = field(default_factory=set)  # words the parser reads itself (months, "order")
    word_senses: dict[str, list[Sense]] = field(default_factory=dict)  # one-word phrases, for typo ties
    _by_initial: dict[str, list[str]] | None = field(default=None, repr=False)  # two-edit search, built on use
    _by_letters: dict[str, list[str]] | None = field(default=None, repr=False)  # jumbled-letter search
    _function_words: frozenset[str] | None = field(default=None, repr=False)  # built on use

    def add(self, phrase: str, sense: Sense) -> None:
        key = tuple(tokenize(phrase))
        if not key:
            return
        senses = self.phrases.setdefault(key, [])
        if sense not in senses:
            senses.append(sense)
        self.max_words = max(self.max_words, len(key))

    def function_words(self) -> frozenset[str]:
        """The words that name nothing of the lake (no target of a slip) and the parser's own words, once: the set
        difference walks every word of every phrase (~12 ms with 300,000 names)."""
        if self._function_words is None:
            self._function_words = frozenset((self.words - self.targets) | self.extra_words)
        return self._function_words

    @classmethod
    def build(cls, layer: SemanticLayer, vocab: Vocabulary | None, extra_words: AbstractSet[str] = frozenset()) -> Lexicon:
        lex = cls(extra_words=set(extra_words))
        grammar = layer.grammar
        for word in grammar["stopwords"]:
            lex.add(word, ("stop",))
        for phrase in grammar.get("fillers", []):  # "for the board deck": says nothing about the data
            lex.add(phrase, ("stop",))
        for phrase, direction in grammar.get("intents", {}).items():
            lex.add(phrase, ("intent", direction))
        for phrase in grammar.get("currency", []):
            lex.add(phrase, ("currency", "EUR"))
        for kind in ("negation", "compare", "group_by", "count", "average", "share", "growth", "previous",
                     "contains", "followup", "drop_filter", "bought_together", "recommend", "range", "name_field",
                     "starts_with", "both", "summed_over", "participating", "adding", "pairs",
                     "single_item", "growth_absolute", "net_of_discount", "every_customer",
                     "together_shared", "negation_after"):  # single_item: "the biggest single order", said of one row of a ranking
            for phrase in grammar.get(kind, []):
                lex.add(phrase, ("grammar", kind))
        for phrase in grammar.get("residence", {}).get("words", []):
            lex.add(phrase, ("grammar", "residence"))
        for phrase in grammar.get("held_where", {}).get("words", []):  # "in stock anywhere": in some warehouse
            lex.add(phrase, ("grammar", "held_where"))
        for phrase in grammar.get("everywhere", {}).get("words", []):  # "and everywhere?": no place condition
            lex.add(phrase, ("grammar", "everywhere"))
        for phrase in grammar.get("person_pronouns", []):
            lex.add(phrase, ("grammar", "person_pronoun"))
        for phrase in grammar["superlative_desc"]:
            lex.add(phrase, ("superlative", "desc"))
        for phrase in grammar["superlative_asc"]:
            lex.add(phrase, ("superlative", "asc"))
        for phrase, (attribute, direction) in grammar["superlative_attribute"].items():
            lex.add(phrase, ("superlative_attribute", attribute, direction))
        for phrase, measure in grammar["ranking_measures"].items():
            lex.add(phrase, ("ranking", measure))
        for phrase, measure in grammar.get("valued_at", {}).items():  # "at list price": which valuation
            lex.add(phrase, ("valued_at", measure))
        for phrase, op in grammar["comparators"].items():
            lex.add(phrase, ("comparator", op))
        for phrase, what in grammar["activity"].items():
            lex.add(phrase, ("activity", what))
        for phrase, unit in grammar["units"].items():
            lex.add(phrase, ("unit", unit))
        for phrase, place in grammar.get("ordinals", {}).items():  # "the second highest": a place in a ranking
            lex.add(phrase, ("ordinal", place))
        for name, purpose in grammar.get("purposes", {}).items():
            for phrase in [*purpose["phrases"], *purpose_patterns(purpose)]:
                lex.add(phrase, ("purpose", name))
        for phrase in grammar.get("movers", {}).get("nouns", []):
            lex.add(phrase, ("mover",))
        for phrase in grammar.get("carrying_verbs", []):  # "which carrier took order 7": a verb, placed by the parser
            if (phrase,) not in lex.phrases:
                lex.add(phrase, ("grammar", "carrying"))
        for phrase in grammar["unknown_concepts"]:
            lex.add(phrase, ("unknown", phrase))
        for name, measure in layer.measures.items():
            for phrase in measure["synonyms"]:
                lex.add(phrase, ("measure", name))
        # "line revenue minus unit cost x qty": a measure's formula with its factors in another order, 'times' for
        # 'x' or a factor's alias (the layer's formula variants); a variant another phrase already holds is not added
        said = set(lex.phrases)
        for name, measure in layer.measures.items():
            for phrase in measure["synonyms"]:
                for variant in formula_variants(phrase, grammar.get("formula_variants", {})):
                    if tuple(tokenize(variant)) not in said:
                        lex.add(variant, ("measure", name))
        for name, entity in layer.entities.items():
            # an entity of its own words ("stock records"): the table's words ("inventory") keep their measure
            for phrase in entity.get("synonyms") or layer.tables[entity["table"]]["synonyms"]:
                lex.add(phrase, ("entity", name))
        for name, dim in layer.dimensions.items():
            for phrase in dim["synonyms"]:
                lex.add(phrase, ("dimension", name))
        # "customer city", "product brand": an entity's noun before a dimension of its own table names
        # that dimension (the customer's city), not the entity and the dimension side by side
        for name, dim in layer.dimensions.items():
            if dim.get("entity"):
                continue
            table = dim["column"].split(".")[0]
            for entity in layer.entities.values():
                if entity["table"] != table:
                    continue
                for phrase in dim["synonyms"]:
                    key = tuple(tokenize(f"{entity['singular']} {phrase}"))
                    if key not in lex.phrases:
                        lex.add(" ".join(key), ("dimension", name))
        for grain, phrases in layer.grains.items():
            for phrase in phrases:
                lex.add(phrase, ("grain", grain))
        for table, spec in layer.tables.items():
            for column, col in spec["columns"].items():
                for phrase in col.get("synonyms", []):
                    lex.add(phrase, ("attribute", f"{table}.{column}"))
        for name, predicate in layer.predicates.items():
            for phrase in predicate["synonyms"]:
                lex.add(phrase, ("predicate", name))
        for phrase, name in grammar.get("negated_predicates", {}).items():  # "on time": not late
            lex.add(phrase, ("predicate", "not_" + name))
        known_words = {w for key in lex.phrases for w in key}
        if vocab is not None:
            dims_by_column = {dim["column"].split(".")[1]: name for name, dim in layer.dimensions.items()
                              if not dim.get("entity")}
            for column, values in vocab.values.items():
                dim_name = dims_by_column.get(column)
                if dim_name is None or column == "country":  # ISO codes ("no", "fi") are ordinary words
                    continue
                for value in values:
                    lex.add(value, ("value", dim_name, value))
            for column, mapping in layer.value_synonyms.items():
                dim_name = dims_by_column.get(column)
                if dim_name is None:
                    continue
                known = set(vocab.values.get(column, []))
                for phrase, value in mapping.items():
                    if not known or value in known:
                        lex.add(phrase, ("value", dim_name, value))
            for lower, name in vocab.product_names.items():
                lex.add(lower, ("value", "product", name))
            for kind in _product_kinds(vocab):
                if tuple(tokenize(kind)) not in lex.phrases:  # "paint" stays the category, "bring" the carrier
                    lex.add(kind, ("product_kind", kind))
            for lower, name in vocab.customer_names.items():
                lex.add(lower, ("value", "customer", name))
            for lower, sku in vocab.skus.items():
                lex.add(lower, ("value", "sku", sku))
        lex.words = {w for key in lex.phrases for w in key}
        # typo targets: words that carry meaning (a misspelt word is never read as "done" or "the")
        lex.targets = {w for key, senses in lex.phrases.items() if any(x[0] not in ("stop", "unknown") for x in senses)
                       for w in key}
        lex.word_senses = {key[0]: senses for key, senses in lex.phrases.items() if len(key) == 1}
        lex.value_words = lex.words - known_words
        # the words of the grammar tables the parser reads itself ("median" of the aggregates) are
        # known words: a slip in them is mended to them, and they are never mended to something else
        # (not those of a table the layer marks "typo_target": false, words tested only in one place of one shape:
        # the commentary blockers, words that stop a clause being set aside; the action verbs, only tested at the
        # start of a question: "web cancel rate" still mends 'cancel'; the pace words of days of stock, only tested
        # after "N days of stock": "pacle" is no slip of 'pace')
        lex.extra_words |= _phrase_words(grammar) - lex.words
        _english_words()  # the common-word list loads with the lexicon, not in the first question that needs it (~140 ms)
        lex.function_words()
        return lex

    # ----- matching
    def correct(self, token: str) -> str | None:
        """The one known word near ``token`` (see ``mend``), or None."""
        return self.mend(token)[0]

    def mend(self, token: str) -> tuple[str | None, tuple[str, ...]]:
        """(the word ``token`` was meant to be, ()) or (None, the known words it is equally near).

        One edit (insert, delete, replace, swap of neighbours) first: words that carry meaning are
        reached by any one edit; function words ("which") only by two neighbours swapped, the
        commonest slip: a deletion must not turn "drone" into "done". A word of six letters or more
        with nothing one edit away may be two edits from one known word ("custmres": a misspelling
        with a slip on top); it is mended only when that word is the only one so near. When two words
        are equally near and mean different things, nothing is replaced and both are returned, so the
        refusal can name them."""
        if token in self.words or token in self.extra_words or not token.isalpha():
            return None, ()
        if len(token) == SHORT_TYPO_LENGTH:
            return self._correct_short(token), ()
        if len(token) < MIN_TYPO_LENGTH:
            return None, ()
        # an inflection is not a typo: "brings" is not the carrier "Bring"
        candidates = {w for w in _edits(token) if (w in self.targets or w in self.extra_words)
                      and not (w in self.value_words and token.startswith(w))}
        if candidates and all(len(c) < len(token) for c in candidates) and not is_english_word(token):
            # "ordedr": a letter the word lacks typed ("order") or an inflection of that very word with two
            # neighbours swapped and a letter lost, every letter typed kept ("ordered": "orderd" swapped); the
            # letter is the inflection's, so it is read (was: "order", a form the question did not say)
            kept = {w for w in self._two_edits(token) if w in self.targets and _letters_kept(token, w)
                    and any(w.startswith(c) for c in candidates)}
            if len(kept) == 1:
                return kept.pop(), ()
            # "basde": so is a function word the same letters make, two neighbours swapped ("based", not "base")
            candidates |= adjacent_swaps(token) & self.function_words()
        if candidates and not any(_double_lost(token, c) for c in candidates) and _doubled_english(token):
            # "our acount managers": one of a double lost from a common English word the lake lacks ("account")
            # is that word, the commonest slip, not a letter replaced in a known one ("amount"); it stays
            # unexplained (was: mended to "amount", a blocker that kept the aside from being set aside)
            return None, ()
        if candidates and len(token) >= MIN_TWO_EDIT_LENGTH and all(_far_key(token, c) for c in candidates):
            # "cotsumers": a letter typed for one far from it on the keyboard ("consumers") is no nearer than
            # the same letters moved twice ("customers"); with both, the slip is not guessed and both are named
            # (six letters or more, as for any two-edit reading: "theer" stays "their")
            jumbled = {w for w in self._anagrams().get("".join(sorted(token)), ())
                       if w[0] == token[0] and _two_exchanges(token, w)} - candidates
            # "per chanle": so is a word two neighbours swapped and one more slip away ("channel": "chanel" with
            # its letters swapped), a meaningful word, no nearer than a far key typed ("change"); both are named
            jumbled |= {w for w in self._two_edits(token) if w in self.targets and w not in self.value_words
                        and any(_one_apart(s, w) for s in adjacent_swaps(token))} - candidates
            if jumbled:
                return None, tuple(sorted(candidates | jumbled))
        if not candidates:  # function words: two letters swapped or one lost ("whihc", "usualy")
            candidates = (adjacent_swaps(token) | _inserts(token)) & self.function_words()
        if not candidates and len(token) >= MIN_TWO_EDIT_LENGTH:
            candidates = self._two_edits(token)
        if not candidates and len(token) < MIN_TWO_EDIT_LENGTH and not is_english_word(token):
            # (six letters or more found nothing two edits away just above)
            # "odres": five letters, two neighbours swapped in a word that lost a letter ("oders": "orders"), every
            # letter typed kept; read only when one meaningful word is so near (a lake value never) and no other
            # word is two slips away but its own stem ("odres": "order"; "pacle" may be "parcel" or "place": left)
            near = self._two_edits(token)
            kept = {w for w in near if w in self.targets and w not in self.value_words and _letters_kept(token, w)}
            candidates = kept if len(kept) == 1 and all(
                any(w.startswith(o) for w in kept) for o in near - kept) else set()
        if not candidates:  # letters jumbled further ("utnis", "costuemrs"): the same letters, same first one
            candidates = {w for w in self._anagrams().get("".join(sorted(token)), ())
                          if w[0] == token[0] and w != token}
        if not candidates and not is_english_word(token):
            # "cnacel", "gievs", "daets": not a word, and two neighbours swapped (the commonest slip) from one
            # common English word only; a word the parser does not know then stays unexplained, as before
            swapped = adjacent_swaps(token) & _english_words()
            candidates = swapped if len(swapped) == 1 else set()
        return self._pick(token, _forms_if_english(token, candidates))

    def _correct_short(self, token: str) -> str | None:
        """A four-letter word ("stok", "unts") has many neighbours: it is mended only when exactly
        one meaningful word (not a lake value) is one edit away and no function word is, so an
        English word the lexicon lacks is left unexplained rather than read as something else."""
        edits = _edits(token)
        # a grammar word that is also a meaningful word ("order") is a candidate, not a function word
        grammar = {w for w in edits if (w in self.words or w in self.extra_words) and w not in self.targets}
        swapped = {w for w in adjacent_swaps(token) if w in self.targets and w not in self.value_words}
        # ... unless it is a far key typed and one meaningful word is two neighbours swapped, the commonest slip
        # ("one lien": "line", not the stock verb "lies")
        if grammar and not (len(swapped) == 1 and all(_far_key(token, w) for w in grammar)):
            return None
        candidates = {w for w in edits if w in self.targets and w not in self.value_words and len(w) >= 3}
        candidates = _forms_if_english(token, candidates)
        alone = {w for w in candidates if w in self.word_senses}
        if len(candidates) > 1 and len(alone) == 1:
            # "stok": a word that means something said alone ("stock"), not one known only inside a longer
            # phrase ("stop" of "stop stocking"), which a slip of one word alone cannot be
            candidates = alone
        if len(candidates) > 1 and not is_english_word(token):
            # two neighbours swapped is the commonest slip: "still opne" is "open", though "one" is a letter away
            swapped = candidates & adjacent_swaps(token)
            candidates = swapped if len(swapped) == 1 else candidates
        return candidates.pop() if len(candidates) == 1 else None

    def _pick(self, token: str, candidates: set[str]) -> tuple[str | None, tuple[str, ...]]:
        """The one of equally near words the slip most likely came from, or (None, all of them)."""
        if len(candidates) <= 1:
            return (next(iter(candidates)) if candidates else None), ()
        past = token[:-1] + "ed"
        if token.endswith("d") and not token.endswith("ed") and past in candidates:
            return past, ()  # "deliverd", "returnd": a past tense that lost its "e", not "deliver"/"delivers"
        pasts = {c for c in candidates if c.endswith("ed") and token.endswith("d") and _one_letter_lost(token, c)}
        if len(pasts) == 1:
            return pasts.pop(), ()  # "delievrd": the same, jumbled
        # a slip keeps the letters (swapped) or loses one of a double ("carier"); it seldom adds a
        # letter the word lacks: "stastu" is "status", not "stats"; "carire" is "carrier", not "carries"
        for keeps in (_same_letters, _double_lost):
            kept = {c for c in candidates if keeps(token, c)}
            if len(kept) == 1 and not kept & self.value_words:
                return kept.pop(), ()
        kept = {c for c in candidates if _one_letter_lost(token, c)}
        if len(kept) == 1 and all(Counter(token) - Counter(c) and not _swapped_near_key(token, c)
                                  for c in candidates - kept) and not any(_one_apart(token, c) for c in candidates) and (
                not kept & self.value_words or is_english_word(next(iter(kept)))):
            # "warehsues", "delivreis", "busiens", two slips from each word: the word that holds every letter typed
            # and one lost ("warehouses", "deliveries", "business"), not one the typed letters do not fit
            # ("warehouse" has one "s", "delivers" no "i", "busiest" no "n"): a plural stays plural (was: the
            # singular, rows per warehouse for a total); a lake value so read must be a common word (the segment
            # "business"), never a name. A word one slip away, or a swap and a neighbouring key away, is as near:
            # "deliveres" and "delievres" stay named ("delivered", "deliveries", "delivers")
            return kept.pop(), ()
        exchanged = {c for c in candidates if _exchanged(token, c)}
        if len(exchanged) == 1 and not exchanged & self.value_words:
            # "costumers": the same letters, two of them exchanged, is "customers", not "consumers"
            return exchanged.pop(), ()
        swapped = candidates & adjacent_swaps(token)
        if len(swapped) == 1 and not candidates & self.value_words:
            # "producst": "products" (same letters, two swapped) is nearer than "product" (one lost)
            return swapped.pop(), ()
        lost = {c for c in candidates if len(c) == len(token) + 1 and _lost_from(token, c)}
        if len(lost) == 1 and all(len(c) < len(token) for c in candidates - lost) and not candidates & self.value_words:
            # "deliveris": a letter lost ("deliveries"), not one typed that the word lacks ("delivers")
            return lost.pop(), ()
        first = {c for c in candidates if c[0] == token[0]}
        if len(first) == 1 and not candidates & self.value_words:
            return first.pop(), ()  # "itmes": "items", not "times" (people seldom slip on the first letter)
        near = {c for c in candidates if not _far_key(token, c)}
        if len(near) == 1 and not candidates & self.value_words:  # never a guess between lake values
            # "deliverey": a stray "e" typed ("delivery"), not "y" for "d", keys far apart ("delivered")
            return near.pop(), ()
        senses = {tuple(self.word_senses.get(c, ())) for c in candidates}
        if len(senses) == 1 and () not in senses:
            return sorted(candidates)[0], ()  # "cancelld": "cancelled" or "canceled", one meaning
        return None, tuple(sorted(candidates))

    def _anagrams(self) -> dict[str, list[str]]:
        """Meaningful words (five letters or more) by their sorted letters, built on first use."""
        if self._by_letters is None:
            index: dict[str, list[str]] = {}
            for w in self.targets | self.extra_words:
                if len(w) >= MIN_TYPO_LENGTH and w.isalpha():
                    index.setdefault("".join(sorted(w)), []).append(w)
            self._by_letters = index
        return self._by_letters

    def _two_edits(self, token: str) -> set[str]:
        """Known words (five letters or more, same first letter: slips there are rare, and it keeps the
        search small on a lake of many names) two slips from ``token`` (see ``_within_two``)."""
        if self._by_initial is None:
            index: dict[str, list[str]] = {}
            for w in self.words | self.extra_words:
                if len(w) >= MIN_TWO_EDIT_LENGTH - 1 and w.isalpha():
                    index.setdefault(w[0], []).append(w)
            self._by_initial = index
        return {w for w in self._by_initial.get(token[0], ()) if abs(len(w) - len(token)) <= 2
                and not (w in self.value_words and token.startswith(w))
                and (_within_two(token, w) or _exchanged(token, w))}

    def spans(self, tokens: list[str]) -> list[Span]:
        """Longest phrases first, left to right; unknown tokens become sense-less spans
        (typos are mended before, on the whole text: see ``correct``)."""
        # a hyphenated word the lexicon does not know is read as its parts ("shipped-but-not-delivered")
        fixed = [part for tok in tokens for part in
                 (tok.split("-") if "-" in tok and tok not in self.words and not tok.startswith("__") else [tok])]
        tokens = fixed
        fixed = list(tokens)
        out: list[Span] = []
        i = 0
        while i < len(fixed):
            if fixed[i].startswith("__"):
                out.append(Span(i, i + 1, fixed[i], [("slot", fixed[i])]))
                i += 1
                continue
            for n in range(min(self.max_words, len(fixed) - i), 0, -1):
                key = tuple(fixed[i:i + n])
                senses = self.phrases.get(key)
                if not senses and n > 1 and key[-1].endswith("s") and len(key[-1]) > 3:
                    # "Philips Heat Pumps": the plural of a name of several words is that name
                    # "order totals", "unit costs": the plural of a column's name of several words is that column
                    # (the last word alone may be a stop word, "totals", and the column would be lost)
                    senses = [x for x in self.phrases.get((*key[:-1], key[-1][:-1]), [])
                              if x[0] == "value" and x[1] == "product" or x[0] in ("product_kind", "attribute")]
                if senses:
                    out.append(Span(i, i + n, " ".join(key), list(senses)))
                    i += n
                    break
            else:
                tok = fixed[i]
                senses = [("number", _number(tok))] if _number(tok) is not None else []
                out.append(Span(i, i + 1, tokens[i], senses))
                i += 1
        return out


def _product_kinds(vocab: Vocabulary) -> set[str]:
    """What a product is, its name without the brand and a trailing model number ("cordless drill" of
    "Nordline Cordless Drill 2"): people ask for the kind ("stock of cordless drills"), which is every
    product whose name holds it, whatever the brand."""
    brands = sorted((b.lower() for b in vocab.values.get("brand", [])), key=len, reverse=True)
    kinds: set[str] = set()
    for lower in vocab.product_names:
        brand = next((b for b in brands if lower.startswith(b + " ")), None)
        if brand is None:
            continue
        kind = re.sub(r"(?:\s+\d+)+$", "", lower[len(brand) + 1:]).strip()
        if (" " in kind or len(kind) >= MIN_TYPO_LENGTH) and kind not in vocab.product_names:
            kinds.add(kind)
    return kinds


KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


KEY_SPOTS = {ch: (r, c) for r, row in enumerate(KEYBOARD_ROWS) for c, ch in enumerate(row)}


def _keys_near(a: str, b: str) -> bool:
    """Neighbouring keys on a QWERTY keyboard (the same row or the rows above and below)."""
    if a not in KEY_SPOTS or b not in KEY_SPOTS:
        return True  # not a letter key: no evidence either way
    (ra, ca), (rb, cb) = KEY_SPOTS[a], KEY_SPOTS[b]
    return abs(ra - rb) <= 1 and abs(ca - cb) <= 1


def _far_key(token: str, word: str) -> bool:
    """``word`` differs from ``token`` by one letter typed for another far from it on the keyboard."""
    if len(token) != len(word):
        return False
    diff = [(a, b) for a, b in zip(token, word, strict=True) if a != b]
    return len(diff) == 1 and not _keys_near(*diff[0])


COMMON_WORD_COUNT = 1000  # pyspellchecker's frequency list: above it, a word people write, not a slip


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    return frozenset(w for w, n in english_word_counts().items() if n >= COMMON_WORD_COUNT)


def _forms_if_english(token: str, candidates: set[str]) -> set[str]:
    """A real word is read as another form of a known word ("amounts", "return"), never as a different
    word ("caller" is not "called", "slot" is not "slow")."""
    if not is_english_word(token):
        return candidates
    # ... save two neighbours swapped, the commonest slip of all ("spilt that by channel": "split")
    return {w for w in candidates if w.startswith(token) or token.startswith(w) or w in adjacent_swaps(token)}


def _doubled_english(token: str) -> bool:
    """``token`` is a common English word with one of its doubled letters lost ("acount": "account")."""
    return not is_english_word(token) and any(
        token[:k + 1] + token[k:] in _english_words() for k in range(len(token)))


def is_english_word(token: str) -> bool:
    """A correctly spelled common English word (pyspellchecker's list, its rare tail left out)."""
    return token in _english_words()


def _number(tok: str) -> float | None:
    try:
        return float(tok.replace(",", "."))
    except ValueError:
        return None


def _inserts(word: str) -> set[str]:
    return {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in LETTERS}


def adjacent_swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)} - {word}


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def _phrase_words(table: Any) -> set[str]:
    """The words of the phrases of a grammar table: list items and keys, nested; not the notes
    (long sentences) nor column names ("orders.order_date"); nor those of a table marked ``"typo_target": false``
    (at any depth: words the parser tests in one place only, not known words a slip is mended to)."""
    out: set[str] = set()
    if isinstance(table, dict):
        for key, value in table.items():
            if key.endswith("note") or key == "description" or _no_typo_target(value):
                continue  # (a table marked so is left out with its name)
            out |= _phrase_words(key) | (_phrase_words(value) if isinstance(value, (dict, list)) else set())
    elif isinstance(table, list):
        for item in table:
            out |= _phrase_words(item)
    elif isinstance(table, str) and len(table) <= 40 and "." not in table and "_" not in table:
        out |= {w for w in tokenize(table) if w.isalpha()}
    return out


def _no_typo_target(table: Any) -> bool:
    """``table`` is marked ``"typo_target": false`` by the layer."""
    return isinstance(table, dict) and table.get(TYPO_TARGET_FLAG) is False


def _within_two(token: str, word: str) -> bool:
    """``word`` is two slips from ``token`` of the kinds a misspelling with a slip on top makes:
    two neighbours swapped plus one more edit ("custmres": "customers"), or two letters lost
    ("quartly": "quarterly"). Two arbitrary edits would read real words the lexicon lacks as
    others ("driver" is two edits from "deliver")."""
    if sum(abs(token.count(c) - word.count(c)) for c in set(token) | set(word)) > 4:
        return False  # two edits change at most four letter counts
    if len(word) == len(token) + 2 and _lost_from(token, word):
        return True
    return any(_one_apart(s, word) for s in adjacent_swaps(token))


def _exchanged(token: str, word: str) -> bool:
    """``word`` is ``token`` with two letters (not neighbours) exchanged: "costumers", "customers"."""
    diff = [k for k in range(len(token)) if len(token) == len(word) and token[k] != word[k]]
    return len(diff) == 2 and token[diff[0]] == word[diff[1]] and token[diff[1]] == word[diff[0]]


def _two_exchanges(token: str, word: str) -> bool:
    """``word`` is ``token``'s letters with at most two pairs of them exchanged ("cotsumers": "customers")."""
    if sorted(token) != sorted(word):
        return False
    diff = [k for k in range(len(token)) if token[k] != word[k]]
    if not 2 <= len(diff) <= 4:
        return False
    return len(diff) <= 3 or any(token[i] == word[j] and token[j] == word[i] for i in diff for j in diff if i < j)


def _same_letters(token: str, word: str) -> bool:
    return sorted(token) == sorted(word)


def _one_letter_lost(token: str, word: str) -> bool:
    """``word`` is ``token``'s letters (in any order) and one more."""
    return len(word) == len(token) + 1 and not Counter(token) - Counter(word)


def _letters_kept(token: str, word: str) -> bool:
    """``word`` is ``token`` with two neighbours swapped and one letter lost: every letter typed kept."""
    return _one_letter_lost(token, word) and any(_lost_from(s, word) for s in adjacent_swaps(token))


def _swapped_near_key(token: str, word: str) -> bool:
    """``word`` is ``token`` with two neighbours swapped and one letter typed for a key next to it."""
    for s in adjacent_swaps(token):
        diff = [(a, b) for a, b in zip(s, word, strict=False) if a != b] if len(s) == len(word) else []
        if len(diff) == 1 and _keys_near(*diff[0]):
            return True
    return False


def _double_lost(token: str, word: str) -> bool:
    """``word`` is ``token``'s letters and one more, next to the same letter: one of a double lost."""
    return _one_letter_lost(token, word) and any(
        word[k] == word[k + 1] and _same_letters(token, word[:k] + word[k + 1:]) for k in range(len(word) - 1))


def _lost_from(short: str, word: str) -> bool:
    """``short`` is ``word`` with letters left out (a subsequence)."""
    letters = iter(word)
    return all(c in letters for c in short)


def _one_apart(a: str, b: str) -> bool:
    """At most one edit apart (insert, delete, replace, swap of neighbours)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    if len(a) == len(b):
        return a[k + 1:] == b[k + 1:] or (a[k + 2:] == b[k + 2:] and a[k:k + 2] == b[k:k + 2][::-1])
    return a[k + 1:] == b[k:] if len(a) > len(b) else a[k:] == b[k + 1:]
