"""Offline semantic parser: a question becomes a ``QueryForm``, the planner makes the SQL.

Not a list of intents: the question is cut into phrases of the lexicon (built from the
semantic layer and the lake), a small composition grammar (negation, "X vs Y", "by",
superlatives, comparators, "share of", growth, follow-ups) fills the form, and the parse is
accepted only when it explains every content word. Anything left over is "not understood",
naming the words it could not place and what it did understand.
"""

from __future__ import annotations

import copy
import gc
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ..errors import NotUnderstood, ValidationFailed
from .behind import counted_behind_figure, figure_of_those_counted
from .followups import (
    BESIDE_OPENERS,
    EARLIER,
    FOLLOWUP_WORDS,
    INCLUDING,
    adds_grouping,
    between_them,
    complementary,
    counted,
    days_of_stock_kept,
    drop_value,
    earlier_note,
    earlier_period,
    elliptic_count,
    figure_of_the_ranked_ones,
    of_the_ranked,
    of_them_counted,
    points_back,
    population_of_the_ranked,
    predicate_columns,
    previous_words,
    refuse,
    same_columns,
    share_whole,
    stands_for_rows,
    superlative_ones,
    the_related,
    the_superlative,
    within_top,
)
from .labels import place_grain_labels
from .lexicon import Lexicon, Span, _edits
from .merge_shapes import MERGE_SHAPES
from .periods import Periods as Periods
from .periods import _period, shift_back, shift_over, unit_of
from .periods import relative_period as relative_period
from .planner import DEFAULT_TOP, PREVIOUS_ROWS, Planner, fragment
from .query import Filter, QueryForm
from .ranked_row import row_kept, row_of_the_ranking
from .reading.advice import AdviceSteps
from .reading.base import StateBase
from .reading.beside_all import BesideAllSteps
from .reading.bounded_groups import BoundedGroupSteps
from .reading.columns import ColumnSteps
from .reading.conditions import ConditionSteps
from .reading.counted_places import CountedPlacesSteps
from .reading.figure_than import FigureThanSteps
from .reading.followups import FollowupSteps
from .reading.groupings import GroupingSteps
from .reading.held_where import HeldWhereSteps
from .reading.measures import MeasureSteps
from .reading.patterns import EACH_WORDS, PARSER_WORDS, SUGGESTIONS, alternation
from .reading.per_one import PerOneSteps
from .reading.periods_and_fields import PeriodFieldSteps
from .reading.rankings import RankingSteps
from .reading.refusals import RefusalSteps
from .remark_before import remark_set_aside
from .restated import subject_said_again
from .row_figures import read_row_figures
from .scoped import read_scoped_conditions
from .semantic import SemanticLayer, Vocabulary, per_engine, predicate_spec, vocabulary_for
from .share_scale import check_share_scale
from .stock_place import check_stock_place, quantity_held
from .whole_period import whole_of_previous_period

if TYPE_CHECKING:  # models imports this module's limits
    from .models import QueryType


MAX_QUESTION_CHARS = 500


@dataclass
class ParseResult:
    sql: str
    query_type: QueryType
    form: QueryForm
    interpretation: str
    lookup: tuple[str, int] | None = None  # an id the question is about (for "not found")

    @property
    def frame(self) -> QueryForm:  # the stored context of a turn
        return self.form


class SemanticParser:
    def __init__(self, vocabulary: Vocabulary | None, layer: SemanticLayer | None = None) -> None:
        self.layer = layer or SemanticLayer.load()
        self.vocab = vocabulary
        self.lexicon = Lexicon.build(self.layer, vocabulary, extra_words=PARSER_WORDS | FOLLOWUP_WORDS)
        self.planner = Planner(self.layer)
        # the commentary set-aside's tables (set_aside_commentary), read and compiled once
        spec = self.layer.grammar.get("commentary", {})
        blockers, plan = frozenset(spec.get("blockers", [])), spec.get("plans", {})
        # the longest opener first: "might be worth" over "might"
        opener = re.compile(r"^\s*(?:" + "|".join(map(re.escape, sorted(plan.get("openers", []), key=len, reverse=True)))
                            + r")\b", re.IGNORECASE) if plan.get("openers") else None
        self.commentary = (blockers, plan, opener, blockers - set(plan.get("allowed", [])))
        # the sentence shapes said before the question (_preface), one row of the layer's preface_kinds each
        self.preface_kinds = [PrefaceKind.of(row, self.layer.grammar)
                              for row in self.layer.grammar.get("preface_kinds", {}).get("kinds", [])]
        # the words a preface's own readings turn on (_preface): the layer's preface_kinds words
        self.preface_words = {key: frozenset(words) for key, words in
                              self.layer.grammar.get("preface_kinds", {}).get("words", {}).items() if isinstance(words, list)}
        # the talk around a request (_talk_set_aside): greetings and hedges opening it, sign-offs closing it
        talk = spec.get("talk", {})
        said = lambda key: "|".join(re.escape(w).replace(r"\ ", r"\s+")  # noqa: E731
                                    for w in sorted(talk.get(key, []), key=len, reverse=True))
        self.talk_opening_re = re.compile(
            rf"^\s*(?P<talk>(?:{said('greetings')})\s*[!.,?]+|(?:{said('hedges')})\s*(?:[,:!]|\s[—–-](?=\s)))\s+(?=\S)",
            re.IGNORECASE) if talk.get("greetings") and talk.get("hedges") else None
        self.talk_closing_re = re.compile(
            rf"(?:(?<=[?.!,;])|(?<=[?.!,;]\s)|\s+[—–-])\s*(?P<talk>(?:{said('signoffs')})\s*(?P<end>[.!?]*))\s*$",
            re.IGNORECASE) if talk.get("signoffs") else None
        # the words of the talk and the remarks (_talk_words_mended): a slip in one is mended to it
        self.talk_words = frozenset(w for key in ("greetings", "hedges", "signoffs") for phrase in talk.get(key, [])
                                    for w in phrase.lower().split() if len(w) >= 5 and w.isalpha()) | frozenset(
            w for key in ("openers", "verbs") for phrase in spec.get("remarks", {}).get(key, [])
            for w in phrase.lower().split() if len(w) >= 5 and w.isalpha())
        # "... ? Thanks, Anna": a sign-off and the asker's name closing the question (_signature_set_aside)
        self.signature_re = re.compile(
            rf"(?:(?<=[?.!])|(?<=[?.!]\s))\s*(?P<talk>(?i:{said('signatures')})\s*[,!.]*\s*(?:[—–-]\s*)?"
            rf"(?P<name>[A-ZÅÄÖ][\w'-]*(?:\s+[A-ZÅÄÖ][\w'-]*){{0,2}})\s*[.!]*)\s*$") if talk.get("signatures") else None
        # "Marketing wants to know how many ...": who asks, a reporting verb of the layer, then the question
        self.reported_re = re.compile(
            rf"^\s*(?P<talk>(?P<who>[\w'-]+(?:\s+[\w'-]+){{0,2}}?)\s+(?:{said('reporting')}))\s+"
            rf"(?=(?:{said('reported_questions')})\b\s*\S)", re.IGNORECASE) \
            if talk.get("reporting") and talk.get("reported_questions") else None
        remarks = spec.get("remarks", {}).get("openers", [])
        self.remark_re = re.compile(r"^\s*(?:" + "|".join(map(re.escape, sorted(remarks, key=len, reverse=True)))
                                    + r")\b", re.IGNORECASE) if remarks else None
        # "The Finnish team thinks it was a record month.", "The customer disputes it.": someone (one to three words)
        # and a verb of saying or believing (the layer's remark verbs) open a remark as the openers do
        verbs = spec.get("remarks", {}).get("verbs", [])
        self.remark_said_re = re.compile(r"^\s*(?:(?:the|our|my|a|an|this|that|one)\s+)?(?:[\w'-]+\s+){0,2}?[\w'-]+\s+(?:"
                                         + "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
                                         + r")\b", re.IGNORECASE) if verbs else None
        # "... How many products are at zero there?": a closing pointer at a place of the layer (set_aside_commentary)
        self.places = tuple(self.layer.grammar.get("places", {}).get("dimensions", []))
        self.there_re = re.compile(r"\s+(?:(?:in|at|from)\s+that\s+(?P<dim>" + "|".join(map(re.escape, self.places))
                                   + r")|there)(?=\s*[?.!]*\s*$)", re.IGNORECASE)
        self.abbreviations = {k: v for k, v in self.layer.grammar.get("abbreviations", {}).items() if not k.startswith("_")}
        self.abbreviations_re = re.compile(r"(?<![\w/'-])(?:" + "|".join(
            map(re.escape, sorted(self.abbreviations, key=len, reverse=True))) + r")(?![\w/'-])")
        # "orders with a total over 500 EUR": "a total", a bound and an amount of money (the layer's money_total)
        money = self.layer.grammar.get("money_total", {})
        alt = lambda key: alternation(money.get(key, []), flexible_spaces=False)  # noqa: E731
        currency = alt("currency") or alternation(self.layer.grammar.get("currency", []), flexible_spaces=False)
        number = r"(?:€\s*)?\d[\d.,]*(?:\s*k)?"
        self.money_total_re = re.compile(
            rf"(?<![\w-])(?:{alt('words')})(?=\s+(?:{alt('bounds')})\s+{number}(?:\s+(?:{alt('and')})\s+{number})?"
            rf"\s*(?:{currency})(?![\w]))") if money.get("words") and money.get("bounds") else None
        self.money_total_as = money.get("as", "")
        self.thing_nouns = frozenset(key[0] for key, senses in self.lexicon.phrases.items() if len(key) == 1
                                     and any(x[0] == "entity" for x in senses))
        # "bring in", "took in": a phrase of the layer that ends in a preposition the period patterns take
        # ("in last month"); it is kept whole, else "bring" is left alone and read as the carrier Bring
        phrasal = sorted((" ".join(key) for key, senses in self.lexicon.phrases.items()
                          if len(key) > 1 and key[-1] in ("in", "during", "for", "over")
                          and any(x[0] in ("measure", "activity") for x in senses)), key=len, reverse=True)
        self.phrasal_re = re.compile(rf"\b({'|'.join(map(re.escape, phrasal))})\b") if phrasal else None
        # the lexicon lives as long as the engine (300,000 names: millions of objects); frozen out of the cyclic
        # collector's view, a full collection no longer walks it in the middle of a question (was: ~35 ms pauses)
        gc.collect()
        gc.freeze()

    def _function_words_mended(self, question: str) -> str:
        """``question`` with each slip in a lower-case word mended as the state mends it, and one in the capitalised
        word opening it only into a function word of the layer (a capitalised word may be a name)."""
        lexicon = self.lexicon
        function_words = lexicon.function_words()

        def mended(m: re.Match) -> str:
            word = m.group(0)
            if word[:1].isupper() and m.start() > 0:
                return word
            better = lexicon.correct(word.lower())
            return better if better is not None and (word.islower() or better in function_words) else word
        return re.sub(r"(?<![\w'-])[A-Za-z][a-z]{3,}(?![\w'-])", mended, question)

    def _which_of_the_top(self, question: str, as_of: date, context: QueryForm | None) -> ParseResult | None:
        """"Which of our 10 best sellers this year has customer 36 never bought?": the condition is tested within
        the ranking as it stands, as "among our 10 best sellers, which ones ..." (a top 10 of the ones never bought
        would name others); None when the ranking or the condition is not read so (the question is read whole)."""
        which_of = WHICH_OF_RANKING_RE.match(question)
        if which_of is None:
            return None
        try:
            ranked = self.parse(which_of.group("ranking"), as_of, context)
            if not ranked.form.limit or ranked.form.kind != "aggregate":
                return None
            return self.parse(f"which of them {which_of.group('rest')}", as_of, ranked.form)
        except NotUnderstood:
            return None

    # ------------------------------------------------------------------ entry
    def parse(self, question: str, as_of: date, context: QueryForm | None = None) -> ParseResult:
        question = (question or "").strip()
        if not question:
            raise ValidationFailed("the question is empty", field="question", hint="ask about orders, stock, sales")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValidationFailed(f"the question is longer than {MAX_QUESTION_CHARS} characters", field="question",
                                   hint="ask a shorter question")
        rewritten, narrowed = row_of_the_ranking(self, question, context)
        if narrowed is not context and narrowed is not None:
            # "how many orders did the second one place?" after a top 5: that one row of the ranking (ranked_row.py)
            return row_kept(self.parse(rewritten, as_of, narrowed), narrowed, question, self.layer)
        original = question
        remark = None
        if context is not None:
            # "hm, what about only business customers": the remark opening a follow-up (remark_before.py)
            question, remark = remark_set_aside(self, question)
        question, asides = self.set_aside_commentary(question, as_of)
        if remark is not None:
            asides = [remark, *asides]
        if not (ANY_OF_RANKING_RE.match(question) or AMONG_RE.match(question)):
            # "Amogn our ten best sellers ..., whihc ones ...": the shapes below are read with their function words
            # mended ("among", "which"), as the state mends them; a name is never mended here
            mended = self._function_words_mended(question)
            if ANY_OF_RANKING_RE.match(mended) or AMONG_RE.match(mended):
                question = mended
        figured = read_row_figures(self, question, as_of, context)
        if figured is not None:
            # "Which customers have had more than 2 orders returned? Show how many.": the list, its figure beside
            # each row (row_figures.py)
            figured.form.notes += [f"aside:{a}" for a in asides]
            return figured
        scoped = read_scoped_conditions(self, question, as_of)
        if scoped is not None:
            # "out of stock in Vantaa but over 50 units in Kuopio": one condition per place (scoped.py)
            from .answers import describe_form

            scoped.notes += [f"aside:{a}" for a in asides]
            return ParseResult(self.planner.plan(scoped).sql(dialect="duckdb"), query_type(scoped), scoped,
                               describe_form(scoped, self.layer))
        any_of = ANY_OF_RANKING_RE.match(question)
        if any_of is not None:
            # "Are any of our top 20 sellers this year at or below their reorder level?": the condition within the
            # ranking, as "among our top 20 ..., which ones are ..." (was: the condition first, then a top 20 of them)
            question = f"among {any_of.group('ranking')}, which ones are {any_of.group('rest')}"
        within_top = self._which_of_the_top(question, as_of, context)
        if within_top is not None:
            return within_top
        among = AMONG_RE.match(question)
        if among is not None:
            # "Among our ten best sellers this year, which ones have a margin under 30%?": the condition is
            # tested within the ranking as it stands (a top 10 of the low-margin ones would name others)
            ranked = self.parse(among.group("ranking"), as_of, context)
            if ranked.form.limit and ranked.form.kind == "aggregate":
                within = self.parse(f"which of them {among.group('rest')}", as_of, ranked.form)
                if asides:
                    from .answers import describe_form
                    within.form.notes += [f"aside:{a}" for a in asides]
                    within.interpretation = describe_form(within.form, self.layer)
                return within
        question = self._columns_after_colon(question, as_of)
        state = _State(self, question, as_of)
        # "what sold best in Lighting? want to feature it": the aside's "it" says one thing is asked
        state.pointer_one = any(_points_at_one(a) for a in asides)
        form = state.interpret(context)
        counted = [a for a in asides if COUNT_SAID_RE.match(a.strip(" .!?"))]
        if counted and not any(m == "count" or m.startswith(("count:", "distinct:")) for m in form.measures):
            if form.measures:
                # "(count)" said of a figure that is not a count: the reader asked another figure than the one read
                raise NotUnderstood("'count' was said, but the figure I read is not a count",
                                    hint="say what to count, e.g. 'the number of late shipments per carrier'")
            # "open orders from the web channel - count": things listed, "count" asks how many (read with it)
            asides = [a for a in asides if a not in counted]
            question = f"{question} - {' '.join(counted)}"
            state = _State(self, question, as_of)
            state.pointer_one = any(_points_at_one(a) for a in asides)
            form = state.interpret(context)
        form.notes += [f"aside:{a}" for a in asides if f"aside:{a}" not in form.notes]
        days_of_stock_kept(form, context)  # "and over the last 30 days?": the days said, at the new period's pace
        check_share_scale(question, form, self.layer)  # "what percent ..., as a fraction?" (share_scale.py)
        quantity_held(question, form, self.layer)  # "quantity of X in Kuopio": the stock there
        check_stock_place(form, self.layer)  # "restock in Turku": a customer city is no warehouse (stock_place.py)
        self._check_per_dimension(form)
        self._check_aside_purposes(asides, form, state, as_of, preface=asides[0] if asides and
                                   original.lstrip(" (").startswith(asides[0]) else None)
        from .answers import describe_form  # the same words the answer uses

        if not form.as_of and any("AS_OF_DAY" in str(self.layer.measures.get(m.split(":")[-1], {}).get("sql", ""))
               for m in (*form.measures, *form.show, form.order_by or "", *(x.field for x in form.filters))):
            # an age: counted up to the as-of day (shown, ranked, or held to a limit: 'more than 90 days since
            # their last order')
            form.as_of = as_of.isoformat()
        sql = self.planner.plan(form).sql(dialect="duckdb")
        lookup = None
        if form.lookup:
            lookup = (form.lookup["entity"], int(form.lookup["id"]))
        return ParseResult(sql, query_type(form), form, describe_form(form, self.layer), lookup)


    def _check_per_dimension(self, form: QueryForm) -> None:
        """"the 5 products with the most stock per unit sold": a figure the layer defines only for each thing of one
        dimension (``per_dimension``: stock per unit sold is a product's stock over its own sales) is computed
        grouped by it; asked as a total, per another grouping or of one thing alone it is refused (was: a query
        that fails, or would mix the stock of one product with the sales of many)."""
        fields = {*form.measures, *form.show, form.order_by or "", *(x.field for x in form.filters)}
        for name in sorted(f for f in fields if f in self.layer.measures):
            per = self.layer.measures[name].get("per_dimension")
            own = self.layer.dimensions.get(per, {}).get("entity")
            grouped = form.dimensions == [per] or (not form.dimensions and own is not None and form.subject == own)
            label = self.layer.measures[name].get("label", name).lower()
            scoped = [x.field for x in form.filters if x.field in self.layer.measures[name].get("not_scoped_by", [])]
            if scoped:
                # "stock per unit sold in Drammen": the stock is of every warehouse, the sales of no warehouse
                raise NotUnderstood(f"{label} counts the stock of every {scoped[0]}; "
                                    f"I cannot narrow it to one {scoped[0]}",
                                    hint=f"ask it without the {scoped[0]}, or ask for the stock there")
            if per and name == form.order_by and name not in (form.measures or form.show):
                # "the most stock per unit sold based on this year's sales": ranked by it, another figure read
                raise NotUnderstood(f"I read a ranking by {label}, but another figure beside it",
                                    hint=f"ask for the {label} alone, e.g. 'the 5 products with the most {label} "
                                         "this year'")
            if per and (not grouped or form.grain):
                raise NotUnderstood(f"{label} is a figure of each {per} on its own: I can give it per {per} only",
                                    hint=f"ask it per {per}, e.g. 'the 5 products with the most {label} this year'")

    def _check_aside_purposes(self, asides: list[str], form: QueryForm, state: _State, as_of: date,
                              preface: str | None = None) -> None:
        """"Which products sold most in 2025? Suggest quantities.": a clause set aside as saying why may still name
        a purpose of the layer. One that fits the form read (one of its ``requires`` shapes) is noted, so the
        answer names its definition. One that does not fit is only a reason ("might need a promotion") unless
        every shape of it asks for figures to be shown (``measures_all``: "suggest quantities"); then the
        question asks for more than was read, and is refused (was: set aside unchecked, a best-seller list
        answered without the quantities)."""
        purposes = self.layer.grammar.get("purposes", {})
        shapes = state._purpose_shapes
        for aside in asides:
            named = list(dict.fromkeys(x[1] for sp in _State(self, aside, as_of).spans for x in sp.senses
                                       if x[0] == "purpose" and x[1] in purposes))
            fitting = [name for name in named if state._fits_purpose(form, name)]
            asks_figures = [name for name in named if all("measures_all" in need for need in shapes(name))]
            # "We want to cut the range - which 5 products sold the most?": a purpose said before the question that
            # wants a ranking the other way (the fewest) than the one the question reads says another reading is
            # meant: refused, never set aside (a plain figure, "how much did the discontinued ones bring in", is
            # only the reason)
            if aside == preface and not fitting and (form.order_by is not None or form.limit) and any(
                    "ranked" in need for name in named for need in shapes(name)):
                raise NotUnderstood(f"I could not place '{aside}' in the question: it wants another ranking than the "
                                    "one asked", hint="say the ranking the purpose needs in the question itself")
            if asks_figures and not fitting:
                from .answers import describe_form

                raise NotUnderstood(f"'{aside}' asks for more than the question gives: I read it as "
                                    f"{describe_form(form, self.layer)}",
                                    hint="ask for what the purpose needs in the question itself")
            form.notes += [f"purpose:{name}" for name in fitting if f"purpose:{name}" not in form.notes]
            for name in fitting:
                state._premise_of_aside_purpose(form, name)

    def _own_thing_first(self, question: str, as_of: date, own_asides: list[str]) -> str:
        """"For the loyalty programme I need everyone who ...": "for" one of the asker's own things (the layer's
        preface_times things, its last word; every other word one the lake lacks or a function word) opening the
        question before the asker's own need says what the answer is for; it is set aside (appended to
        own_asides) and the need stays. A head that names anything of the lake ("For the Finnish ... review",
        "For the annual report") is kept, where it is read or refused."""
        start = OWN_THING_START_RE.match(question)
        spans = _State(self, start.group("head"), as_of).spans if start is not None else []
        things = self.layer.grammar.get("preface_times", {}).get("things", [])
        if start is None or not spans or spans[-1].text not in things:
            return question
        # ("the annual report", "the quarterly finance pack": a grain before the thing is when it happens, no grouping)
        # ("For the Finnish country manager's review I need ... customers in Finland": a value the need names itself,
        # and its dimension's word beside it, restate it; any other value may be a condition: the head is kept)
        said = {tuple(x) for sp in _State(self, question[start.end():], as_of).spans for x in sp.senses}
        dims = {x[1] for sp in spans for x in sp.senses if x[0] == "value" and tuple(x) in said}
        # ("For the Swedish review I need ... customers in Finland": a value of a dimension the need names with its own
        # value is whom the review is for; the need's own value is the condition, never both side by side)
        named = {x[1] for x in said if x[0] == "value"}
        dims |= {x[1] for sp in spans for x in sp.senses if x[0] == "value" and x[1] in named}
        if not all(all(x[0] in ("stop", "unknown", "grain") or tuple(x) in said or x[0] == "value" and x[1] in named
                       for x in sp.senses) or (
                any(x[0] == "dimension" and x[1] in dims for x in sp.senses)
                and all(x[0] in ("dimension", "attribute") for x in sp.senses)) for sp in spans):
            return question
        own_asides.append(start.group("head"))
        return question[start.end():]

    def _values_said(self, text: str, as_of: date) -> set[tuple]:
        """The values ``text`` names (each sense as a tuple); none when it cannot be read on its own."""
        try:
            return {tuple(x) for sp in _State(self, text, as_of).spans for x in sp.senses if x[0] == "value"}
        except NotUnderstood:
            return set()

    def _talk_words_mended(self, question: str) -> str:
        """``question`` with a slip in a word of the talk or the remarks mended ("Just wonderng.", "Curiuos.",
        "Thanks a milion"): a word of five letters or more the lexicon does not hold, one edit from exactly one
        talk word, and that the lexicon would not mend into another word (nor is unsure of: "plase" may be "phase")."""
        lexicon = self.lexicon

        def mended(m: re.Match) -> str:
            word = m.group(0)
            low = word.lower()
            if low in self.talk_words or low in lexicon.words or low in lexicon.extra_words:
                return word
            near = _edits(low) & self.talk_words
            better, tied = lexicon.mend(low)
            if len(near) != 1 or tied or better is not None and better not in near:
                return word
            talk = next(iter(near))
            return talk.capitalize() if word[:1].isupper() else talk
        return re.sub(r"(?<![\w'-])[A-Za-z]{5,}(?![\w'-])", mended, question)

    def _signature_set_aside(self, question: str, as_of: date, own_asides: list[str]) -> str:
        """"How many orders in 2025? Thanks, Anna": a sign-off of the layer (commentary talk signatures) and a name
        closing the question sign it; both are set aside (appended to own_asides). A name that is a value of the lake
        ("Best, Maja Lund": a customer) may be who signs or whom the question is about: refused, never read as either
        (was: read as a customer condition)."""
        found = self.signature_re.search(question) if self.signature_re is not None else None
        if found is None or not question[:found.start()].strip(" ?.!,;:-—–"):
            return question
        if self._values_said(found.group("name"), as_of):
            raise NotUnderstood(f"'{found.group('talk').strip()}' closes the question: I cannot tell whether "
                                f"'{found.group('name')}' signs it or is whom it is about",
                                hint=f"ask about {found.group('name')} in the question itself, or leave the name out")
        own_asides.append(found.group("talk").strip(" .!"))
        return question[:found.start()].rstrip(" ,;—–-")

    def _talk_set_aside(self, question: str, own_asides: list[str]) -> str:
        """"Morning! Could you check ...?", "Just curious, which ...?", "... per warehouse, thanks!": a greeting or a
        hedge opening the question and a sign-off closing it (the layer's commentary talk) never bear on what is
        asked; each is set aside whole (appended to own_asides), as often as one follows another, while a request
        remains. Only the phrase and its punctuation go: every other word stays where it is read or refused."""
        while True:
            opening = self.talk_opening_re.match(question) if self.talk_opening_re is not None else None
            closing = self.talk_closing_re.search(question) if self.talk_closing_re is not None else None
            if opening is not None and question[opening.end():].strip(" ?.!,;:-—–"):
                own_asides.append(opening.group("talk").strip(" ,:!?.—–-"))
                question = question[opening.end():]
            elif closing is not None and question[:closing.start()].strip(" ?.!,;:-—–"):
                own_asides.append(closing.group("talk").strip(" .!?"))
                question = question[:closing.start()].rstrip(" ,;—–-")
                if "?" in closing.group("end") and not question.endswith(("?", ".", "!")):
                    question += "?"  # "..., if possible?": the question's own mark stays
            else:
                return question

    def _reported_request_first(self, question: str, as_of: date, own_asides: list[str]) -> str:
        """"Marketing wants to know how many new customers signed up this year.", "The warehouse is asking which
        ...": who asks (one to three words) and a reporting verb of the layer (commentary talk reporting) opening the
        question before its own question word is whom the question is asked for, set aside (appended to own_asides);
        the question stays. Only when who asks names nothing of the data but a thing or a way of grouping (a team,
        "the warehouse", a concept the lake lacks): a value ("The Oslo team wants to know ..."), a figure, period,
        number or condition may be a condition on the question, and the question is read whole (or refused)."""
        found = self.reported_re.match(question) if self.reported_re is not None else None
        if found is None or re.search(r"\b(?:who|which|that|whose|whom)\b", found.group("who"), re.IGNORECASE):
            return question  # ("customers who asked which ...": a relative clause, no one asking)
        state = _State(self, found.group("who"), as_of)
        # (a thing's or a grouping's word may name its column too: "warehouse")
        if state.periods or state.ids or state.texts or not state.spans or not all(
                x[0] in ("stop", "unknown", "entity", "dimension") or x[0] == "attribute" and any(
                    y[0] in ("entity", "dimension") for y in sp.senses) for sp in state.spans for x in sp.senses):
            return question
        own_asides.append(found.group("talk"))
        return question[found.end():]

    def _someone_did_first(self, question: str, as_of: date, own_asides: list[str]) -> str:
        """"Jonkoping called. Which products have zero on hand in the Jonkoping warehouse?", "Ingrid Heikkinen just
        emailed. What's the status of her most recent order?": a sentence before the question that opens with one value
        of the lake (whom it is about) and says only what happened, in words the lake lacks (no blocker, no period,
        id, text nor any other data), is news, no condition. When the question names that value itself, the sentence
        is set aside whole; when it points back at a customer with a pronoun ("her", "his"), the name stays with the
        question (as "Ingrid Heikkinen: what's ...?") and only the news is set aside. Anything else is left as it is."""
        m = re.match(r"^\s*(?P<head>[^.!?:;()]+?)(?:[.!]\s+|\s+[—–-]\s+)(?P<rest>\S.*\?)\s*$", question)
        news_words = self.layer.grammar.get("news_before_question", {})
        asking = alternation(news_words.get("question_words", []), flexible_spaces=False)
        if m is None and asking:
            # "vantaa is looking thin, which items are under the reorder level there": the news before a comma and a
            # question of its own (its question word first, the layer's news_before_question question_words),
            # written in a hurry without a question mark
            m = re.match(rf"^\s*(?P<head>[^.!?:;,()]+?),\s+(?P<rest>(?:{asking})\b[^,]*?)\s*[?.!]*\s*$",
                         question, re.IGNORECASE)
        if m is None:
            return question
        state = _State(self, m.group("head"), as_of)
        spans = state.spans
        if state.periods or state.ids or state.texts or len(spans) < 2 or not spans[0].senses or not all(
                x[0] == "value" for x in spans[0].senses):
            return question
        news = spans[1:]
        # ("just emailed": "just" before a word the lake lacks is when it happened, no narrowing, the layer's
        # news_before_question when_words; "called" closing the sentence names nothing, the names it would introduce
        # being absent)
        when = set(news_words.get("when_words", []))
        kept = [sp for k, sp in enumerate(news) if not (
            sp.text in when and k + 1 < len(news) and not news[k + 1].senses) and not (
            k == len(news) - 1 and sp.senses and all(x == ("grammar", "contains") for x in sp.senses))]
        closing = len(kept) < len(news) and news[-1] not in kept
        if not (closing or any(not sp.senses for sp in kept)) or {w for sp in kept for w in sp.text.split()} & self.commentary[0] \
                or not all(all(x[0] == "stop" for x in sp.senses) for sp in kept):
            return question
        said = self._values_said(m.group("rest"), as_of)
        if all(tuple(x) in said for x in spans[0].senses):
            own_asides.append(m.group("head").strip())
            return m.group("rest")
        pronouns = set(self.layer.grammar.get("person_pronouns", []))
        if all(x[1] == "customer" for x in spans[0].senses) and any(
                w in pronouns for w in re.findall(r"[a-z]+", m.group("rest").lower())):
            name = m.group("head").strip()[:len(spans[0].text)] if m.group("head").strip().lower().startswith(
                spans[0].text) else None
            if name is None:
                return question
            own_asides.append(m.group("head").strip()[len(name):].strip())
            return f"{name}: {m.group('rest')}"
        there = self.there_re.search(m.group("rest"))
        if len(spans[0].senses) == 1 and spans[0].senses[0][1] in self.places and there is not None and \
                there.group("dim") in (None, spans[0].senses[0][1]):
            # "drammen is full, what are the 5 products with the most units sitting there": "there" closing the question
            # is the one place the news is of, said in the question as that place (as after a sentence of its own)
            own_asides.append(m.group("head").strip())
            rest = m.group("rest")
            return rest[:there.start()] + f" in {spans[0].senses[0][2]}" + rest[there.end():]
        return question

    def set_aside_commentary(self, question: str, as_of: date) -> tuple[str, list[str]]:
        """The question without the clauses after it that only say why it is asked ("Which brand had the lowest
        turnover last year? Considering dropping it."), and those clauses. A clause is a sentence, a part set
        off by a spaced dash, or a bracket; it is set aside only when it follows a clause that names data,
        none of its words is in the data (no measure, thing, value, period, number, condition: only words the
        lexicon does not hold, stop words, purposes or concepts the lake lacks) and none may narrow or ask
        (the layer's blockers: "only", "except", "first", "more", "need", "show", "which" ...)."""
        own_asides: list[str] = []
        question = self._talk_words_mended(question)
        question = self._signature_set_aside(question, as_of, own_asides)
        question = self._talk_set_aside(question, own_asides)
        question = self._reported_request_first(question, as_of, own_asides)
        question = self._someone_did_first(question, as_of, own_asides)
        things = self.layer.grammar.get("preface_times", {}).get("things", [])
        for k, clause in enumerate(COMMENTARY_SPLIT.split(question)):
            own = OWN_THING_END_RE.search(clause or "")
            # ("Revenue by channel for 2025 please, for the board pack.", "What was revenue in 2025 for the board
            # meeting?": closing the question's own clause too, a comma before it going with it)
            before = clause[:own.start()] if own is not None else ""
            spans = _State(self, own.group(0).strip(), as_of).spans if own is not None else []
            # ("Preparing for the Makita rep visit.": a value the question names itself, before the thing, is whom
            # the thing is with; any other value may be a condition and the clause stays)
            values_said = self._values_said(question.replace(own.group(0), " "), as_of) \
                if own is not None and spans else set()
            # (the thing's word as mended: "the catalogue updte"; the last word of a phrase, "the board deck")
            # ("for the annual summary": a grain before the thing is when it happens, no grouping)
            if own is None or not spans or spans[-1].text.split()[-1] not in things or not all(
                    all(x[0] in ("stop", "unknown") or (x[0] == "grain" and j < len(spans) - 1)
                        or (tuple(x) in values_said and j < len(spans) - 1) for x in sp.senses)
                    for j, sp in enumerate(spans)):
                continue
            # "... ? Just need the names for the catalogue update.": "for" one of the asker's own things (the layer's
            # preface_times things; only words the lake lacks) closing a clause after the question says what the
            # answer is for, set aside; the clause's own request stays
            at = question.rindex(clause)
            before = before.rstrip(" ,") if k == 0 else before
            question = question[:at] + before + clause[own.end():] + question[at + len(clause):]
            own_asides.append(own.group(0).strip())
        question = self._own_thing_first(question, as_of, own_asides)
        asked = question
        clauses = [c for c in COMMENTARY_SPLIT.split(question) if c and c.strip(" ?.!;:,()-—–")]
        for k in range(len(clauses) - 1, 0, -1):
            # "Which warehouse has the most of it so we can transfer?": a purpose clause with no comma before it
            # that names a purpose of the layer stays in the question, where the purpose is read
            if re.match(r"so\s+(?:we|i)\s", clauses[k], re.IGNORECASE) and \
                    not re.search(r"[?.!;:,()\-—–]\s*$", clauses[k - 1]) and any(
                        x[0] == "purpose" for sp in _State(self, clauses[k], as_of).spans for x in sp.senses):
                clauses[k - 1:k + 1] = [f"{clauses[k - 1]} {clauses[k]}"]
        if len(clauses) < 2:
            return question, list(own_asides)
        there = self.there_re.search(clauses[-1]) if len(clauses) == 2 and clauses[0].rstrip().endswith(".") else None
        if there is not None:
            # "I'm walking the Oslo shelves today. How many products are at zero there?": "there", "in that
            # warehouse" closing the question is the one place the sentence before it names (one value of a
            # warehouse, city or country, no other reading of its words); said in the question as that place, the
            # sentence may then be set aside as any other (was: refused, or the place lost)
            named = [x for sp in _State(self, clauses[0].strip(" ()"), as_of).spans if sp.senses
                     and all(x[0] == "value" and x[1] in self.places for x in sp.senses)
                     for x in sp.senses]
            if len(named) == 1 and there.group("dim") in (None, named[0][1]):
                said = clauses[-1][:there.start()] + f" in {named[0][2]}" + clauses[-1][there.end():]
                question = question[:question.rindex(clauses[-1])] + said + question[question.rindex(clauses[-1]) + len(clauses[-1]):]
                clauses[-1] = said
        blockers, plan, opener, plan_blockers = self.commentary
        together_restated = set(self.layer.grammar.get("bought_together_restated", []))
        wishes = set(self.layer.grammar.get("commentary", {}).get("wishes", []))
        # ("I just need the ballpark": a lead word before the wish, in a clause naming no data at all)
        wish_leads = set(self.layer.grammar.get("commentary", {}).get("wish_leads", []))
        # ("I need the ballpark": what is wished is the answer's own form, no thing the lake lacks)
        wish_objects = set(self.layer.grammar.get("commentary", {}).get("wish_objects", []))
        data_free = []
        states = [_State(self, clause.strip(" ()"), as_of) for clause in clauses]
        for clause, state in zip(clauses, states, strict=True):
            words = {w for s in state.spans for w in s.text.split()}
            # ("(zero included)" asks for the things with none too: never an aside; was: set aside, zeros left out)
            # ("complaints are up, want to see the numbers": a wish of the asker's, in a clause naming no data, no
            # narrowing: the layer's commentary wishes)
            # (what the wish is of is said in function words only: "want to see the profit" asks what the lake lacks)
            # (no wish at all: nothing set aside on this rule)
            wished = next((j for j, s in enumerate(state.spans) if set(s.text.split()) & wishes), None)
            wished = len(state.spans) if wished is None else wished
            bare = wished < len(state.spans) and all(all(x[0] in ("stop", "unknown") for x in s.senses)
                                                     or s.text in wish_leads for s in state.spans) and all(
                s.senses and all(x[0] == "stop" for x in s.senses) or s.text in wish_objects for s in state.spans[wished:])
            free = not state.periods and not state.ids and not state.texts and not state.zero_included and \
                not (words & (blockers - wishes - wish_leads if bare else blockers)) and (all(
                all(x[0] in ("stop", "unknown", "purpose", "intent") for x in s.senses) or bare and s.text in wish_leads
                for s in state.spans) or ADVICE_ASKED_RE.match(clause.strip(" ()")) is not None)
            if not free and clause.strip().startswith("(") and \
                    " ".join(clause.strip(" ()").lower().split()) in together_restated and \
                    any(sp.has("grammar", "bought_together") for j, other in enumerate(states) if other is not state
                        for sp in other.spans):
                free = True  # "bought together with the X (same order)": the bracket restates what 'together' says
            if not free and clause.strip().startswith("(") and re.search(r"\bat\s+least\s+one\b", question, re.I) and \
                    " ".join(sp.text for sp in state.spans) in self.layer.grammar.get("at_least_one_restated", []):
                # "out of stock in at least one warehouse? (not necessarily all of them)": the bracket restates
                # "at least one" (was: 'not' refused)
                free = True
            data_free.append(free)
        # "How many Makita Hammers have we sold this year? The Makita rep is visiting tomorrow.": a clause after the
        # question whose only data is a value the question names itself (every other word a function word or one the
        # lake lacks; no period, id, text, number nor blocker) says something of what is asked, not another condition
        # (a value the question does not name may narrow it: the clause stays, read or refused)
        for k, state in enumerate(states):
            if k == 0 or data_free[k] or state.periods or state.ids or state.texts or state.zero_included:
                continue
            own_values = {tuple(x) for sp in state.spans for x in sp.senses if x[0] == "value"}
            others = {tuple(x) for j, other in enumerate(states) if j != k and not data_free[j]
                      for sp in other.spans for x in sp.senses if x[0] == "value"}
            # ("the Makita rep" after "Makita Hammers": a value whose words are within a value the question names)
            value_names = [f" {str(x[2]).lower()} " for x in others if len(x) > 2]
            others |= {x for x in own_values if len(x) > 2 and any(f" {str(x[2]).lower()} " in n for n in value_names)}
            words = {w for sp in state.spans for w in sp.text.split()}
            data_free[k] = bool(own_values) and own_values <= others and not (words & blockers) and all(
                all(x[0] in ("stop", "unknown") for x in sp.senses)
                or all(x[0] == "value" and tuple(x) in others for x in sp.senses) for sp in state.spans)
        wonders = tuple(self.layer.grammar.get("commentary", {}).get("remarks", {}).get("wonders", []))
        for k, (clause, state) in enumerate(zip(clauses, states, strict=True)):
            words = {w for sp in state.spans for w in sp.text.split()}
            opened = clause.strip(" ()-—–").lower().replace("’", "'")
            # ("just curious how big the baskets get": what the asker wonders about, its "how" and the plan's verbs
            # the wondering's own words; the layer's remark wonders)
            wondering = next((w for w in sorted(wonders, key=len, reverse=True) if re.match(rf"{re.escape(w)}\b", opened)), None)
            if wondering:
                words = (words - set(wondering.split()) - {"how"}) & blockers - set(plan.get("allowed", []))
            if not data_free[k] and self.remark_re is not None and (self.remark_re.match(clause.strip(" ()-—–")) or (
                    self.remark_said_re is not None and self.remark_said_re.match(clause.strip(" ()-—–")))) \
                    and not (state.periods or state.ids or state.texts or words & blockers) and not any(
                        x[0] == "value" and tuple(x) not in {tuple(y) for j, other in enumerate(states) if j != k
                                                            for sp in other.spans for y in sp.senses}
                        for sp in state.spans for x in sp.senses):
                # "- it felt really slow to the customer": how it felt to someone, an opinion; it names no
                # condition, whatever its words (none may narrow or ask: the blockers; no value not said before)
                data_free[k] = True
        approvals = self.layer.grammar.get("commentary", {}).get("approvals", {})
        for k, (clause, state) in enumerate(zip(clauses, states, strict=True)):
            said_text = " ".join(clause.strip(" ()-—–.!,").lower().split())
            if data_free[k] or k == 0 or state.periods or state.ids or state.texts or not any(
                    said_text.endswith(f" {e}") for e in approvals.get("endings", [])):
                continue
            # "... per month in 2025? Monthly figures are fine.": saying that what is asked is acceptable restates
            # it; set aside when all its data is said by the question (the layer's commentary approvals)
            said = {tuple(x) for j, other in enumerate(states) if j != k for sp in other.spans for x in sp.senses}
            nouns = set(approvals.get("nouns", []))
            spans = list(state.spans)
            # ("Count per status is enough.": a grouping word before a way of grouping the question says itself
            # restates that grouping, the layer's approval groupers)
            groupers = set(approvals.get("groupers", []))
            spans = [sp for j, sp in enumerate(spans) if not (
                sp.text in groupers and j + 1 < len(spans)
                and any(x[0] == "dimension" and tuple(x) in said for x in spans[j + 1].senses))]
            # ("Which customers have never ordered? Names are enough.": the name of the things a question before it
            # lists, which a list shows; never after a count, "how many ...? Names are enough" asks for other rows)
            listed = {x[1] for j in range(k) if LISTS_ASKED_RE.match(clauses[j].strip(" ()-—–")) is not None
                      for sp in states[j].spans for x in sp.senses if x[0] == "entity"}
            # (the name column of whichever table, "names" read as the customers'; the listed things have one)
            has_name = any("name" in (self.layer.tables.get(e) or {}).get("columns", {}) for e in listed)
            spans = [sp for sp in spans if not (
                has_name and sp.text in approvals.get("name_nouns", []) and sp.senses
                and all(x[0] == "attribute" and x[1].endswith(".name") for x in sp.senses))]
            # ("just the number is fine": a lead word before the figure's noun says which form of the answer will do,
            # when the clause names no data at all; "just the Finnish ones are fine" narrows and stays)
            leads = set(approvals.get("leads", []))
            lead_free = all(sp.text in leads or sp.text in nouns or all(x[0] in ("stop", "unknown") for x in sp.senses)
                            for sp in spans)
            spans = [sp for sp in spans if not (lead_free and sp.text in leads)]
            words = {w for sp in spans for w in sp.text.split()} - nouns
            data_free[k] = not (words & blockers) and all(
                x[0] in ("stop", "unknown") or tuple(x) in said for sp in spans for x in sp.senses)
        for k, (clause, state) in enumerate(zip(clauses, states, strict=True)):
            if data_free[k] or k == 0 or state.periods or state.ids or state.texts or \
                    RESTATED_RE.match(clause.strip(" ()-—–")) is None:
                continue
            # "Rate, not count.": a word the question says, said again against another it does not say, only
            # says which reading is meant; set aside when the question already reads it so (every sense of the
            # first part said elsewhere, none of the second's) and no function word may narrow (the blockers)
            cut = next((j for j, sp in enumerate(state.spans) if sp.text == "not"), None)
            if cut is None:
                continue
            said = {tuple(x) for j, other in enumerate(states) if j != k for sp in other.spans for x in sp.senses}
            restated = [sp for sp in state.spans[:cut] if any(x[0] != "stop" for x in sp.senses)]
            rejected = [sp for sp in state.spans[cut + 1:] if any(x[0] != "stop" for x in sp.senses)]
            words = {w for sp in state.spans[:cut] + state.spans[cut + 1:] if sp not in restated and sp not in rejected
                     for w in sp.text.split()}  # the two parts' own words may be blockers ("rate", "count")
            data_free[k] = bool(restated) and bool(rejected) and not (words & blockers) and all(
                all(tuple(x) in said for x in sp.senses if x[0] != "stop") for sp in restated) and not any(
                tuple(x) in said for sp in rejected for x in sp.senses if x[0] != "stop")
        for k, (clause, state) in enumerate(zip(clauses, states, strict=True)):
            if data_free[k] or opener is None or (m := opener.match(clause.strip(" ()").replace("’", "'"))) is None:
                continue
            # "I want someone to call and confirm them.", "We should move some garden items there.": the asker's
            # plan, said after the question (an opener says so); it may restate what the question names (the
            # same value, measure or condition) or name things, but never anything new, nor narrow
            said = {tuple(x) for j, other in enumerate(states) if j != k for sp in other.spans for x in sp.senses}
            said_first = set(re.sub(r"'s\b", " is", m.group(0).lower()).split())
            lead = next((j for j, sp in enumerate(state.spans) if not set(sp.text.split()) <= said_first),
                        len(state.spans))
            rest = state.spans[lead:]
            if rest and rest[-1].text in plan.get("last_words", []):
                rest = rest[:-1]  # "I'd clear that one first": the order of the asker's own steps
                # "I'll call the worst ones first": which of the ones found the asker acts on first, no ranking asked
                # (was: refused, the superlative read as a ranking of the data)
                rest = [sp for sp in rest if not (sp.first("superlative") and len(sp.senses) == 1)]
            # "maybe we discount too much": an excess in the asker's view, not "too" as "also" nor "much" as an amount
            opinion = set(plan.get("opinions", []))
            rest = [sp for j, sp in enumerate(rest)
                    if not (sp.text == "too" and j + 1 < len(rest) and f"too {rest[j + 1].text}" in opinion)
                    and not (j > 0 and rest[j - 1].text == "too" and f"too {sp.text}" in opinion)]
            # "we could move some from there", "so I know which to reorder first": a purpose or intent phrase of the
            # layer is the plan's own words, its "from" or "first" narrows nothing (was: every word of the plan
            # tested against the blockers, the phrase's too)
            words = {w for sp in rest if not (sp.senses and all(x[0] in ("purpose", "intent") for x in sp.senses))
                     for w in sp.text.split()}
            # "discount" said again as a verb: the column a measure already said is computed over is that measure
            said |= {("attribute", col) for x in said if x[0] == "measure" and x[1] in self.layer.measures
                     for col in re.findall(r"\b[a-z_]+\.[a-z_]+\b", " ".join(
                         str(self.layer.measures[x[1]].get(key) or "") for key in ("sql", "line_sql")))}
            events = _event_periods(state)
            # ("I'm writing the half-year note.": a grain a few words before one of the asker's own things, the
            # layer's preface_times things, is when that thing is due, no grouping, as in a preface)
            own_things = set(self.layer.grammar.get("preface_times", {}).get("things", []))
            events = events + [sp for j, sp in enumerate(rest) if sp.senses and all(x[0] == "grain" for x in sp.senses)
                               and any(o.text in own_things for o in rest[j + 1:j + 4])]
            data_free[k] = (not state.periods or bool(events)) and not state.ids and not state.texts \
                and not (words & plan_blockers) \
                and all(all(x[0] in ("stop", "unknown", "purpose", "intent", "entity", "dimension") or tuple(x) in said
                            or tuple(x) in PLAN_OWN_SENSES for x in sp.senses)
                        for sp in rest if sp.text not in plan.get("own_words", []) and sp not in events)
        for k, clause in enumerate(clauses):
            if k > 0 and not data_free[k] and COUNT_SAID_RE.match(clause.strip(" ()-—–.!?")) is not None:
                # "(count)", "count them" after the question: says its figure is a count (checked once read)
                data_free[k] = True
        if all(data_free):
            return asked, list(own_asides)
        # only what follows the question: a preface ("Bundle idea: which two products ...") may say what is asked,
        # unless it ends with a colon or a spaced dash and names nothing the question does not name itself
        # ("Cross-sell idea: which business customers ...", "For a Norwegian promo - top products sold in Norway"):
        # then it says why the question is asked, as a plan after it does
        preface = self._preface(clauses, states, question)
        while 0 < preface < len(clauses) - 1 and self._preface(clauses[preface:], states[preface:], question):
            # "We're planning the spring range. Who should get a gift card? List consumer customers with ...": a
            # preface may follow another, each a shape of the layer's preface_kinds read against the clauses after
            # it (was: only the first set aside, the decision's own words left to refuse)
            preface += 1
        first = next((k for k in range(preface, len(clauses)) if not data_free[k]), None)
        if first is None:
            return asked, list(own_asides)
        data_free = [k < preface or (free and k > first) for k, free in enumerate(data_free)]
        if not any(data_free):
            return asked, list(own_asides)
        kept = " ".join(c.strip() for c, free in zip(clauses, data_free, strict=True) if not free)
        asides = [c.strip(" ()-—–:,").strip() for c, free in zip(clauses, data_free, strict=True) if free]
        which_one = re.match(r"\s*which\s+ones?\b(?!\s+of\b)", kept, re.IGNORECASE)
        if preface and which_one is not None:
            # "help me decide on a carrier: which one had the lowest late share?": "which one" after a preface set aside
            # is one of the things the preface names (its one way of grouping, said by its word), never one figure
            # over them all (a preface naming none leaves the question as it is; one naming several is refused)
            picked = {sp.text for k in range(preface) for sp in states[k].spans
                      if any(x[0] == "dimension" for x in sp.senses) and not any(x[0] == "value" for x in sp.senses)}
            if len(picked) > 1:
                raise NotUnderstood(f"I could not tell which of {', '.join(sorted(picked))} 'which one' asks for",
                                    hint="name the things to pick from in the question, e.g. 'which carrier ...'")
            if picked:
                kept = f"which {next(iter(picked))}{kept[which_one.end():]}"
        return kept, own_asides + asides

    def _columns_after_colon(self, question: str, as_of: date) -> str:
        """"List shipments still in transit: order id, carrier and ship date.": after a list asked for, a colon
        and only columns of the data (two or more, each a column's name) say what to show of each, as "with order
        id, carrier and ship date" does (not a count per carrier); anything else after the colon is kept as is."""
        m = COLUMNS_AFTER_COLON_RE.match(question)
        if m is None:
            return question
        if not LIST_OR_SHOW_RE.match(m.group("head")):
            # "web orders placed on 2026-10-31: order id, channel and total": the things themselves named first
            # (their entity the head's first word of data past values and conditions) ask for a list as "list" does
            head = [sp for sp in _State(self, m.group("head"), as_of).spans
                    if not all(x[0] in ("stop", "value", "predicate") for x in sp.senses)]
            if not head or not any(x[0] == "entity" for x in head[0].senses):
                return question
        spans = _State(self, m.group("cols"), as_of).spans
        named = [sp for sp in spans if not all(x[0] == "stop" or x == ("grammar", "followup") for x in sp.senses)]
        if len(named) < 2 or not all(any(x[0] == "attribute" for x in sp.senses) for sp in named):
            return question
        return f"{m.group('head')} with {m.group('cols')}"

    def _preface(self, clauses: list[str], states: list[_State], question: str) -> int:
        """1 when the first clause is a preface that only says why the question is asked ("Cross-sell idea:",
        "For a Norwegian promo -"): it ends with a colon or a spaced dash, names no period, id or text, none of
        its words may narrow or ask (the layer's commentary blockers), and its words are function words, words
        the lake does not hold, or what the question after it names itself (the same value, measure or thing);
        else 0. A purpose ("Bundle idea:") is kept: it says which reading of the question is meant. The shapes a
        preface may take (set off by a colon or a spaced dash, or a sentence of its own: the asker's need, plan,
        doing or decision) are rows of the layer's ``grammar.preface_kinds`` (``PrefaceKind``), read by one loop."""
        head, rest = clauses[0].strip(), clauses[1].strip() if len(clauses) > 1 else ""
        end = question.index(head) + len(head)
        joint = question[end:question.index(rest, end)] if rest else ""
        # the shapes said before the question (the layer's preface_kinds, each row with its note): one set off by a
        # colon or a spaced dash, or a sentence of its own (the asker's need, plan, doing or decision), whose own
        # verbs ("need", "want") are the plan's, not a narrowing (the plan's blockers)
        kinds = [kind for kind in self.preface_kinds if kind.fits(clauses, question, head, rest, joint)]
        sentence = any(kind.sentence for kind in kinds)
        needed = {word for kind in kinds for word in kind.stands_for_question}
        blockers = self.commentary[3] if sentence else self.commentary[0]
        own = {key: self.preface_words.get(key, frozenset()) for key in
               ("ordinals", "event_bounds", "figure_openers", "one_figure", "wish_subjects", "determiners",
                "label_nouns")}
        state = states[0]
        spans = state.spans
        # "Stock up for Q4: the 5 best sellers by units in Q4 2025": "for" a period closing a preface set off by a
        # colon, before a question with its own period, is the time the asker acts for, not a second period asked
        # (was: refused, two periods named)
        acts_for = head.endswith(":") and len(state.periods) == 1 and len(spans) > 2 and \
            spans[-1].text == "__period0__" and spans[-2].text == "for" and len(states) > 1 and bool(states[1].periods)
        if acts_for:
            spans = spans[:-2]
        # "I'm preparing the Q3 review. By what percent did orders grow in Q3 2026 compared with Q3 2025?": a
        # sentence before a question that names the same period itself says what the asker prepares, no second
        # period asked (was: refused, two periods named)
        restated_period = sentence and bool(state.periods) and len(states) > 1 and all(
            any((x.start_date, x.end_date) == (y.start_date, y.end_date) for o in states[1:] for y in o.periods)
            for x in state.periods)
        if restated_period:
            spans = [sp for sp in spans if not sp.text.startswith("__period")]
        # "I need to pick a default carrier for the Q4 rush. Which carrier ...?": a period naming the asker's event
        events = _event_periods(state) if sentence else []
        if sentence:
            # "The auditors come next week. What is ...?", "I'm building the monthly board pack: ...": a grain of the
            # asker's own time or thing, no grouping (the layer's preface_times)
            ahead = set(self.layer.grammar.get("preface_times", {}).get("ahead", []))
            # ("Finance is closing the month. How many open orders do we have right now?": a question said of now, a
            # word of the layer's present_words, names its own time too)
            present = set(self.layer.grammar.get("present_words", []))
            own_period = any(o.periods or any(sp.text in present for sp in o.spans) for o in states[1:])
            times = [sp for k, sp in enumerate(spans) if sp.first("grain") and (
                own_period or (k > 0 and spans[k - 1].text in ahead)
                or (k + 1 < len(spans) and not spans[k + 1].senses))]
            things = set(self.layer.grammar.get("preface_times", {}).get("things", []))
            # ("the first slide", "the next meeting": which of the asker's own things, no ranking of the data)
            times += [sp for k, sp in enumerate(spans) if sp.text in own["ordinals"]
                      and k + 1 < len(spans) and spans[k + 1].text in things]
            # "We're reviewing our discount policy. How much ...?": a figure's word naming the asker's own thing (the
            # layer's preface_times things), not a figure asked
            times += [sp for k, sp in enumerate(spans) if sp.first("measure") and k + 1 < len(spans)
                      and spans[k + 1].text in things and all(x[0] in ("stop", "unknown") for x in spans[k + 1].senses)]
            # "We're planning the overtime hours for Friday. Which ...?": a unit right after a word the lake lacks (no
            # number nor figure before it) names the asker's own resource, no unit of a figure asked
            # ("the delivery hours": after a figure's word, it stays)
            times += [sp for k, sp in enumerate(spans) if sp.first("unit")
                      and all(x[0] in ("grain", "unit") for x in sp.senses) and k > 0 and not spans[k - 1].senses]
            spans = [sp for sp in spans if sp not in times]
        # "I'm chasing carriers today. How many ...?": a period from the as-of day on (no data in the lake yet) said
        # in a sentence of its own is when the asker acts, not a period asked
        slots = [sp for sp in spans if re.fullmatch(r"__period\d+__", sp.text)]
        if sentence and slots and len(slots) == len(state.periods) and all(
                state.periods[int(sp.text[8:-2])].start_date >= state.as_of for sp in slots):
            events = events + slots
        spans = [sp for sp in spans if sp not in events]
        if len(clauses) < 2 or state.periods and not (acts_for or restated_period or events) or state.ids \
                or state.texts:
            return 0
        names = re.findall(r"[\w'-]+", head)
        if 2 <= len(names) <= 4 and all(w[:1].isupper() and (w[1:2].islower() or w.isupper() and len(w) > 1)
                                        for w in names) and not (sentence and len(names) > 2):
            # "Rautia Oy: how many orders in 2025", "Aino Mäki - how many orders has she placed?": a name alone
            # (every word capitalised, two to four, one a company form or a word of the lake's customer names)
            # before the question is whom it is about, never an aside to set aside (was: every order counted, the
            # name dropped); a name the lake lacks is not found. ("Board Meeting - ..." names no one: set aside)
            lowered = {w.lower() for w in names}
            if lowered & set(self.layer.grammar.get("company_suffixes", [])) or any(
                    lowered & set(key) for key, senses in self.lexicon.phrases.items() if len(key) > 1
                    and any(x[0] == "value" and x[1] == "customer" for x in senses)):
                return 0
        if spans and spans[0].text in own["event_bounds"] and len(spans) > 1 and any(o.periods for o in states[1:]):
            # "Before winter: which 3 Heating products sold the most in Q4 last year?": a time the lake cannot place
            # said before a question with its own period is when the asker acts, not a bound on that period (was:
            # refused on 'before', 'winter')
            spans = spans[1:]
        # (a concept the lake lacks is such an event too: "before next year's campaign calendar is set")
        cut = next((k for k, sp in enumerate(spans) if sp.text in own["event_bounds"] and k + 1 < len(spans)
                    and all(all(x[0] in ("stop", "unknown") for x in o.senses) or not o.senses for o in spans[k + 1:])
                    and any(not o.senses for o in spans[k + 1:])), None)
        if cut is not None and (sentence or head.endswith(":") or SPACED_DASH_RE.fullmatch(joint) is not None):
            # "Quick one before the ops call: what percentage ...?": before or after an event the lake does not hold
            # (only words it cannot place) is when the asker asks, no bound on the data (was: refused on 'before')
            spans = spans[:cut]
        if len(states) > 1 and states[1].spans and states[1].spans[0].text in own["figure_openers"]:
            # "... and need one number: how many web orders ...?": one figure, which the question after it asks
            spans = [sp for sp in spans if sp.text not in own["one_figure"]]
        if head.endswith(":") and len(spans) > 1 and spans[-1].text in own["label_nouns"]:
            # "Cash-flow check: what is ...?": the noun closing a label before a colon names the asking itself, no
            # check of the data asked (the layer's preface_kinds label_nouns); the label's other words are read as before
            spans = spans[:-1]
        if needed:
            # "I need the headline figure: total revenue ...": the figure the asker needs is the one the question
            # after the colon or dash asks, not a figure of its own
            # (the kind's stands_for_question words)
            spans = [sp for sp in spans if sp.text not in needed]
        # "a thank-you note from the CEO": with no period nor number in the preface, a range word ranges over
        # nothing; it is a plain preposition there
        if not state.periods and not any(x[0] == "number" for sp in spans for x in sp.senses):
            spans = [sp for sp in spans if not (sp.has("grammar", "range") and all(
                x[0] == "stop" or tuple(x) == ("grammar", "range") for x in sp.senses))]
        # "for the monthly ops review", "the annual report": a grain word before a noun of the asker's own report or
        # meeting (the layer's preface_times things) names when that event happens, not a grouping of the data
        event_nouns = set(self.layer.grammar.get("preface_times", {}).get("things", []))
        spans = [sp for k, sp in enumerate(spans) if not (
            sp.senses and all(x[0] == "grain" for x in sp.senses)
            and any(o.text in event_nouns for o in spans[k + 1:k + 4]))]
        # "For the autumn push we'd like to focus on ...": "like" after "we'd" in a preface is the asker's wish, not
        # "names like" (a preface only; "We'd like the Finnish ones." after a question narrows it and stays refused)
        spans = [sp for k, sp in enumerate(spans) if not (
            sp.text == "like" and k > 0 and spans[k - 1].text in own["wish_subjects"])]
        if sentence and len(spans) > 1 and spans[-1].text in event_nouns and any(
                sp.text in own["determiners"] for sp in spans[-4:-1]):
            # "I'm putting together our call list. Who ...?", "We're updating the price list.": one of the asker's own
            # things (the layer's preface_times things) ending the sentence after a determiner is what the asker
            # works on, not a request to list
            spans = spans[:-1]
        if sentence:
            # "The pricing committee thinks we discount too often.": an excess in someone's view (the plan's
            # opinions), not "too" as "also"
            opinion = set(self.commentary[1].get("opinions", []))
            spans = [sp for j, sp in enumerate(spans)
                     if not (sp.text == "too" and j + 1 < len(spans) and f"too {spans[j + 1].text}" in opinion)]
        words = {w for s in spans for w in s.text.split()}
        if sentence and "how" in words:
            # "The CFO asked how revenue developed. What was the revenue growth ...?": "how" in a sentence said
            # before a question of its own says what someone wonders, the question after it asks (was: a blocker)
            words.discard("how")
            if any(sp.text in ("how much", "how many") or sp.text == "how" and k + 1 < len(spans)
                   and spans[k + 1].text in ("much", "many") for k, sp in enumerate(spans)):
                # "We're deciding how much to invest in the webshop.": what the asker decides, not an amount asked
                words -= {"much", "many"}
        if words & blockers:
            return 0
        said = {tuple(x) for other in states[1:] for sp in other.spans for x in sp.senses}
        # "We're looking at the Swedish market. What were Paint sales in Sweden?": a dimension ("market") is said by
        # the question when it names a value of it (was: refused, 'market' read as a grouping by country)
        said |= {("dimension", x[1]) for x in list(said) if x[0] == "value"}
        # "The warehouse wants to plan tomorrow's picking. Could you list ...?", "The carrier review is next
        # Tuesday. How many ...?": a sentence of its own before the question may name things (a thing or a way
        # of grouping or a column, as a plan after it may): who acts or what is reviewed, never a value, figure or condition
        # (was: refused on its words the lake lacks)
        # (a statement only: not a question cut at an abbreviation, "Which warehouse is emptiest, i.e. lowest ...?")
        stated = sentence and not re.search(r"\b(?:i\.e|e\.g|etc|vs|cf|approx)\.$", head, re.IGNORECASE) and \
            not re.match(r"(?:which|what|who|whom|whose|how|where|when|why|is|are|do|does|did|can|could)\b", head, re.I)
        named: tuple[str, ...] = ("entity", "dimension", "attribute") if stated else ()
        # "... and need one number": "and" joins the asker's own acts (not a follow-up's "and")
        # "I'm planning the restock round for Friday: ...": restocking said in a sentence of its own is the asker's
        # act, as in a plan after the question (PLAN_OWN_SENSES), not a low-stock condition on what is asked
        # "We're thinking of discontinuing a few lines. Which products ...?", "Our buyer wants to renegotiate with
        # suppliers. ...": a purpose of the layer said in a statement of its own before the question is the asker's
        # plan, as it is after the question: set aside, and checked against the form read (_check_aside_purposes:
        # noted when it fits, refused when it asks for figures the question does not give); its "more" or "new"
        # ("whether to drop more lines") is of the asker's own act (the plan's own words), no ranking of the data
        if stated and any(x[0] == "purpose" for sp in spans for x in sp.senses):
            named += ("purpose",)
            spans = [sp for sp in spans if sp.text not in self.commentary[1].get("own_words", [])]
        if not all(x[0] in ("stop", "unknown", "intent") or x[0] in named or tuple(x) in said
                   or tuple(x) == ("grammar", "recommend") or (sp.text == "and" and tuple(x) == ("grammar", "followup"))
                   or (sentence and stated and tuple(x) in PLAN_OWN_SENSES)
                   for sp in spans for x in sp.senses):
            return 0
        return 1 if kinds else 0


# a spaced dash joining two clauses ("For a Norwegian promo - top products sold in Norway")
SPACED_DASH_RE = re.compile(r"\s+[—–-]\s+")


@dataclass(frozen=True)
class PrefaceKind:
    """One sentence shape said before the question (a row of the layer's ``grammar.preface_kinds``, read by
    ``SemanticParser._preface``): how the preface ends or is joined to the question, how the question's first clause
    and the whole question end, how many clauses there are, and the patterns the preface (head) and the question's
    first clause (rest) match; ``stands_for_question``: words of the preface the question after it says itself
    ("I need the headline figure: total revenue ..."); ``sentence``: a sentence of its own (the asker's need or plan),
    not only set off from the question."""

    name: str
    ends: tuple[str, ...] = ()
    rest_ends: tuple[str, ...] = ()
    question_ends: str = ""
    next_starts: str = ""
    clauses: int | None = None
    min_clauses: int = 2
    straight_quotes: bool = False
    head: re.Pattern[str] | None = None
    head_how: str = "match"
    rest: re.Pattern[str] | None = None
    words: tuple[tuple[str, frozenset[str]], ...] = ()
    stands_for_question: frozenset[str] = frozenset()
    sentence: bool = True

    @classmethod
    def of(cls, row: dict, grammar: dict) -> PrefaceKind:
        def table(path: str) -> frozenset[str]:
            found: object = grammar
            for key in path.split("."):
                found = found.get(key, {}) if isinstance(found, dict) else {}
            return frozenset(str(w).lower() for w in found) if isinstance(found, list) else frozenset()

        if row.get("head_how", "match") not in ("match", "search", "fullmatch"):
            raise ValueError(f"preface kind {row.get('name')}: head_how is match, search or fullmatch")
        return cls(name=row["name"], ends=tuple(row.get("ends", [])), rest_ends=tuple(row.get("rest_ends", [])),
                   question_ends=row.get("question_ends", ""), next_starts=row.get("next_starts", ""),
                   clauses=row.get("clauses"), min_clauses=row.get("min_clauses", 2),
                   straight_quotes=bool(row.get("straight_quotes")),
                   head=re.compile(row["head"], re.IGNORECASE) if row.get("head") else None,
                   head_how=row.get("head_how", "match"),
                   rest=re.compile(row["rest"], re.IGNORECASE) if row.get("rest") else None,
                   words=tuple((group, table(path)) for group, path in row.get("words", {}).items()),
                   stands_for_question=frozenset(row.get("stands_for_question", [])),
                   sentence=row.get("sentence", True) is not False)

    def fits(self, clauses: list[str], question: str, head: str, rest: str, joint: str) -> bool:
        """Whether the first clause (head), said before the question's first clause (rest) across ``joint``, is a
        preface of this kind."""
        if len(clauses) < self.min_clauses or self.clauses is not None and len(clauses) != self.clauses:
            return False
        if self.ends and not any(SPACED_DASH_RE.fullmatch(joint) is not None if end == "spaced_dash"
                                 else head.endswith(end) for end in self.ends):
            return False
        if self.rest_ends and not rest.endswith(self.rest_ends):
            return False
        if self.question_ends and not question.rstrip().endswith(self.question_ends):
            return False
        if self.next_starts and not (len(clauses) > 2 and clauses[2].lstrip().startswith(self.next_starts)):
            return False
        if self.straight_quotes:
            head, rest = head.replace("’", "'"), rest.replace("’", "'")
        if self.head is not None:
            found = (self.head.search(head) if self.head_how == "search" else self.head.fullmatch(head)
                     if self.head_how == "fullmatch" else self.head.match(head))
            if found is None or any((found.group(group) or "").lower() not in words for group, words in self.words):
                return False
        return self.rest is None or self.rest.match(rest) is not None


def _event_periods(state: _State) -> list:
    """"the Q4 push", "the Q4 rush": in a clause that says why the question is asked, a period between "the" and a
    word the lake lacks names the asker's own event, not a period of the data; those period slots when every period
    of the clause is so said, else none."""
    spans = state.spans
    slots = [k for k, sp in enumerate(spans) if sp.text.startswith("__period")]
    if not slots or len(slots) != len(state.periods):
        return []
    if all(0 < k < len(spans) - 1 and spans[k - 1].text == "the" and not spans[k + 1].senses for k in slots):
        return [spans[k] for k in slots]
    return []


# "are any of our top 20 sellers ... at or below their reorder level": a condition asked of a ranking, read as "among"
ANY_OF_RANKING_RE = re.compile(r"^\s*(?:are|is)\s+any\s+of\s+(?P<ranking>(?:our|the)\s+(?:top|bottom)\s+\d+\s[^?]*?)\s+"
                               r"(?P<rest>(?:at|below|above|under|over|out|low|running|still|currently|not)\b[^?]*)\?*\s*$",
                               re.IGNORECASE)
# "among our top 10 ..., which ones ...": a condition within a ranking said first
AMONG_RE = re.compile(r"^\s*(?:among|of)\s+(?P<ranking>(?:our|the)\s+[^,]+?),\s*which\s+(?:ones|of\s+(?:them|those|these))?\s*"
                      r"(?P<rest>.+)$", re.IGNORECASE)
# "which of our 5 best sellers (all time) has customer 36 never bought": a condition within a ranking with a number,
# the ranking said first (its brackets may hold commas, which "among ..., which" cannot)
WHICH_OF_RANKING_RE = re.compile(r"^\s*which\s+of\s+(?P<ranking>(?:our|the)\s+(?:top\s+)?\d+\s[^?]*?)\s+"
                                 r"(?P<rest>(?:has|have|did)\s[^?]*?)\s*\?*\s*$", re.IGNORECASE)
# "should we cancel them?": asks whether to act on the ones asked about, a verb and a pointer only (its verb may be a
# word of the data, "cancel", but names no condition: it is the decision the answer informs)
# "want to feature it", "I'd drop that one": an aside's pointer at one thing found; "I need it (for the range review)",
# "it's for the board", "it goes into the deck" point at the answer itself (the whole list or ranking), not one of it
ANSWER_POINTER_RE = re.compile(r"\b(?:need|needs|needed)\s+it(?:\s+for\b|\s*[.!?]*\s*$)|\bit(?:'s|\s+is)\s+for\b|\bit\s+goes\s+into\b|\bit\s+helps\b",
                               re.IGNORECASE)


def _points_at_one(aside: str) -> bool:
    return re.search(r"\b(?:it|that\s+one|this\s+one)\b", ANSWER_POINTER_RE.sub(" ", aside), re.IGNORECASE) is not None


ADVICE_ASKED_RE = re.compile(r"^(?:should|shall)\s+(?:we|i)\s+[a-z]+\s+(?:them|those|these|it|this\s+one|that\s+one)\s*[?.!]*$",
                             re.IGNORECASE)
# in a plan said after the question: "just" and the asker's own act of offering or recommending ("maybe offer them a
# trade account", "deciding where to push upsells"): what the asker will do with the answer, never a condition on it
# "those need an urgent reorder", "we should restock those": reordering the ones found is the asker's act too, not a
# low-stock condition on them; "that's where I'd send the buyer": sending is the asker's act, not a carrier's
# "might drop it", "maybe we drop those": dropping the ones found is the asker's act too, not a condition dropped
PLAN_OWN_SENSES = {("grammar", "followup"), ("grammar", "recommend"), ("predicate", "low_stock"), ("grammar", "carrying"),
                   ("grammar", "drop_filter")}
# "List shipments ...: order id, carrier and ship date": a list asked for, then after a colon what to show
LIST_OR_SHOW_RE = re.compile(r"\s*(?:list|show)\b", re.IGNORECASE)
COLUMNS_AFTER_COLON_RE = re.compile(r"^(?P<head>\s*[^:]*?)\s*:\s*(?P<cols>[\w\s]+?(?:,|\band\b)[\w\s,]*?)"
                                    r"\s*[.!?]*$", re.IGNORECASE)
# "... at zero there?", "... in that warehouse?": a place said before, closing the question (set_aside_commentary)
# "... for the catalogue update.": "for" the asker's own thing closing a clause after the question (set_aside_commentary)
OWN_THING_END_RE = re.compile(r"\s+for\s+(?:the|our|my|a|an|this|next)\s+(?:[\w'-]+\s+){0,5}[\w-]+(?=\s*[.!?]*\s*$)",
                              re.IGNORECASE)
# "For the loyalty programme I need ...": "for" the asker's own thing opening the question, its need after it
OWN_THING_START_RE = re.compile(r"^(?P<head>for\s+(?:the|our|my|a|an|this|next)\s+(?:[\w'-]+\s+){0,4}?[\w-]+)\s*,?\s+"
                                r"(?=(?:i|we)\s+(?:need|want|would\s+like)\b|(?:i'd|we'd)\s+like\b)", re.IGNORECASE)
# "Which customers ...?", "List the products ...": a clause asking for a list of things (an approval after it may
# name their name: "Names are enough.")
LISTS_ASKED_RE = re.compile(r"(?:which|who|list|show(?:\s+me)?|give\s+me\s+(?:a\s+)?list)\b", re.IGNORECASE)
# "Rate, not count.", "revenue - not units": a word or two said again against another (set_aside_commentary)
RESTATED_RE = re.compile(r"^[a-z]+(?:\s+[a-z]+){0,2}\s*,?\s+not\s+(?:the\s+|a\s+|an\s+)?[a-z]+(?:\s+[a-z]+){0,2}\s*[.!]*$",
                         re.IGNORECASE)

# "(count)", "count them" after a question: its figure is said to be a count, which it must then be
COUNT_SAID_RE = re.compile(r"^(?:count|count them|count it|count those|counts|a count|the count|as a count)$",
                           re.IGNORECASE)

# a clause boundary: after a sentence's end, around a spaced dash, a bracketed aside, and before a last clause
# after a comma that opens with "we" or "I" ("just the ids, we keep forgetting these": the asker's own remark), "to send",
# "to thank" ("top 5 customers by revenue, to send a thank-you gift": the asker's plan) or "so
# we"/"so I" (", so I know which to reorder first": the asker's purpose; was: a comma never parted "so I ...")
COMMENTARY_SPLIT = re.compile(r"(?<=[?.!;:])\s+|(\s+[—–-]\s+)|(\([^()]*\))"
                              # "We are planning the autumn push, so I'd like to know which ...": the asker's need
                              # after a comma, the question in it (the clause before says why: _preface)
                              r"|(?<=,)\s+(?=so\s+(?:i'd|we'd|i\s+would|we\s+would)\s+like\s+to\s+know\s[^,?.!;:()]*[?.!]*\s*$)"
                              r"|(?<=,)\s+(?=(?:(?:so\s+)?(?:we|i)|to\s+(?:send|thank|reward|invite))\s[^,?.!;:()]*[?.!]*\s*$)"
                              # "products with margin under 22 %, maybe we raise price? give name ...": the asker's
                              # guess at a plan after a comma, closed by its own sentence end (a plan: set_aside_commentary)
                              r"|(?<=,)\s+(?=(?:maybe|perhaps)\s+(?:we|i)\s[^,?.!;:()]*(?:[?.!]|$))"
                              # "For the pricing deck, could you tell me ...?": a request after a comma (_preface)
                              r"|(?<=,)\s+(?=(?:could|can|would)\s+you\s[^,?.!;:()]*\?\s*$)"
                              # "show the 3 oldest open orders so we can chase them": a purpose clause at the end,
                              # with or without a comma (was: 'chase' left unplaced)
                              r"|\s+(?=so\s+(?:we|i)\s+(?:can|could)\s[^,?.!;:()]*[?.!]*\s*$)",
                              re.IGNORECASE)


@per_engine
def parser_for(engine) -> SemanticParser:
    """The parser over the engine's lake vocabulary, built once per engine: the lexicon of a lake
    with 300,000 customer names takes over a second to build."""
    return SemanticParser(vocabulary_for(engine))


def _tied_note(tied: tuple[str, ...]) -> str:
    """" (could be 'stats' or 'status')": a slip the lexicon would not guess between."""
    if not tied:
        return ""
    shown = [repr(w) for w in tied[:4]]
    return f" (could be {', '.join(shown[:-1])} or {shown[-1]})"


def query_type(form: QueryForm) -> QueryType:
    if form.kind in ("bought_together", "recommend_customer"):
        return "recommendation"
    if form.order_by == "units_sold" and (form.subject == "products" or "product" in form.dimensions):
        return "recommendation"  # best sellers
    subject = form.subject or ""
    measures = set(form.measures)
    if measures & {"stock"} or any(p in ("low_stock", "below_reorder", "out_of_stock") for p in form.predicates) \
            or "warehouse" in form.dimensions:
        return "inventory"
    if subject == "shipments" or measures & {"delivery_time"} or form.lookup and form.lookup["entity"] == "order":
        return "order_status"
    if measures & {"revenue", "units_sold", "margin", "discount"}:
        return "sales_report"
    if subject == "customers" or "customer" in form.dimensions:
        return "customers"
    if subject == "products":
        return "inventory"
    return "orders"


# a question opening with one of these asks whether a status holds ("is her last order still pending?")
AUXILIARY_OPENINGS = frozenset({"is", "was", "has", "have", "had", "did", "does", "do", "are", "were", "when", "where",
                                "what", "what's", "whats", "how", "and", "so"})


# a note on a follow-up's form: the value a new one replaced ("Turku" after "Tampere"), for "both" next
SWAPPED = "swapped:"


class _State(
    ConditionSteps,
    RankingSteps,
    MeasureSteps,
    GroupingSteps,
    FollowupSteps,
    AdviceSteps,
    RefusalSteps,
    PeriodFieldSteps,
    ColumnSteps,
    HeldWhereSteps,
    CountedPlacesSteps,
    FigureThanSteps,
    PerOneSteps,
    BesideAllSteps,
    BoundedGroupSteps,
    StateBase,
):
    """One parse: the spans, what each was used for, and the form being filled."""

    def interpret(self, context: QueryForm | None) -> QueryForm:
        unknown = [s.text for s in self.spans if s.senses and all(x[0] == "unknown" for x in s.senses)]
        if unknown:
            raise NotUnderstood(f"the retail lake has no data about {', '.join(unknown)}",
                                hint="try: " + "; ".join(SUGGESTIONS[:4]))
        self._cost_of_shipping()
        followup = context is not None and self._is_followup(context)
        if followup and context is not None and (context.derived or {}).get("kind") == "scoped_conditions":
            # a condition per warehouse (scoped.py) is not carried into a follow-up: changed, it would be misread
            raise NotUnderstood("I cannot change a question with a different condition per warehouse in a follow-up",
                                hint="ask it again in full, e.g. 'products out of stock in Vantaa but over 50 units "
                                     "in Kuopio'")
        if followup and context is not None and (context.derived or {}).get("kind") == "beside_all":
            # one group's figure beside all (reading/beside_all.py) is not carried into a follow-up: the group's
            # condition sits apart from the others, and a change to it or them would be misread
            raise NotUnderstood("I cannot change a question that puts one group's figure beside the figure for all "
                                "in a follow-up", hint="ask it again in full, e.g. 'revenue from Tampere customers "
                                                       "next to revenue from all customers'")
        if context is not None and not followup and context.kind == "list" and context.limit != 1 and re.search(
                r"\bthe\s+one\s+(?:that|which|who)\b", " ".join(s.text for s in self.spans)):
            # "which customer is the one that bought the most?" after products listed: "the one" picks a row of the
            # previous answer, but names other things than its rows (the rows' own kind is a follow-up, _is_followup);
            # read afresh it would rank every customer. After one row there is nothing to pick: read afresh.
            raise NotUnderstood("'the one that ...' points at a row of the previous answer, which I cannot pick here",
                                field="question", hint="ask it in full, e.g. 'which of those sold the most units?'")
        self.context = context if followup else None
        if followup and context is not None:
            whole_of_previous_period(self, context)
            self._columns_of_the_previous_things(context)
        if context is None:
            self._pointer_without_referent()
        self._action_requested()
        f = self.form
        self._instead_of_previous()
        self._compound_noun()
        self._occasion_values()
        self._one_thing_averaged()
        if not followup:
            self._everyone_who()
        self._out_in_a_warehouse()
        self._lines_of_stock()
        self._quantity_in_a_warehouse()
        self._have_in_stock()
        self._other_scopes()
        self._by_how_many_below()
        self._slots()
        self._how_many_more_than()
        self._figure_than_figure()
        self._days_of_stock()
        self._measure_split_by_verb()
        self._in_any_scope()
        self._compared_predicates()
        self._valuations()
        self._worth()
        self._verbs_not_values()
        self._single_items()
        self._carrying_verbs()
        self._status_markers()
        self._widen()
        self._either_or_values()
        self._orders_holding_lines()
        self._negation_after_values()
        self._negations()
        self._ages()
        self._how_long()
        self._comparisons()
        self._predicate_bounds()
        self._ranges_and_comparators()
        self._little_sales_bounded()
        self._duration_anchors()
        self._money_placed()
        self._percent_values()
        self._shares_and_growth()
        self._split_between()
        self._residence()
        self._in_every_period()
        self._groupings()
        self._every_period_of_grain()
        self._movers()
        self._age_figures()
        self._duration_aggregates()
        self._sorted_first()
        if re.search(r"\b(?:that|which|who) (?:sold|bought|ordered) (?:anything|something)\b",
                     " ".join(x.text for x in self.spans)):
            # "the lowest revenue (among brands that sold anything)": only those with sales are ranked, none at 0
            f.notes.append("with_rows")
        self._plural_extremes()
        self._superlatives()
        self._extreme_of_column_per_group()
        self._counts()
        self._contains()
        self._possessives()
        self._rest()
        self._values_compared()
        self._group_ranked_by_column_extreme()
        self._units_said_of_a_figure()
        self._each_did()
        self._those_with_figure()
        self._never_ordered_values()
        self._both()
        self._values_held_together()
        self._fraction_scale_said()
        self._percent_scale_said()
        self._only_through()
        self._every_one_of_their_orders()
        self._units_of_stock()
        self._each_closing()
        self._shown_beside()
        self._figure_restated()
        self._one_row_per()
        self._how_many_in_each()
        self._dimension_mix()
        self._over_the_things()
        self._event_predicate_dated()
        self._period_of_parent_rows()
        self._status_of_shipment()
        self._status_of_ones_orders()
        self._undelivered_orders()
        self._which_order_ranked()
        self._which_one_it_is()
        self._measures_shown_per_item()
        self._average_over_periods()
        self._that_period()
        self._values_never_bought()
        self._unknown_names()
        self._bound_on_each_row()
        self._amount_summed_per_thing()
        self._shown_too()
        self._every_line_of_the_orders()
        self._lines_of_the_orders()
        self._second_count_of_its_own()
        self._inclusive_range_said()
        self._rows_of_the_named()
        if followup:
            assert context is not None
            new = self.form
            f = self._merge(context)
            f = counted_behind_figure(self, context, f)
            f = figure_of_those_counted(self, context, f)
            f = subject_said_again(self, context, new, f)
            if f.subject == "customers":
                self._what_they_bought(f)  # "what did they buy?" after a customer: the products bought
            if f.subject == "products":
                # "which of them sold this year?" after products listed: sold in orders that count as sales, as
                # "which inactive products sold this year?" reads it (was: any order, cancelled ones too)
                self._purchases_are_sales(f)
            if new.offset or new.limit or new.order_by:
                f.offset = new.offset  # a ranking said again says its own place ("top 5 instead": none skipped)
            if f.limit != 1:
                f.offset = 0
        else:
            self._which_value_ranked()
            self._reorder_advice()
            explicit_limit = self.form.limit
            self._decide_kind()
            f = self.form
            self._all_on_the_extreme_date(f)
            self._duration_counted_from(f)
            if self.zero_included:
                f.notes.append("zero_included")
            self._amount_not_count(f)
            self._what_they_bought(f)
            self._purchases_are_sales(f)
            self._where_is_product(f)
            if explicit_limit is None and self.every_one_ranked:
                f.notes.append("sorted")  # "rank all brands by revenue": every brand, in that order (was a top 10)
                if f.kind == "list":
                    f.limit = None  # "rank all orders by total amount": every order, in that order
            if "sorted" in f.notes and explicit_limit is None and f.kind == "aggregate":
                f.limit = None  # "revenue per category, highest first": every group, in that order
            self._entity_words_shown(f)
            self._own_columns_listed(f)
            self._amount_of_measure(f)
            self._per_group(f, explicit_limit)
            self._share_of_predicate_entity(f)
            self._ordered_most(f)
            self._no_such_orders(f)
            self._counted_where(f)
            self._which_per_scope(f)
            self._held_where(f)
            self._counted_places_restated(f)
        try:
            if not followup:
                self._figure_beside_all(f)
                self._figure_of_those(f)
            if self.counted_twice is not None and (f.derived or {}).get("kind") != "beside_all":
                raise self.counted_twice
            self._periods_and_fields(f)
            if not followup:
                self._bounded_count_shown(f)
            self._degenerate_figures(f)
            self._growth_chronological(f)
            self._growth_direction(f)
            self._growth_bound(f)
            self._share_bound(f)
            self._growth_ranked(f)
            self._evaluative_direction(f)
            self._purposes(f)
            self._slow_things(f)
            self._net_of_discount(f)
            self._accept(f)
            if followup and context is not None:
                f = figure_of_the_ranked_ones(self, context, f)
            elif context is not None:
                self._every_row_of_the_ranking(context, f)
        except NotUnderstood as refused:
            if followup and context is not None and "previous question" not in refused.message:
                # a follow-up refused says which question it could not be applied to
                raise NotUnderstood(f"{refused.message}; as a follow-up to the previous question: "
                                    f"{previous_words(context, self.layer)}", field=refused.field,
                                    hint=refused.hint) from refused
            raise
        return f

    def _every_row_of_the_ranking(self, context: QueryForm, f: QueryForm) -> None:
        """"what's the aov for each channel" after the channel with the highest average order value this year: the
        same figure of every group the previous ranking ranked, said in full but for its period, is that ranking's
        rows in full, in its period (was: over all time, the period dropped, a silent wrong). Only when the new
        question names each group ("each", "every", "all") and nothing else than the previous one did."""
        # ("what share of total units did each category have" after units sold per category last month: each group's
        # share of the same figure, in the same period)
        shared = not context.derived and set(f.derived or {}) == {"kind", "scale"} \
            and (f.derived or {}).get("kind") == "share"
        if not (context.kind == "aggregate" and (context.limit or shared) and context.period is not None
                and f.period is None and not self.periods and not self.ids and f.kind == "aggregate"
                and f.limit is None and f.dimensions
                and any(s.text in ("each", "for each", "every", "all") for s in self.spans)):
            return
        skip = {"limit", "order_by", "direction", "offset", "period", "period_field", "notes"} | (
            {"derived"} if shared else set())
        before = {k: v for k, v in context.to_dict().items() if k not in skip}
        after = {k: v for k, v in f.to_dict().items() if k not in skip}
        if before == after:
            f.period, f.period_field = copy.deepcopy(context.period), context.period_field

    def _occasion_values(self) -> None:
        """"How many customers do we have in Finland? It is for the Swedish review.": a value said of one of the
        asker's own things (the layer's preface_times things: a review, a team, a deck), where the question names
        another value of the same dimension as its condition, says whom the thing is for, not a second condition
        (was: both countries read, FI and SE); set aside and noted. Said alone, it stays the condition."""
        things = set(self.layer.grammar.get("preface_times", {}).get("things", []))
        for k, s in enumerate(self.spans):
            values = self.values_of(s)
            if s.used or not values or len(values) != 1:
                continue
            end = next((j for j in range(k + 1, min(k + 4, len(self.spans))) if self.spans[j].text in things), None)
            if end is None or any(self.values_of(x) or x.first("entity") or x.first("measure")
                                  for x in self.spans[k + 1:end]):
                continue
            dim = values[0][0]
            if not any(d == dim and v != values[0][1] for j, x in enumerate(self.spans) if not k <= j <= end
                       for d, v in self.values_of(x)):
                continue
            for x in self.spans[k:end + 1]:
                x.used = True
            self.form.notes.append(f"aside:{' '.join(x.text for x in self.spans[k:end + 1])}")

    def _plural_extremes(self) -> None:
        """"the biggest order totals in 2025": a superlative of a thing's amount named in the plural, with no number,
        asks for the few largest things, ranked by it, as "the biggest orders in 2025" (was: the one largest
        amount, MAX)."""
        for k, s in enumerate(self.spans[:-1]):
            sa, nxt = s.first("superlative_attribute"), self.spans[k + 1]
            if s.used or nxt.used or sa is None or sa[1] != "@amount" or not nxt.first("attribute"):
                continue
            plural = self.words[nxt.end - 1].endswith("s") and not self.words[nxt.end - 1].endswith("ss") \
                or re.search(rf"\b{re.escape(nxt.text)}s\b", self.question, re.IGNORECASE)
            if not plural or any(x.first("number") or x.first("dimension") or x.has("grammar", "group_by")
                                 for x in self.spans):
                continue  # ("the 5 biggest order totals", "largest order amounts per channel": left as read)
            table = str(nxt.arg("attribute")).split(".")[0]
            owner = [spec for spec in self.layer.entities.values() if spec.get("table") == table
                     and f"{table}.{spec.get('amount')}" == nxt.arg("attribute") and spec.get("plural")]
            if len(owner) != 1:
                continue
            like = _State(self.p, str(owner[0]["plural"]), self.as_of).spans
            if len(like) == 1 and like[0].first("entity"):
                nxt.senses, nxt.text = list(like[0].senses), like[0].text

    def _everyone_who(self) -> None:
        """"everyone who has spent more than 3,000 EUR this year", "everybody who ordered in May": in a question
        of its own, "everyone who ..." are the people of the lake who did it, the customers, as "customers who ..."
        reads (was: refused on 'everyone', or a list of orders)."""
        if "customers" not in self.layer.entities:
            return
        for k, s in enumerate(self.spans[:-1]):
            if s.has("grammar", "every_customer") and not s.used and self.spans[k + 1].text == "who":
                # (the word's senses read only here: a state of its own per question would be work for nothing)
                like = _State(self.p, "customers", self.as_of).spans
                if len(like) == 1 and like[0].first("entity"):
                    s.senses = list(like[0].senses)

    def _compound_noun(self) -> None:
        """"which business customer order was the largest", "how many customer orders last month": a thing named
        in the singular right before another thing is a modifier of it (orders of customers), not a thing asked
        (was: orders counted per customer, or the customers counted)."""
        for a, b in zip(self.spans, self.spans[1:], strict=False):
            ea, eb = a.first("entity"), b.first("entity")
            if ea and eb and ea[1] != eb[1] and not a.used and not a.text.endswith("s") and \
                    a.text == self.layer.entities[ea[1]].get("singular"):
                a.senses, a.used = [("stop",)], True

    def _columns_of_the_previous_things(self, context: QueryForm) -> None:
        """"name and brand" after products listed: a column word of several tables ("name": a customer's or a
        product's) is first the column of the previous answer's own things (was: the customers' name, joined
        through every order line of the products, a silent wrong)."""
        table = self.layer.entities.get(context.subject or "", {}).get("table")
        if not table:
            return
        for s in self.spans:
            columns = [x for x in s.senses if x[0] == "attribute"]
            own = [x for x in columns if str(x[1]).startswith(f"{table}.")]
            if len(columns) > 1 and len(own) == 1 and columns[0] != own[0]:
                at = s.senses.index(columns[0])
                s.senses.remove(own[0])
                s.senses.insert(at, own[0])

    def _is_followup(self, context: QueryForm) -> bool:
        first = next((s for s in self.spans if s.senses), None)
        # the words that say a question goes on from the previous answer (the layer's followup_pointers)
        pointers = self.layer.grammar.get("followup_pointers", {})
        if first is not None and (first.has("grammar", "followup") or first.text in pointers.get("openers", [])):
            return True
        if first is not None and first.has("grammar", "drop_filter") and first.text not in ("all", "any", "every"):
            return True  # "forget the category, all products"
        after = self.next_content(self.spans.index(first)) if first is not None else None
        if first is not None and first.text in ("all", "any", "every") and after is not None \
                and after[1].first("dimension") and context.filter_on(str(after[1].arg("dimension"))):
            return True  # "all channels but only norwegian customers" after b2b orders: that filter dropped
        if first is not None and first.text == "as" and len(self.spans) > 2 and self.spans[1].text in ("a", "an") \
                and self.spans[2].has("grammar", "share") or first is not None and first.text == "as" \
                and len(self.spans) > 1 and self.spans[1].has("grammar", "share"):
            # "as a percentage of all shipments?": the previous figure put as a share (was: refused); "as percentage
            # of each channel's orders" with no article too (was: a new share of all orders, the period dropped)
            return True
        if first is not None and first.text in ("except", "excluding", "apart from", "but not", "minus", "exclude",
                                                "leave out", "without"):
            # "except web orders": a condition added to the previous question ("exclude business customers" after
            # the top 10 customers: the ranking kept, without them; was: every other customer listed afresh)
            return True
        if first is not None and first.text in ("include", "including", "incl") and not any(
                x[0] in ("measure", "ranking", "superlative") or x == ("grammar", "count")
                for s in self.spans for x in s.senses):
            # "include the discontinued Garden products too": more rows of the previous question ("including
            # returns, what was revenue in 2025?" asks a figure of its own: a new question)
            return True
        if first is not None and first.text == "for" and not self.ids and any(s.first("entity") for s in self.spans) \
                and all(x[0] in ("stop", "entity", "value", "activity", "slot", "predicate")
                        for s in self.spans for x in s.senses):
            # "for shipments sent in 2025", "for b2b orders?" after a figure: an opening "for" that names only
            # things and their conditions (no figure, ranking or question word) narrows the previous question
            # (was: the shipments of 2025 listed, a new question)
            return True
        if first is not None and first.text in ("among", "amongst") and not self.ids and any(
                s.first("value") or s.first("predicate") for s in self.spans) and all(
                s.senses[0][0] in ("stop", "entity", "value", "predicate") for s in self.spans if s.senses):
            # "among swedish customers" after the top brands: an opening "among" naming only things and their
            # conditions narrows the previous question to those things, as an opening "for" does (was: the Swedish
            # customers listed, a new question, a silent wrong)
            return True
        if first is not None and first.text in BESIDE_OPENERS and context.kind == "list" \
                and not context.lookup and not (self.ids or self.periods) and any(s.first("measure") for s in self.spans) \
                and all(x[0] in ("stop", "measure", "grammar") for s in self.spans for x in s.senses[:1]):
            # "with total stock", "with units" after things listed: the figure named opening on "with" is a column
            # beside the listed rows, as "show their stock too" is (was: the figure over everything, a new question:
            # one total with the list's conditions dropped, a silent wrong)
            return True
        said = [s for s in self.spans if s.senses]
        if len(said) > 1 and said[-1].text == "only" and not self.ids and any(
                x[0] in ("value", "predicate") for s in said for x in s.senses) and all(
                x[0] in ("stop", "entity", "dimension", "value", "predicate", "grammar") for s in said for x in s.senses):
            # "Oslo customers only", "business orders only" after a figure: the closing "only" restricts the
            # previous question as an opening one does ("only Oslo customers"), not a new list of those things
            return True
        if any(context.filter_on(dim) for _, _, dim in self._not_just()):
            return True  # "all Makita products, not just tools": the previous question, a condition of it dropped
        # "how many units is that?", "which of those ...": a pointer back to the previous answer
        words = [s.text for s in self.spans]
        # ("instead" anywhere: "show that as a share of delivered shipments instead")
        # ("then" closing a clause: "avg delivery time per carrier then? in days", asked on from the previous one)
        # ("order counts instead please": the courtesy words closing it (layer action_verbs.courtesy) are not the
        # last word said of the data)
        courtesy = set(self.layer.grammar.get("action_verbs", {}).get("courtesy", []))
        said_words = words[:max((k + 1 for k, w in enumerate(words) if w not in courtesy), default=0)]
        pointer = (said_words[-1:] and said_words[-1] in ("that", "those", "them", "these", "it", "instead")) or bool(
            re.search(r"\b(?<!ok )(?<!okay )(?<!so )(?<!and )(?<!right )then\s*(?:\?|$)", self.question.lower())) or any(
            " ".join(words[k:k + 2]) in ("of those", "of them", "of these", "is that", "was that", "are they",
                                         "that one", "each one", "of that", "which one", "instead of")
            for k in range(len(words) - 1))
        # "those" standing alone ("which products are those there?"), not heading a clause ("those who ..."): a
        # demonstrative of the layer's followup_pointers
        demonstratives = set(pointers.get("demonstrative_pronouns", []))
        alone = any(w in demonstratives and words[k + 1:k + 2] not in (["who"], ["which"], ["that"], ["with"],
                                                                          ["whose"], ["where"], ["of"])
                    and not (k + 1 < len(self.spans) and self.spans[k + 1].first("entity"))
                    for k, w in enumerate(words))
        # "how much are those orders worth in total?" after orders listed: "those" with the previous rows' own noun
        same_noun = context.subject is not None and any(
            w in demonstratives and k + 1 < len(self.spans) and self.spans[k + 1].has("entity", context.subject)
            and words[k + 2:k + 3] not in (["who"], ["which"], ["that"], ["with"], ["whose"], ["where"], ["of"])
            for k, w in enumerate(words))
        # "how many units of each did we sell last month?", "units sold last month for each?": "each" with no noun of
        # its own stands for the previous answer's rows
        closing_each = set(self.layer.grammar.get("each_of_previous", {}).get("words", []))
        # ("how many shipments did each carry?" after a figure per carrier: "each" the subject of an auxiliary)
        each_alone = any((s.text == "each" and k > 0 and words[k - 1] in ("of", "did", "does", "do", "has", "have")
                          or s.text in closing_each)
                         and ((nxt := self.next_content(k)) is None or not (nxt[1].first("dimension")
                                                                              or nxt[1].first("entity")))
                         for k, s in enumerate(self.spans))
        # (a pronoun or the possessive "its": "its revenue in 2024"; not the demonstratives "those", "these", read as
        # the previous rows only once a question goes on: followups.pointing_back)
        pronouns = {*pointers.get("pronouns", []), *pointers.get("possessive_pronouns", [])}
        if pointer or alone or same_noun or each_alone or any(s.text in pronouns for s in self.spans):
            return True  # "who placed it?", "late ones only": about the previous answer
        if context.kind == "list" and context.limit != 1 and not context.lookup and any(
                words[k:k + 3] in (["the", "one", "that"], ["the", "one", "which"]) for k in range(len(words) - 2)) \
                and not any(s.first("entity") and s.arg("entity") != context.subject for s in self.spans):
            # "what brand is the one that sold the most?" after products listed with their units sold: "the one
            # that ..." picks one of the rows just listed, as "which one sold the most?" does (was: a new ranking
            # of every brand over all time, a silent wrong)
            return True
        if stands_for_rows(context) and the_related(self) not in (None, context.subject or "orders"):
            return True  # "who are the customers?" after (a count of) orders: the definite ones of those rows
        if elliptic_count(self):
            return True  # "how many came from business customers?": the previous answer's things counted
        if not any(s.first("entity") for s in self.spans) and any(
                words[k:k + 2] == ["how many", "of"] and k + 2 < len(self.spans) and self.values_of(self.spans[k + 2])
                and all(any(x.field == d and x.op in ("=", "in") and v in x.values for x in context.filters)
                        for d, v in self.values_of(self.spans[k + 2])) for k in range(len(words))):
            # "how many of DHL's were late?" after DHL's shipments in October: "of" the value the previous question
            # kept, no thing named, is of its rows (was: a new count of DHL's late orders, the period dropped)
            return True
        strong = [s for s in self.spans if any(x[0] in ("measure", "entity", "ranking", "predicate") for x in s.senses)]
        if context.period and not self.periods and any(
                a.text == "that" and (b.text in ("time", "period", "timeframe") or b.first("grain") is not None)
                for a, b in zip(self.spans, self.spans[1:], strict=False)):
            return True  # "how many orders did we get in that time?": the previous question's period
        if any(a.text in ("that", "this") and context.subject and b.has("entity", context.subject)
               for a, b in zip(self.spans, self.spans[1:], strict=False)) and context.kind == "list":
            return True  # "which products were in that order?" after the biggest order: that one, not any
        if any(a.text in ("that", "this", "those", "these") and b.first("measure") is not None
               and b.arg("measure") in (*context.measures, *context.show)
               for a, b in zip(self.spans, self.spans[1:], strict=False)):
            return True  # "what is that stock worth at cost?" after products listed with their stock: that figure
        if context.kind == "aggregate" and context.limit == 1 and len(context.dimensions) == 1 and any(
                a.text in ("that", "this") and b.has("dimension", context.dimensions[0]) and not b.text.endswith("s")
                for a, b in zip(self.spans, self.spans[1:], strict=False)):
            return True  # "that brand's best products" after the top brand: the one brand answered
        content = [s for s in self.spans if s.senses and not all(x[0] in ("stop", "grammar") for x in s.senses)]
        # "break it down by", "break that down by": a phrase of grouping leads as "by" does, after the words of
        # the verb that carry nothing for the data ("break", "that", "down")
        lead = next((s for s in self.spans if s.senses and not all(x[0] == "stop" for x in s.senses)), None)
        if first is not None and (first.text in ("by", "per") or lead is not None and lead.has("grammar", "group_by")) \
                and context.kind == "aggregate" and content and all(
                s.first("dimension") is not None and not self.values_of(s) for s in content):
            # "per product" after a figure: the same figure regrouped (a thing named as its group); "split it down
            # by store" after revenue too (was: "break it down by product" read as a new count of products)
            return True
        if context.kind == "aggregate" and context.dimensions and not (self.ids or self.periods) and content \
                and any(s.first("dimension") is not None and not self.values_of(s) for s in content) \
                and any(self.values_of(s) for s in content) and all(
                s.first("dimension") is not None and not self.values_of(s)
                or self.values_of(s) and all(d in context.dimensions for d, _ in self.values_of(s)) for s in content) \
                and any(x.text in ("by", "per") for x in self.spans):
            # "break Paint down by product", "Paint by product" after revenue per category: one of the groups
            # just shown split by another field, in the previous figure and period (was: a count of the Paint
            # products, the grouping dropped, a silent wrong)
            return True
        if first is not None and first.text == "who" and not self.ids and not any(
                x[0] in ("entity", "dimension", "value") for s in self.spans for x in s.senses) and (
                context.subject == "customers" and not context.dimensions or context.dimensions == ["customer"]):
            return True  # "who spent the most?" after customers: no one named, so among those
        if context.kind == "aggregate" and not self.ids and not self.periods and len(self.content()) <= 3 and not any(
                x[0] in ("entity", "dimension", "value", "predicate", "ranking", "attribute") for s in self.spans
                for x in s.senses if not (x[0] == "attribute" and s.senses[0][0] == "measure")) \
                and any(s.first("measure") for s in self.spans):
            # "how many units?", "revenue?": a figure alone, of the previous figure's things (after a list it
            # would be a column beside each row, which a new question "total revenue" does not ask); a span read
            # first as a figure is one, though it also names a column ("and how much is on hand?")
            return True
        if self._condition_alone(strong):
            return True
        if self._figure_of_the_same_value(context):
            return True
        if first is not None and first.text == "which" and context.kind == "aggregate" \
                and (len(context.dimensions) == 1 and not context.grain or not context.dimensions and context.grain) \
                and not context.limit and not (self.ids or self.periods) and content \
                and (content[0].has("dimension", context.dimensions[0]) if context.dimensions
                     else content[0].has("grain", context.grain) and not content[0].text.endswith("s")) \
                and not self.values_of(content[0]) \
                and any(s.first("ranking") or s.first("superlative") for s in content[1:]) \
                and all(s.first("ranking") or s.first("superlative")
                        or s.first("measure") and s.arg("measure") in context.measures for s in content[1:]):
            # "which category sold the most?", "which category had the highest sales?" after sales by category
            # last month: the top one of the groups just shown, in their period and conditions (was: a new
            # question over all time); "which month was the best?" after revenue per month: the top month
            return True
        return not strong and not self.ids

    def _attribute(self, s: Span) -> str:
        """Of a word that names columns of several tables ("name"), the column of the subject's table."""
        names = [x[1] for x in s.senses if x[0] == "attribute"]
        table = self.layer.entities[self.form.subject]["table"] if self.form.subject else None
        own = next((n for n in names if n.split(".")[0] == table), None)
        bare = names[0].split(".")[1]
        if own is None and table and s.text in (bare, f"{bare}s") and bare in self.layer.tables[table]["columns"]:
            # "products low on stock? just the names": the bare column word is the subject's own column (was:
            # the customers' names, every product joined to every buyer)
            return f"{table}.{bare}"
        return own or names[0]

    def _said_of_parcel_state(self, i: int, event: str) -> bool:
        """"orders shipped late", "share of orders shipped late this year": the event word right before a condition
        of the event's own things (a late parcel) says how the parcel went, never the order's status (was: status
        shipped, orders still in transit, of which none is late: 0 rows, or a share over the wrong orders)."""
        nxt = self.next_content(i)
        if nxt is None or nxt[0] != i + 1 or not any(
                x[0] == "predicate" and self.layer.predicates.get(str(x[1]), {}).get("entity") == event.split(".")[0]
                for x in nxt[1].senses):
            return False
        after = self.next_content(nxt[0])
        own_period = any(f"{e['table']}.{e.get('period')}" == event for e in self.layer.entities.values())
        if own_period and after is not None and after[1].text.startswith("__period") and \
                "period_field:said" not in self.form.notes:
            self.form.period_field = event  # "orders shipped late in September": when they were shipped
        return True

    def _things_per_group(self, f: QueryForm) -> bool:
        """"late deliveries per customer, top 5": the subject's noun said right before "per" and the grouping, so
        the figure ranked is how many of those things each group has (was: ranked by revenue, a silent wrong)."""
        for k, s in enumerate(self.spans[:-2]):
            if s.has("entity", f.subject or "") and self.spans[k + 1].text == "per" and \
                    self.spans[k + 2].has("dimension", f.dimensions[0]):
                return True
        return False

    def _shown_beside_ranked(self, s: Span, subject: dict[str, Any]) -> str | None:
        """The column a word after a ranking shows beside the ranked one (never ranks by): a text of its own table
        ("... on the road the longest? tracking number"), or an id it carries of another table ("... order id":
        the shipment's order_id), or None."""
        if not s.first("attribute"):
            return None
        attr = str(s.arg("attribute"))
        table, column = attr.split(".")
        own = self.layer.tables[subject["table"]]["columns"]
        if table != subject["table"] and column.endswith("_id") and column in own:
            return f"{subject['table']}.{column}"
        if table == subject["table"] and self.layer.column(attr)["type"] not in ("INT", "DOUBLE", "DATE", "TIMESTAMP"):
            return attr
        return None

    def _number_before_entity(self) -> int | None:
        for i, s in enumerate(self.spans[:-1]):
            if not s.used and s.first("number") and self.spans[i + 1].first("entity"):
                s.used = True
                return int(s.arg("number"))
        return None

    def _of_own_entity(self, i: int, table: str) -> bool:
        """"value of cancelled orders": past the conditions, "of" leads to the column's own things."""
        nxt = self.next_content(i)
        last = None
        while nxt is not None and (self.values_of(nxt[1]) or nxt[1].first("predicate") or (
                # "the value of web-channel orders", "of Vantaa warehouse stock": the kind of the value said right
                # after it is part of naming that value, not a column (was: the orders listed, not their sum)
                last is not None and any(nxt[1].has("dimension", d) for d, _ in self.values_of(last)))) \
                and not nxt[1].first("entity"):
            last, nxt = nxt[1], self.next_content(nxt[0])
        ent = nxt[1].first("entity") if nxt is not None else None
        if ent is None and (nxt is None or nxt[1].text.startswith("__period")) and last is not None \
                and last.text.endswith("s") and any(
                str(self.layer.dimensions.get(d, {}).get("column", "")).startswith(f"{table}.")
                for d, _ in self.values_of(last)):
            return True  # "the value of those returns": a value said as a noun of the column's own things (orders)
        return ent is not None and self.layer.entities[ent[1]]["table"] == table

    def _rest(self) -> None:
        """Values, predicates, measures, entities, attributes, units, activity words left."""
        f = self.form
        for i, s in enumerate(self.spans):
            if s.used:
                continue
            durations = {m for m, spec in self.layer.measures.items() if spec.get("units")}
            if s.first("unit") and (any(x.first("measure") and x.arg("measure") in durations for x in self.spans)
                                    or durations & {f.order_by, *(m.split(":")[-1] for m in f.measures)}):
                f.unit = s.arg("unit")
                s.used = True
                continue
            nxt_span = self.spans[i + 1] if i + 1 < len(self.spans) else None
            if s.text in self.layer.grammar.get("present_words", []) and nxt_span is not None and nxt_span.first("measure"):
                s.used = True  # "current stock levels": the stock now, not a condition on the products
                continue
            if s.first("product_kind"):
                # "cordless drills": every product whose name holds the kind, whatever its brand
                f.filters.append(Filter("product", "contains", [s.arg("product_kind")]))
                s.used = True
                continue
            values = self.values_of(s)
            if values and self._event_of_another_entity(i, values):
                s.used = True
                continue
            if values and not s.first("measure") and not s.first("predicate"):
                dim, value = values[0]
                if len(values) > 1:
                    # a word that is two values ("Kuopio" a city and a warehouse): the one the question's subject has
                    dims = [d for d, _ in values]
                    dim, value = values[self._pick_dim(dims)]
                self._type_noun(i, dim)
                # "paid but not shipped": the positive filter beside the negated one, never merged into it
                existing = next((x for x in f.filters if x.field == dim and x.op in ("=", "in")), None)
                earlier = next((k for k in range(i - 1, -1, -1) if any(d == dim for d, _ in self.values_of(self.spans[k]))),
                               None)
                if existing is not None and earlier is not None and any(
                        x.text in ("also", "as well", "too") or x.text.startswith("also ") and x.has("grammar", "bought_together")
                        for x in self.spans[earlier + 1:i]):
                    # "orders with the Makita Copper Pipe that also contain the Gustavsberg Cable Reel": both, not
                    # either; said of a share, the ones with the first are the whole (advice.py)
                    if any(x.has("grammar", "share") for x in self.spans):
                        self._share_of_orders_with_both(f, existing, dim, value)
                        s.used = True
                        continue
                    existing.op = "all of"
                if existing is not None:
                    if value not in existing.values:
                        existing.values.append(value)
                        existing.op = "all of" if existing.op == "all of" else "in"
                else:
                    f.filters.append(Filter(dim, "=", [value]))
                s.used = True
                continue
            if s.first("predicate"):
                name = s.arg("predicate")
                if name not in f.predicates:
                    f.predicates.append(name)
                    f.show += [m for m in predicate_spec(self.layer, name).get("show", []) if m not in f.show]
                s.used = True
                continue
            if s.first("measure"):
                name = s.arg("measure")
                if name not in f.measures:
                    f.measures.append(name)
                self._unit_in_words(s)
                s.used = True
                continue
            if s.first("entity"):
                name = s.arg("entity")
                if f.subject is None:
                    f.subject = name
                    s.used = True
                elif f.subject == name:
                    s.used = True
                elif name == "order_lines" and any(
                        sp.first("measure") and not self.layer.measures[sp.arg("measure")].get("sql")
                        and "order_items." in self.layer.measures[sp.arg("measure")].get("line_sql", "")
                        for sp in self.spans):
                    # "the average discount on their (sales) lines": the lines the measure is computed over
                    s.used = True
                elif (own := self._thing_dimension(name)) and own not in f.dimensions and self._is_which(i):
                    # "which customer has the most orders": the entity the ranking is over
                    f.dimensions.append(own)
                    s.used = True
                elif name in ("orders", "shipments") and f.subject == "customers" and s.text.endswith("s") and \
                        (self._is_which(i) and not self._relative_which(i) or self._whole_of_share(i)
                         or [t.text for t in self.spans[max(0, i - 3):i]]
                         in (["which", "of", "their"], ["what", "of", "their"])) and not f.dimensions:
                    # "Stockholm customers with a parcel in transit - which orders?": the things asked for are
                    # listed; the customers named first only restrict them ("Bergen customers: which of their
                    # orders were cancelled?" too)
                    f.subject = name
                    s.used = True
                elif name == "orders" and f.subject == "shipments" and s.text == "orders" and self._is_which(i) \
                        and self.next_content(i) is None and not f.dimensions and not f.measures:
                    # "Bring shipments that have not been delivered yet - which orders?": the orders those shipments
                    # are of are listed, the shipments named first only restrict them (was: refused on 'orders');
                    # a period said is still of the shipments
                    f.subject = name
                    s.used = True
                    f.notes.append("of_things_named:shipments")
                elif name == "orders" and f.subject in ("customers", "products") and not self._field_shown(i):
                    s.used = True  # "customers with orders"/"products ordered": the activity
                    f.notes.append("activity:orders")
                elif (f.derived or {}).get("kind") == "average_per" and (f.derived or {}).get("entity") == name \
                        and i > 0 and self.spans[i - 1].text in ("all", "every"):
                    # "lines per order in 2026 (all orders, any status)": every one of the things averaged over,
                    # as they are (was: 'orders' left unplaced)
                    s.used = self.spans[i - 1].used = True
                continue
            if s.first("activity"):
                f.notes.append(f"activity:{s.arg('activity')}")
                s.used = True
                continue
            if s.first("dimension"):
                dim = s.arg("dimension")
                nxt_value = self.spans[i + 1] if i + 1 < len(self.spans) else None
                if nxt_value is not None and not nxt_value.used and dim in {d for d, _ in self.values_of(nxt_value)}:
                    s.used = True  # "orders in status shipped": the dimension names the value after it, no grouping
                    continue
                if dim not in f.dimensions:
                    f.dimensions.append(dim)
                s.used = True
                continue
            subject = self.layer.entities.get(f.subject or "")
            key = f"{subject['table']}.{subject['key']}" if subject else None
            if f.order_by is not None and key and any(x[0] == "attribute" and x[1] == key for x in s.senses):
                # "biggest order in 2025: id and amount": the key of what is ranked is shown, not ranked by
                if key not in f.show:
                    f.show.append(key)
                s.used = True
                continue
            ranked_labels = {f"{e['table']}.{e['label']}" for n, e in self.layer.entities.items()
                             if e.get("label") and (n == f.subject or n in f.dimensions)}
            if f.order_by is not None and s.first("attribute") and str(s.arg("attribute")) in ranked_labels:
                s.used = True  # "top 10 customers by revenue - names and revenue": each ranked one is named anyway
                continue
            shown = self._shown_beside_ranked(s, subject) if f.order_by is not None and subject and any(
                x.first("superlative") or x.first("superlative_attribute") or x.first("ranking")
                for x in self.spans[:i]) else None
            if shown is not None:
                # "the shipment on the road the longest? tracking number": a text of what is ranked is shown beside
                # it, never ranked by
                if shown not in f.show:
                    f.show.append(shown)
                s.used = True
                continue
            subject_date = f.order_by == "@date" and subject is not None and bool(s.first("attribute")) and \
                s.arg("attribute") == f"{subject['table']}.{subject.get('period')}"
            # "the three oldest open orders and their order dates": the date ranked by (the subject's own), shown
            if s.first("attribute") and (f.order_by is None or f.order_by == s.arg("attribute") or subject_date):
                attr = self._attribute(s)
                column = self.layer.column(attr)
                before = self.prev_content(i)
                after = self.next_content(i)
                # "cancelled orders value last month": the amount said right after its own things (plural), as
                # "the value of cancelled orders"
                owned_before = before is not None and before[0] == i - 1 and before[1].first("entity") is not None and \
                    self.layer.entities[str(before[1].arg("entity"))]["table"] == attr.split(".")[0] and \
                    before[1].text == self.layer.entities[str(before[1].arg("entity"))]["plural"] and \
                    (after is None or after[1].text.startswith("__period")) and not f.measures and not f.dimensions \
                    and not re.search(rf"\b{re.escape(before[1].text)}\s*[,;:—–-]", self.question, re.IGNORECASE)
                # ("paid orders, total amount": a column named after a comma is shown beside each)
                if f.order_by is None and column.get("unit") and column["type"] in ("INT", "DOUBLE") and \
                        not f.lookup and (owned_before or i + 1 < len(self.spans) and self.spans[i + 1].text == "of"
                                          and self._of_own_entity(i + 1, attr.split(".")[0])):
                    # "the value of cancelled orders": an amount of a set of things is their sum
                    if f"sum:{attr}" not in f.measures:
                        f.measures.append(f"sum:{attr}")
                elif f.order_by is None:
                    f.show.append(attr)
                s.used = True  # "costs us the most to buy in": a second name of the same attribute
                continue
            if s.text in self.layer.grammar["aggregates"]:
                # "average reorder level", "total value of ...": an aggregate of an attribute
                nxt = self.next_content(i)
                plain_sum = nxt is not None and nxt[1].first("measure") and nxt[1].first("attribute") and \
                    f"SUM({nxt[1].arg('attribute')})" in (self.layer.measures[nxt[1].arg("measure")].get("sql"),
                                                          self.layer.measures[nxt[1].arg("measure")].get("line_sql"))
                if nxt and nxt[1].first("attribute") and not nxt[1].used and (not nxt[1].first("measure") or plain_sum):
                    # a measure that is the plain sum of a column: "average reorder level" averages the column
                    attr = nxt[1].arg("attribute")
                    fn = self.layer.grammar["aggregates"][s.text]
                    named = next((m for m, spec in self.layer.measures.items()  # a glossary measure keeps its filter
                                  if spec.get("sql") == f"{fn.upper()}({attr})" and not spec.get("filter")), None)
                    if self.layer.column(attr)["type"] in ("INT", "DOUBLE") or fn in ("min", "max"):
                        f.measures.append(named or f"{fn}:{attr}")
                        s.used = nxt[1].used = True
                        per = self.next_content(nxt[0])
                        row = self.next_content(per[0]) if per is not None and per[1].text in ("per", "across") else None
                        if per is not None and row is not None and row[1].first("entity") and \
                                self.layer.entities[row[1].arg("entity")]["table"] == attr.split(".")[0]:
                            per[1].used = row[1].used = True  # "average quantity per order line": one row each
                elif nxt and nxt[1].first("measure") and not s.has("grammar", "average"):
                    s.used = s.used or s.has("stop")  # "total revenue": the sum is the measure itself
                continue
            if s.has("grammar", "bought_together") or s.has("grammar", "recommend"):
                f.notes.append("together" if s.has("grammar", "bought_together") else "recommend")
                s.used = True
                for x in self.spans[max(0, i - 4):i]:
                    if x.text == "else" and not x.senses:  # "what else do they buy with it": the other products
                        x.used = True
                continue

    def _event_of_another_entity(self, i: int, values: list[tuple[str, str]]) -> bool:
        """"shipped with DHL", "delivered last month" (of shipments), "shipped order 1500": a status
        word that describes an event of the shipment (or a verb), not the order's status."""
        if values[0][0] != "status":
            return False
        following = self.spans[i + 1] if i + 1 < len(self.spans) else None
        preceding = self.spans[i - 1] if i > 0 else None
        if any(x is not None and x.text.startswith("__id") for x in (following, preceding)):
            return True  # "which carrier shipped order 1500", "when was order 3 shipped"
        k = i - 1
        while k > 0 and self.spans[k].text in ("was", "were", "is", "been", "get", "got", "actually", "finally"):
            k -= 1
        if k < i - 1 and self.spans[k].text.startswith("__id") and self.ids[int(self.spans[k].text[4:-2])][0] == "order":
            return True  # "when order #777 was delivered": that order's shipment event
        if following is not None and following.first("comparator") and values[0][1] in self.layer.grammar["events"]:
            return True  # "delivered within 2 days": the time it took, not the order's status
        if i > 1 and self.spans[i - 2].text == "to" and self.spans[i - 1].text in ("be", "get") and \
                values[0][1] in self.layer.grammar["events"] and any(
                self.layer.measures.get(x.arg("measure") or "", {}).get("row_sql") for x in self.spans if x.first("measure")):
            return True  # "took more than 4 days to be delivered": the duration's own event, not the order's status
        event = self.layer.grammar["events"].get(values[0][1])
        if event and self._said_of_parcel_state(i, event):
            return True
        about_shipments = any(x.has("entity", "shipments") or x.has("measure", "delivery_time")
                              or x.has("dimension", "carrier") or x.has("predicate", "late") for x in self.spans)
        after = self.next_content(i)
        while after is not None and after[1].text in ("by", "via", "through") and (
                nxt := self.next_content(after[0])) is not None and any(
                dim == "carrier" for dim, _ in self.values_of(nxt[1])):
            after = nxt  # "orders shipped by DHL last month": the carrier's, as "with DHL"
        while after is not None and any(dim == "carrier" for dim, _ in self.values_of(after[1])):
            # "orders shipped with DHL last month": the carrier said between the event and its period
            about_shipments = True
            after = self.next_content(after[0])
        # "orders shipped in September": a period right after the event that is its entity's own period
        # column (shipping periods are on shipped_at) is when it happened, not an order status plus the order
        # date; "orders delivered in August" stays the status and order date (delivered_at is no period column)
        own_period = bool(event) and any(f"{e['table']}.{e.get('period')}" == event for e in self.layer.entities.values())
        right_after = own_period and i + 1 < len(self.spans) and self.spans[i + 1].text.startswith("__period")
        if event and (about_shipments or right_after) and after is not None and after[1].text.startswith("__period"):
            if "period_field:said" not in self.form.notes:
                self.form.period_field = event
            return True
        if event and self._beside_shipment_noun(i):
            # "parcels shipped per carrier", "delivered parcels", "which carrier shipped the most": the parcel's
            # own event; a delivered parcel is one with a delivery date (the predicate stating that status)
            done = next((n for n, spec in self.layer.predicates.items() if spec.get("status_value") == values[0][1]
                         and spec.get("entity") == "shipments"), None)
            if done and done not in self.form.predicates:
                self.form.predicates.append(done)
            # "which carrier shipped the most orders this year": a carrier's act, so the period is when it
            # happened, unless a verb of ordering ("orders placed this year") claims the period first
            later = next((k for k in range(i + 1, len(self.spans)) if self.spans[k].text.startswith("__period")), None)
            if own_period and preceding is not None and self._is_carrier(preceding) and later is not None and \
                    not any(x.first("activity") for x in self.spans[i + 1:later]):
                self.form.period_field = event
            return True
        if i + 1 >= len(self.spans) or self.spans[i + 1].text not in ("with", "by", "via", "using", "through"):
            return False
        # "shipped by DHL": the word after the preposition ("by" is also a grouping word, not skipped as a stop)
        nxt = self.next_content(i + 1)
        if nxt is None:
            return False
        other = [d for d, _ in self.values_of(nxt[1])]
        if not other and nxt[1].first("dimension") and self._is_carrier(nxt[1]):
            other = [str(nxt[1].arg("dimension"))]  # "orders shipped by carrier": the carrier's act, per carrier
        return bool(other) and self.layer.dimensions[other[0]]["column"].split(".")[0] not in ("orders",)

    def _sales_orders_restated(self, f: QueryForm) -> None:
        """"discount given on order lines in 2025 (sales orders only)": every figure asked already counts only the
        orders that are sales (layer grammar sales_orders_restated), so the words restate it (was: 'sales orders'
        left unplaced when the rows asked about are not the orders)."""
        spec = self.layer.grammar.get("sales_orders_restated", {})
        if not f.measures or any(self.layer.measures.get(m, {}).get("filter") != spec.get("filter") for m in f.measures):
            return
        for s in self.spans:
            if not s.used and s.text in spec.get("words", []):
                s.used = True

    def _own_dimension(self, entity: str) -> str | None:
        """The dimension that names the entity's things themselves ("customer" of customers)."""
        return next((d for d, spec in self.layer.dimensions.items() if spec.get("entity") == entity), None)

    def _thing_dimension(self, entity: object) -> str | None:
        """The own dimension of an entity the layer sums figures for (its `zero_when_none` things: customers,
        products), else None: an order ranked or counted is a row of a list, not a group."""
        spec = self.layer.entities.get(str(entity)) if entity else None
        return self._own_dimension(str(entity)) if spec and spec.get("zero_when_none") else None

    def _pick_dim(self, dims: list[str]) -> int:
        preferred = {"products": ("warehouse", "category", "brand"), "customers": ("city", "country", "segment")}
        for k, d in enumerate(dims):
            if d in preferred.get(self.form.subject or "", ()):
                return k
        return 0

    def _intents_and_currency(self, f: QueryForm) -> None:
        """Words that say why a ranking is asked for ("candidates to drop", "to promote") are placed when
        the form ranks in their direction; a currency word when the form computes or compares money."""
        # "how many euros of discount did we give": with no growth asked, the words only ask for money (was: the
        # growth's "how many euros" left unplaced, the question refused)
        growth = (f.derived or {}).get("kind") in ("growth", "periods")
        asked = [s for s in self.spans if not s.used and not growth and s.has("grammar", "growth_absolute")
                 and s.text.startswith("how many ")]
        currency = [s for s in self.spans if not s.used and s.first("currency")] + asked
        for m in [m for m in {*f.measures, f.order_by} if m in self.in_percent]:
            variant = self.layer.measures[m]["in_pct"]  # "the highest margin in percent": the 0-100 figure
            f.measures = list(dict.fromkeys(variant if x == m else x for x in f.measures))
            f.show = [variant if x == m else x for x in f.show]
            if f.order_by == m:
                f.order_by = variant
        for k, m in enumerate(list(f.measures)):
            variant = self.layer.measures.get(m, {}).get("in_eur")
            # "discount in EUR", "how much discount did we give away": the money variant of a percent measure
            if variant and (currency or variant in f.measures):
                f.measures = [x for x in f.measures if x != variant]
                f.measures.insert(min(k, len(f.measures)), variant)
                f.measures = [x for x in f.measures if x != m]
                if f.order_by == m:
                    f.order_by = variant
                # "a margin below 2 euros": the bound is in the money variant too (never a fraction under 2)
                f.filters = [replace(x, field=variant) if x.field == m else x for x in f.filters]
        money = {m for m, spec in self.layer.measures.items() if spec.get("unit") == "EUR"}
        fields = [*f.measures, f.order_by or "", *(x.field for x in f.filters)]
        attrs = [x.split(":")[-1] for x in fields if "." in x]
        in_eur = any(x in money for x in fields) or any(
            self.layer.tables.get(a.split(".")[0], {}).get("columns", {}).get(a.split(".")[1], {}).get("unit") == "EUR"
            for a in attrs)
        choice = self.layer.grammar.get("choice_intents", {})
        for s in self.spans:
            if s.used or not s.first("intent") or s.text not in choice.get("phrases", []) or f.order_by:
                continue
            # "which carrier should we use for Norway?": a choice with no measure named is the dimension's default
            # ranking (the answer says which); else a count per value would pass for a recommendation
            default = choice.get("defaults", {}).get(f.dimensions[0]) if len(f.dimensions) == 1 else None
            if default is None or f.kind != "aggregate" or f.limit or f.compare or f.derived or \
                    set(f.measures) - {"count", default["measure"], self.layer.grammar["ranking_default"].get(f.dimensions[0])}:
                raise NotUnderstood("the question asks which one to choose, but names no measure to choose by",
                                    hint="say what to compare, e.g. 'which carrier has the fastest average delivery'")
            f.measures, f.order_by, f.direction, f.limit = [default["measure"]], default["measure"], \
                default["direction"], 1
            f.notes.append(f"purpose:{default['purpose']}")
            s.used = True
        # "which carrier should we drop? the one with the highest late share": ranked by the share of an undesirable
        # condition, the highest is the worst, so an intent to drop (the lowest) is met by the highest first
        worse_high = f.order_by is not None and self._worse_high(f)
        wanted = {"asc": "desc", "desc": "asc"}.get(f.direction) if worse_high else f.direction
        for s in self.spans:
            if s.used:
                continue
            intent = s.first("intent")
            if intent and (f.order_by or f.kind in ("recommend_customer", "bought_together")) and \
                    intent[1] in (None, wanted):
                s.used = True
            elif intent and intent[1] is None:
                s.used = True  # "win-back list": names the list's purpose, implies no ranking
            if (s.first("currency") or s in asked) and in_eur:
                s.used = True

    def _tied_tables(self, table: str) -> set[str]:
        """The tables whose row is one per row of ``table`` (or are its own lines): the first step along any
        join, then only towards the "one" side (an order's lines' product, not that product's stock rows)."""
        def ones(t: str) -> set[str]:
            out = set()
            for j in self.layer.joins:
                left, right = j["left"].split(".")[0], j["right"].split(".")[0]
                if left == t:
                    out.add(right)
                if right == t and j.get("cardinality") == "one_to_one":
                    out.add(left)
            return out
        first = {j["left"].split(".")[0] for j in self.layer.joins if j["right"].split(".")[0] == table} | ones(table)
        tied, todo = {table} | first, list(first)
        while todo:
            for t in ones(todo.pop()) - tied:
                tied.add(t)
                todo.append(t)
        return tied

    def _by_value_then_singular_entity(self, i: int) -> bool:
        """"by Makita product": after "by", values then the singular noun of a thing."""
        k = i + 1
        while k < len(self.spans) and self.values_of(self.spans[k]) and not self.spans[k].first("entity"):
            k += 1
        return k > i + 1 and k < len(self.spans) and bool(self.spans[k].first("entity")) and \
            not self.spans[k].text.endswith("s")

    def _field_of_each(self, f: QueryForm) -> None:
        """"which carrier has each of Emma's open orders?", "her orders and the carrier of each": "each" with no noun
        of its own (or "each of them") is each of the things named, so the group's field of a table joined one to
        one is shown beside each one listed (was: refused, the things counted per carrier)."""
        table = self.layer.entities.get(f.subject or "", {}).get("table")
        if table is None or len(f.dimensions) != 1 or f.measures or f.grain or f.order_by or f.limit or f.derived:
            return
        column = str(self.layer.dimensions.get(f.dimensions[0], {}).get("column", ""))
        if column.split(".")[0] not in self._one_to_one(table) - {table}:
            return
        texts = [x.text for x in self.spans]

        def thing_after(k: int) -> bool:  # "each of Emma's open orders": past the values, the things named
            j = k + 2
            while j < len(self.spans) and self.values_of(self.spans[j]):
                j += 1
            return j < len(self.spans) and self.spans[j].has("entity", str(f.subject))
        each = [k for k, x in enumerate(self.spans) if x.text == "each" and not x.used and (
            texts[k + 1:k + 3] in (["of", "them"], ["of", "those"], ["of", "these"])
            or texts[k + 1:k + 2] == ["of"] and thing_after(k)
            or self.next_content(k) is None and k > 0 and texts[k - 1] == "of")]
        if len(each) != 1:
            return
        f.kind, f.dimensions = "list", []
        f.show.append(column)
        self.spans[each[0]].used = True
        for x in self.spans[each[0] + 1:each[0] + 3]:
            if x.text in ("of", "them", "those", "these"):
                x.used = True

    def _one_to_one(self, table: str) -> set[str]:
        """The table and those joined to it one to one (an order and its shipment)."""
        return {table} | {j[side].split(".")[0] for j in self.layer.joins if j.get("cardinality") == "one_to_one"
                          for side in ("left", "right") if table in (j["left"].split(".")[0], j["right"].split(".")[0])}

    def _same_rows(self, entity: str | None, other: str | None) -> bool:
        """Whether a row of ``entity`` is one row of ``other``: the same entity, or tables joined one to one."""
        if entity is None or other is None:
            return False
        table, other_table = (self.layer.entities.get(e, {}).get("table") for e in (entity, other))
        return entity == other or table is not None and other_table in self._one_to_one(table)

    def _field_shown(self, i: int) -> bool:
        """"customers with open orders - give customer and order": a thing named in the list of fields after a show
        verb is a column shown beside each row (left to ``_shown_beside``), not the activity of ordering."""
        j = i - 1
        while j >= 0 and (self.spans[j].text in ("and", ",", "the", "their", "its") or self.spans[j].first("entity")
                          or self.spans[j].first("dimension") or self.spans[j].first("attribute")):
            j -= 1
        # ("give their names and order counts": a word qualifying the next one is not itself a field)
        after = self.spans[i + 1].text if i + 1 < len(self.spans) else None
        # (a show verb: the layer's show_verbs)
        return j >= 0 and self.spans[j].text in self.layer.grammar.get("show_verbs", {}).get("verbs", []) and \
            after in (None, ",", "and", ".", "?", "!", ";")

    def _relative_which(self, i: int) -> bool:
        """"number of customers who placed orders": the "who" before the noun opens a clause of the noun right
        before it (the customers), it does not ask which of these things (was: the orders counted, a silent wrong)."""
        return any(x.text == "who" and k > 0 and self.spans[k - 1].first("entity") is not None
                   for k, x in enumerate(self.spans[max(0, i - 2):i], start=max(0, i - 2)))

    def _things_heading(self, i: int) -> bool:
        """"business customers who spent ...", "products that sold ...": the things named first (only values and
        function words before them), a clause of theirs right after ("who"/"that": the layer's heading_clause_words):
        the question asks for them."""
        nxt = self.spans[i + 1] if i + 1 < len(self.spans) else None
        return nxt is not None and nxt.text in self.layer.grammar.get("heading_clause_words", []) and all(
            all(x[0] in ("value", "stop") for x in s.senses) for s in self.spans[:i])

    def _is_which(self, i: int) -> bool:
        if self.spans[i].first("grain") and not self.spans[i].text.endswith("s") and i > 0 and \
                self.spans[i - 1].has("superlative", "desc") and self.spans[i - 1].text not in ("more", "most"):
            return True  # "busiest day last month", "best month of 2025 by revenue": which one, the most first
        if self.spans[i].first("grain") and self.spans[i].text.endswith("s") and i > 1:
            # "the three best days for revenue", "top 3 months by orders", "the 5 busiest weeks": which ones, ranked
            a, b = self.spans[i - 2], self.spans[i - 1]
            if b.first("number") and (a.text == "top" or a.first("superlative") and a.text not in ("more", "most")) or \
                    a.first("number") and b.first("superlative") and b.text not in ("more", "most"):
                return True
        return any(x.text in ("which", "what", "who") for x in self.spans[max(0, i - 2):i])

    # ----- kinds
    def _decide_kind(self) -> None:
        f = self.form
        if f.kind == "not_bought":
            return  # decided by _values_never_bought
        if self._attribute_ranked_per_group(f):
            return
        self._field_of_each(f)
        self._fields_of_the_ranked_one(f)
        self._one_largest_of_another(f)
        if self._bought_together_or_recommended(f):
            return
        self._counts_named(f)
        if self._kind_of_lookup(f):
            return
        self._kind_of_figures_or_list(f)

    def _fields_of_the_ranked_one(self, f: QueryForm) -> None:
        """"her latest order that was shipped", "Erik's last parcel: when was it shipped": the one ranked row's own
        fields and status, shown beside it (notes ranked_one:)."""
        notes = f.notes
        for note in [n for n in notes if n.startswith("ranked_one:")]:
            table, at = note.split(":")[1], int(note.split(":")[2])
            status = f.filter_on("status")
            said = [k for k, x in enumerate(self.spans) if any(d == "status" for d, _ in self.values_of(x))]
            # "her latest order that was shipped", "... with status delivered": a clause that picks the order
            restrictive = {"that", "which", "who", "whose", "with", "where", "status"}
            of_it = [k for k in said if k > at and not restrictive & {x.text for x in self.spans[at + 1:k]}]
            if self.spans and self.spans[0].text not in AUXILIARY_OPENINGS and \
                    not re.search(r"\border\s*[,;:—–-]|\byet\b", self.question, re.IGNORECASE):
                # "oldest order still pending in the store channel?", "the oldest order pending": a status right
                # after the noun with no verb to ask it picks the order (was: asked, the status dropped)
                of_it = [k for k in of_it if not {x.text for x in self.spans[at + 1:k]} <= {"still", "currently"}]
            if table == "orders" and status is not None and status.op in ("=", "in") and of_it:
                # "has Mikko's most recent order been delivered yet?", "when was her latest order shipped": a
                # status said of the one order (after its noun) is asked, and shown with its parcel; "her last
                # delivered order" (before the noun) picks the order
                if len(of_it) == len(said):
                    f.filters.remove(status)
                f.show += [c for c in ("orders.status", "shipments.carrier", "shipments.tracking_number",
                                       "shipments.shipped_at", "shipments.delivered_at") if c not in f.show]
            # "Erik's last parcel: when was it shipped and by which carrier": the one parcel's carrier, shown;
            # so is a field of a table joined one to one ("which carrier delivered her last order")
            joined = self._one_to_one(table)
            asked = {x.arg("dimension") for k, x in enumerate(self.spans) if x.first("dimension") and self._is_which(k)}
            for dim in [d for d in f.dimensions if d in asked and
                        self.layer.dimensions[d]["column"].split(".")[0] in joined]:
                f.dimensions.remove(dim)
                f.show.append(self.layer.dimensions[dim]["column"])
            for k, x in enumerate(self.spans):
                # "Emma's most recent order: carrier and tracking number?": its fields named after it, shown
                column = str(x.arg("attribute")) if x.first("attribute") else ""
                if k <= at or column.split(".")[0] not in joined or x.first("entity") or \
                        self.spans[k - 1].text in ("by", "per", "each", "every"):
                    continue
                named = str(x.arg("dimension")) if x.first("dimension") else None
                if named in f.dimensions:
                    f.dimensions.remove(named)
                elif x.used:
                    continue
                if column not in f.show:
                    f.show.append(column)
                x.used = True
            if table == "orders" and (any(c.startswith("shipments.") for c in f.show) or "activity:shipments" in notes):
                # "when did Talo Laine Oy's last order ship, and with which carrier?": the one order's parcel
                f.show += [c for c in ("shipments.carrier", "shipments.tracking_number", "shipments.shipped_at",
                                       "shipments.delivered_at") if c not in f.show]

    def _one_largest_of_another(self, f: QueryForm) -> None:
        """"which customer placed the single largest order": the one largest thing shown with its owner; "when did
        X sign up": the date shown beside them."""
        notes = f.notes
        ranked_one = [n.split(":")[1] for n in notes if n.startswith("ranked_one:")]
        owner = next((n for n, e in self.layer.entities.items() if ranked_one and e["table"] == ranked_one[0]), None)
        asker = next((x.arg("entity") for k, x in enumerate(self.spans) if x.first("entity") and self._is_which(k)
                      and not x.text.endswith("s")), None)
        if owner and asker and asker != owner and f.subject in (None, asker) and f.order_by == "@amount" \
                and not f.measures and not f.limit and self.layer.entities[owner].get("amount"):
            # "which customer placed the single largest order": the one largest order, shown with its customer
            # (not the customers ranked by their revenue)
            other = self.layer.entities[asker]
            f.subject, f.limit = owner, 1
            f.dimensions = [d for d in f.dimensions if self.layer.dimensions[d].get("entity") != asker]
            f.show.append(f"{other['table']}.{other['label']}")
        # "when did Sofia Lund sign up"; "list our Oslo customers and when they joined": the date shown beside them
        when = [k for k, x in enumerate(self.spans) if x.text == "when" and (k == 0 or self.spans[k - 1].text == "and") and any(
            y.first("activity") and y.arg("activity") == "signup" for y in self.spans[k + 1:k + 4])]
        if when and "activity:signup" in notes and not f.measures and "customers.signup_date" not in f.show:
            f.show.append("customers.signup_date")
            f.subject = f.subject or "customers"

    def _bought_together_or_recommended(self, f: QueryForm) -> bool:
        """Baskets ("bought together with X", pairs) and recommendations; True when the kind is decided."""
        notes = f.notes
        products = f.filter_on("product")
        if ("together" in notes or "recommend" in notes) and f.limit is None:
            f.limit = self._number_before_entity()  # "give me 5 products", "suggest 3 products"
        # "what is bought together with Paint products": a category's or brand's lines as the basket's anchor
        anchor = products or next((x for x in f.filters if x.op in ("=", "in") and x.field in self.layer.dimensions
                                   and self.layer.dimensions[x.field]["column"].startswith("products.")), None)
        pairs = [s for s in self.spans if s.has("grammar", "pairs") and not s.used]
        # "which two products are most often bought in the same order?": one pair, the two named as a number
        two = [k for k, s in enumerate(self.spans[:-1]) if s.first("number") and float(s.arg("number")) == 2
               and self.spans[k + 1].has("entity", "products") and self.spans[k + 1].text.endswith("s")
               and k > 0 and self.spans[k - 1].text in ("which", "what")]
        if "together" in notes and not anchor and two and not f.filters and not f.dimensions[1:] and \
                all(s.text in ("pair", "pairs") for s in pairs):
            f.kind, f.measures, f.dimensions, f.order_by, f.limit = "bought_together", [], [], None, 1
            self.spans[two[0]].used = self.spans[two[0] + 1].used = True
            for s in pairs:
                s.used = True  # "which two products ...? give the pair": the one pair
            return True
        if "together" in notes and not anchor and pairs and not f.filters and not f.dimensions[1:]:
            # "the 5 product pairs most often bought together": every two products of one order, counted
            f.kind, f.measures, f.dimensions, f.order_by = "bought_together", [], [], None
            if any(s.text in ("pair", "combination", "pairing") for s in pairs) and f.limit is None:
                f.limit = 1  # "which product pair": one
            for s in pairs:
                s.used = True
                k = self.spans.index(s)
                if k > 0 and self.spans[k - 1].first("number") and not self.spans[k - 1].used:
                    f.limit = int(self.spans[k - 1].arg("number"))  # "the 5 product pairs"
                    self.spans[k - 1].used = True
            return True
        if "together" in notes and not anchor and f.subject == "products" and not f.dimensions and not f.measures:
            # "which products are most often bought together": of what, or pairs? (was: every product listed)
            raise NotUnderstood("products bought together with what? name a product, a category or a brand, or "
                                "ask for the pairs", field="question",
                                hint="e.g. 'which product pairs are most often bought together'")
        if "together" in notes and products is not None and products.op == "in" and len(products.values) >= 2 \
                and f.subject == "orders" and f.measures == ["count"] and f.limit is None \
                and not any(x.text == "or" for x in self.spans):
            # "in how many orders were A and B bought together": the orders holding every one of them, counted
            # (not what else is bought with either)
            products.op = "all of"
            notes.remove("together")
            return True
        if "together" in notes and products is not None and products.op in ("in", "all of") and \
                len(products.values) >= 2 and f.subject == "customers" and f.limit is None and not f.order_by and \
                any(x.text.startswith("also ") and x.has("grammar", "bought_together") for x in self.spans):
            # "customers who bought A and also bought B": the customers who bought every one of them (was: the
            # products bought with either, the customers and their count dropped)
            products.op = "all of"
            notes.remove("together")
            if not f.measures:
                f.kind = "list"
            return True
        if "together" in notes and anchor:
            f.kind = "bought_together"
            for k, s in enumerate(self.spans):
                if s.has("grammar", "together_shared"):
                    s.used = True  # "show how many orders they shared": the orders in common, shown anyway
                verb = self.next_content(k)
                plural = s.text.endswith("s") or s.text in self.layer.grammar.get("irregular_plurals", [])
                if not s.used and s.has("entity", "customers") and plural and verb is not None and (
                        verb[1].has("grammar", "bought_together") or verb[1].first("activity")):
                    # "top 3 items customers buy together with X": the buyers, who buy every basket (was: refused)
                    s.used = True
            for k, s in enumerate(self.spans):
                # "top 5 products by number of shared orders": the key the products are ranked by anyway (the
                # orders in common counted); was: refused, 'by' not placed
                key = self.spans[k + 1:k + 4]
                if s.text == "by" and not s.used and key and key[-1].has("entity", "orders") and all(
                        x.text in ("number of", "count of", "count") or x.has("grammar", "together_shared")
                        or x is key[-1] for x in key) and (len(key) > 1 or k + 2 >= len(self.spans)):
                    for x in (s, *key):
                        x.used = True
                    break
            split = [d for d in f.dimensions if not self.layer.dimensions.get(d, {}).get("column", "")
                     .startswith("products.")]
            if split:
                # "what is bought with X, per channel": the basket counts are not split by an order's or
                # customer's field; refused rather than dropped
                raise NotUnderstood(f"products bought together with another cannot be split by {split[0]}",
                                    hint="ask without the split, e.g. 'what is most often bought with the X'")
            # "which categories ...": the other lines grouped by that dimension of theirs (else by product)
            f.dimensions = [d for d in f.dimensions if self.layer.dimensions.get(d, {}).get("column", "")
                            .startswith("products.") and d != "product"][:1]
            if f.measures == ["count"] and f.subject == "products" and not f.dimensions and f.limit is None \
                    and f.order_by is None and "ranked" not in notes:
                # "how many different products were bought in the same order as X": the other products counted,
                # one figure (was: the top 10 of them)
                notes.append("together_counted")
            f.measures = []
            if f.dimensions:
                for k, s in enumerate(self.spans):
                    if s.text in ("other", "others", "else") and not s.used:
                        s.used = True  # "what other category": the anchor's own value is left out
                    nxt = self.spans[k + 1] if k + 1 < len(self.spans) else None
                    if s.first("number") and not s.used and nxt is not None and nxt.has("dimension", f.dimensions[0]):
                        f.limit = int(s.arg("number"))  # "which 2 categories"
                        s.used = True
            if f.limit is None and not f.filter_on("count:orders") and (self._singular() or self._what_sells_best()):
                f.limit = 1  # (a bound on the shared orders says which ones: every one over it)
            return True
        if "recommend" in notes:
            if f.lookup and f.lookup["entity"] == "customer" or f.filter_on("customer"):
                f.kind = "recommend_customer"
                return True
            if products:
                f.kind = "bought_together"
                return True
            f.subject = f.subject or "products"
            # "suggest the 3 with the lowest revenue": what is ranked is what is shown
            ranked_measure = f.order_by if f.order_by in self.layer.measures else None
            f.measures = f.measures or [ranked_measure or "units_sold"]
            f.order_by = f.order_by or "units_sold"
            f.limit = f.limit or (1 if self._singular() else 10)  # "suggest the best seller": one
            f.dimensions = f.dimensions or ["product"]
            notes.remove("recommend")
        return False

    def _counts_named(self, f: QueryForm) -> None:
        """"which customer has the most orders" (count_of:), pieces in stock (count:stock), units sold (count:sold):
        the figure a count names."""
        notes = f.notes
        for note in list(notes):
            if note.startswith("count_of:") and f.order_by == note.replace("count_of:", "count:"):
                # "which customer has the most orders": count orders per customer
                entity = note.split(":")[1]
                sub_dim = self._thing_dimension(f.subject or "")
                # "which carrier handled the most shipments to Norwegian customers": the group asked with
                # "which" is ranked; the customers only say whose shipments are counted
                which_group = any(x.first("dimension") and x.arg("dimension") in f.dimensions and self._is_which(k)
                            for k, x in enumerate(self.spans))
                if f.subject and f.subject != entity and sub_dim and sub_dim not in f.dimensions and not which_group:
                    f.dimensions.append(sub_dim)
                f.measures = [m for m in f.measures if m != "count"] + [f.order_by]
                f.subject = entity if f.subject is None or sub_dim else f.subject
        # ("how many copper pipes do we have in stock": the pieces counted are the stock named too, one figure)
        if "count:stock" in notes:
            f.measures = list(dict.fromkeys(m if m != "count" else "stock" for m in f.measures))
        if "count:sold" in notes and "units_sold" in self.layer.measures:
            f.measures = list(dict.fromkeys(m if m != "count" else "units_sold" for m in f.measures))

    def _kind_of_lookup(self, f: QueryForm) -> bool:
        """An id question: its details, its lines or the figure asked of it; True when the kind is decided."""
        if f.lookup and f.lookup["entity"] == "order" and f.measures == ["count"] and not f.dimensions and (
                f.subject in (None, "orders") and any(  # "how many Makita Copper Pipe were on order 1"
                    self.layer.dimensions.get(x.field, {}).get("column", "").startswith("products.") for x in f.filters)
                or f.subject == "products" and any(x.text in ("item", "items", "pieces") for x in self.spans)):
            # one order counted is one: the pieces on it (of the product named) are what is counted; "items" are
            # pieces ("how many products" counts the different products)
            f.measures = ["sum:order_items.quantity"]
            f.subject = None
        if f.lookup and f.predicates and self.spans and self.spans[0].text in (
                "is", "are", "was", "were", "does", "do", "did", "has", "have"):
            # "is product 90 still active?": answered by showing the flag, not by filtering it away
            for p in f.predicates:
                table = self.layer.entities[f.lookup["entity"] + "s"]["table"]
                own = [f"{table}.{c.name}" for c in fragment(predicate_spec(self.layer, p)["sql"]).find_all(exp.Column)
                       if c.table == table]
                # "was order 1042 delivered late?": a condition on another table's columns is shown as its
                # yes/no value (the order's own columns cannot say it)
                f.show += [c for c in own if c not in f.show] if own else [f"predicate:{p}"]
            f.predicates = []
        # an id question: its details (or its lines, with their quantities) unless a measure is asked
        text = " " + " ".join(s.text for s in self.spans) + " "
        item_words = any(f" {w} " in text for w in self.layer.grammar["item_words"])
        if f.lookup and f.lookup["entity"] == "order" and item_words:
            f.measures = [m for m in f.measures if m != "units_sold"]  # "products and qty": the lines' quantity
            texts = [x.text for x in self.spans]
            for k in range(len(texts) - 2):
                if texts[k:k + 3] == ["how many", "of", "each"] and f.measures == ["count"]:
                    # "what products are on order 1572 and how many of each?": the pieces per product (a product
                    # may stand on several lines)
                    f.measures, f.dimensions, f.subject = ["sum:order_items.quantity"], ["product"], None
                    self.spans[k + 2].used = True
        if f.lookup and not f.measures:
            entity = f.lookup["entity"] + "s"
            if f.lookup["entity"] == "order" and (f.subject == "products" or item_words):
                f.kind, f.subject = "list", "products"
                for x in self.spans:
                    if x.first("entity") and x.arg("entity") == "products":
                        x.used = True
                f.filters = [Filter("order_items.order_id", x.op, list(x.values)) if x.field == "orders.order_id" else x
                             for x in f.filters]
                f.show = ["order_items.quantity", "order_items.unit_price", "order_items.discount_percent"]
            else:
                f.kind = "list"
                # "who placed order 250", "which customer placed order 3385"
                who = any(x.text == "who" or x.has("entity", "customers") and self._is_which(k)
                          for k, x in enumerate(self.spans))
                if who and f.lookup["entity"] == "order":
                    f.subject = "customers"  # "who placed order 250"
                else:
                    f.subject = (f.subject if f.subject and f.subject != entity and f.lookup["entity"] == "customer"
                                 else entity)
                table = self.layer.entities[f.subject]["table"]
                if f.lookup["entity"] + "s" == f.subject:  # the details of one thing: all it has
                    f.show = [f"{table}.{c}" for c in self.layer.tables[table]["columns"]] + [
                        c for c in f.show if c.startswith("predicate:")]
                if f.subject == "orders" and f.lookup["entity"] == "order":
                    f.show += ["shipments.carrier", "shipments.tracking_number", "shipments.shipped_at",
                               "shipments.delivered_at"]
                    # "Order 2425: paid, shipped or still pending?", "was order 2781 cancelled or returned?":
                    # one order's status is what is asked; filtering that order by it answers nothing or echoes
                    several = any(x.field == "orders.order_id" and len(x.values) > 1 for x in f.filters)
                    status_asked = [x for x in f.filters if x.field in ("status", "orders.status") and not several]
                    texts = [x.text for x in self.spans]
                    if status_asked and ("how much" in texts or any(texts[k:k + 2] == ["how", "much"]
                                                                    for k in range(len(texts)))):
                        # "how much was refunded for order 1921?": an amount of the status the lake does not hold
                        raise NotUnderstood(f"I can show order {f.lookup['id']}'s status and amount, not how much of "
                                            f"it was {' or '.join(map(str, status_asked[0].values))}", field="question")
                    f.filters = [x for x in f.filters if x not in status_asked]
                # "which carrier shipped order 1500": the dimension asked about is shown, not grouped; one
                # that the thing has many of through another table's rows is not its own ("which warehouse was
                # order 2956 shipped from": the stock of its products sits in several)
                tied = self._tied_tables(self.layer.entities[entity]["table"])
                foreign = [d for d in f.dimensions if self.layer.dimensions[d]["column"].split(".")[0] not in tied]
                if foreign and f.lookup["entity"] == "order":
                    raise NotUnderstood(f"the lake does not tie one {f.lookup['entity']} to a "
                                        f"{' or '.join(foreign)}", field=foreign[0])
                f.show += [self.layer.dimensions[d]["column"] for d in f.dimensions]
                f.dimensions = []
                if f.order_by and f.limit is None:
                    f.limit = 1 if self._singular() else DEFAULT_TOP  # "customer 15's most recent order"
            return True
        return False

    def _kind_of_figures_or_list(self, f: QueryForm) -> None:
        """The rest: a figure (per group, ranked), a list of things, or refused."""
        notes = f.notes
        filtered = {x.field for x in f.filters if self.layer.measures.get(x.field, {}).get("row_sql")}
        if any(m.startswith("count") for m in f.measures):
            # "how many shipments took more than 4 days to arrive": the duration only filters
            f.measures = [m for m in f.measures if m not in filtered]
        elif f.measures and set(f.measures) <= filtered and f.subject in self.layer.entities and not f.dimensions \
                and not f.grain and f.order_by is None and f.limit is None and not self._asks_aggregate():
            # "orders shipped in September that took more than 4 days to arrive": the figure named again after its
            # own bound ("to arrive") restates the condition on each one; they are listed (was: the average
            # delivery time of those orders)
            f.measures = []
        ranking = f.order_by is not None or f.limit is not None or "ranked" in notes
        shown_by_condition = {m for p in f.predicates for m in predicate_spec(self.layer, p).get("show", [])}
        if f.predicates and f.measures and f.subject in ("products", "customers") and not f.dimensions \
                and not f.grain and not ranking and {s.text for s in self.spans} & {
                    "which", "list", "show", "name", "names"} \
                and all(m in shown_by_condition for m in f.measures):
            # "which products should we restock (qty on hand under the reorder level)", "... - name and
            # total stock": the measure restates the condition; the products are listed with it
            f.show += [m for m in f.measures if m not in f.show]
            f.measures = []
        measure_filters = [x.field for x in f.filters if x.field in self.layer.measures]
        if f.measures and f.subject in ("products", "customers") and not f.dimensions and not f.grain \
                and not ranking and all(m in measure_filters for m in f.measures) and not self._asks_aggregate():
            # "products with stock over 500 units": the measure is the one compared; the products are listed
            f.show += [m for m in f.measures if m not in f.show]
            f.measures = []
        head = next((k for k, x in enumerate(self.spans) if x.first("entity") and x.arg("entity") == f.subject), None)
        shown = next((k for k, x in enumerate(self.spans) if x.first("measure") and x.arg("measure") in f.measures), None)
        if f.measures and f.subject in ("products", "customers") and (f.predicates or f.filters) and not f.dimensions \
                and not f.grain and not ranking and not f.derived and not f.compare and head is not None \
                and shown is not None and head < shown and not self._asks_aggregate():
            # "inactive items + qty on hand", "Tools products with their stock": the things named first, each
            # with the figure after them (a total is asked with "total stock of ...", "how much")
            if self._of_each() and len(f.measures) > 1:
                f.measures = [m for m in f.measures if m != "count"]  # "how many of each on hand": that figure's
            f.show += [m for m in f.measures if m not in f.show]
            f.measures = []
        elif f.measures and f.subject in ("products", "customers") and f.compare and \
                f.dimensions == [f.compare["dimension"]] and not f.grain and not ranking and not f.derived \
                and head is not None and shown is not None and head < shown and not self._asks_aggregate() \
                and (thing := self._thing_dimension(f.subject)) not in (None, f.compare["dimension"]):
            # "Garden products: stock in Kuopio vs Vantaa": the things named first are the rows, as without the
            # "vs" ("Garden products: stock in Kuopio" lists each one), each with the figure of every value compared
            # beside it (was: the two warehouses' totals, the products dropped)
            f.dimensions.insert(0, str(thing))
        # "share of shipments delivered in more than 3 days by carrier": a bound on a duration is the share's
        # condition (_share_condition), not the figure of each group
        share_of_duration = (f.derived or {}).get("kind") == "share" and any(
            self.layer.measures[m].get("row_sql") for m in measure_filters)
        # "shipments that took over 4 days by carrier": a bound on a figure of each shipment (a row figure of the
        # things named, or of their one-to-one partner: an order's shipment) picks the shipments, counted per group; an average bound ("carriers with an average
        # delivery time over 4 days") is said with its average
        row_bound = [m for m in measure_filters if self.layer.measures[m].get("row_sql")
                     and self._same_rows(self.layer.measures[m].get("entity"), f.subject)]
        if not f.measures and row_bound and (f.dimensions or f.grain) and not share_of_duration and head is not None \
                and not ranking and not re.search(r"\b(?:average|avg|mean|median|typical)", self.question.lower()):
            f.measures = ["count"]
        if not f.measures and measure_filters and (f.dimensions or f.grain) and not share_of_duration:
            # "brands with more than 2000 units sold": show the units; "which months had revenue above
            # 30,000": the months (a time grain is a grouping too), each with its revenue
            f.measures = [measure_filters[0]]
        counted = [x.field for x in f.filters if x.field.startswith("count:") and f.subject in (None, x.field[6:])]
        if not f.measures and counted and f.grain and not f.dimensions:
            f.measures = [counted[0]]  # "which months had more than 500 orders": the orders of each month
        activity = [n.split(":")[1] for n in notes if n.startswith("activity:")]
        words = {s.text for s in self.spans}
        # "with more than 300 units on hand in total": "in total" after a bound's figure says how that figure is
        # summed (over warehouses), not that a total is asked (was: the revenue of those products summed)
        of_bound = {k for k in range(2, len(self.spans)) if self.spans[k].text == "total"
                    and self.spans[k - 1].text == "in" and self.spans[k - 2].first("measure")
                    and self.spans[k - 2].arg("measure") in measure_filters}
        totals = {s.text for k, s in enumerate(self.spans) if k not in of_bound}
        sold_as_condition = f.subject == "products" and bool(measure_filters) and not ranking \
            and not totals & {"much", "many", "total", "sum"}
        # "the most expensive product we sell": "we sell" says which products, the ranking is by price
        by_attribute = f.order_by is not None and not f.order_by.startswith("@") and f.order_by not in self.layer.measures
        # "products that sold over 100 units": the selling is the condition on the products listed
        if not f.measures and "sales" in activity and f.subject == "customers" and "much" in words and not ranking \
                and not f.lookup:
            f.subject = None  # "how much did we sell to customers in Finland": the sales to them, not a list
        # "which products sold anything last month", "products that sold something in October": the products
        # with a sale in the period, listed (_purchases_are_sales), not the period's sales summed
        listed_sellers = f.subject == "products" and bool(self.periods) and not ranking and not f.dimensions \
            and not f.grain and not words & {"much", "many", "total", "sum", "how", "revenue", "units"}
        if not f.measures and "sales" in activity and f.subject in (None, "products") and not by_attribute \
                and not sold_as_condition and not listed_sellers and not any(m in self.layer.measures for m in f.show):
            # "how much did we sell" is revenue; "how many did we sell", "which brand sells best" units
            f.measures = ["units_sold"] if words & {"many", "any", "how many"} else ["revenue"]  # the glossary: sales = revenue
            if ranking and f.order_by is None:
                f.order_by = f.measures[0]
        if f.subject in self.layer.entities and not f.measures and (
                [d for d in f.dimensions if not (f.compare and d == f.compare["dimension"])] or f.grain
                or f.compare or (f.derived or {}).get("kind") in ("predicates", "periods")) and not ranking:
            # "orders per channel", "customers by country": a count per group
            self._amount_not_counted()
            f.measures = ["count"]
            self._how_much_per_group(f.subject)
        periods = any(x.text.startswith("__period") for x in self.spans)
        categorical = all(x.op in ("=", "in", "not in") and x.field in self.layer.dimensions
                          and self.layer.dimensions[x.field].get("entity") is None for x in f.filters)
        bounded = bool(self.periods) and all(x.start_date.year > 1900 for x in self.periods)  # not "older than"
        if (f.subject == "orders" or f.subject == "customers" and "activity:signup" in notes) \
                and bounded and categorical and not (
                f.measures or f.dimensions or f.grain or f.predicates or f.show or ranking or f.lookup
                or f.compare or f.derived) and not words & {"show", "list", "display", "give", "which", "what", "all",
                                                            "every", "each", "them", "ids", "id", "who"}:
            # "orders ytd", "b2b orders in September 2026", "new signups last quarter": things of a period, with
            # no condition beyond what they are, ask how many (most writers of eleven blind sets); "list the
            # orders ...", a state to act on ("open orders placed before 20 October") and orders older than a
            # day are lists
            f.measures = ["count"]
            if not words & {"number", "count", "many"}:
                notes.append("counted_not_listed")  # the answer says how to list them
        elif f.subject in self.layer.entities and bounded and categorical and f.predicates and all(
                predicate_spec(self.layer, p).get("counted_in_period") for p in f.predicates) and not (
                f.measures or f.dimensions or f.grain or ranking or f.lookup or f.compare or f.derived
                or [m for m in f.show if m not in shown_by_condition]) and not words & {
                    "show", "list", "display", "give", "which", "what", "all", "every", "each", "them", "ids", "id",
                    "who"}:
            # "late shipments in October 2026": a past event of a period's things (the layer's counted_in_period)
            # is counted as the orders of a period are (was: listed)
            f.measures = ["count"]
            if not words & {"number", "count", "many"}:
                notes.append("counted_not_listed")
        elif f.subject == "shipments" and periods and not (
                f.measures or f.dimensions or f.grain or f.filters or f.predicates or f.show or ranking or f.lookup
                or f.compare or f.derived) and not words & {"show", "list", "display", "give", "which", "what", "all"} \
                and self.question.rstrip().endswith("?"):
            f.measures = ["count"]  # "shipments sent yesterday?": asked as a question, how many
        count_dims = [n.split(":")[1] for n in notes if n.startswith("count_distinct:")]
        held = self.layer.dimensions[count_dims[0]]["column"] if count_dims and len(count_dims) == 1 and \
            count_dims[0] in self.layer.dimensions else None
        if held and f.subject in self.layer.entities and not (
                f.measures or f.dimensions or f.grain or f.lookup or f.compare or f.derived) and any(
                x.field == "ndistinct:" + held for x in f.filters):
            # "products below reorder level in at least three warehouses, with the number of warehouses": the
            # count the condition is on, shown beside each of the things listed (was: one count over all of them)
            notes.remove("count_distinct:" + count_dims[0])
            count_dims = []
        if count_dims and self._count_beside_things(count_dims[0]):
            # "products with the number of warehouses", "brands and how many categories": a count of values beside
            # things listed is each one's count; not read so (was: one count over all of them, or another grouping)
            raise NotUnderstood(f"I cannot yet give the number of {count_dims[0]} values beside each of the things "
                                "listed", hint="ask for the count alone, e.g. 'how many categories are there'")
        if count_dims:
            f.dimensions = [d for d in f.dimensions if d not in count_dims]
            f.measures = ["distinct:" + count_dims[0]]
            f.kind = "aggregate"
            return
        if f.measures and f.dimensions and f.order_by is None and "ranked" in notes and len(f.measures) == 1 \
                and (f.derived or {}).get("kind") == "share":
            f.order_by = f.measures[0]  # "which brand has the highest share of revenue": that share ranked
        if f.measures:
            f.kind = "aggregate"
            sales = all(self.layer.measures.get(m, {}).get("entity") == "orders" for m in f.measures)
            if ranking and not f.dimensions and f.subject is None and not f.grain and sales and self.spans and \
                    self.spans[0].text == "when":
                # "when did revenue peak": a time is asked, but not at which grain (was the products ranked)
                raise NotUnderstood("'when' beside a ranking: I cannot tell by which period to rank",
                                    hint="name it, e.g. 'in which month of 2025 did revenue peak'")
            who_orders = f.subject == "orders" and self.spans[0].text == "who" and not f.lookup and not f.show \
                and all(m in ("count", "count:orders") or self.layer.measures.get(m, {}).get("entity") == "orders"
                        for m in f.measures)
            if ranking and not f.dimensions and not f.grain and f.subject is None and sales and \
                    "order:explicit" in notes and f.limit is None and "ranked" not in notes and not any(
                        x.first("ranking") or x.first("superlative") or x.first("superlative_attribute")
                        for x in self.spans) and not self._something_ranked(-1):
                # "revenue by unit price": nothing named to rank by the figure after "by", and no grouping of that
                # name (was: the products ranked by it, the figure it was ranked by not even shown)
                said = next((x.text for k, x in enumerate(self.spans) if k > 0 and self.spans[k - 1].text in
                             ("by", "per") and (x.first("measure") or x.first("attribute"))), str(f.order_by))
                raise NotUnderstood(f"I could not tell what to rank by {said}, nor is {said} a grouping I have",
                                    field=said, hint=f"name the things ranked, e.g. 'top 10 products by {said}'")
            if ranking and not f.dimensions and not f.grain and (f.subject is None and sales or who_orders):
                # "best sellers", "who spent most", "which consumer spent most" (a kind of customer); "who placed
                # the most orders": the orders counted per customer (was: every order counted, no one named)
                which_customer = any(self.spans[k - 1].text == "which" and any(
                    self.layer.dimensions[d]["column"].startswith("customers.") for d, _ in self.values_of(s))
                    for k, s in enumerate(self.spans) if k > 0)
                alternatives = [x for x in f.filters if x.op == "in" and len(x.values) >= 2
                                and x.field in self.layer.dimensions]
                if "which" in words and "who" not in words and not which_customer and len(alternatives) == 1 and \
                        not any(x.first("entity") for x in self.spans) and (f.limit in (None, 1) and bool(
                            words & {"more", "less", "fewer", "better", "worse", "bigger", "higher", "lower"}) or (
                            f.limit == len(alternatives[0].values) and "of" in words)):
                    # "web or store - which of the two brought more revenue?": one of the values named is asked,
                    # their dimension ranked (was: the products sold through them, "two" read as a top 2)
                    f.dimensions.append(alternatives[0].field)
                    f.limit = 1
                    for k, x in enumerate(self.spans):  # "of the two": the values named, not a count of them
                        if k > 1 and not x.used and x.first("number") and x.arg("number") == len(
                                alternatives[0].values) and [t.text for t in self.spans[k - 2:k]] == ["of", "the"]:
                            x.used = True
                else:
                    f.dimensions.append("customer" if "who" in words or which_customer else "product")
            per_product = all(self.layer.measures.get(m, {}).get("entity") == "products" for m in f.measures)
            if ranking and (f.limit or 0) > 1 and per_product and not f.dimensions and f.subject is None \
                    and not f.grain:
                # "Kuopio: biggest shortfalls, top 10": ten of a figure of products are ten products
                f.dimensions.append("product")
            duration = next((m for m in f.measures if self.layer.measures.get(m, {}).get("row_sql")), None)
            if duration and f.order_by == duration and not f.dimensions and not f.grain and f.limit:
                raise NotUnderstood("I can give the longest or shortest delivery time (overall or per carrier), "
                                    "not a list of parcels ranked by their delivery time",
                                    hint="e.g. 'slowest delivery time per carrier in 2025'")
            if duration and f.order_by == duration and not f.dimensions and not f.grain:
                # "longest delivery time": the longest one, not the average
                f.measures = [f"{'max' if f.direction == 'desc' else 'min'}:{duration}"]
                f.order_by = None
            if f.order_by is None and "ranked" in notes and f.dimensions and len(f.measures) == 1 and not f.grain:
                f.order_by = f.measures[0]  # "what's selling best in Heating (units)": ranked by the one figure
            if f.order_by is None and "ranked" in notes and f.grain and not f.dimensions and len(f.measures) == 1 \
                    and not f.derived and not f.compare and "sorted" not in notes:
                # "what was our best month for revenue?": the months ranked by the one figure (was every month in
                # date order, the superlative dropped)
                f.order_by = f.measures[0]
            if f.order_by and f.limit is None and (f.dimensions or f.grain or f.subject in ("products", "customers")):
                f.limit = 1 if self._singular() else DEFAULT_TOP
            # "top products by revenue": ranked per product (a count of them is not a ranking of them)
            counting_subject = any(m == "count" or m == f"count:{f.subject}" for m in f.measures)
            # "which order had the most units": ranked per order (one order's figure, not the period's total)
            sub_dim = self._own_dimension(f.subject or "")
            if sub_dim == "order" and f.order_by not in f.measures:
                sub_dim = None  # "revenue of orders ... (by order date)": no ranking of orders by a figure
            if sub_dim and sub_dim not in f.dimensions and ranking and not counting_subject and not f.dimensions:
                f.dimensions.append(sub_dim)
                if f.order_by is None and "ranked" in notes and len(f.measures) == 1 and not f.grain:
                    # "which product's units sold grew the most": ranked by the one figure, as per a named group
                    # (was every product's growth, the superlative dropped)
                    f.order_by = f.measures[0]
                if f.order_by and f.limit is None:
                    f.limit = 1 if self._singular() else DEFAULT_TOP
            if "count" in f.measures and f.subject is None:
                # "how many customer names ...": what the named column belongs to; else orders
                tables = [a.split(".")[0] for a in f.show]
                # "how many in stock products": a condition's phrase that names its own things names what is counted
                owning = {e for s in self.spans if s.first("predicate")
                          for e in [str(predicate_spec(self.layer, str(s.arg("predicate")))["entity"])] if e in s.text.split()}
                # "low stock count by category": no thing named at all, the conditions all said of one kind of thing
                # count those things (was: the orders holding them)
                said_of = {str(predicate_spec(self.layer, p)["entity"]) for p in f.predicates}
                if not owning and len(said_of) == 1 and said_of <= set(self.layer.entities) and \
                        not any(s.first("entity") for s in self.spans):
                    owning = said_of
                f.subject = next((n for n, e in self.layer.entities.items() if e["table"] in tables),
                                 owning.pop() if len(owning) == 1 else "orders")
            return
        if f.dimensions and (f.derived or {}).get("kind") == "share" and (
                not ranking or f.order_by is None or f.order_by.startswith("@")):
            # "cancellation rate per channel": a rate counts things; a money measure's own filter could
            # exclude the very condition (revenue leaves cancelled orders out); "which channel has the
            # highest cancellation rate" ranks that rate
            f.kind = "aggregate"
            f.measures = ["count"]
            if ranking:
                f.order_by = "count"
                if f.limit is None:
                    f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        ranked_column = self._ranked_column(f)
        if f.dimensions and ranking and ranked_column and not f.derived and not f.measures and \
                self.layer.column(ranked_column).get("type") in ("INT", "DOUBLE", "DATE", "TIMESTAMP"):
            # "which category has the highest unit price": the groups ranked by that column's extreme in each
            # (was: ranked by revenue, the column dropped)
            f.kind = "aggregate"
            f.measures = [f"{'max' if f.direction == 'desc' else 'min'}:{ranked_column}"]
            f.order_by = f.measures[0]
            if f.limit is None:
                f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        if len(f.dimensions) == 1 and ranking and not f.derived and not f.measures and not f.grain \
                and (f.order_by is None or f.order_by.startswith("@")) and self.layer.dimensions[f.dimensions[0]].get("numeric"):
            # "the highest discount percentage given": a number held on each row ranked is its own top value,
            # not the value whose rows sold the most
            f.kind = "aggregate"
            f.measures = [f"{'max' if f.direction == 'desc' else 'min'}:{self.layer.dimensions[f.dimensions[0]]['column']}"]
            f.dimensions, f.limit, f.order_by = [], None, None
            return
        if f.dimensions and (ranking or f.derived):
            f.kind = "aggregate"
            default = self.layer.grammar["ranking_default"].get(f.dimensions[0], "revenue")
            if (f.derived or {}).get("kind") == "share":
                default = "count"  # "which channel has the highest cancellation rate": a rate counts, as above
            if default == "revenue" and {x.text for x in self.spans} & set(self.layer.grammar["ordering_verbs"]) \
                    and f.subject in (None, "orders") and not f.derived:
                default = "count"  # "which cities ordered the most": the most orders, as of customers
            if f.order_by == "@amount" and not f.derived:
                default = self.layer.grammar["ranking_default_amount"].get(f.subject or "", default)
            elif f.order_by is None and not f.derived and self._things_per_group(f):
                default = "count"  # "cancelled orders per customer, top 5": the things said are counted in each
            f.measures = [default if default in self.layer.measures else "count"]
            if f.order_by is None or f.order_by.startswith("@"):
                f.order_by = f.measures[0]
            if f.limit is None and ranking:
                f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        texts = [x.text for x in self.spans]
        amount = self.layer.entities.get(f.subject or "", {}).get("amount")
        # "discontinued products we still have stock of, and how much": the figure the condition states (their
        # stock) is the how much, shown beside each; not their prices summed
        stated = [m for p in f.predicates for m in predicate_spec(self.layer, p).get("show", [])]
        # ("Garden products and how much revenue they made": a figure named after "how much" is what it asks)
        # ("Discontinued products - how much revenue did they make": asked of them all, one total)
        figures_named = [m for m in f.show if m in self.layer.measures] if any(
            texts[k - 1] in ("and", "with") and (texts[k] == "how much" or texts[k:k + 2] == ["how", "much"])
            for k in range(1, len(texts))) else []
        if amount and not f.dimensions and not f.grain and not ranking and not stated and not figures_named \
                and not self._of_each() and any(texts[k:k + 2] == ["how", "much"] for k in range(len(texts) - 1)):
            # "paid orders: how much (money) is that in total?": the things' amount summed, not a list of them
            table = self.layer.entities[f.subject or ""]["table"]
            f.kind = "aggregate"
            f.measures = [f"sum:{table}.{amount}"]
            f.show = [c for c in f.show if c != f"{table}.{amount}"]
            return
        if self.spans and self.spans[0].text == "who" and f.subject in (None, "products") and not f.measures \
                and not ranking and not f.dimensions and ("activity:sales" in notes or "activity:orders" in notes):
            f.subject = "customers"  # "who bought Makita products": the buyers, not the products bought
        if self.spans and self.spans[0].text == "who" and f.subject in ("orders", None) and not f.measures \
                and not ranking and not f.dimensions and not f.lookup and not f.show and any(
                    self.layer.dimensions[x.field]["column"].startswith("orders.") for x in f.filters
                    if x.field in self.layer.dimensions):
            f.subject = "customers"  # "who returned stuff this year", "who cancelled orders in May": the people
        if self.spans and self.spans[0].text == "who" and f.subject is None and not f.measures and not ranking \
                and not f.dimensions and not f.lookup and "activity:signup" in notes and "customers" in self.layer.entities:
            f.subject = "customers"  # "who signed up in September?", "who joined last month?": the people who did
        if f.subject in self.layer.entities and ranking and f.grain and not f.dimensions and f.order_by is None \
                and not f.lookup and not f.show:
            # "in which month of 2025 did web orders peak": the things counted per period, the most first (was a
            # list of them, the ranking and the period dropped)
            f.kind, f.measures, f.order_by = "aggregate", ["count"], "count"
            f.limit = f.limit or (1 if self._singular() else DEFAULT_TOP)
            return
        if f.subject:
            sub_dim = self._thing_dimension(f.subject)
            f.kind = "list"
            entity = self.layer.entities[f.subject]
            if entity["table"] == "inventory":
                # "which stock records are below the reorder level": each record shows its own quantity and level;
                # the condition's sums over a product's records would not be figures of one record
                f.show = [m for m in f.show if m not in shown_by_condition]
            if f.order_by == "@amount" and not entity.get("amount") and sub_dim:
                f.order_by = None  # "biggest customers": ranked by the default measure below
            sorted_only = f.order_by is not None and f.limit is None and "ranked" not in notes and not any(
                x.first("superlative") or x.first("superlative_attribute") or x.first("ranking") for x in self.spans) \
                and re.search(
                r"\b(?:sort|sorted|ordered|arranged|listed)\s+(?:them\s+|it\s+)?by\b", self.question, re.IGNORECASE)
            if sorted_only:
                # "Garden products sorted by price": every one of them in that order, not a top 10; lowest first
                # unless said otherwise
                if not re.search(r"\b(?:desc|descending|highest|most|largest|biggest|newest|latest)\b", self.question,
                                 re.IGNORECASE):
                    f.direction = "asc"
            elif f.order_by is not None and f.limit is None:
                f.limit = 1 if self._singular() else DEFAULT_TOP
            if f.subject == "orders" and "who" in words and "customers.name" not in f.show:
                f.show.append("customers.name")  # "largest order last month, who placed it"
            if f.order_by is None and ranking and sub_dim:
                default = self.layer.grammar["ranking_default"][f.subject]
                if self._held_not_sold():
                    default = self.layer.grammar.get("ranking_default_held", {}).get(f.subject, default)
                f.kind = "aggregate"
                f.dimensions.append(sub_dim)
                if f.subject == "customers" and words & set(self.layer.grammar["ordering_verbs"]) and not any(
                        x.field in self.layer.dimensions and not self.layer.dimensions[x.field]["column"].startswith(
                            ("orders.", "customers.")) for x in f.filters):
                    # "which customers ordered most last month": ordering most is the most orders (not revenue)
                    f.subject, default = "orders", "count:orders"
                    f.notes.append("count_of:orders")
                if (f.derived or {}).get("kind") == "share" and f.subject == "products":
                    # "which product had the highest return rate": a rate counts the orders each is in, as a rate
                    # per group does (was: the share of units sold, whose own filter leaves the returns out)
                    f.subject, default = "orders", "count"
                f.measures = [default]
                f.order_by = default
                if f.limit is None:
                    # "who was our biggest customer last year?": the one (was every customer, ranked)
                    f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        if f.dimensions:
            self._amount_not_counted()
            f.kind = "aggregate"
            if f.filters or f.predicates or self._how_much():
                subject = self._subject_from_fields()
                if self._how_much_per_group(subject):
                    f.subject = subject
                    return
            if self._one_product_per_stock_place(f):
                return
            f.measures = ["distinct:" + f.dimensions[0]]
            f.dimensions = f.dimensions[1:]
            return
        named = next((n for a in f.show for n, e in self.layer.entities.items() if e["table"] == a.split(".")[0]), None)
        if named and any(n.startswith(("contains:", "starts:")) for n in notes):
            # "look up tracking number DH-123": the things whose named field holds the text
            f.kind, f.subject = "list", named
            return
        if f.filters or f.predicates:
            f.kind = "list"
            f.subject = self._subject_from_fields()
            if f.grain and not ranking:
                f.kind, f.measures = "aggregate", ["count"]  # "returns per month this year": a count per month
            return
        # "What has Rakennus Lindgren Oy ordered": nothing to compute but a name the lake does not hold: not found
        self._missing_names([s for s in self.spans if not s.used and not s.has("stop") and not s.first("slot")])
        raise NotUnderstood("I could not tell what to compute or list", hint="try: " + "; ".join(SUGGESTIONS[:4]))

    def _where_is_product(self, f: QueryForm) -> None:
        """"where is the Bosch Garden Hose?", "where can I find ...": a product's place is the warehouses holding
        it (its stock per warehouse, those with some on hand), never its catalog row; asked of several products
        at once ("where are the Bosch products?") it is refused (one row per product and warehouse is not read)."""
        self._where_the_order_is(f)
        self._percent_bound_shown(f)
        if not self.spans or self.spans[0].text != "where" or f.kind != "list" or f.subject != "products" \
                or f.measures or f.dimensions or f.grain or f.predicates or f.order_by or f.lookup \
                or any(s.text in ("we", "our", "should") for s in self.spans) and not self._we_hold():
            return
        one = [x for x in f.filters if x.field == "product" and x.op == "=" and len(x.values) == 1]
        if len(one) != 1 or len(f.filters) != 1:
            raise NotUnderstood("a product's place is its stock per warehouse: I can show it for one product at a time",
                                hint="e.g. 'where is the <product name>?' or 'stock per warehouse of Bosch products'")
        f.kind, f.measures, f.dimensions, f.show = "aggregate", ["stock"], ["warehouse"], []
        f.filters.append(Filter("stock", ">", [0]))
        for s in self.spans:
            if s.text in self.layer.grammar.get("stock_verbs", []):
                s.used = True  # "where is the X stocked / kept?": what "where" asks

    def _we_hold(self) -> bool:
        """"where do we have / keep / stock the X?": "we" holding it, nothing else said of us."""
        words = [s.text for s in self.spans]
        holding = {"have", "keep", "hold", *self.layer.grammar.get("stock_verbs", [])}
        return words[1:3] == ["do", "we"] and len(words) > 3 and words[3] in holding and \
            not any(w in ("our", "should") for w in words)

    def _kinds_together(self, f: QueryForm) -> None:
        """Two texts looked for in the same field ("a lawn mower and a garden hose"): one row's field never holds
        both. Said of orders or customers with "and", each text on a row of its own of the same thing (the order
        holds both); said of the rows themselves (products) or with "or", a row holding either."""
        either = any(s.text in ("or", "either", "any") for s in self.spans)
        whole = self.layer.entities.get(f.subject or "", {}).get("table")
        for x in f.filters:
            # "how many orders had the X and the Y in them": the orders holding both (each product on a line of
            # its own), not either; a figure of them ("revenue of X and Y") stays the two products' together
            column = self.layer.dimensions.get(x.field, {}).get("column", "")
            if x.op == "in" and self.layer.dimensions.get(x.field, {}).get("entity") and not either and whole \
                    and not column.startswith(whole + ".") and f.subject in ("orders", "customers") \
                    and f.measures in ([], ["count"]) and not f.dimensions and not f.derived and not f.compare \
                    and self._joined_by_and(x):
                x.op = "all of"
        for field in dict.fromkeys(x.field for x in f.filters if x.op == "contains"):
            same = [x for x in f.filters if x.field == field and x.op == "contains"]
            if len(same) < 2:
                continue
            owner = self.layer.dimensions.get(field, {}).get("column", field).split(".")[0]
            own = self.layer.entities.get(f.subject or "", {}).get("table") == owner or any(
                self.layer.dimensions.get(d, {}).get("column", "").startswith(owner + ".") for d in f.dimensions)
            either = own or any(s.text == "or" for s in self.spans)
            first = f.filters.index(same[0])
            f.filters = [x for x in f.filters if x not in same]
            f.filters.insert(first, Filter(field, "contains any" if either else "contains all",
                                           [v for x in same for v in x.values]))
            if not either:  # "orders with both a lawn mower and a garden hose": "both" says the all-of read
                head = str(same[0].values[0]).lower()
                for i, s in enumerate(self.spans):
                    nxt = self.next_content(i)
                    if not s.used and s.has("grammar", "both") and nxt is not None \
                            and head.startswith(nxt[1].text.lower()):
                        s.used = True

    def _one_of_a_kind(self, f: QueryForm) -> None:
        """"how much did the Copper Pipe bring in last year": a kind of product said as one thing ("the", the
        singular) that several product names hold, with a figure asked, would sum them all into one figure as if
        it were one product: refused, naming them (a list of them, "copper pipes" in the plural, or the figure per
        product stays read)."""
        if not f.measures or f.dimensions or f.kind == "list":
            return
        names = list(self.p.vocab.product_names.values()) if self.p.vocab is not None else []
        for i, s in enumerate(self.spans):
            kind = s.first("product_kind")
            if kind is None or i == 0 or self.spans[i - 1].text not in ("the", "that", "this", "our"):
                continue
            word = self.words[s.end - 1]
            nxt = self.spans[i + 1] if i + 1 < len(self.spans) else None
            if word.endswith("s") or re.search(rf"\b{re.escape(str(kind[1]))}s\b", self.question, re.IGNORECASE) \
                    or nxt is not None and nxt.first("entity"):
                continue
            held = sorted(n for n in names if str(kind[1]) in n.lower())
            if len(held) > 1:
                raise NotUnderstood(f"'{s.text}' is part of {len(held)} product names ({', '.join(held[:5])}"
                                    f"{', ...' if len(held) > 5 else ''}); I would sum them into one figure",
                                    hint=f"name the product in full, or ask per product, e.g. '... per product of "
                                         f"the {kind[1]}s'")

    def _joined_by_and(self, x: Filter) -> bool:
        """Whether the values of the filter are said in one list joined by "and" ("the X and the Y")."""
        at = [k for k, s in enumerate(self.spans) if any(d == x.field and v in x.values for d, v in self.values_of(s))]
        if len(at) < 2:
            return False
        between = {s.text for s in self.spans[at[0] + 1:at[-1]]}
        return "and" in between and between <= {"and", ",", "the", "a", "an"} | {
            s.text for k in at for s in [self.spans[k]]}

    def _closes_a_bound(self, k: int) -> bool:
        """Whether the span at ``k`` comes right after a bound on a figure: a comparator, a number, then only the
        figure's words ("more than 300 units (of stock)"), no other word between."""
        for j in range(k - 1, max(k - 5, 0), -1):
            here = self.spans[j]
            if here.first("number"):
                return j > 0 and self.spans[j - 1].first("comparator") is not None
            if not (here.first("measure") or here.first("unit") or here.text == "of"):
                return False
        return False

    def _asks_aggregate(self) -> bool:
        """Whether a word asks for one figure over the things ("how much", "total", "average"); "whose total
        stock" and "50 units total" are each one's own figure; "how much stock is left of each": "of each" at the
        end is each of the things named, so "how much"/"how many" asks each one's figure."""
        of_each = self._of_each()
        if not of_each and len(self.spans) > 2 and self.spans[0].text == "what" and \
                self.spans[1].text in ("did", "do", "does", "has", "have", "had") and any(
                    x.first("measure") for x in self.spans[3:]):
            # "what did Tikkurila products turn over in Q3?": "what" is the object of the figure's verb, one figure
            # asked of them all, as "how much did ... turn over" (was: each product listed with its own)
            return True
        for k, s in enumerate(self.spans):
            if of_each and set(s.text.split()) & {"much", "many"} and not set(s.text.split()) & {"total", "sum"}:
                continue
            prev = self.spans[k - 1] if k > 0 else None
            if s.text in ("total", "sum") and prev is not None and (
                    prev.text in ("whose", "their", "its") or prev.first("number") or prev.first("measure")):
                continue
            after = [x for x in self.spans[k + 2:k + 4] if x.text != "of"][:1]
            if s.text in ("total", "sum") and k + 1 < len(self.spans) and self.spans[k + 1].first("measure") \
                    and after and after[0].first("comparator"):
                # "which products have total stock over 4 times their reorder level", "a total stock of more than
                # 900": the total compared right after it is each one's own figure, bounded, not one figure over
                # them all (was: a grand total of stock)
                continue
            if s.first("predicate") and len(s.text.split()) > 1:
                continue  # "at or below the total reorder level": the condition's own words, each thing's total
            if s.text in self.layer.grammar.get("fillers", []):
                continue  # "I mean ones holding ...": a filler's "mean" is no average (was: one figure over them all)
            if s.text == "total" and k > 1 and self.spans[k - 1].text == "in" and self._closes_a_bound(k - 1):
                # "products with more than 300 units in total stock", "holding over 300 units of stock in total": the
                # bound's own figure, each thing's total over the warehouses, not one figure over them all (was: a
                # grand total of stock, a silent wrong)
                continue
            if s.first("measure") and "total" in s.text.split()[1:] and s.text.split()[0] in ("times", "x"):
                continue  # "over 3 times their total reorder level": a multiple's own name, each thing's figure
            if set(s.text.split()) & {"much", "many", "total", "sum", "average", "avg", "number", "count", "overall",
                                      "combined", "altogether", "mean", "median"}:
                return True
        return False

    def _subject_from_fields(self) -> str:
        f = self.form
        for p in f.predicates:
            return predicate_spec(self.layer, p)["entity"]
        for x in f.filters:
            if x.field in self.layer.dimensions:
                table = self.layer.dimensions[x.field]["column"].split(".")[0]
            else:
                table = x.field.split(".")[0]
            for name, e in self.layer.entities.items():
                if e["table"] == table:
                    return name
            if table == "inventory":
                return "products"
        return "orders"

    def _plural_noun_next(self, k: int) -> bool:
        nxt = self.spans[k + 1] if k + 1 < len(self.spans) else None
        return nxt is not None and bool(nxt.first("entity")) and nxt.text.endswith("s")

    def _superlative_of_one_amount(self) -> bool:
        """"Smallest web order total in October": a superlative opening the question, past the values said of the
        things, before one column named in the singular asks for the one (was: a first 10, for the plural of a thing
        named later in a condition)."""
        if not self.spans or not (self.spans[0].first("superlative") or self.spans[0].first("superlative_attribute")):
            return False
        k = 1
        while k < len(self.spans) and (self.values_of(self.spans[k]) or self.spans[k].has("stop")) \
                and not self.spans[k].first("attribute"):
            k += 1
        named = self.spans[k] if k < len(self.spans) else None
        return named is not None and bool(named.first("attribute")) and not named.first("entity") \
            and not named.text.endswith("s")

    def _count_beside_things(self, dim: str) -> bool:
        """A count word said right after "with"/"and" (a "the", "their" or "its" between), after some thing or
        value named before it: a count asked beside the things listed ("products with the number of warehouses")."""
        skip = ("the", "their", "its")
        for k, s in enumerate(self.spans):
            if not s.has("grammar", "count"):
                continue
            j = k - 1
            while j >= 0 and self.spans[j].text in skip:
                j -= 1
            if j <= 0 or self.spans[j].text not in ("with", "and"):
                continue
            if any(x.first("entity") or x.first("dimension") and x.arg("dimension") != dim or self.values_of(x)
                   for x in self.spans[:j]):
                return True
        return False

    def _singular(self) -> bool:
        if self.pointer_one:
            return True
        if any(a.text == "which" and b.text == "one" for a, b in zip(self.spans, self.spans[1:], strict=False)):
            return True  # "which one sold the most units"
        if any(a.text == "which" and b.text in ("is", "was", "has") for a, b in zip(self.spans, self.spans[1:], strict=False)) \
                and any(s.first("superlative") or s.first("superlative_attribute") or s.first("ranking") for s in self.spans):
            return True  # "among the low-stock products, which is the most expensive": one thing (was: the top 10)
        if [s.text for s in self.spans[:2]] in (["what", "is"], ["who", "is"]) and any(
                s.first("superlative") or s.first("ranking") for s in self.spans):
            return True  # "what's selling best": one thing asked
        if [s.text for s in self.spans[:1]] == ["who"] and len(self.spans) > 1 and self.spans[1].text not in (
                "are", "were", "have", "do") and any(s.first("superlative") or s.first("ranking") for s in self.spans):
            return True  # "who bought the most drills this year": one person asked, as "who is our top customer"
        if self._superlative_of_one_amount():
            return True
        rankings = self.layer.grammar["ranking_measures"]
        if any(s.first("ranking") and s.text + "s" in rankings for s in self.spans):
            return True  # "the best seller" (of "best sellers"): one thing ranked
        for k, s in enumerate(self.spans):
            if k > 0 and self.spans[k - 1].text in ("their", "with their"):
                continue  # "which customers spent the most and what is their city": a column of each, not one thing
            ent = s.first("entity")
            if ent and not s.text.endswith("s") and s.text not in ("sales", "inventory"):
                return True  # "which product", "most recent signup"
            if self.values_of(s) and not s.text.endswith("s") and k > 0 and self.spans[k - 1].text in ("which", "what") \
                    and not self._plural_noun_next(k):
                return True  # "which consumer in Stockholm" (not "which Kitchen products": the noun after says many)
            if s.first("dimension") and not s.text.endswith("s") and s.text not in ("status",):
                return True
            if s.first("grain") and not s.text.endswith("s") and self._is_which(self.spans.index(s)):
                return True  # "which day had the most orders"
        return False

    def _merge(self, context: QueryForm) -> QueryForm:
        """A follow-up merged with the previous answer's form: the first shape of ``MERGE_SHAPES`` (merge_shapes.py)
        that answers it, else the general carry-over (the previous form with what the follow-up names changed)."""
        for shape in MERGE_SHAPES:
            pointed = shape(self, context)
            if pointed is not None:
                return pointed
        f = self._carry_over(context)
        if f.kind == "aggregate" and f.limit and f.order_by in f.measures and not (
                f.dimensions or f.grain or f.per_group or f.compare or f.derived or f.within):
            things = {str(s.arg("entity")) for s in self.spans if s.first("entity") is not None}
            dims = [self._thing_dimension(t) for t in things]
            if len(things) == 1 and dims[0] is not None and not f.filter_on(dims[0]):
                # "what are the 3 products he bought most units of?" after his orders counted: the one kind of
                # thing named is what the top N ranks, under the previous question's conditions
                f.dimensions = [str(dims[0])]
                return f
            # "what are the 3 products he bought most units of?" after his orders counted: a top N of one figure
            # with no things to rank is no answer (was: his units summed, 'LIMIT 3' on the one row, a silent
            # wrong); the things ranked were not placed as the groups
            raise refuse(self, context, "I could not tell which things to rank; ask for the ranking in full, e.g. "
                                        "'top 3 products by units sold to <customer>'")
        return f

    def _carry_over(self, context: QueryForm) -> QueryForm:
        """The previous answer's form carried over, with what the follow-up names changed in it."""
        new = self.form
        within = within_top(self, context, new)
        f = copy.deepcopy(context)
        f.notes = [n for n in f.notes if n.startswith(("contains:", "starts:", "activity:"))]
        for s in self.spans:
            swapped_notes = [n for n in context.notes if n.startswith(SWAPPED)]
            if s.used or not s.has("grammar", "both") or len(swapped_notes) != 1 or new.filters:
                continue
            field, value = swapped_notes[0][len(SWAPPED):].split(":", 1)
            now = next((x for x in f.filters if x.field == field and x.op == "=" and len(x.values) == 1), None)
            if now is not None and json.loads(value) not in now.values:
                # "both per month" after "Turku for the same period?" (Tampere before): the value replaced and the
                # one that replaced it, each apart (was: refused, 'both' not placed)
                now.op, now.values = "in", [json.loads(value), *now.values]
                summed_words = {"together", "combined", "altogether", "total", "in total"} & {t.text for t in self.spans}
                for t in self.spans:
                    if t.text in summed_words:
                        t.used = True  # ("both together": one figure of the two)
                if field not in f.dimensions and not summed_words:
                    f.dimensions.append(field)
                s.used = True
        self._every_group_asked(f)
        family = set(self.layer.grammar.get("valued_at", {}).values())
        for s in self.spans:
            if not s.used and s.first("valued_at") and not new.measures and any(m in family for m in f.measures):
                # "and at selling price?" after the stock's value at cost: the same value, the valuation named
                named = str(s.arg("valued_at"))
                f.measures = [named if m in family else m for m in f.measures]
                f.order_by = named if f.order_by in family else f.order_by
                s.used = True
            elif not s.used and s.first("valued_at") and not new.measures:
                # "and what's it worth at cost?" after the stock: the figure the valuation values (layer
                # "values"), in money; said with "worth" / "value"
                named = str(s.arg("valued_at"))
                base = self.layer.measures.get(named, {}).get("values")
                worth = [w for w in self.spans if w.text in ("worth", "value", "valued")]
                if base in f.measures and worth:
                    f.measures = [named if m == base else m for m in f.measures]
                    f.order_by = named if f.order_by == base else f.order_by
                    for w in [s, *worth]:
                        w.used = True
        texts = [s.text for s in self.spans]
        # "which of those went with DHL?", "which ones are in the Kitchen category?", "which are business?": the
        # counted things picked out and listed (was: "which ones" after a count kept the count, a silent wrong)
        picking = texts[:1] in (["which"], ["who"]) and texts[1:2] in (["of"], ["ones"], ["are"], ["were"])
        if counted(context) and not new.measures and not new.dimensions and not new.order_by and not new.limit \
                and not new.grain and ({s.text for s in self.spans} & {"list", "show"} or picking):
            # "list the business ones" after a count: the counted things listed, the new condition kept ("show
            # that by month" asks the count per month, not a list)
            f.kind, f.measures, f.limit, f.order_by = "list", [], None, None
        elif picking and texts[1:2] == ["of"] and context.kind == "aggregate" and not context.dimensions \
                and not context.grain and not (new.measures or new.dimensions or new.order_by or new.limit or new.grain):
            # "which of those orders were shipped?" after his spend that month: the previous answer is one figure
            # (a sum), no rows to pick from (was: the sum again under the new condition, a silent wrong)
            raise refuse(self, context, "the previous answer is one figure, not a list to pick from; ask for the "
                                        "list of them with the condition")
        elif context.kind == "aggregate" and context.measures in (["count"], [f"count:{context.subject}"]) \
                and len(context.dimensions) == 1 and context.subject \
                and not (context.grain or context.compare or context.derived) \
                and not (new.measures or new.dimensions or new.order_by or new.limit or new.derived) \
                and any(x.field == context.dimensions[0] and x.op in ("=", "in") for x in new.filters) \
                and ({s.text for s in self.spans} & {"list", "show"} or picking or any(
                    s.first("entity") and self._is_which(k) for k, s in enumerate(self.spans))):
            # "just the b2b ones - list them" after open orders by channel, "only Bring - which orders were
            # those?" after late deliveries by carrier: the counted things of that group listed (also after the
            # top one: "ok Vantaa then, which products there are low on stock?" after the warehouse with most)
            f.kind, f.measures, f.dimensions, f.limit, f.order_by = "list", [], [], None, None
            f.subject = new.subject or f.subject
            f.show += [c for c in new.show if c not in f.show]  # "... list them with the customer name"
        elif counted(context) and new.order_by and new.order_by.startswith("@") and not new.measures \
                and not new.dimensions:
            # "what's the most recent one?" after a count: the counted things, ranked on their own date or amount
            f.kind, f.measures = "list", []
        elliptic = elliptic_count(self)
        if new.measures == ["count"] and not new.subject and context.kind == "aggregate" and len(context.measures) == 1 \
                and self.layer.measures.get(context.measures[0], {}).get("unit") == "units" \
                and "count:sold" not in new.notes and not any(s.first("entity") for s in self.spans) \
                and any(s.text == "how many" for s in self.spans):
            # "how many across all warehouses?" after a product's stock: "how many" names no thing, so it asks the
            # previous figure, itself a number of units (was: the orders of the product counted)
            new.measures = list(context.measures)
        if new.measures == ["units_sold"] and context.kind == "aggregate" and len(context.measures) == 1 \
                and context.measures != ["units_sold"] \
                and self.layer.measures.get(context.measures[0], {}).get("unit") == "units" \
                and "count:sold" not in new.notes and "activity:sales" not in new.notes \
                and [s.text for s in self.spans if s.first("measure")] == ["units"] and points_back(self.spans):
            # "and how many units is that?" after the warehouse holding the most stock: the bare "units" is the
            # previous figure's own unit (its stock), not units sold (was: refused, units sold beside the ranking)
            new.measures = list(context.measures)
        if elliptic and "count:sold" in new.notes and new.measures == ["count"] and context.kind == "aggregate" \
                and context.subject in (None, "products") and (context.subject == "products" or "product" in (
                    *context.dimensions, *(x.field for x in context.filters))):
            # "and how many did we sell?" after a product's stock: its units sold, as "how many X did we sell"
            new.measures, new.subject = ["units_sold"], None
        bare = [s for s in self.spans if not s.has("grammar", "followup") and not all(x[0] == "stop" for x in s.senses)]
        if not new.measures and context.kind == "aggregate" and context.measures == ["count"] and context.subject \
                and len(bare) == 1 and bare[0].first("entity") is not None \
                and bare[0].arg("entity") != context.subject and bare[0].text.endswith("s"):
            # "and distinct orders?" after a count of order lines per category: the other things counted
            f.subject = str(bare[0].arg("entity"))
            bare[0].used = True
        if new.measures == ["count"] and context.kind == "list" and not context.limit:
            # "and how many orders have they placed?" after a list of customers: counted, not listed;
            # "how many came from business customers?" names no thing counted: the listed ones
            f.kind, f.measures, f.show, f.order_by = "aggregate", ["count"], [], None
            # "how many of them went to customers in Sweden?": the listed things counted, the thing named after
            # them a condition on them (not the thing counted)
            f.subject = (None if elliptic or of_them_counted(self) else new.subject) or f.subject
            each = [s for i, s in enumerate(self.spans) if s.text == "each" and not s.used
                    and [t.text for t in self.spans[i + 1:i + 3]] in (["of", "them"], ["of", "those"], ["of", "these"])]
            own = self._thing_dimension(context.subject or "")
            if each and own and f.subject != context.subject:
                # "how many orders did each of them place?" after listed customers: counted per customer
                f.dimensions = [own]
                each[0].used = True
        elif new.measures and context.kind == "list":
            if new.measures == ["count"] and new.subject == "orders" and context.subject == "customers" \
                    and context.limit == 1 and not context.lookup and points_back(self.spans) and len(self.periods) <= 1:
                # "how many orders have they placed?" after the newest customer: the orders of the customer(s)
                # ranked as answered, counted (every status, as "how many orders did customer 7 place")
                return QueryForm(kind="aggregate", subject="orders", measures=["count"],
                                 filters=[Filter("orders.customer_id", "=", [PREVIOUS_ROWS])],
                                 period=self.periods[0] if self.periods else None,
                                 within=copy.deepcopy(context).to_dict())
            key = self.layer.entities.get(context.subject or "", {}).get("key")
            if new.measures == ["count"] and "count:sold" in new.notes and context.subject == "products" \
                    and context.limit and key and (points_back(self.spans) or elliptic) and len(self.periods) <= 1 \
                    and "units_sold" in self.layer.measures:
                # ("how many did we sell this year?" names no thing after "how many": the ranked product(s), as
                # "how many of it"; was: refused)
                # "how many of it did we sell this year?" after the most expensive product: the units sold of the
                # product(s) listed as answered, in the period named
                return QueryForm(kind="aggregate", measures=["units_sold"], dimensions=["product"],
                                 filters=[Filter(f"products.{key}", "=", [PREVIOUS_ROWS])],
                                 period=self.periods[0] if self.periods else None,
                                 within=copy.deepcopy(context).to_dict())
            if any(m.startswith("count") for m in new.measures):
                # "how many did we sell?" after the cheapest product: no count stands beside listed rows
                raise NotUnderstood(f"I could not tell what to count beside the previous answer's rows ("
                                    f"{previous_words(context, self.layer)})",
                                    hint="e.g. 'units sold of it in 2025', 'how many are there?'")
            table = self.layer.entities.get(context.subject or "", {}).get("table")
            own_sum = [m for m in new.measures if re.fullmatch(
                rf"SUM\({re.escape(str(table))}\.\w+\)", str(self.layer.measures.get(m, {}).get("sql", "")))]
            if table and own_sum and own_sum == new.measures and not context.limit and not context.lookup \
                    and not context.within and not context.dimensions and not new.dimensions and not new.grain \
                    and not new.order_by and not {"each", "for each", "their", "its", "per"} & {t.text for t in self.spans}:
                # "and yesterday's revenue?" after yesterday's orders listed: a sum of a column of the listed rows
                # themselves is the total over them (beside each, it would be the row's own amount again; was: the
                # list with each order's total repeated as its revenue, a silent wrong)
                f.kind, f.measures, f.show, f.order_by, f.limit = "aggregate", list(new.measures), [], None, None
                f.notes = [n for n in f.notes if n.startswith(("contains:", "starts:", "activity:"))]
                return f
            if all(m.startswith("sum:") or m in self.layer.measures and not m.startswith("count") for m in new.measures) \
                    and "total" in {t.text for t in self.spans} \
                    and next((t.text for t in self.spans if t.senses), None) not in BESIDE_OPENERS \
                    and not context.limit and not context.lookup and not context.within and not context.dimensions \
                    and not new.dimensions and not new.grain and not new.order_by \
                    and not {"each", "for each", "their", "its", "per"} & {t.text for t in self.spans}:
                # "what's the total value of those orders?" after the orders of undelivered shipments listed: the
                # total said of a column is summed over the listed rows (was: each row's own amount beside it, a
                # silent wrong)
                f.kind, f.measures, f.show, f.order_by, f.limit = "aggregate", list(new.measures), [], None, None
                f.subject = new.subject or f.subject
                f.notes = [n for n in f.notes if n.startswith(("contains:", "starts:", "activity:"))]
                return f
            # "what about margin?" after a list: a column beside the listed things
            f.show += [m for m in new.measures if not m.startswith("count") and m not in f.show]
            for s in self.spans:
                if s.has("grammar", "adding") and not s.used:
                    s.used = True  # "show their margin too": beside the columns already shown, as said
            for k, s in enumerate(self.spans):
                nxt = self.next_content(k)
                if not s.used and (s.text == "for each" or s.text == "each" and k > 0 and self.spans[k - 1].text == "of") \
                        and (nxt is None or not (nxt[1].first("dimension") or nxt[1].first("entity"))):
                    # "how many units of each did we sell last month?" after products listed: each listed one's
                    # own figure, one with none shown as 0 (was: 'each' not placed, refused)
                    s.used = True
                    current = set(self.layer.grammar.get("current_figures", {}).get("measures", []))
                    if "zero_included" not in f.notes and not all(m in current for m in new.measures):
                        # (a figure held now, "how much stock of each", is shown beside each listed one as "how much
                        # stock do they have?" is: it has no sales that could be missing)
                        f.notes.append("zero_included")
            if f.subject == "products" and any(c.startswith("order_items.") for c in f.show) and any(
                    self.layer.measures.get(m, {}).get("entity") == "products" for m in new.measures):
                # "how much stock do we have of those products?" after an order's lines: one row per product
                # with its figure (a product on two lines would be listed, and its stock shown, twice)
                f.show = [c for c in f.show if not c.startswith("order_items.")]
        elif new.measures:
            f.measures = [m for m in new.measures if m != "count"] or new.measures
            if counted(context) and new.measures == ["count"] and new.subject and new.subject != context.subject \
                    and not new.dimensions and points_back(self.spans) and not of_them_counted(self):
                # "and how many orders was that?" after how many customers ordered on the web: the same conditions,
                # the other things counted
                f.subject = new.subject
            elif new.measures == ["count"] and new.subject \
                    and all(d in context.dimensions for d in new.dimensions) \
                    and (context.subject is None or context.kind == "aggregate" and not context.dimensions
                         and new.subject != context.subject) \
                    and not any(m.startswith("count") for m in context.measures) \
                    and self._thing_dimension(new.subject) not in context.dimensions:
                # "what about the number of customers?" after revenue by country: those things counted under
                # the same conditions (never the orders, the default of a count that names no thing); "how many
                # orders had Makita items" after Makita's units sold: a figure's noun (products) was no thing
                # counted, so the things named now are (was: the products counted); the same grouping said again
                # ("how many customers ordered, per country" after revenue per country) changes nothing of it
                f.subject = new.subject
            if new.subject and f.subject and new.subject != f.subject and (f.dimensions or f.lookup):
                # "top customers by revenue" -> "and the number of orders?": orders counted per customer,
                # never the customers counted per customer (one each)
                f.measures = [f"count:{new.subject}" if m == "count" else m for m in f.measures]
                if context.limit and context.order_by in context.measures:
                    # the same top ones, their count beside: a new ranking could name other customers
                    f.measures = [*context.measures, *(m for m in f.measures if m not in context.measures)]
            if f.order_by and f.order_by not in ("count",) and f.order_by in context.measures:
                f.order_by = f.measures[0]
            if of_the_ranked(self, context) and not new.order_by:
                # "how much stock do they have?" after a top 5: the same top ones, the new figure beside
                # (ranking by it could name others); a count of the subject is already there as count:<subject>
                had = {f"count:{context.subject}" if m == "count" else m for m in context.measures}
                f.measures = [*context.measures, *(m for m in f.measures
                                                   if (f"count:{f.subject}" if m == "count" else m) not in had)]
                f.order_by = context.order_by
                for k, s in enumerate(self.spans):
                    left_of, right_of = self.prev_content(k), self.next_content(k)
                    if s.used:
                        continue
                    if s.has("grammar", "adding"):
                        s.used = True  # "units sold for those products as well": beside, as said
                    elif s.text == "each" and [t.text for t in self.spans[k + 1:k + 3]] in (
                            ["of", "them"], ["of", "those"], ["of", "these"]):
                        s.used = True  # "how many orders did each of them place?": one figure per ranked one
                    elif s.text in ("each", "for each") and (s.text == "for each" or k > 0 and self.spans[k - 1].text == "of") \
                            and (right_of is None or not (right_of[1].first("dimension") or right_of[1].first("entity"))):
                        s.used = True  # "how much stock of each is left?": "each" alone, each ranked one
                    elif s.text.isdigit() and int(s.text) == context.limit and (left_of is not None and left_of[1].text in (
                            "those", "these", "same", "the same") or k > 0 and self.spans[k - 1].text in ("those", "these")) \
                            and right_of is not None \
                            and (right_of[1].first("entity") and right_of[1].arg("entity") == context.subject
                                 or right_of[1].first("dimension") and right_of[1].arg("dimension") in context.dimensions):
                        s.used = True  # "those same five products": the N ranked, as many as there were
                measures = self.layer.measures
                for m in f.measures[len(context.measures):]:
                    row_filter = measures.get(m, {}).get("filter")
                    if row_filter and not all(measures.get(c, {}).get("filter") == row_filter for c in context.measures) \
                            and not new.filters and not new.predicates and not context.within \
                            and not any(x.startswith("count") for x in f.measures[len(context.measures):]):
                        # "and how long did their deliveries take?" after the carrier that shipped the most: the
                        # figure counts other rows than the ranking, so it is computed apart for the ranked ones
                        # (the ranking as answered, their population), not beside it (was: refused)
                        g = population_of_the_ranked(self, context, f.measures[len(context.measures):], [], [],
                                                     f.period, f.period_field, list(context.dimensions[:1]))
                        g.unit = new.unit
                        return g
                    if row_filter and not all(measures.get(c, {}).get("filter") == row_filter for c in context.measures):
                        # "and their revenue?" after the top 3 by number of orders: revenue's own condition (no
                        # cancelled or returned orders) would recount the ranking, so the top ones could change
                        raise NotUnderstood(
                            f"their {str(measures[m].get('label', m)).lower()} cannot be put beside that ranking: it counts other "
                            f"rows than the ranking did, so the top ones could change ({previous_words(context, self.layer)})",
                            hint="ask for the ranking by that figure, or for the figure of the ones named")
            dated = {e["table"]: e.get("period") for e in self.layer.entities.values()}
            undated = all(m in self.layer.measures and "sql" in self.layer.measures[m] and all(
                t in dated and not dated[t] for t in self.layer.measure_tables(m)) for m in f.measures)
            if undated and f.period and not self.periods and not f.grain and not f.compare_period and not f.derived:
                # "and the average margin of the products in each category?" after revenue this year: a figure of
                # the catalog has no date, so the previous figure's period does not apply to it (the answer
                # names no period)
                f.period, f.period_field = None, None
            current = set(self.layer.grammar.get("current_figures", {}).get("measures", []))
            if all(m in current for m in f.measures) and not any(m in current for m in context.measures) \
                    and not self.periods and not new.grain and not new.compare_period and not new.derived:
                # "and how many are on hand?" after a product's units sold this year by month: what is held now
                # has no period of the sales (layer current_figures); the product kept, the months dropped
                f.period, f.period_field, f.grain, f.compare_period = None, None, None, None
            f.derived = new.derived or (context.derived if context.derived and context.derived.get("kind") == "share"
                                        and not context.derived.get("condition") else None)
        # "same for brands": the new grouping replaces the old one of the same role; a dimension
        # named to be dropped ("forget the category") is no new grouping
        dropped = set()
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            if (s.has("grammar", "drop_filter") and s.text not in ("all", "any", "every") or
                    self._every_of_one_value(context, i)) and nxt is not None and nxt[1].first("dimension"):
                dropped.add(nxt[1].arg("dimension"))
        # "and their categories?": a column named bare describes the ranked ones (a dimension of their table)
        grains = [k for k, s in enumerate(self.spans) if s.first("grain") is not None]
        finest = next((g for g in ("month", "quarter", "year") if context.period is not None
                       and unit_of(context.period, g) is not None), None)
        if new.grain and context.period and not self.periods and len(grains) == 1 and grains[0] > 0 \
                and self.spans[grains[0] - 1].text in ("that", "the same") \
                and self.spans[grains[0]].arg("grain") == new.grain == finest:
            # "how many orders did each of them place that year?" after a top 10 of 2025: "that year" points at
            # the previous answer's period (kept), no grouping by year (was: the customers regrouped by year); only
            # the finest unit the period lies in ("that month" after a year is no period of it)
            new.grain = None
            self.spans[grains[0]].used = True
        shown = [d for d, spec in self.layer.dimensions.items() if spec.get("column") in new.show]
        # "do it by brand instead" after the top 5 products: "instead" replaces the grouping, even with a
        # pointer ("it") at the ranked ones (was: the brand beside each product)
        instead = any(s.text == "instead" for s in self.spans)
        beside = [d for d in [*new.dimensions, *shown]
                  if d not in dropped and d not in f.dimensions and not instead and of_the_ranked(self, context, d)]
        regrouped = [d for d in new.dimensions if d not in dropped]
        adding = bool(regrouped or new.grain) and adds_grouping(self)
        if beside:
            f.dimensions += beside  # "what city are they in?" after a top 3 customers: the city beside each
            for s in self.spans:
                if s.has("grammar", "adding") and not s.used:
                    s.used = True  # "add their city", "their country too": beside, as said
        elif regrouped:
            if adding:
                f.dimensions += [d for d in regrouped if d not in f.dimensions]  # "split that by channel too"
            else:
                f.dimensions = regrouped
                f.grain = None  # "by country instead": no longer per month (a grain named beside is set below)
            if context.kind == "list" and not context.limit and not new.measures and f.kind == "list" \
                    and ({"by", "per"} & set(texts) or any(s.has("grammar", "group_by") for s in self.spans)):
                # "break that down by channel", "by which carriers?" after a list: the listed rows counted per
                # group (a list has no groups: the grouping was dropped and the same rows listed again);
                # "which brands are they?" names a column beside each row instead; "per warehouse" after the
                # discontinued products with their stock: the figure shown beside them summed per group
                figures = [c for c in context.show if c in self.layer.measures]
                f.kind, f.measures, f.show, f.order_by = "aggregate", figures or ["count"], [], None
        for d in regrouped:
            # (a condition on the dimension's own column is on it too: "count per discount level" after the lines
            # with a 20% discount, every level; was: the one level kept, one row)
            on_it = {d, self.layer.dimensions.get(d, {}).get("column")}
            if not any(x.field in on_it for x in new.filters):
                # "and by carrier?" after DHL's late shipments: every carrier, one row each (was: the one
                # carrier named before, grouped into one row); two or more values named stay ("Finland and Sweden")
                f.filters = [x for x in f.filters if not (x.field in on_it and x.op == "=" and len(x.values) == 1)]
        if new.grain:
            f.grain = new.grain
            if not adding and not regrouped and not beside:
                # "now by month": the months replace the previous groups; a group narrowed to two or more values
                # named to compare ("Makita and Bosch only") stays, each one's months apart (was: summed together)
                f.dimensions = [d for d in f.dimensions if any(x.field == d and x.op == "in" and len(x.values) > 1
                                                               for x in f.filters)]
        key = f"{new.lookup['entity']}_id" if new.lookup else None
        bare_units = any(s.text == "units" and s.first("measure") for s in self.spans)
        including = [s for s in self.spans if not s.used and (s.text in INCLUDING or s.has("grammar", "adding"))]
        for flt in new.filters:
            unit = self.layer.measures.get(flt.field, {}).get("unit")
            if bare_units and unit and any(
                    x.field != flt.field and x.op == flt.op and x.values == flt.values
                    and self.layer.measures.get(x.field, {}).get("unit") == unit for x in context.filters):
                continue  # "and all products under 100 units" after stock under 100 units: that bound said again
            if key and flt.field.endswith("." + key):
                # "and order 43?": the same question about another id, whichever table held the id
                same = [x for x in f.filters if x.field.endswith("." + key)]
                for x in same:
                    x.values = list(flt.values)
                if same:
                    continue
            kept = next((x for x in f.filters if x.field == flt.field and x.op in ("=", "in")), None)
            if including and kept is not None and flt.op in ("=", "in") and not set(flt.values) <= set(kept.values):
                # "include consumers too" after business customers' revenue: both values now, not the new one in
                # place of the old (was: refused, 'include' not placed)
                kept.op, kept.values = "in", list(dict.fromkeys([*kept.values, *flt.values]))
                if f.compare and f.compare["dimension"] == flt.field:
                    f.compare = {**f.compare, "values": list(kept.values)}  # "add Tampere too": compared as well
                for said in [*including, *(y for y in self.spans if y.text in ("too", "also", "as well"))]:
                    said.used = True
                continue
            left_out = next((x for x in f.filters if x.field == flt.field and x.op in ("not in", "!=")), None)
            if including and left_out is not None and flt.op in ("=", "in") and set(flt.values) <= set(left_out.values):
                # "include the cancelled ones too" after orders excluding cancelled: those values no longer left out
                # (was: refused, and the new value read as the only one)
                left_out.values = [v for v in left_out.values if v not in flt.values]
                if not left_out.values:
                    f.filters = [x for x in f.filters if x is not left_out]
                for said in [*including, *(y for y in self.spans if y.text in ("too", "also", "as well"))]:
                    said.used = True
                continue
            if kept is not None and kept.op == flt.op == "=" and len(kept.values) == len(flt.values) == 1 \
                    and kept.values != flt.values:
                # "Turku for the same period?" after Tampere's revenue: the value it replaces, kept for "both" next
                f.notes = [n for n in f.notes if not n.startswith(f"{SWAPPED}{flt.field}:")]
                f.notes.append(f"{SWAPPED}{flt.field}:{json.dumps(kept.values[0])}")
            f.filters = [x for x in f.filters if x.field != flt.field]
            # "what about Finland as a whole?" after Oulu: a place that holds the previous one (layer place_within)
            # replaces it, never narrowed by it (was: Oulu kept beside Finland, a silent wrong)
            inner = [d for d, outer in self.layer.grammar.get("place_within", {}).items() if outer == flt.field]
            if inner and flt.op in ("=", "in") and not any(x.field in inner for x in new.filters):
                f.filters = [x for x in f.filters if x.field not in inner]
            f.filters.append(flt)
            if f.compare and f.compare["dimension"] == flt.field and flt.op == "in" and len(flt.values) > 1:
                f.compare = {**f.compare, "values": list(flt.values)}  # "what about Denmark and Estonia?": compared
            elif f.compare and f.compare["dimension"] == flt.field:
                f.compare = None
                f.dimensions = [d for d in f.dimensions if d != flt.field]
        if f.within and any(x.field in (f.within.get("dimensions") or []) and x.op in ("=", "in") for x in new.filters):
            # "and how many Oslo customers ...?" after the city with the most customers: the value named replaces
            # the previous top one (kept, it would leave nothing unless Oslo were that city)
            f.within = None
        for k, s in enumerate(self.spans[:-2]):
            if s.first("predicate") and [x.text for x in self.spans[k + 1:k + 3]] == ["or", "not"]:
                # "active or not": the condition and its complement together are every one, so neither stays
                named = str(s.arg("predicate"))
                f.predicates = [q for q in f.predicates if not same_columns(self.layer, named, q)]
                new.predicates = [q for q in new.predicates if q != named]
                for said in self.spans[k:k + 3]:
                    said.used = True
        for p in new.predicates:
            together = [q for q in f.predicates if complementary(self.layer, p, q)]
            if together and including and p not in f.predicates:
                # "including inactive ones", "and the inactive ones too" after active products: a condition and
                # its complement together are every row, so neither stays
                f.predicates = [q for q in f.predicates if q not in together]
                for s in including:
                    s.used = True
                continue
            if p not in f.predicates:
                # "and inactive?" after "active products": a condition on the same columns replaces the old one;
                # never one said in the same follow-up ("how many of them were delivered late": late and
                # delivered together; was: the second replaced the first)
                f.predicates = [q for q in f.predicates if q in new.predicates or not same_columns(self.layer, p, q)]
                f.predicates.append(p)
        if new.limit:
            f.limit = new.limit
        elif new.order_by and ({s.text for s in self.spans} & {"which", "who", "one"} or the_superlative(self.spans)) \
                and not superlative_ones(self.spans) and (not any((s.first("entity") or s.first("dimension")) and s.text.endswith("s") for s in self.spans)
                     or self._one_of_them()):
            f.limit = 1  # "which of those spent the most?", "and the slowest?": one of them
        elif new.order_by and f.kind == "list" and new.order_by not in self.layer.measures and self._singular():
            f.limit = 1  # "when did they last order?": their one latest order, as asked without a context
        elif context.limit == 1 and new.measures and new.dimensions and new.dimensions == context.dimensions and \
                not new.order_by and "ranked" not in new.notes and not the_superlative(self.spans) and any(
                    s.has("grammar", "group_by") or s.text in EACH_WORDS for s in self.spans):
            f.limit = None  # "and in units sold per channel?" after the one channel ranked first: every channel
        if new.order_by and new.order_by not in f.measures and (
                new.order_by in self.layer.measures or new.order_by.startswith("count:") and not new.measures
                and f.kind == "aggregate" and f.dimensions):
            # ("by number of orders instead" after the top customers by spend: ranked on the count, which is
            # the figure shown; was: the count was the order and the old figure stayed, so it ranked by that)
            f.measures = [new.order_by]
            f.order_by = new.order_by
        elif new.order_by:
            f.order_by = new.order_by
        # "what about by units sold instead of revenue?" after the lowest revenue: the same end of the ranking,
        # on the new figure (a follow-up that says no direction does not turn "lowest" into "highest")
        said_way = any(s.first("superlative") or s.first("ranking") or s.has("mover") for s in self.spans)
        keep_way = bool(new.order_by) and not new.limit and not said_way and context.order_by is not None \
            and context.direction == "asc"
        # ("which brand grew the most ..." after "... fell the most ...": the way said again is the new one)
        f.direction = new.direction if (new.order_by or new.limit or said_way) and not keep_way else f.direction
        # ("which month was the best?" after revenue by month: the periods of a grain are groups too; was: refused)
        if "ranked" in new.notes and not new.order_by and not new.limit and len(f.measures) == 1 \
                and (f.dimensions or f.grain and "sorted" not in new.notes) and f.kind == "aggregate" and not f.compare and (not f.derived or f.derived.get("kind") == "share"
                                                                 and not new.derived):
            # "and the lowest?", "which was the best?" after figures per group: ranked on that one figure (per
            # month too: "which month was the weakest?" after revenue per month)
            f.order_by, f.direction = f.measures[0], new.direction
            f.limit = 1 if ({s.text for s in self.spans} & {"which", "who", "one"} or the_superlative(self.spans)) \
                and not superlative_ones(self.spans) else f.limit
        share_followup = bool(new.derived and new.derived.get("kind") == "share" and not new.measures)
        if share_followup:
            # "and the share of all orders?": the previous condition becomes the share's condition
            f.derived = {"kind": "share", "scale": new.derived.get("scale", "fraction")}  # type: ignore[union-attr]
            averaged = bool(context.measures) and all(self.layer.measures.get(m, {}).get("row_sql")
                                                      for m in context.measures)
            whole = share_whole(self, new) and len(context.predicates) == 1 and context.predicates[0] not in new.predicates
            # "now show the share of late deliveries instead" after the average delivery time per carrier (no
            # ranking): the share replaces the average too, per the same groups (was: refused, a share of an average)
            if averaged and new.predicates and (context.order_by in context.measures or context.order_by is None
                                                and context.dimensions) and not whole:
                # "and by late rate instead? lowest share of late deliveries" after the fastest carrier by average
                # delivery time: the share of the condition's things replaces the average as what is ranked
                # (was: refused, a share of an average delivery time)
                p = new.predicates[-1]
                f.measures, f.order_by = ["count"], "count" if context.order_by else None
                f.subject = self.layer.measures[context.measures[0]].get("entity") or f.subject
                f.derived["condition"] = {"predicate": p}
                f.predicates = [q for q in f.predicates if q != p]
                if any(s.first("superlative") or s.first("ranking") for s in self.spans):
                    f.direction = new.direction
            elif whole:
                # "now as a share of delivered shipments" after late ones: late of the delivered ones
                f.derived["condition"] = {"predicate": context.predicates[0]}
                f.predicates = [p for p in f.predicates if p != context.predicates[0]]
                f.predicates += [p for p in new.predicates if p not in f.predicates]
                if f.kind == "list":  # a share of listed things is a count of them (as _share_condition makes it)
                    f.kind, f.measures, f.show, f.order_by, f.limit = "aggregate", ["count"], [], None, None
            elif context.derived and context.derived.get("kind") == "share" and context.derived.get("condition") \
                    and not new.predicates and not new.derived.get("condition") and all(  # type: ignore[union-attr]
                        x.op in ("=", "in") and (context.filter_on(x.field) is not None or self._scale_only() and
                                                 x.field != (context.derived["condition"].get("filter") or {}).get(
                                                     "field")) for x in new.filters):
                # "give it as a percentage" after a share: the same share, on the scale asked; "and for web, as a
                # percent" after the b2b rate: a value swapped for one the whole was taken of, the same share too;
                # "and for web, as a percent" after the cancelled share: only the scale is said, so a new value
                # narrows the whole (a new share would name its share word: "and the share of web orders?")
                f.derived = {**context.derived, "scale": f.derived["scale"]}
        cond = ((context.derived or {}).get("condition") or {}).get("filter") \
            if (context.derived or {}).get("kind") == "share" else None
        swapped = [x for x in new.filters if cond and x.field == cond["field"] and x.op in ("=", "in")]
        if cond and not new.derived and len(swapped) == 1 and f.derived and f.derived.get("condition") and \
                f.derived["condition"].get("filter") == cond and (f.filter_on(cond["field"]) or None) is not None:
            # "and returned?" after "share of orders cancelled per channel": the value swapped is the share's
            # condition (the share of returned ones), not a filter on the whole it is taken of
            f.derived = {**f.derived, "condition": {"filter": {**cond, "op": swapped[0].op,
                                                               "values": list(swapped[0].values)}}}
            f.filters = [x for x in f.filters if x.field != cond["field"]]
        if new.lookup:
            f.lookup = new.lookup
        # "what about all channels?": drop the filter on that dimension
        dropping = bool(self.widened)
        places = self.layer.grammar.get("everywhere", {}).get("dimensions", [])
        for k, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "everywhere") or k + 1 < len(self.spans) and self.spans[k + 1].text == "else":
                continue
            # "and everywhere?" after the stock in Kuopio: every place, the condition on a place dropped (layer
            # grammar.everywhere); "everywhere else" keeps the place out, which is not read here
            if any(x.field in places for x in f.filters) or any(d in places for d in self.widened):
                f.filters = [x for x in f.filters if x.field not in places]
                s.used = True
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            # "and for every carrier combined?": every one together (noted any:), as "all carriers"
            summed = s.text == "for every" and nxt is not None and nxt[1].first("dimension") is not None and \
                f"any:{nxt[1].arg('dimension')}" in new.notes or self._every_of_one_value(context, i)
            if s.has("grammar", "drop_filter") or s.text in ("all", "any", "every") or summed:
                target = None
                if nxt and nxt[1].first("dimension"):
                    target = nxt[1].arg("dimension")
                elif nxt and self.values_of(nxt[1]) and s.has("grammar", "drop_filter") \
                        and s.text not in ("all", "any", "every"):  # "all Makita products" keeps Makita
                    target, value = self.values_of(nxt[1])[0]  # "drop the web filter"
                    drop_value(f, context, target, value)
                    s.used = nxt[1].used = True
                    part = self.spans[nxt[0] + 1] if nxt[0] + 1 < len(self.spans) else None
                    if part is not None and part.text in ("part", "bit", "condition", "criterion"):
                        part.used = True  # "drop the store part": the condition on that value
                    continue
                elif nxt and nxt[1].first("entity"):
                    target = self._thing_dimension(nxt[1].arg("entity"))
                    if nxt[1].arg("entity") == "orders":
                        # "all orders": every status (of a share: the whole it is taken of)
                        if not share_followup:
                            f.filters = [x for x in f.filters if x.field != "status"]
                            f.predicates = []
                        s.used = nxt[1].used = True
                        continue
                    if share_followup and s.text == "all" and nxt[1].arg("entity") == f.subject and f.derived:
                        # "the share of late ones, out of all their shipments": of every one, not only those whose
                        # condition is already decided (delivered ones)
                        f.derived["of_all"] = True
                        s.used = nxt[1].used = True
                        continue
                if target and nxt is not None:
                    f.filters = [x for x in f.filters if x.field != target]
                    if nxt[1].first("entity") and s.text in ("all", "every"):
                        # "and for all customers?" after business customers: no condition on the customers' own
                        # columns is left (every customer)
                        table = self.layer.entities[str(nxt[1].arg("entity"))]["table"]
                        there = self._there_after(nxt[0], places)
                        f.filters = [x for x in f.filters if not str(self.layer.dimensions.get(x.field, {}).get(
                            "column", x.field)).startswith(f"{table}.") or there and x.field in places]
                    if s.text not in ("all", "any", "every"):  # "forget the category": its grouping too
                        f.dimensions = [d for d in f.dimensions if d != target]
                    elif target not in context.dimensions and not any(
                            k not in (i, nxt[0]) and t.has("dimension", target) and not self.values_of(t)
                            and self.spans[k - 1].text not in ("all", "any", "every")
                            for k, t in enumerate(self.spans) if k > 0):
                        # "all channels" drops a filter, it adds no grouping (unless the groups are asked too: "is
                        # it low in any warehouse? list the warehouses")
                        f.dimensions = [d for d in f.dimensions if d != target] or [
                            d for d in context.dimensions if d != target]
                    elif i > 0 and self.spans[i - 1].text == "across" and not new.dimensions:
                        # "how many across all warehouses?" after stock by warehouse: summed over them, no longer
                        # split (was: the split kept, so nothing changed)
                        f.dimensions = [d for d in f.dimensions if d != target]
                        f.limit, f.order_by = None, f.order_by if f.order_by in f.measures else None
                    if f.compare and f.compare["dimension"] == target:
                        f.compare = None
                        f.dimensions = [d for d in f.dimensions if d != target]
                    s.used = nxt[1].used = True
                    trailing = self.spans[nxt[0] + 1] if nxt[0] + 1 < len(self.spans) else None
                    if trailing is not None and trailing.text == "again" and not trailing.senses:
                        trailing.used = True  # "all brands again" after only Oras: every one, as before it was narrowed
                    if i > 0 and self.spans[i - 1].text in INCLUDING:
                        self.spans[i - 1].used = True  # "include all channels": as "all channels"
                    dropping = True
            elif s.has("grammar", "every_customer") and not s.used and "customers" in self.layer.entities:
                # "now for everyone" after business customers: no condition on the customers is left, as "and for
                # all customers?" (was: "everyone" unread, so nothing changed)
                table = self.layer.entities["customers"]["table"]
                f.filters = [x for x in f.filters if x.field != "customer" and not str(
                    self.layer.dimensions.get(x.field, {}).get("column", x.field)).startswith(f"{table}.")]
                s.used = dropping = True
        for dim in self.widened:
            # "all Makita products, not just tools": the condition on that field goes (the rest kept)
            f.filters = [x for x in f.filters if x.field != dim]
        if dropping:
            for s in self.spans:
                if s.has("grammar", "adding") and not s.used:
                    s.used = True  # "and all segments too": a condition dropped beside the one dropped before
        # "and overall?": the same figure without the groupings and filters of the dimensions
        for s in self.spans:
            if not s.used and s.text == "overall" and self.widened:
                s.used = True  # "and overall, not just tools": across every value, the rest of the question kept
            if not s.used and s.text in self.layer.grammar.get("overall", []) and not new.dimensions and not new.filters:
                f.filters = [x for x in f.filters if x.field not in self.layer.dimensions]
                f.dimensions, f.grain, f.compare, f.limit, f.per_group = [], None, None, None, []
                f.order_by = f.order_by if f.order_by in f.measures else None
                s.used = True
        # "and in total?" after figures per warehouse: the same figure summed over the groups (the filters kept)
        texts = [s.text for s in self.spans]
        total = [k for k in range(len(texts) - 1) if texts[k:k + 2] == ["in", "total"] and not self.spans[k + 1].used]
        if total and (f.dimensions or f.grain) and not new.dimensions and not new.grain and f.kind == "aggregate" \
                and not f.compare and not f.derived:
            f.dimensions, f.grain, f.limit, f.per_group = [], None, None, []
            f.order_by = f.order_by if f.order_by in f.measures else None
            self.spans[total[0]].used = self.spans[total[0] + 1].used = True
        # "and the total?", "just the total", "total across all warehouses?" after figures per group: a summed figure
        # (or a count) over the groups, the filters kept, as "in total" (was: refused, nothing changed)
        summed = all(m == "count" or m.startswith("count:") or str(self.layer.measures.get(m, {}).get("sql", "")).upper()
                     .startswith("SUM(") for m in f.measures)
        bare_total = [s for s in self.spans if not s.used and s.text in ("total", "sum", "grand total", "total across",
                                                                        "total over", "sum across", "summed across")]
        if len(bare_total) == 1 and (context.dimensions or context.grain) and not new.dimensions and not new.grain \
                and not new.measures and not new.filters and not new.predicates and f.kind == "aggregate" and summed \
                and f.measures and not f.compare and not f.derived and not f.limit and not f.per_group:
            across = [k for k, s in enumerate(self.spans) if s.text in ("all", "every") and k + 1 < len(self.spans)
                      and self.spans[k + 1].first("dimension") in [("dimension", d) for d in context.dimensions]]
            f.dimensions, f.grain, f.order_by = [], None, None
            bare_total[0].used = True
            for k in across:  # ("total across all warehouses": the groups said, summed)
                self.spans[k].used = self.spans[k + 1].used = True
        summed_groups = [n[4:] for n in new.notes if n.startswith("any:") and n[4:] in f.dimensions]
        if summed_groups and summed and f.measures and f.kind == "aggregate" and not new.dimensions \
                and any(s.has("grammar", "summed_over") for s in self.spans) and not f.limit and not f.compare:
            # "total across all warehouses?" after a product's stock per warehouse: summed over those groups (was:
            # refused, the groups kept)
            f.dimensions = [d for d in f.dimensions if d not in summed_groups]
            f.order_by = f.order_by if f.order_by in f.measures else None
        # "and the month before?": the previous period of that grain
        previous = [s for s in self.spans if s.has("grammar", "previous") and not s.used]
        if previous and context.period and not new.period and not self.periods:
            grain = next((s.arg("grain") for s in self.spans if s.first("grain")), None)
            f.period = shift_back(context.period, grain, whole=True)
            counted_days = [(a, b) for a, b in zip(self.spans, self.spans[1:], strict=False)
                            if a.first("number") is not None and b.arg("grain") in ("day", "week") and not a.used]
            if len(counted_days) == 1:
                # "and the 30 days before that?": that many days (weeks) right before the previous period
                num, days = counted_days[0][0], 7 if counted_days[0][1].arg("grain") == "week" else 1
                length = int(float(num.arg("number"))) * days
                start = context.period.start_date
                f.period = _period(start - timedelta(days=length), start - timedelta(days=1),
                                   f"the {length} days before")
                num.used = True
            for s in self.spans:
                # ("and the period before?": the previous answer's own unit, as "the one before" says it)
                if s.has("grammar", "previous") or (s.first("grain") and not s.used) or s.text in (
                        "period", "time period", "timeframe", "time frame"):
                    s.used = True
        elif previous and context.period and len(self.periods) == 1 and not new.derived:
            # "and the quarter before that, Q2 2026?": the period named is the one counted back from the previous
            # answer's, said twice (was: 'quarter', 'before' not placed, refused); another period is not guessed
            grain = next((s.arg("grain") for s in self.spans if s.first("grain") and not s.used), None)
            back = shift_back(context.period, grain, whole=True) if grain else None
            if back is not None and (back.start, back.end) == (self.periods[0].start, self.periods[0].end):
                for s in self.spans:
                    if not s.used and (s.has("grammar", "previous") or s.first("grain")):
                        s.used = True
        compare_word = [s for s in self.spans if s.has("grammar", "compare") and not s.used]
        if new.derived and new.derived.get("kind") == "growth" and f.period:
            # "what's the growth vs the previous month?": against the period before the previous answer's
            grain = next((s.arg("grain") for s in self.spans if s.first("grain")), None)
            other = [p for p in self.periods if (p.start, p.end) != (f.period.start, f.period.end)]
            earlier = earlier_period(context)
            if not other and earlier is not None and between_them(self.spans):
                # "what's the growth between them?" after two turns of two periods: the later over the earlier
                f.period, earlier = sorted((f.period, earlier), key=lambda p: p.start, reverse=True)
                other = [earlier]
                for s in self.spans:
                    if s.text == "between" or s.text in ("them", "those", "these", "both", "two"):
                        s.used = True
            f.derived, f.compare_period = {"kind": "growth"}, other[0] if other else shift_over(
                f.period, [s.text for s in self.spans], grain)
            for s in self.spans:
                if not s.used and (s.has("grammar", "previous") or s.has("grammar", "compare") or s.first("grain")
                                   or s.text.startswith("__period")):
                    s.used = True
        elif self.periods and compare_word and context.period and len(self.periods) == 1:
            # "compare that with last year": the previous period beside the new one
            f.period, f.compare_period = context.period, self.periods[0]
            f.derived = f.derived or {"kind": "periods"}
            for s in compare_word:
                s.used = True
        elif self.periods:
            f.period = self.periods[0]
            if new.period_field:
                f.period_field = new.period_field  # "which of those were shipped before May?": that event's date
            if len(self.periods) > 1:
                f.compare_period = self.periods[1]
            for s in self.spans:
                if s.text.startswith("__period"):
                    s.used = True
        if context.period and not self.periods and not new.period:
            # "how many orders did they place in that time?", "... that year": the previous period, kept
            # ("per month within the quarter" after last quarter, "total for the week" after the last 7 days: "the"
            # + the one unit the previous period is, the same period; "over the same period": its preposition too)
            days = (context.period.end_date - context.period.start_date).days + 1
            finest = "week" if days == 7 else next((g for g in ("month", "quarter", "year")
                                                    if unit_of(context.period, g) is not None), None)
            for k, (a, b) in enumerate(zip(self.spans, self.spans[1:], strict=False)):
                if not b.used and (a.text in ("that", "the same") and (b.text in ("time", "period", "timeframe")
                                                                      or b.first("grain") is not None)
                                   or a.text == "the" and b.first("grain") is not None and b.arg("grain") == finest
                                   and b.text == finest):
                    b.used = True
                    if k > 0 and self.spans[k - 1].text in ("over", "within", "during", "for", "in") \
                            and not self.spans[k - 1].used:
                        self.spans[k - 1].used = True
            for k, s in enumerate(self.spans[2:], start=2):
                if s.text in ("same period", "same time", "same timeframe") and self.spans[k - 1].text == "the" \
                        and self.spans[k - 2].text in ("over", "within", "during") and not self.spans[k - 2].used:
                    self.spans[k - 2].used = True  # "over the same period": the previous period, kept
        one_customer = any(x.field in ("customer", "customers.customer_id", "orders.customer_id") and x.op == "="
                           and len(x.values) == 1 for x in context.filters)
        for s in self.spans:
            if s.has("grammar", "followup") and not s.used:
                s.used = True
            elif s.has("grammar", "person_pronoun") and not s.used and one_customer:
                s.used = True  # "and his revenue?" after a question about one customer: that customer
        for s in self.spans:
            if not s.used and s.first("unit") and "delivery_time" in [m.split(":")[-1] for m in f.measures]:
                f.unit = s.arg("unit")  # "in hours instead"
                s.used = True
        for n in new.notes:
            if n.startswith("unit:"):
                f.unit = n.split(":", 1)[1]  # "in hours instead"
            elif n.startswith(("contains:", "starts:")) and n not in f.notes:
                f.notes.append(n)
            elif n.startswith("activity:") and n not in f.notes and self.periods and f.period_field is None:
                # "which of them ordered in October?" after customers: the new period is on that activity
                # (the order date), not on the customers' own date (signup)
                f.notes.append(n)
            elif n == "activity:orders" and n not in f.notes and not self.periods and f.subject == "customers":
                # "how many of them have ordered something?" after customers: the ones with an order (the
                # verb is a condition on them, kept as "customers who have ordered" keeps it)
                f.notes.append(n)
        for i, s in enumerate(self.spans):
            if s.has("grammar", "group_by") and s.text != "by" and not s.used and self.next_content(i) is None \
                    and (f.dimensions or f.grain) and f.kind == "aggregate" and (
                        not new.dimensions and not new.grain or any(x.used and (x.first("dimension") or x.first(
                            "grain")) for x in self.spans[:i])):
                # "and the number of late ones for each?": each of the previous answer's groups; "which categories
                # are they in, and how many in each": each of the groups just named (was: refused on "in each")
                s.used = True
        if new.unit:
            f.unit = new.unit
        self._aggregate_swap(f, new)
        self._on_those_rows(f, context)
        if f.unit and not new.unit and context.unit and not any(
                self.layer.measures.get(m.split(":")[-1], {}).get("units")
                for m in f.measures + [x.field for x in f.filters]):
            f.unit = None  # "and the number of undelivered shipments?" after days per carrier: the unit went with its time
        # "only Oslo customers" after open orders listed: the thing named only carries the value that restricts
        # the listed ones (their customers in Oslo), no new list of customers
        carried = context.kind == "list" and bool({"only", "just"} & set(texts)) and all(
            k > 0 and self.values_of(self.spans[k - 1]) for k, x in enumerate(self.spans) if x.has("entity", new.subject))
        if new.subject and new.subject != f.subject and f.kind == "list" and not (picking and context.kind == "list") \
                and not carried:
            # ("which of them have open orders?" after customers listed: the listed ones, the orders a condition)
            f.subject = new.subject
        if within:
            # the previous top N as it was answered; the new condition keeps some of them
            f.within, f.limit = replace(context, within=None).to_dict(), None
            # "which of them are at or below their reorder level?": the figures the condition shows beside each
            # row (stock, reorder level) are shown here too (was: dropped)
            f.show += [c for c in new.show if c not in f.show]
        if f.kind == "list" and context.kind == "list" and new.show and not new.measures and points_back(self.spans):
            # "what's its status?" after her latest order: the column asked, beside the same row(s)
            f.show += [c for c in new.show if c not in f.show]
            for s in self.spans:
                if s.has("grammar", "adding") and not s.used:
                    s.used = True  # "give me their emails too": beside the columns already shown, as said
        if f.kind == "list" and f.dimensions and context.kind == "list" and context.limit and not context.lookup:
            # "which carrier has it?" after the largest order: a list has no groups, so the group named is a
            # column beside the ranked rows (the same rows; was dropped unsaid); one with no column is not guessed
            columns = [self.layer.dimensions.get(d, {}).get("column", "") for d in f.dimensions]
            figures = [c for c in context.show if c in self.layer.measures]
            key = self.layer.entities.get(context.subject or "", {}).get("key")
            table = self.layer.entities.get(context.subject or "", {}).get("table")
            if figures and key and table and new.dimensions and not new.measures and all(
                    c.split(".")[0] != table for c in columns) and all(
                    re.fullmatch(r"[a-z_]+\.[a-z_]+", c) for c in columns):
                # "per warehouse" after the stock of the most expensive product: the figure shown beside the ranked
                # row(s), split by the group named, for the same row(s) as answered (was: the ranked list grouped
                # by it, so its limit kept one warehouse's row: a silent wrong)
                return QueryForm(kind="aggregate", subject=context.subject, measures=figures,
                                 dimensions=list(f.dimensions), filters=[Filter(f"{table}.{key}", "=", [PREVIOUS_ROWS])],
                                 within=copy.deepcopy(context).to_dict())
            if not all(re.fullmatch(r"[a-z_]+\.[a-z_]+", c) for c in columns):
                raise NotUnderstood(f"I could not tell what {self.question!r} asks of the previous answer's rows ("
                                    f"{previous_words(context, self.layer)})",
                                    hint="e.g. 'who placed it?', 'how many are there?'")
            f.show += [c for c in columns if c not in f.show]
            f.dimensions = []
        valued = {str(self.layer.dimensions.get(x.field, {}).get("column") or x.field) for x in f.filters
                  if x.op in ("=", "in") and x in new.filters and x not in context.filters}
        if valued and f.predicates:
            # "and how many are shipped (status shipped)?" after open orders: a value named on the very column a kept
            # condition reads (open: status pending or paid) replaces that condition, as another condition on the
            # same columns does (was: both kept, status shipped and open, a silent wrong of 0); a value left out
            # ("without the paid ones") narrows it instead
            f.predicates = [q for q in f.predicates if q in new.predicates
                            or not valued & predicate_columns(self.layer, q)]
        before, after = context.to_dict(), f.to_dict()
        before.pop("notes"), after.pop("notes")
        # "how many of them have placed an order?" after customers: the activity kept as a condition on them (read
        # once merged, as "customers who have placed an order" reads it) is a change (was: refused, nothing changed)
        before["activity"] = sorted(n for n in context.notes if n.startswith("activity:"))
        after["activity"] = sorted(n for n in f.notes if n.startswith("activity:"))
        if before == after and context.lookup and context.kind == "list" and new.show \
                and all(c in context.show for c in new.show):
            # "and the tracking number?" after the details of one order: already among its columns, so the
            # same row answers it (nothing changes, yet nothing is guessed)
            return f
        if before == after and context.limit == 1 and new.measures and context.measures \
                and all(m in context.measures for m in new.measures) and points_back(self.spans):
            # "how many spare units does it have above the reorder level?" after the warehouse with the most: the
            # figure of the one found, already beside it in the same row (nothing changes, nothing is guessed)
            return f
        if before == after and context.kind == "list" and not context.lookup and new.measures and not (
                new.filters or new.predicates or new.dimensions or new.grain or self.periods) \
                and all(m in context.show for m in new.measures) and points_back(self.spans):
            # "and their stock?" after products listed each with their stock: the figure asked of the listed rows is
            # already beside each of them, so the same rows answer it (nothing changes, nothing is guessed; was:
            # refused as naming no change)
            return f
        overall = [n[4:] for n in new.notes if n.startswith("any:") and n[4:] in self.layer.dimensions]
        if before == after and context.kind == "aggregate" and overall and all(m in context.measures for m in new.measures) \
                and not any(context.filter_on(d) or d in context.dimensions for d in overall) \
                and not (new.filters or new.predicates or new.dimensions or new.grain or self.periods):
            # "how many across all warehouses?" after a product's stock: the figure was already over every
            # warehouse, so the same answer is the one asked (nothing changes, nothing is guessed)
            return f
        if before == after and context.kind == "list" and not context.lookup and new.measures \
                and all(m in context.show for m in new.measures) and any(s.text in EACH_WORDS for s in self.spans) \
                and not (new.filters or new.predicates or new.dimensions or new.grain or new.order_by or self.periods):
            # "how many units of each?" after the inactive products still in stock, each listed with its stock: the
            # figure asked of each row is already beside it (nothing changes, nothing is guessed; was: refused)
            return f
        if before == after:
            # re-running the previous answer for a question that changes nothing would be a guess
            raise NotUnderstood(f"I could not tell what {self.question!r} changes in the previous question ("
                                f"{previous_words(context, self.layer)})",
                                hint="e.g. 'and units sold?', 'and in 2024?', 'same for brands'")
        if context.period and f.period and (f.period.start, f.period.end) != (context.period.start, context.period.end):
            # kept for "what's the growth between them?" on the next turn
            f.notes = [n for n in f.notes if not n.startswith(EARLIER)] + [earlier_note(context.period)]
        return f

    def _what_they_bought(self, f: QueryForm) -> None:
        """"What did customer 15 buy?", "what has <customer> purchased this year?": "what" is the object of the verb of
        purchase, the things bought: the products of the customer's purchases (orders that count as a sale), as
        "which products did ... buy" (was: the customer listed). "How much/many did ... buy" says no figure (units?
        euros?) and is refused; so is the shape with anything else said (never the customer row)."""
        verbs = set(self.layer.grammar.get("purchase_verbs", []))
        texts = [s.text for s in self.spans]
        while texts and texts[0] in ("and", "so", "then", "ok", "okay", ","):
            texts = texts[1:]  # ("and what did they buy?")
        at = next((k for k, s in enumerate(self.spans) if s.text in verbs and s.first("activity")), None)
        if at is None or f.subject != "customers" or len(texts) < 4:
            return
        asked = "what" if texts[0] == "what" else "how much" if texts[:2] in (["how", "much"], ["how", "many"]) else None
        aux = texts[1] if asked == "what" else texts[2] if asked else None
        dims = self.layer.dimensions
        customer = [x for x in f.filters if x.field.startswith("customers.") or str(
            dims.get(x.field, {}).get("column", "")).startswith("customers.")]
        if aux not in ("did", "do", "does", "has", "have", "had"):
            return
        trailing = any(not (s.text.startswith("__period") or s.has("stop") and not s.first("entity"))
                       or s.text == "not" or "total" in s.text.split() for s in self.spans[at + 1:])
        if trailing and (asked != "what" or not customer) or f.measures and (trailing or asked != "what"):
            return  # ("what do people buy along with X": no customers' purchases named)
        if asked != "what":
            raise NotUnderstood(f"I could not tell which figure '{' '.join(texts[:2])}' asks of what was bought",
                                field="question", hint="e.g. 'which products did ... buy', 'revenue from ...', "
                                "'units bought by ...'")
        if trailing or f.kind != "list" or f.measures or f.dimensions or f.order_by or f.grain or f.derived \
                or len(customer) != len(f.filters) or any(p != "has_ordered" for p in f.predicates) \
                or any(not c.startswith("customers.") for c in f.show) or any(s.has("grammar", "negation") for s in self.spans):
            raise NotUnderstood("I could not tell what was bought here", field="question",
                                hint="e.g. 'which products did customer 15 buy in 2026?'")
        f.subject = "products"
        f.show = []
        f.predicates = ["purchase"]
        f.notes = [*f.notes, "activity:sales"] if "activity:sales" not in f.notes else f.notes
        if self.periods and f.period_field is None:
            f.period_field = "orders.order_date"

    def _purchases_are_sales(self, f: QueryForm) -> None:
        """"who bought Makita products in October", "customers who bought Husqvarna": a purchase of products is
        an order that counts as a sale, as "bought X but never Y" reads it (a cancelled or returned order was not
        bought); "ordered" keeps every status."""
        verbs = set(self.layer.grammar.get("purchase_verbs", []))
        if f.subject == "products" and f.kind == "list" and "activity:sales" in f.notes and f.period_field is None \
                and not f.measures and "purchase" not in f.predicates and any(
                    s.text.startswith("__period") for s in self.spans) and not any(
                    s.has("grammar", "negation") for s in self.spans):
            # "out of stock products that sold something last month": sold in orders that count as sales
            f.predicates.append("purchase")
            return
        if f.subject == "products" and f.kind == "list" and not f.measures and "purchase" not in f.predicates and any(
                x.field == "customer" or x.field.startswith("customers.") for x in f.filters) and any(
                s.text in verbs and s.first("activity") for s in self.spans) and not any(
                s.has("grammar", "negation") for s in self.spans):
            # "which products did customer 15 buy": the products of the customer's purchases, as "what did customer
            # 15 buy" (a cancelled or returned order was not bought); "which products did ... order" keeps every one
            f.predicates.append("purchase")
            return
        if f.subject != "customers" or "purchase" in f.predicates or f.kind not in ("list", "aggregate") \
                or not any(s.text in verbs and s.first("activity") for s in self.spans) \
                or any(s.has("grammar", "negation") for s in self.spans):
            return
        product_dims = {d for d, spec in self.layer.dimensions.items() if spec["column"].startswith("products.")}
        if any(x.field in product_dims and x.op in ("=", "in") for x in f.filters):
            f.predicates.append("purchase")

    def _subject_from_condition(self, f: QueryForm) -> str:
        cond = (f.derived or {}).get("condition") or {}
        if cond.get("predicate"):
            return predicate_spec(self.layer, cond["predicate"])["entity"]
        field = cond.get("filter", {}).get("field", "status")
        table = self.layer.dimensions[field]["column"].split(".")[0] if field in self.layer.dimensions else "orders"
        return next((n for n, e in self.layer.entities.items() if e["table"] == table), "orders")

    def _conditions_said_of_us(self, f: QueryForm) -> None:
        """"We're running low on the X - which warehouse has the most of it?", "we are out of Y, where is some
        left?": a stock condition stated of "we" (the whole business, "we're" / "we are", a statement) is of our
        stock over every place, not of each place the answer is split by (was: tested per warehouse, so the
        warehouses that still hold plenty were left out). Asked ("are we low on X in each warehouse?") it stays
        per place."""
        for k, s in enumerate(self.spans):
            named = s.first("predicate")
            if named is None or str(named[1]) not in f.predicates or \
                    not self.layer.predicates.get(str(named[1]), {}).get("scoped_by"):
                continue
            before = [x.text for x in self.spans[max(k - 2, 0):k]]
            if before[-1:] == ["we're"] or before == ["we", "are"]:
                f.notes.append(f"ours:{named[1]}")

    def _conditions_joined_by_or(self, f: QueryForm) -> None:
        """"orders that are open or late", "products out of stock or discontinued", "b2b or Oslo customers": two
        conditions of different kinds joined by "or" ask for the rows holding either one, which I cannot combine;
        both kept would be the rows holding both (was: "or" read as "and", a silent wrong). Refused, naming what
        was understood; values of one field ("pending or paid") are one condition and stay."""
        def condition(s: Span) -> tuple[str, str] | None:
            named = s.first("predicate")
            if named is not None and (str(named[1]) in f.predicates or f"not_{named[1]}" in f.predicates):
                return ("predicate", str(named[1]))
            kept = [d for d, v in self.values_of(s) if any(x.field == d and v in x.values for x in f.filters)]
            return ("value", kept[0]) if len(kept) == 1 else None
        for k, s in enumerate(self.spans):
            if s.text != "or" or s.used:
                continue
            before, after = self.prev_content(k), self.next_content(k)
            if before is None or after is None:
                continue
            a, b = condition(before[1]), condition(after[1])
            j = before[0]
            while a is None and j > 0 and (self.spans[j].has("stop") or self.spans[j].text in ("all", "every", "in", "at")
                                           or self.spans[j].first("dimension") and not self.values_of(self.spans[j])):
                # "out of stock in all warehouses or low on stock": the condition before the place it is said of
                j -= 1
                a = condition(self.spans[j])
            if a is None or b is None or a == b or (a[0] == b[0] == "value" and a[1] == b[1]):
                continue
            raise NotUnderstood(f"'{self.spans[j].text}' or '{after[1].text}': I can combine conditions with 'and' "
                                "but not with 'or'", field="question",
                                hint="ask for each condition on its own, e.g. 'open orders' and then 'late orders'")

    def _contradicting_conditions(self, f: QueryForm) -> None:
        """Two conditions that cannot both hold unless a period tells them apart (the layer's
        contradicts_without_period: "ordered" and "never ordered" with no period named) are refused, never answered
        with no rows ("customers in Vantaa who ordered but not in Kuopio": was 0 rows, a silent wrong)."""
        if f.period is not None or f.compare_period is not None:
            return
        for name in f.predicates:
            for other in self.layer.predicates.get(name, {}).get("contradicts_without_period", []):
                if other in f.predicates:
                    label = predicate_spec(self.layer, name).get("label", name)
                    raise NotUnderstood(f"'{label}' and '{predicate_spec(self.layer, other).get('label', other)}' "
                                        "cannot both hold with no period named",
                                        hint="say the period each is about, e.g. 'ordered in 2025 but not in 2026'")

    def _things_asked_not_counted_per_period(self, f: QueryForm) -> None:
        """"Which customers placed at least one order in each month of Q3?", "which products sold every month":
        the things asked for by "which" read as a figure per period, with no row per thing, answer another
        question (how many per month, not which ones did so in every one): refused (was: a count per month)."""
        if f.kind != "aggregate" or f.dimensions or f.order_by or f.limit or f.derived or f.per_group or f.compare:
            return
        asked = next((s for k, s in enumerate(self.spans) if s.first("entity") and self._is_which(k)
                      and not self._relative_which(k)), None)
        if asked is None:
            # "business customers who each month spent more than 500 EUR in 2025", "products that still have stock
            # but no sales lately, and how many units are sitting there": the things named first (only values
            # before them) with a clause of their own after ask for them as "which" does (was: the figure per month,
            # or one sum, the things lost)
            asked = next((s for k, s in enumerate(self.spans) if s.first("entity") and self._things_heading(k)), None)
            if asked is not None and not f.grain and self._total_said():
                return  # "orders that were cancelled in 2025: total value": one figure over all of them, said
        if asked is None or not asked.text.endswith("s"):
            return
        if not f.grain:
            if asked.arg("entity") == f.subject and set(f.measures) <= {"count"}:
                return  # "which customers ..., and how many are there?": the things asked, counted
            # "Which Gothenburg customers had an order returned, and what was the total value of those orders?": one
            # figure over all of them names none of the things asked (was: one sum, the customers lost)
            said = f"which {asked.text}" if self._is_which(self.spans.index(asked)) else f"{asked.text} who/that ..."
            raise NotUnderstood(f"'{said}' asks for {asked.text} by name, and I read one figure over all "
                                "of them", hint=f"ask for the figure per {asked.text.rstrip('s')}, e.g. "
                                f"'... by {asked.text.rstrip('s')}'")
        if asked.arg("entity") != f.subject:
            return
        said = f"which {asked.text}" if self._is_which(self.spans.index(asked)) else f"{asked.text} who/that ..."
        raise NotUnderstood(f"'{said}' asks for {asked.text} by name, and I read a figure per {f.grain}; "
                            f"I cannot test a condition in every {f.grain} of a period",
                            hint=f"ask 'how many {asked.text} ... per {f.grain}' or name one {f.grain}")

    def _there_after(self, k: int, places: list[str]) -> bool:
        """"what about all customers there, not only business" after business customers in Stockholm: "there"
        right after the things is the place the previous question named, so its condition stays (marks it used)."""
        there = self.spans[k + 1] if k + 1 < len(self.spans) else None
        if there is None or there.text != "there" or there.used or not any(
                x.field in places for x in (self.context.filters if self.context else [])):
            return False
        there.used = True
        return True

    def _accept(self, f: QueryForm) -> None:
        for name in list(f.predicates):
            restated = set(self.layer.predicates.get(name, {}).get("restated_by", []))
            if restated & {*f.measures, f.order_by or ""}:
                # "spare units above the reorder level": the figure asked restates the condition (the layer's
                # restated_by); no condition on the things it is summed over
                f.predicates.remove(name)
                kept = {*f.measures, f.order_by or ""}
                f.show = [m for m in f.show if m in kept or m not in predicate_spec(self.layer, name).get("show", [])]
        if any(s.text in self.layer.grammar.get("sold_lines", []) and s.first("entity") == ("entity", "order_lines")
               for s in self.spans) and "activity:sales" not in f.notes:
            f.notes.append("activity:sales")  # "sales lines": the lines of orders that count as sales
        self._contradicting_conditions(f)
        if f.kind == "aggregate" and f.order_by and "ranked" in f.notes and not (
                f.dimensions or f.grain or f.limit or f.compare or f.derived or f.within or f.lookup or f.per_group) \
                and any(s.first("entity") and s.used and self.spans[k - 1].text in ("which", "what")
                        for k, s in enumerate(self.spans) if k > 0):
            # "where's most of our money tied up - which product has the highest stock value": a ranking of the
            # things asked for ("which product"), read as one total over all of them (nothing grouped, no top n):
            # the ranking was lost on the way (was: the total answered)
            raise NotUnderstood("I read a ranking, but one total over all the things, not which one ranks first",
                                field="question", hint="e.g. 'which product has the highest stock value at cost'")
        self._things_asked_not_counted_per_period(f)
        self._kinds_together(f)
        self._one_of_a_kind(f)
        self._share_of_dated_condition(f)
        self._at_most_counted(f)
        self._sold_products_counted(f)
        self._never_bought_values(f)
        self._counted_per_itself(f)
        self._missing_names([s for s in self.spans if not s.used and not s.has("stop")])
        self._conditions_per_scope(f)
        self._intents_and_currency(f)
        self._sales_orders_restated(f)
        self._not_bought_by_named(f)
        self._own_entity_conflict(f)
        self._conditions_joined_by_or(f)
        self._conditions_said_of_us(f)
        # (the listed ones of the previous answer as the population: planned as the list with the figures beside)
        self._names_beside_figure(f)
        self._figures_beside_listed(f)
        listed = replace(f, within=None) if f.within and f.within.get("kind") == "list" and f.kind == "list" else f
        if "zero_included" in f.notes and self.p.planner.zero_entity(listed) is None:
            # "including those with zero" where no thing's rows can be joined outer: dropped, it would be a wrong answer
            raise NotUnderstood("I cannot include the ones with none here", field="question",
                                hint="e.g. 'business customers in Tampere with their number of orders in 2026, "
                                     "including those with zero'")
        both = sorted(p for p in f.predicates if "not_" + p in f.predicates)
        if both:  # "late" and "not late" at once: always empty
            raise NotUnderstood(f"the question asks for {predicate_spec(self.layer, both[0])['label']} and not "
                                f"{predicate_spec(self.layer, both[0])['label']} at once",
                                hint=f"ask for one of them, or compare them: '{both[0]} vs not {both[0]}'")
        for m in {*f.measures, f.order_by or "", *(x.field for x in f.filters)}:
            undefined = set(self.layer.measures.get(m.split(":")[-1], {}).get("undefined_with", [])) & set(f.predicates)
            if undefined:
                # "in transit for more than 10 days": a delivery time does not exist before delivery
                raise NotUnderstood(f"{self.layer.measures[m.split(':')[-1]]['label'].lower()} is not known for "
                                    f"{predicate_spec(self.layer, sorted(undefined)[0])['label']} "
                                    f"{self.layer.predicates[sorted(undefined)[0]]['entity']}",
                                    hint="e.g. 'shipments not delivered that were shipped before 20 October'")
        # "average margin in percent": an average scaled ("100 * AVG(...)") is an average too (was: 'average'
        # left unplaced beside the percent variant)
        averaging = any(re.match(r"(?:[\d.]+\s*\*\s*)?AVG\(", self.layer.measures.get(m, {}).get("sql") or
                                 self.layer.measures.get(m, {}).get("line_sql") or "") for m in f.measures)
        shared = ((f.derived or {}).get("condition") or {}).get("predicate")  # "share from discounted order lines"
        predicate_entities = {predicate_spec(self.layer, p)["entity"] for p in [*f.predicates, *([shared] if shared else [])]}
        # "orders that include a line with a 20% discount": the noun of the rows the filter is on
        filtered_tables = {x.field.split(".")[0] for x in f.filters if "." in x.field}
        # "to customers there" beside a city: the noun of a dimension's own table
        filtered_tables |= {self.layer.dimensions[x.field]["column"].split(".")[0] for x in f.filters
                            if x.field in self.layer.dimensions}
        predicate_entities |= {n for n, e in self.layer.entities.items() if e["table"] in filtered_tables}
        for s in self.spans:
            if not s.used and s.has("grammar", "average") and averaging:
                s.used = True  # "average delivery time": the measure is an average already
            if not s.used and s.first("entity") and s.arg("entity") in predicate_entities:
                s.used = True  # "orders whose shipment is not delivered": the condition's own noun
        period_table = (f.period_field or "").split(".")[0] if f.period else None
        for k, s in enumerate(self.spans):
            nxt = self.next_content(k)
            if not s.used and s.first("entity") and period_table and \
                    self.layer.entities[s.arg("entity")]["table"] == period_table and \
                    nxt is not None and nxt[1].first("activity") and nxt[1].used:
                s.used = True  # "(orders placed this year)": the owner of the period's date
            if not s.used and s.first("entity") and (f.derived or {}).get("kind") == "average_per" and \
                    s.arg("entity") == (f.derived or {}).get("entity") and nxt is not None and \
                    nxt[1].first("activity") and nxt[1].used:
                s.used = True  # "per customer, counting only customers who have ordered": the only ones averaged
            if not s.used and s.text in self.layer.grammar.get("separately", []) and (f.dimensions or f.grain) and k > 1 \
                    and self.spans[k - 1].used and (self.spans[k - 1].first("grain") or self.spans[k - 1].first(
                        "dimension")) and self.spans[k - 2].has("grammar", "group_by"):
                s.used = True  # "each year separately", "per category individually": the grouping restated
            if not s.used and s.text == "time" and self.spans[0].text == "when" and k > 1 \
                    and [x.text for x in self.spans[k - 2:k]] == ["date", "and"]:
                s.used = True  # "when exactly (date and time) was order 1 delivered": what "when" asks
            if not s.used and s.text in ("every", "each") and f.kind == "list" and f.subject and not f.dimensions:
                # "give me every active product at low stock": in a list of the things named, "every" is "all"
                after = self.next_content(k)
                while after is not None and (self.values_of(after[1]) or after[1].first("predicate")) \
                        and not after[1].first("entity"):
                    after = self.next_content(after[0])
                if after is not None and after[1].used and after[1].first("entity") \
                        and after[1].arg("entity") == f.subject:
                    s.used = True
                # "show each with its stock", "how much do we have of each": each of the things listed, with the
                # figure shown beside it (no grouping, no new thing)
                before = self.spans[k - 1].text if k > 0 else ""
                nxt_text = self.spans[k + 1].text if k + 1 < len(self.spans) else None
                if nxt_text == "one" and k + 2 < len(self.spans) and self.spans[k + 2].text == "with":
                    nxt_text = "with"  # "show each one with its stock": each one is each
                if s.text == "each" and (f.show or any(predicate_spec(self.layer, p).get("show") for p in f.predicates)) \
                        and ((before == "of" and (after is None or self._of_each() and after[0] == len(self.spans) - 1))
                             or (nxt_text == "with" and before in (
                            "show", "list", "give", "display", "name"))
                             or (after is None and k == len(self.spans) - 1 and self.spans[k - 1].used
                                 and self.spans[k - 1].first("measure") is not None)):
                    # ("discontinued products still in stock, and how many units each?": "each" closing the
                    # question right after the figure's word is each of the things listed with it beside)
                    s.used = True
        tail = re.search(r"[—–,:;-]\s*((?:total|totals|sum|number|amount|figure|figures)(?:\s+(?:amount|value))?)\W*$", self.question, re.IGNORECASE)
        if tail and f.kind == "list" and not f.measures and not f.show:
            # "paid orders — total": a figure asked after the list, never dropped to list the rows anyway
            raise NotUnderstood(f"I could not tell what {tail.group(1).lower()!r} at the end asks for",
                                hint="say it in the question, e.g. 'how many paid orders' or 'total amount of paid orders'")
        # "their order count" beside a count already asked ("more than 20 orders", "customer count") is that count
        counted = "count" in f.measures or any(x.field.split(":")[0] == "count" for x in f.filters)
        place_grain_labels(self.spans, f, self.layer.grammar.get("grain_labels", {}))
        left = [s for s in self.spans if not s.used and (not s.has("stop") or s in self.unplaced and not counted)]
        if left:
            from .answers import describe_form

            words = ", ".join(repr(s.text) + _tied_note(self.unsure.get(s.text, ())) for s in left)
            try:
                understood = describe_form(f, self.layer)
            except Exception:  # noqa: BLE001 - a half-filled form may not describe; the refusal still stands
                understood = ""
            raise NotUnderstood(
                f"I could not place {words} in the question" + (f"; I understood: {understood}" if understood else ""),
                hint="rephrase with the lake's words, e.g.: " + "; ".join(SUGGESTIONS[:4]))
        self._advice_summed(f)  # after the words left: a name the lake lacks is said first
        if self.corrections:
            f.notes.append("corrected:" + ", ".join(f"'{a}' as '{b}'" for a, b in self.corrections))
        if f.kind == "aggregate" and not f.measures:
            raise NotUnderstood("I could not tell what to compute", hint="try: " + "; ".join(SUGGESTIONS[:4]))
