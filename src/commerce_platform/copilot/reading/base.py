"""The state of one parse (its spans and form) and the small helpers every reading step uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from ...errors import NotUnderstood
from ..lexicon import Span, _edits, adjacent_swaps, is_english_word, tokenize
from ..periods import DATE_RE, Periods
from ..query import Period, QueryForm
from .patterns import (
    CODE_RE,
    DOMAIN_RE,
    ID_RE,
    MONEY_RE,
    MULTI_ID_RE,
    NUMBER_WORDS,
    ORDERED_BEFORE_BUT_NOT,
    TEXT_RE,
    _all_listed,
    alternation,
    numbers_as_read,
)
from .reorder_gap import restate_reorder_gap
from .together_words import restate_together

if TYPE_CHECKING:
    from ..parser import SemanticParser


# "every low-stock product back up to its (total) reorder level": the things said, then the level they must reach
EVERY_OF = r"(?:(?:every|each|all(?:\s+the)?|the|our)\s+)?"
OWN_REORDER_LEVEL = r"(?:its|their|the)\s+(?:own\s+)?(?:total\s+)?reorder\s+(?:level|point)s?"
LOW_STATE_RE = re.compile(r"\blow[\s-]?stock\b|\bbelow\b|\bout\s+of\s+stock\b")


def _only_of_low(phrase: str) -> Callable[[re.Match], str]:
    """A rewrite into "<phrase> <things>" only of things said to be low (above the level the difference is no
    shortfall but a surplus); other things are left as written."""
    return lambda m: f" {phrase} {m.group(1)} " if LOW_STATE_RE.search(m.group(1)) else m.group(0)


def _bound_after(said: str | None) -> str:
    """The comparator of "N days (or more | or less) after the order date": "exactly" with none said."""
    if not said:
        return "exactly"
    return "at least" if said.split()[-1] in ("more", "later", "longer") else "at most"


def _said_between(said: str, number: str) -> str | None:
    """"2 or more days after": the bound said between the number and its unit, or None."""
    m = re.search(rf"\b{re.escape(number)}\s+(or\s+(?:more|less|fewer))\b", said)
    return m.group(1) if m else None


def restated_fraction_scale(text: str, grammar: dict) -> str:
    """"what fraction of 2025 sales was Tools? answer 0-1": the 0-1 scale of a share (the layer's
    fraction_scale) is how a share without a word of percent is given, so it is set aside; beside "percent" it
    contradicts it and is kept (left to refuse)."""
    table = grammar.get("fraction_scale", {})
    said = [w for w in table.get("words", []) if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    if not said or any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text) for w in grammar.get("percent_words", [])):
        return text
    kept = text
    for w in sorted(said, key=len, reverse=True):
        kept = re.sub(rf"(?<![\w-]){re.escape(w)}(?![\w-])", " ", kept)
    # (said alone, a clause of its own, it is read with the whole question, where a percent may contradict it)
    return kept if re.search(r"\w", kept) else text


class StateBase:
    """One parse's state: the question read into spans, the form being filled, shared helpers."""

    context: QueryForm | None  # set by a step, read by others

    def __init__(self, parser: SemanticParser, question: str, as_of: date) -> None:
        self.p = parser
        self.layer = parser.layer
        self.as_of = as_of
        self.question = question
        self.widened: list[str] = []  # fields whose condition "not just <value>" drops
        self.counted_twice: NotUnderstood | None = None  # two counts of the same things, unless read as one row
        text = " " + question.lower().replace("’", "'") + " "
        # a dash joining two words or numbers ("Jan–Oct", "2024–2025") is a hyphen; spaced, it separates clauses
        text = re.sub(r"(?<=\w)[\u2010-\u2013\u2212](?=\w)", "-", text)
        text = parser.abbreviations_re.sub(lambda m: parser.abbreviations[m.group(0)], text)  # "qtr", "wh", "w/"
        aside = self.layer.grammar.get("aside_negation", {})
        if aside.get("verbs") and aside.get("closer"):
            # "Leaving discontinued products aside, ...": those few words left out, as "excluding ..."
            verbs = "|".join(map(re.escape, aside["verbs"]))
            text = re.sub(rf"\b(?:{verbs})\s+((?:[\w'-]+\s+){{0,{int(aside.get('max_words', 4)) - 1}}}[\w'-]+)\s+"
                          rf"{re.escape(aside['closer'])}\b", lambda m: f"{aside.get('as', 'excluding')} {m.group(1)}", text)
        if parser.money_total_re is not None:  # "orders with a total over 500 EUR": the order total
            money = self.layer.grammar.get("money_total", {})
            owners, reach = set(money.get("owners", [])), int(money.get("reach", 6))

            def order_total(m: re.Match) -> str:
                # said of orders: an order's noun among the few words before, no noun of another thing between
                before = re.findall(r"[\w'-]+", text[:m.start()])[-reach:]
                at = max((k for k, w in enumerate(before) if w in owners), default=None)
                if at is None or any(w in parser.thing_nouns and w not in owners for w in before[at + 1:]):
                    return m.group(0)
                return parser.money_total_as

            text = parser.money_total_re.sub(order_total, text)
        text = re.sub(r"\b(what|that|it|there|who|where|here|how)'s\b", r"\1 is", text)
        text = re.sub(r"\b(who|we|they|you|i)'ve\b", r"\1 have", text)  # "customers who've spent over 5000"
        text = re.sub(r"(?<=[a-z0-9])'s\b", "", text)      # "this year's orders", "customer 15's"
        # "what would that stock fetch at list price?", "how much could it fetch": what it would sell for, its worth
        text = re.sub(r"\b(would|could|will|might)\b([\w\s'-]{0,40}?)\bfetch\b", r"\1\2be worth", text)
        lexicon = parser.lexicon

        def unpossessed(m: re.Match) -> str:
            # "was bosch revenue up? and makitas average discount": a name's possessive, the apostrophe left out
            # ("makita's"); only a word neither the lexicon nor English knows ("brings" stays the verb)
            word = m.group(0)
            # (a whole name, one word: "wheelbarrows" is the plural of a word of product names, not a possessive)
            if word[:-1] in lexicon.value_words and word not in lexicon.words and word not in lexicon.extra_words \
                    and any(x[0] == "value" for x in lexicon.word_senses.get(word[:-1], ())) \
                    and not is_english_word(word):
                return word[:-1]
            return word
        text = re.sub(r"(?<![\w'-])[a-zåäöøæ]{3,}s(?![\w'-])", unpossessed, text)

        def counts_of(m: re.Match) -> str:
            # "order counts per month": a thing's counts are its count ("counts" alone, "with the counts", says
            # nothing of its own)
            thing = m.group(1)
            return f"{thing} count" if any(x[0] == "entity" for x in lexicon.word_senses.get(thing, ())) else m.group(0)
        text = re.sub(r"\b([a-z]+) counts\b", counts_of, text)
        # "share of delivered shipments taking more than 3 days": the things that took that long (a participle
        # after the things, read before "taking" is mended to "takings"; "are taking", of parcels still on the
        # road, is left as said)
        text = re.sub(r"\b([a-z]+s)\s+taking\s+(?=(?:more|less|over|under|at|longer|within|up)\b)",
                      lambda m: m.group(0) if m.group(1) in ("is", "was", "has", "this") else f"{m.group(1)} that took ",
                      text)
        self.corrections: list[tuple[str, str]] = []

        self.unsure: dict[str, tuple[str, ...]] = {}  # a slip equally near two known words: left, both named

        def mend(m: re.Match) -> str:
            better, tied = parser.lexicon.mend(m.group(0))
            if m.group(0) in named or m.group(0) in opening:
                # "customers in Bregen": a word written with a capital inside the sentence is a name; two
                # neighbours swapped in it (the commonest slip) reach a name of the lake when exactly one is so
                # near, never a function word ("Olso" is Oslo, not "also"; was: mended to "also", the city lost);
                # so may one opening the sentence ("Olso revenue in 2025")
                names = adjacent_swaps(m.group(0)) & parser.lexicon.value_words
                if len(names) == 1:
                    self.corrections.append((m.group(0), next(iter(names))))
                    return next(iter(names))
            if m.group(0) in named and better is not None and parser.lexicon.word_senses.get(better) and all(
                    x[0] in ("stop", "grammar") for x in parser.lexicon.word_senses[better]):
                # "what sells together with the Stihl Chainsaw?": a word written with a capital inside the sentence
                # is a name, never a slip for a function word ("still"; was: read as one, the name lost)
                return m.group(0)
            if better is None and not tied and len(m.group(0)) == 4 and m.group(0) in named:
                # "the Husqvarna Cordless Dril": a four-letter word written as a name, right after the words a
                # product's name of the lake opens with, is that name's next word when exactly one is one edit away
                # (was: not found, as a product the lake does not hold)
                before_words = re.findall(r"[a-zåäöøæ0-9]+", m.string[:m.start()])[-3:]
                product_names: dict[str, str] = getattr(getattr(parser, "vocab", None), "product_names", None) or {}
                tails: set[str] = set()
                for k in range(len(before_words)):
                    head = " ".join(before_words[k:]) + " "
                    tails |= {name[len(head):].split()[0] for name in product_names
                              if name.startswith(head) and name[len(head):].strip()}
                near = [w for w in tails if w != m.group(0) and w in _edits(m.group(0))]
                if len(near) == 1:
                    self.corrections.append((m.group(0), near[0]))
                    return near[0]
            if better is None and not tied and len(m.group(0)) == 4:
                # "over all tmie": a four-letter slip with two neighbours swapped is the word of the layer's phrase
                # it makes with its neighbour, when only one such word does ("tiem" after "all" is "time", not
                # "item"; was: left unplaced)
                after = re.match(r"\s*([a-zåäöøæ]+)", m.string[m.end():])
                before = re.search(r"([a-zåäöøæ]+)\s*$", m.string[:m.start()])
                fits = [w for w in adjacent_swaps(m.group(0)) if w in parser.lexicon.targets and any(
                    after and key[:2] == (w, after.group(1)) or before and key[-2:] == (before.group(1), w)
                    for key in parser.lexicon.phrases if len(key) > 1)]
                if len(fits) == 1:
                    self.corrections.append((m.group(0), fits[0]))
                    return fits[0]
            if better is None and tied:
                # "runing low": of the words equally near, the one that makes a phrase with its neighbours, the whole
                # phrase said ("per chanle in 2026" is not "change in %": the tie stays, both named)
                said_after = tuple(re.findall(r"[a-zåäöøæ%]+", m.string[m.end():])[:parser.lexicon.max_words])
                said_before = tuple(re.findall(r"[a-zåäöøæ%]+", m.string[:m.start()])[-parser.lexicon.max_words:])
                fits = [w for w in tied if any(
                    key[0] == w and key[1:] == said_after[:len(key) - 1] or key[-1] == w and key[:-1] == said_before[len(said_before) - len(key) + 1:]
                    for key in parser.lexicon.phrases if len(key) > 1)]
                better = fits[0] if len(fits) == 1 else None
                if better is not None:
                    self.corrections.append((m.group(0), better))
                    return better
            if better is None:
                if tied:
                    self.unsure[m.group(0)] = tied
                return m.group(0)
            if m.group(0) in opening and better not in openers and parser.lexicon.word_senses.get(better) and \
                    all(x == ("stop",) for x in parser.lexicon.word_senses[better]):
                # "Stihl revenue 2025": a capital opening the sentence may be a name; mended into a word of no
                # meaning that never opens a question ("still") the name would be lost and the rest answered
                return m.group(0)
            self.corrections.append((m.group(0), better))
            return better
        # typos mended before the rewrites below read the words ("sholud", "levle", "oredr"), save in a quoted
        # text, a code or a domain (kept as written); the pass after the slots mends what these rewrites made
        kept_spans = [m.span() for rx in (TEXT_RE, DOMAIN_RE) for m in rx.finditer(text)]
        for code in dict.fromkeys(CODE_RE.findall(question)):
            kept_spans += [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(code.lower())}(?![\w-])", text)]

        # words written with a capital inside a sentence (the shape of a name, as _titled reads it)
        # (and the capitalised word opening each sentence, which may be a name or a slip: `opening`)
        sentences = [re.findall(r"[\w'-]+", sentence) for sentence in re.split(r"[.?!:;\u2014]\s+", question)]
        named = {w.lower() for words in sentences for w in words[1:] if w[:1].isupper() and w[1:2].islower()}
        opening = {words[0].lower() for words in sentences if words and words[0][:1].isupper() and words[0][1:2].islower()}
        openers = set(parser.layer.grammar.get("openers", []))

        def mend_free(m: re.Match) -> str:
            if any(a < m.end() and m.start() < b for a, b in kept_spans):
                return m.group(0)
            return mend(m)
        text = re.sub(r"(?<![\w])[a-zåäöøæ]{4,}(?![\w'])", mend_free, text)
        text = re.sub(r"\bwhoever\b", "who", text)        # "the email of whoever placed order 2769"
        text = re.sub(r"\bwhos\b", "who's", text)         # "whos fastest": the apostrophe left out, as "whats"
        # "Juha Lund called - which of his orders ...", "Erik rang: ...": a verb of getting in touch (layer
        # reporting_verbs) ending the few words that open the question, before a dash or colon, only says who asks
        # (as the filler "has called"); "products called 'x'" has no break after the verb
        # "their big order 2956": of one order named by its number, a word of its size or urgency (layer
        # id_adjectives) only describes it; it ranks nothing
        adjectives = "|".join(map(re.escape, self.layer.grammar.get("id_adjectives", [])))
        if adjectives:
            text = re.sub(rf"\b(?:{adjectives})\s+(?=(?:order|shipment)\s+(?:#\s*|no\.?\s*|number\s+|nr\.?\s*)?\d)", "",
                          text)
        reporting = "|".join(map(re.escape, sorted(self.layer.grammar.get("reporting_verbs", []), key=len, reverse=True)))
        if reporting:
            text = re.sub(rf"^(\s*(?:[\w.'-]+\s+){{1,5}}?)(?:{reporting})(?=\s*(?:\s[-\u2013\u2014]\s|:))", r"\1has called",
                          text)
        text = re.sub(r"\bnon-(?=[a-z])", "non ", text)     # "non-Finnish" is "not Finnish"
        # "order the categories by revenue", "sort products by price": a sorting verb opening the question is
        # "<things> sorted by <figure>" (the first "order" is not the orders table, nor a ranking of one)
        sorting = re.match(r"^\s*(?:please\s+)?(?:(?:order|sort|rank|arrange)\s+(?P<which>the|our|all|all\s+the|these|"
                           r"those|my)|(?:sort|rank|arrange))\s+(?![\d#])(?P<things>.+?)\s+by\s+", text)
        # "rank all orders by amount": every one of them, in that order (no top N)
        self.every_one_ranked = bool(sorting and (sorting.group("which") or "").startswith("all"))
        if sorting:
            text = f" {sorting.group('things')} sorted by {text[sorting.end():]}"
        text = re.sub(r"#\s*(?:of\s+)?(?=[a-z])", " number of ", text)  # "# of orders", "# orders"
        # "across customers who never ordered, how many are business": an opening "across <things>," set off by a
        # comma before the question says which things are asked about ("among"), not a grouping by them
        text = re.sub(r"^(\s*)across\s+(?!(?:each|every)\b)(?=[^,?]{3,},\s*(?:how|what|which|who)\b)", r"\1among ",
                      text)
        # "average stock per product, across all 120 products": a number between "all" and the things' noun only
        # restates how many there are (never a year: "all 2025 orders"; was: refused, '120' not placed); a number
        # said in words restates it the same ("across all four warehouses"; was: refused, '4' not placed)
        count_words = "|".join(w for w, n in NUMBER_WORDS.items() if n > 1)
        text = re.sub(rf"\b(?:across|over|of|for)\s+all\s+(?:(?!(?:19|20)\d\d\b)\d+|{count_words})\s+(?=[a-z]+s\b)",
                      lambda m: m.group(0).split()[0] + " all ", text)
        # "do we have enough of it in stock? how many units on hand": whether it is enough is the asker's call on
        # the quantity held of the thing pointed at, which is what is read (was: refused, 'enough' not placed)
        text = re.sub(r"\b(have|hold|got)\s+enough\s+(?=of\s+(?:it|them|those|these|that)\b)", r"\1 ", text)
        # "at or below reorder level in any single warehouse": in any one of them, as "in any warehouse"
        text = re.sub(r"\bin\s+any\s+(?:single|individual|one)\s+(?=[a-z]+\b)", "in any ", text)
        # "the largest number of customers": the highest count (not the largest amount of something)
        # (a word of size, the layer's size_superlatives)
        sizes = alternation(self.layer.grammar.get("size_superlatives", []), flexible_spaces=False)
        if sizes:
            text = re.sub(rf"\b(?:{sizes})\s+(number|count)\s+of\b", r"highest \1 of", text)
        text = re.sub(r"\bunit\s+counts?\b", "units", text)  # "with their unit counts": the units
        # "shipments delivered in a single day", "arrived within a day": within one day of shipping, the bound the
        # delivery time reads ("within 1 day"); only right after a verb of arriving
        text = re.sub(r"\b(delivered|arrived|delivery)\s+(?:in|within)\s+(?:a\s+single|a|one\s+single|one)\s+day\b",
                      r"\1 within 1 day", text)
        # "gross profit, i.e. discounted line revenue minus unit cost times quantity": a line's revenue is net of its
        # discount already (the layer's line_sql), so "discounted" before it restates that; it is no condition that
        # the lines had a discount (was: only discounted lines summed, a silent wrong)
        text = re.sub(r"\bdiscounted\s+(?=line\s+(?:revenue|sales|totals?|amounts?)\b)", "", text)
        text = re.sub(r"\bcounted\s+(?=(?:by|per)\b)", "number ", text)  # "shipped orders, counted by carrier"
        text = restated_fraction_scale(text, self.layer.grammar)  # "what fraction of sales was Tools? answer 0-1"
        # "when was her last parcel shipped and by whom?": a parcel is carried by a carrier
        if re.search(r"\b(?:parcels?|shipments?|ship|shipped|dispatched|delivered)\b", text):
            # ("... did we ship in October, and with whom?": the carrier they went with, said the same way)
            text = re.sub(r"\b(by|with)\s+whom\b", r"\1 which carrier", text)
        # "how many products appeared in orders placed in October": were in them
        text = re.sub(r"\b(?:appeared|appear|appears|featured)\s+(?=(?:in|on)\b)", "were ", text)
        # "how many items (units) were on order 1234": of one order, items are counted as the units on its
        # lines already, so a bracket naming that unit restates them (elsewhere the bracket is left to refuse:
        # units are the glossary's units sold, of sales orders only, and items there are distinct products)
        if re.search(r"\border\s+(?:#|no\.?\s*|number\s+)?\d+", text):
            text = re.sub(r"\b(items?|pieces?)\s*\(\s*(?:units?|pieces?|quantity|qty)\s*\)", r"\1", text)
        # "(cancelled/returned orders don't count)": those orders left out, as "excluding cancelled and returned
        # orders" says it (the words before "orders" must still be read as the orders' own values)
        text = re.sub(r"(^|[(,;:\u2013\u2014-])\s*((?:[a-z]+\s*(?:/|&|\band\b|\bor\b)\s*){0,3}[a-z]+)\s+orders?\s+(?:don't|"
                      r"do\s+not|doesn't|does\s+not|won't|will\s+not|shouldn't|should\s+not)\s+count\b",
                      lambda m: f"{m.group(1)} excluding " + re.sub(r"\s*/\s*", " and ", m.group(2)) + " orders ", text)
        # "orders shipped two calendar days or more after the order date": the days from the order date to the ship
        # date, bounded (the layer's calendar-day measure)
        text = re.sub(r"\b(?:(?:were|was|got|are|is)\s+)?shipped\s+(?:(more\s+than|at\s+least|over|less\s+than|fewer\s+than|"
                      r"at\s+most|under)\s+)?([a-z0-9]+)\s+(?:(?:or\s+more|or\s+less|or\s+fewer)\s+(?=(?:calendar\s+)?days?\b))?"
                      r"(?:calendar\s+)?days?\s*(or\s+more|or\s+later|or\s+longer|or\s+less|or\s+fewer)?\s+after\s+(?:the\s+|their\s+|its\s+)?order(?:\s+date)?\b",
                      lambda m: m.group(0) if m.group(1) and m.group(3) else
                      f" had {m.group(1) or _bound_after(m.group(3) or _said_between(m.group(0), m.group(2)))} "
                      f"{m.group(2)} days between order date and ship date ",
                      text)
        # "total units sold in 2025, across everything?": over all of the things, which a figure with no condition is
        # already (was: refused, 'across' not placed)
        text = re.sub(r"\s*,?\s*\b(?:across|over|for)\s+(?:absolutely\s+)?(?:everything|the\s+board)\b(?=\s*(?:[?.!]|$))",
                      " ", text)
        # "the average number of calendar days between the order date and the date the shipment went out": whole days
        # from the order date to the ship date (the layer's calendar-day measure; "calendar" picks it over the time to
        # ship in hours), and "the number of" before it names that figure, not a count of orders (was: refused on
        # 'calendar', or a number of orders beside the days)
        text = re.sub(r"\b(?:the\s+)?date\s+(?:the|its|their)\s+(?:shipment|parcel|order)s?\s+(?:went\s+out|was\s+shipped|"
                      r"were\s+shipped|shipped|left)\b", "the ship date", text)
        text = re.sub(r"\b(?:(?:the\s+)?number\s+of\s+)?calendar\s+days\s+(?:between|from)\s+(?:the\s+|their\s+|its\s+)?"
                      r"order\s+date\s+(?:and|to|until)\s+(?:the\s+)?(?:ship(?:ping)?\s+date|shipment|shipping|dispatch)\b",
                      " days between order date and ship date ", text)
        # ("the average number of hours between order and shipment": the duration in that unit, not a count beside it)
        text = re.sub(r"\b(average|avg|mean)\s+number\s+of\s+(days|hours|minutes|weeks)\s+(?=(?:between|from)\s)",
                      r"\1 \2 ", text)
        # "how many days after it was ordered did order 1267 get shipped?", "how many days after the order date was
        # it shipped": the whole days from the order date to the ship date asked as a figure, the same calendar-day
        # measure (was: refused, 'days' and 'after' not placed)
        text = re.sub(r"\bhow\s+many\s+(?:calendar\s+)?days\s+after\s+(?:(?:the|their|its)\s+order(?:\s+date)?|"
                      r"(?:it|they)\s+(?:was|were|got)\s+(?:ordered|placed)|(?:being\s+)?ordered|ordering)\s+"
                      r"(?:did|was|were)\s+(?P<what>(?!(?:it|they|we|you)\b)(?:[a-z0-9'-]+\s+){0,3}?(?:orders?|[a-z]+\s+(?:#|no\.?\s*|number\s+)?\d+))\s+"
                      r"(?:(?:get|got)\s+)?(?:shipp?ed|ship|dispatched|sent\s+out)\b",
                      lambda m: f" how many days between order date and ship date for {m.group('what')} ", text)
        # "stock strictly below the reorder level", "strictly more than 20 orders": a strict comparator (the layer's,
        # "<" or ">") is strict already, so "strictly" restates it (was: refused, 'strictly' not placed); before one
        # that includes its bound ("strictly at least", "strictly below or at") it is left to refuse
        strict = sorted((w for w, op in self.layer.grammar.get("comparators", {}).items() if op in ("<", ">")),
                        key=len, reverse=True)
        if strict:
            text = re.sub(rf"\bstrictly\s+(?=(?:{'|'.join(map(re.escape, strict))})\b(?!\s+or\s+(?:at|equal|on)\b))", "",
                          text)
        # "on average, how many orders has each customer placed?", "how many orders did each customer make on average":
        # the average over the customers of each one's number of orders, as "average number of orders per customer"
        # says it (was: refused, 'average' not placed)
        avg = r"(?:on\s+average|on\s+avg\.?)"
        text = re.sub(rf"(?:\b{avg}\s*,?\s*)?\bhow\s+many\s+orders\s+(?:has|have|did|does|do)\s+each\s+((?:[a-z0-9-]+\s+){{0,2}}?"
                      rf"[a-z]+?)s?\s+(?:placed|made|place|make|put\s+in)(?:\s+(?:with\s+us|in\s+total|altogether))?"
                      rf"(?P<after>\s+{avg})?\b",
                      lambda m: f" average number of orders per {m.group(1)} " if m.group("after") or re.match(
                          avg, m.group(0).strip()) else m.group(0), text)
        # "customers in Oslo and how many orders each of them has placed": each listed customer's own number of orders
        # beside it, every one listed (one with none at 0), as "customers in Oslo with their number of orders" says it
        # (was: refused, 'each' not placed; "each has placed" was a grouping of the orders, customers with none lost)
        text = re.sub(r"\s*,?\s*\band\s+how\s+many\s+orders\s+each(?:\s+(?:one\s+)?of\s+them)?\s+(?:has\s+|have\s+|had\s+)?"
                      r"(?:placed|made|put\s+in)\b(?=\s*(?:[?.!]|$))", " with their number of orders", text)
        # "business customers who each spent more than 5000 EUR": "each" after "who" says the bound holds of every one
        # of them on its own, which a bound on the things listed is already (was: refused, 'each' not placed)
        # (before a verb of the layer's each_verbs)
        each_verbs = alternation(self.layer.grammar.get("each_verbs", []), flexible_spaces=False)
        if each_verbs:
            text = re.sub(rf"\b(who|that)\s+each\s+(?=(?:{each_verbs})\b)", r"\1 ", text)
        # "shipped the (very) next day (after the order date)", "shipped the same day as ordered": one whole day, or
        # none, from the order date to the ship date, the same calendar-day measure
        text = re.sub(r"\b(?:(?:were|was|got|are|is)\s+)?shipped\s+(?:on\s+)?the\s+(?:very\s+)?(next|following|same)\s+"
                      r"day(?:\s+(?:after|as)\s+(?:the\s+|their\s+|its\s+)?(?:order(?:\s+date)?|ordering|being\s+ordered|"
                      r"(?:it|they)\s+(?:was|were)\s+(?:ordered|placed)))?\b",
                      lambda m: f" had exactly {0 if m.group(1) == 'same' else 1} days between order date and ship date ",
                      text)
        # ("shipped on the order date", "shipped on the day it was ordered": none; was: the date word dropped, every
        # shipped order counted)
        text = re.sub(r"\b(?:(?:were|was|got|are|is)\s+)?shipped\s+on\s+(?:the|their|its)\s+(?:own\s+)?(?:order\s+date|"
                      r"day\s+(?:of\s+(?:the|their|its)\s+order|(?:it|they)\s+(?:was|were)\s+(?:ordered|placed)))\b",
                      " had exactly 0 days between order date and ship date ", text)
        # "if we only count active products", "counting only web orders": a restriction to those things, as
        # "only" says it (no count is asked)
        text = re.sub(r"\b(?:(?:if|when)\s+(?:we|you)\s+(?:only\s+count|count\s+only)|only\s+counting|counting\s+only)\b",
                      "only", text)
        # "How much did we give away in discounts? Only count orders that weren't cancelled": a sentence after the
        # question opening with "only count" restricts the things, as "only" says it (was: a count asked too)
        text = re.sub(r"(?<=[.?!;:(])(\s*)(?:please\s+)?(?:only\s+count|count\s+only)\b", r"\1only", text)
        # "how many customers ordered ...? count each customer once": the things counted are each counted once
        # already (a count of things is of distinct ones), so it says nothing more (was: "each customer" read as a
        # grouping by customer, refused); said of another thing than the one counted it is left to refuse
        text = re.sub(r"[.,;:(]?\s*\b(?:count|counting|counted)\s+each\s+([a-z]+?)s?\s+(?:only\s+)?once\b\s*\)?",
                      lambda m: " " if re.search(rf"\bhow\s+many\s+(?:[a-z]+\s+){{0,2}}{m.group(1)}s\b", text) else m.group(0),
                      text)
        # "consumers who placed only two orders", "customers with only one order": that many and no more, as
        # "exactly" says it (else "only" reads as a restriction and "one order" as having ordered at all)
        text = re.sub(r"\b(placed|made|with|have|has|had)\s+(?:only|just)\s+([a-z0-9]+)\s+(orders?)\b",
                      lambda m: f"{m.group(1)} exactly {m.group(2)} {m.group(3)}"
                      if m.group(2).isdigit() or m.group(2) in NUMBER_WORDS else m.group(0), text)
        # "which 4 products appear in returned orders most often": the things ranked by how many of those
        # orders they are in, as "appear in the most returned orders" says it
        text = re.sub(r"\b(in|on)\s+((?:[a-z0-9-]+\s+){0,2}?orders)\s+(?:the\s+)?most\s+(?:often|frequently)\b",
                      r"\1 the most \2", text)
        # "customers who have ordered at some point (at least once, in the past) but placed no orders in the last 120
        # days", "who have ordered but ...": an order of theirs at any time before, as "ordered before but" says it
        # (was: 'point' refused, or the ordering dropped and customers who never ordered listed, or none at all)
        text = re.sub(r"\b((?:have|has|had|who|that)\s+(?:already\s+)?(?:ordered|bought|purchased))\s+(?:(?:at\s+(?:some|any)\s+"
                      r"(?:point|time|stage)|at\s+least\s+once|in\s+the\s+past|previously|ever)\s+)?(?=but\s+(?:placed|made|"
                      r"have\s+not|haven't|has\s+not|hasn't|had\s+not|hadn't|not|no|nothing|none)\b)", r"\1 before ", text)
        # "customers who ordered before but not in the last 90 days": the "not" is of the ordering said before it
        text = ORDERED_BEFORE_BUT_NOT.sub(r"\1 before but have not ordered ", text)
        # "through all three channels (web, store and b2b)": every one of the values listed, as "both" says it
        text = re.sub(r"\ball\s+(two|three|four|five|[2-9])\s+[a-z]+s\s*\(([^()]+)\)", _all_listed, text)
        # "customers who have ordered through all three channels", "bought from every category": every one of the
        # values the lake holds, as the list said with "both" (was: '3' refused, or "every channel" dropped and every
        # ordering customer counted); a number that is not how many values there are is left to refuse ("through each
        # channel" is a figure per channel, not read here; "open orders across all channels" names no act of ordering)
        text = re.sub(r"\b(?P<verb>ordered|bought|purchased|shopped|(?:placed|place|made|make)\s+(?:their\s+)?orders)\s+"
                      r"(?P<prep>through|via|in|from|on|across|using)\s+(?:every(?:\s+single)?\s+(?P<one>[a-z]+)"
                      r"|all(?:\s+(?:of\s+)?(?:the|our))?\s+(?:(?P<n>two|three|four|five|six|seven|eight|nine|ten|[2-9]|10)\s+)?"
                      r"(?P<many>[a-z]+))\b(?!\s*\()", self._all_values_said, text)
        # "more than twice their reorder level": 2 times it (the layer's stock multiple)
        text = re.sub(r"\btwice\s+(?=(?:their|its|the)\s+(?:own\s+)?reorder\s+(?:level|point)s?\b)", "2 times ", text)
        # "since the start of this year": this year to date, the period the calendar words name
        text = re.sub(r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?=this\s+(?:year|month|quarter|week)\b)", "in ",
                      text)
        # "how many units would it take to bring every item in Vantaa below its reorder level back up to that level",
        # "items under reorder level, with the gap": the shortfall (reading/reorder_gap.py)
        # "how many units short of the reorder level is each product that's below it overall?": "it" after "below" is the
        # reorder level named before it, as "that is below its reorder level" says it (was: refused, 'below' not placed)
        text = re.sub(r"\b((?:reorder\s+(?:level|point)s?)\b.*?\b(?:that|which|who)(?:'s|\s+is|\s+are|s)?\s+(?:below|under))\s+"
                      r"it(?:\s+(?:overall|in\s+total|altogether))?\b(?=\s*(?:[?.!,;]|$))", r"\1 its reorder level", text)
        # "for low-stock Garden products, how many units are they short of the total reorder level?", "how many units is
        # each low-stock product short of its reorder level": each one's shortfall, as "the shortfall of each" says it
        # (was: refused, 'short' not placed); only of things said to be low elsewhere in the question (above the
        # level the difference is no shortfall)
        short = re.search(r"\bhow\s+many\s+units\s+(?:are|is)\s+(?P<things>they|each(?:\s+one)?(?:\s+of\s+(?:them|those|"
                          r"these))?|each\s+(?:[a-z0-9-]+\s+){0,4}?(?:products?|items?))\s+(?:short\s+of|below|under)\s+"
                          rf"{OWN_REORDER_LEVEL}(?:\s+overall)?(?=\s*(?:[?.!,;]|$))", text)
        if short is not None and LOW_STATE_RE.search(text[:short.start()] + " " + short.group("things")):
            things = short.group("things")
            said = "the shortfall of each" if not things.startswith("each ") or re.match(
                r"each\s+(?:one|of)\b", things) else f"the shortfall of {things}"
            text = f"{text[:short.start()]} what is {said} {text[short.end():]}"
        text = restate_reorder_gap(text, self.layer.grammar.get("reorder_gap", {}))
        # "in the same order as X more than 3 times", "not counting other Bosch products" (reading/together_words.py)
        text = restate_together(text, self.layer.grammar.get("bought_together", []),
                                self.layer.grammar.get("together_narrowing", {}))
        # "how much would it cost (at unit cost) to bring every low-stock product back up to its reorder level": the
        # shortfall's cost (the layer's shortfall_cost) summed, as the units needed are the shortfall; only of things
        # said to be low (above the level the difference is no cost but a surplus)
        # ("what would it cost at unit cost to top every low-stock product back up to its total reorder level": the
        # same, asked with "what" and "top"; the level of each product is its total over the warehouses already)
        text = re.sub(rf"\b(?:how\s+much|what)\s+would\s+it\s+cost\s+(?:at\s+(?:unit\s+)?cost\s+)?to\s+(?:bring|get|top)\s+"
                      rf"{EVERY_OF}(.+?)\s+back\s+(?:up\s+)?to\s+{OWN_REORDER_LEVEL}\b",
                      _only_of_low("total shortfall cost of"), text)
        # "if we topped every low-stock product back up to its reorder level, how many units would we have to order in
        # total?": the units short of the level of those said to be low, summed (the condition said first, in an "if"
        # clause; was: refused on 'if', 'topped', 'back', 'up to')
        text = re.sub(rf"\bif\s+we\s+(?:topped|brought|got|filled)\s+{EVERY_OF}(.+?)\s+"
                      rf"(?:back\s+)?(?:up\s+)?to\s+{OWN_REORDER_LEVEL}"
                      r"\s*,?\s*how\s+many\s+units\s+(?:would|will|should|do)\s+we\s+(?:have\s+to\s+|need\s+to\s+)?"
                      r"(?:order|buy|reorder|purchase)\s+in\s+total\b",
                      _only_of_low("total shortfall of"), text)
        # "how many units it takes to get back up to that level", "how many units would bring each one back up to
        # it": the units short of the reorder level (the layer's shortfall), not units sold nor a count
        text = re.sub(r"\bhow\s+many\s+units\s+(?:(?:would\s+)?it\s+(?:takes?|would\s+take)|would\s+it\s+take|would|"
                      r"do\s+we\s+need(?:\s+to\s+order)?|we\s+need(?:\s+to\s+order)?|are\s+needed)\s+(?:to\s+)?"
                      r"(?:get|bring)\s+(?:it\s+|them\s+|each\s+(?:one\s+)?)?back\s+(?:up\s+)?to\s+(?:(?:its|their|the|that)"
                      r"\s+(?:reorder\s+)?level|it|them)\b", " shortfall ", text)
        # "how many units should we order of each low-stock item to get it back up to its reorder level", "how many
        # <products> do we need to order to get back to the reorder level": the same shortfall, asked with the act
        # of ordering first and the level it must reach in a purpose clause after
        back = re.search(r"\s+(?:in\s+order\s+)?to\s+(?:get|bring|top)\s+((?:[a-z0-9-]+\s+){0,4}?)(?:(?:back\s+)?up|back)\s+"
                         r"to\s+(?:(?:its|their|the|that)\s+)?(?:own\s+)?reorder\s+(?:level|point)s?\b", text)
        if back is not None:
            # ("how many units of each product below reorder level do we need to order ...": whose, said after "of")
            asked = re.search(r"\bhow\s+many\s+(units(?:\s+of\s+(?:[a-z0-9-]+\s+){0,6}?[a-z0-9-]+)?|"
                              r"(?:[a-z0-9-]+\s+){0,3}?[a-z0-9-]+?s)\s+(?:should|do|would|must|will|shall)"
                              r"\s+we\s+(?:need\s+to\s+|have\s+to\s+)?(?:order|buy|reorder|restock|purchase)\b",
                              text[:back.start()])
            if asked is not None:
                of_whom = asked.group(1).startswith("units ")
                what = "" if asked.group(1) == "units" or of_whom else asked.group(1)
                held = back.group(1).strip()  # "to get the low-stock products back up to ...": whose shortfall
                if re.search(r"\bin\s+total\b", text[asked.end():back.start()]):
                    # "how many units would we have to order in total to get every low-stock product back up ...": a
                    # total over all of them ("every" is not "each": no row per product)
                    held = re.sub(r"^(?:every|all(?:\s+the)?|all\s+of\s+the|all\s+our)\s+", "", held)
                held = "" if re.fullmatch(r"(?:it|them|those|these|stock|each(?:\s+one)?)?", held) else f" of {held}"
                if of_whom and not held:
                    held = " " + asked.group(1)[len("units "):]  # "shortfall of each product below reorder level"
                text = (text[:asked.start()] + f" {what} shortfall " + text[asked.end():back.start()] + held + " "
                        + text[back.end():])
        # "ordered more than once": a count of orders ("bought at least twice", "ordered 3 times or more")
        # ("at least once" is the layer's has_ordered condition: there is such an order)
        text = re.sub(r"\b(ordered|bought|purchased|shopped)\s+(?!at\s+least\s+once\b)(more\s+than|at\s+least|fewer\s+than|less\s+than|"
                      r"at\s+most|exactly)\s+(once|twice|(\d+)\s+times)\b",
                      lambda m: f"{m.group(1)} {m.group(2)} {1 if m.group(3) == 'once' else 2 if m.group(3) == 'twice' else m.group(4)} orders",
                      text)
        # "have ordered in a store at least once": of an ordering said with its value between, "at least once" only
        # restates that there is such an order (a join on the value already says it)
        text = re.sub(r"\b(ordered|bought|purchased|shopped)\s+((?:(?!but\b|and\b|or\b|never\b|not\b|no\b)[a-z0-9-]+\s+)"
                      r"{1,4}?)at\s+least\s+once\b", r"\1 \2", text)
        # "which customers signed up in 2025? name and city": a list of words after the question is what to show
        text = re.sub(r"\?\s+([a-zåäö]+(?:\s*(?:,|\band\b)\s*[a-zåäö]+)+)\s*[.?]?\s*$", r", show \1 ", text)
        self.pointer_one = False  # an aside set apart points at one thing ("want to feature it")
        self.in_percent: set[str] = set()  # fraction measures asked in percent ("margin in percent")
        self.texts: list[str] = []
        self.ids: list[tuple[str, int]] = []

        def text_slot(m: re.Match) -> str:
            # "orders still in status 'shipped'": a quoted value of the field named right before it is that value
            # (was: a text looked for in the order id)
            said = tuple(tokenize(m.group(1).strip().lower()))
            before = re.findall(r"[a-z]+", m.string[:m.start()].lower())[-1:]
            dims = {x[1] for x in parser.lexicon.phrases.get(tuple(before), []) if x[0] == "dimension"}
            if said and dims and any(x[0] == "value" and x[1] in dims for x in parser.lexicon.phrases.get(said, [])):
                return f" {' '.join(said)} "
            self.texts.append(m.group(1).strip())
            return f" __text{len(self.texts) - 1}__ "
        text = TEXT_RE.sub(text_slot, text)
        # "how many customers have the first name Anna?": a name that starts with that word and a space, a text looked
        # for as "a name starting with 'Anna '" (was: refused); only a capitalised name right after it ("first name
        # and city" is no name)
        first = re.search(r"\bfirst\s+name\s+(?:is\s+|of\s+)?[\"'“‘]?([A-Z][a-zA-Z-]+)\b(?![\"'”’])", question)
        if first is not None:
            first_said = re.compile(rf"\b(?:the\s+|a\s+)?first\s+name\s+(?:is\s+|of\s+)?{re.escape(first.group(1).lower())}\b")
            if first_said.search(text):
                self.texts.append(first.group(1) + " ")
                text = first_said.sub(f" a name starting with __text{len(self.texts) - 1}__ ", text, count=1)
        # a code written in capitals with a hyphen ("AB-", "XY-000123") that the lexicon does not know
        # is a text to look for, kept as written (tokens would lose the hyphen)
        self.codes: set[str] = set()
        for code in dict.fromkeys(CODE_RE.findall(question)):
            prefix = code.split("-")[0].lower()  # "SKU-009999" names a field the lexicon knows: not free text
            if tuple(tokenize(code.lower())) not in parser.lexicon.phrases and (prefix,) not in parser.lexicon.phrases:
                self.texts.append(code)
                self.codes.add(code)
                text = re.sub(rf"(?<![\w-]){re.escape(code.lower())}(?![\w-])", f" __text{len(self.texts) - 1}__ ", text)
        # a domain or address unquoted ("an email at shop.example") is a text to look for, not words
        self.addresses = {m.group(1).strip().lower() for m in DOMAIN_RE.finditer(text)}
        text = DOMAIN_RE.sub(text_slot, text)
        # typos first: "last motnh" and "ordre 1234" must reach the period and id patterns mended
        text = re.sub(r"(?<![\w])[a-zåäöøæ]{4,}(?![\w'])", mend, text)
        if self.corrections:  # "orderd before but not since May": the mended words read as the rewrite reads them
            text = ORDERED_BEFORE_BUT_NOT.sub(r"\1 before but have not ordered ", text)
        text = parser.abbreviations_re.sub(lambda m: parser.abbreviations[m.group(0)], text)  # "csuts": "custs"
        # "how many consumers signed up", "which consumer placed the most orders": a value that is also a noun for
        # its things (layer value_nouns), asked about with no noun of its own after it, names those things
        # ("which 5 tools have the best margin": a product value that is a plural noun names its products after
        # which / what, a number of them between; the layer's _openers say which question words each entity's
        # nouns follow)
        value_nouns = self.layer.grammar.get("value_nouns", {})
        openers = value_nouns.get("_openers", {})
        heads = {w for spec in self.layer.tables.values() for syn in spec.get("synonyms", []) for w in syn.split()}
        heads |= {w for spec in self.layer.dimensions.values() for syn in spec["synonyms"] for w in syn.split()}
        numbers_re = "|".join([r"\d+", *NUMBER_WORDS])
        for entity, words in value_nouns.items():
            if entity.startswith("_"):
                continue
            asking = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in openers.get(
                entity, ["which", "what", "how many", "number of"]))

            def noun_named(m: re.Match[str], w: dict[str, str] = words) -> str:
                return f"{m.group(1)}{m.group(2) or ''} {m.group(3)} {w[m.group(3)]}"
            text = re.sub(rf"\b({asking})(\s+(?:{numbers_re}))?\s+({'|'.join(map(re.escape, words))})\b"
                          rf"(?![\w-]|\s+(?:{'|'.join(map(re.escape, sorted(heads)))})\b)", noun_named, text)
        # "rank the low-stock products by how many units they sold last month": a clause after "by" that says a figure
        # of the layer in words ranks by that figure (layer grammar.ranked_by_clauses)
        by_clauses = {k: v for k, v in self.layer.grammar.get("ranked_by_clauses", {}).items() if not k.startswith("_")}
        if by_clauses:
            text = re.sub(rf"\bby\s+({'|'.join(map(re.escape, sorted(by_clauses, key=len, reverse=True)))})\b",
                          lambda m: f"by {by_clauses[m.group(1)]}", text)
        # "Customers buying paint - which other category ...": a participle right after the customers' noun says what
        # they do, as "customers who buy paint" (layer grammar.participle_clauses; "buying customers" before the
        # noun names those with orders, left as it is)
        clauses = {k: v for k, v in self.layer.grammar.get("participle_clauses", {}).items() if not k.startswith("_")}
        if clauses:
            who = sorted(self.layer.tables.get("customers", {}).get("synonyms", []), key=len, reverse=True)
            text = re.sub(rf"\b({'|'.join(map(re.escape, who))})\s+({'|'.join(map(re.escape, clauses))})\b",
                          lambda m: f"{m.group(1)} {clauses[m.group(2)]}", text)
        # "with their number of orders, including those with zero": every thing listed, one with none at 0 (a note the
        # planner reads; refused where it cannot join the figure's rows outer)
        zeros = self.layer.grammar.get("zero_included", {}).get("words", [])
        self.zero_included = bool(zeros) and re.search(
            rf"\b(?:{'|'.join(map(re.escape, sorted(zeros, key=len, reverse=True)))})\b", text) is not None
        if self.zero_included:
            text = re.sub(rf",?\s*\b(?:{'|'.join(map(re.escape, sorted(zeros, key=len, reverse=True)))})\b", " ", text)
        # "with at least 5 revenue orders": a number of the orders that count as revenue, not 5 EUR of revenue
        counted = self.layer.grammar.get("counted_sales_orders")
        if counted and counted.get("clauses"):
            # "discount given on sales that counted as revenue": the glossary's orders said in a clause
            text = re.sub(rf"\b(?:{'|'.join(map(re.escape, sorted(counted['clauses'], key=len, reverse=True)))})\b",
                          f" {counted['as']} ", text)
        if counted:
            numbers = "|".join([r"\d+", *NUMBER_WORDS])
            text = re.sub(rf"\b({numbers})\s+(?:{'|'.join(map(re.escape, counted['words']))})\b",
                          lambda m: f"{m.group(1)} {counted['as']}", text)
            # "how many revenue orders in October", "number of sales orders": a count of those orders (the
            # glossary's sales); "sales orders only" said later restates its own condition and is left as it is
            counting = "|".join(map(re.escape, sorted(counted.get("counting", []), key=len, reverse=True)))
            if counting:
                words = sorted([*counted["words"], *counted.get("counting_words", [])], key=len, reverse=True)
                # "sales orders by channel": said first, the orders are the thing counted too
                text = re.sub(rf"(?:^\s*|\b({counting})\s+)(?:the\s+)?(?:{'|'.join(map(re.escape, words))})\b",
                              lambda m: f"{m.group(1) or ''} {counted['as']}", text)

        def id_slot(m: re.Match) -> str:
            if re.fullmatch(r"[a-z]+\s+\d+", m.group(0)) and 1990 <= int(m.group(2)) <= 2100 and re.search(
                    r"\b(?:per|each|every)\s+(?:[a-z]+\s+)?$", m.string[:m.start()]):
                return m.group(0)  # "avg revenue per buying customer 2025": one of many things is no one id; a year
            self.ids.append((m.group(1), int(m.group(2))))
            return f" __id{len(self.ids) - 1}__ "
        self.id_lists: dict[int, list[int]] = {}

        def ids_slot(m: re.Match) -> str:
            numbers = [int(n) for n in re.findall(r"\d+", m.group(2))]
            if all(1990 <= n <= 2100 for n in numbers):
                return m.group(0)  # "orders 2024 and 2025": years
            self.id_lists[len(self.ids)] = list(dict.fromkeys(numbers))
            self.ids.append((m.group(1), numbers[0]))
            return f" {m.group(1)}s __id{len(self.ids) - 1}__ "
        text = MULTI_ID_RE.sub(ids_slot, text)
        text = ID_RE.sub(id_slot, text)
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)   # 1,000 -> 1000
        # "the most Heating stock above reorder levels": a superlative of the stock above the level is of the
        # surplus (the stock less the level), not a condition that stock exceeds it
        text = re.sub(r"\b(most|least|highest|lowest|largest|biggest|greatest)\s+((?:(?!spare\b|excess\b|surplus\b)[\w-]+\s+){0,2}?)stock\s+"
                      r"(?:above|over|in\s+excess\s+of)\s+(?:the\s+|their\s+|its\s+)?reorder\s+(?:levels?|points?)\b",
                      r"\1 \2surplus over reorder level", text)
        kept: list[str] = []

        def keep(m: re.Match) -> str:
            if re.search(r"\b(?:with|by|via|through|using|from|on|at|of|for|vs|versus)\s+$", m.string[:m.start()]):
                # "shipped with bring in 2025", "avg hours to delivery for bring in 2026": after a preposition
                # it is a name, not the verb
                return m.group(0)
            first = m.group(1).split()[0]
            if re.search(rf"(?<![\w-]){re.escape(first)}(?![\w-])", question.replace("’", "'")) is None:
                return m.group(0)  # "Bring in 2025: late deliveries": written as a name
            kept.append(m.group(1))
            return f" __keep{len(kept) - 1}__ "
        if parser.phrasal_re is not None:
            text = parser.phrasal_re.sub(keep, text)
        # "records not updated since 13 October": a row's one date (a column, not a count of events) is
        # before that day ("customers who haven't ordered since" stays a test of their orders); "since
        # before 18 October" says the same
        dated = {w for spec in self.layer.tables.values() for col in spec["columns"].values()
                 if col["type"] in ("DATE", "TIMESTAMP") for w in col.get("synonyms", []) if " " not in w}
        if dated:
            text = re.sub(rf"\b(?:haven'?t|hasn'?t|have\s+not|has\s+not|not)\s+(?:been\s+)?"
                          rf"({'|'.join(map(re.escape, sorted(dated)))})\s+since(?:\s+before)?\b", r"\1 before", text)
            # "last updated before 15 October", "(last update before ...)": that one date, not a ranking
            stems = {w: w for w in dated} | {w[:-1]: w for w in dated if w.endswith("ed")}
            text = re.sub(rf"\blast\s+({'|'.join(map(re.escape, sorted(stems)))})\s+"
                          r"(?=(?:before|prior\s+to|since|after|until|on)\b)", lambda m: f"{stems[m.group(1)]} ", text)
        # "not updated since 2026-10-20 (last update before that date)": "that date" is the one date the question
        # names, said again (was: 'before' left unplaced)
        named_dates = list(dict.fromkeys(m.group(0).strip() for m in re.finditer(DATE_RE, text)))
        if len(named_dates) == 1:
            text = re.sub(r"\b(?:that|this|the\s+same)\s+(?:date|day)\b", named_dates[0], text)
        # "within 48 hours (2 days) of shipping": a duration restated in brackets in another unit is one duration
        hours = {"hour": 1, "hours": 1, "day": 24, "days": 24, "week": 168, "weeks": 168}
        text = re.sub(r"\b(\d+(?:\.\d+)?)\s*(hours?|days?|weeks?)\s*\(\s*(?:i\.e\.\s*|or\s+|=\s*)?(\d+(?:\.\d+)?)\s*"
                      r"(hours?|days?|weeks?)\s*\)", lambda m: f"{m.group(1)} {m.group(2)}" if float(m.group(1)) * hours[
                          m.group(2)] == float(m.group(3)) * hours[m.group(4)] else m.group(0), text)
        # ("lost the most revenue from Q2 to Q3": a fall word is a change word too, the layer's growth_fall)
        change_words = [*self.layer.grammar["growth"], *self.layer.grammar.get("growth_fall", {}).get("words", [])]
        text = self._year_said_over(text, as_of, change_words)
        periods = Periods(as_of, tuple(w for w in change_words if w.replace(" ", "").isalpha()),
                          tuple(self.layer.grammar.get("both", [])))
        text = periods.extract(text)
        # "how many orders did customer 42 place in 2025 and how many in 2026": the same figure asked again for a
        # second period, the two side by side as "in 2025 vs 2026" says it
        if re.match(r"\s*how\s+(?:many|much)\b", text):
            text = re.sub(r"(__period\d+__)\s*,?\s*and\s+how\s+(?:many|much)\s+(?:(?:in|for|during)\s+)?(__period\d+__)\s*\??\s*$",
                          r"\1 vs \2 ", text)
        # "over 200 EUR": the currency stays as a slot after the number, so it must be placed (an amount)
        text = MONEY_RE.sub(lambda m: f" {m.group(1) or m.group(2)} __money__ ", text)
        # "above 50%": a number in percent (a fraction for measures kept as fractions, like margin)
        text = re.sub(r"(\d+(?:[.,]\d+)?)\s*(?:%|percent\b)", r" \1 __pct__ ", text)
        self.periods = periods.found
        # ("the fourth quarter": no year said; followups.py) (every slot of those dates so said: "last month, October"
        # names October's year with its other slot)
        self.yearless_periods = {k for k in periods.yearless if periods.yearless.count(k) == sum(
            (p.start, p.end) == k for p in periods.found)}
        # a period wholly after the as-of day has no rows yet: a forecast, which the lake cannot answer
        future = [p for p in periods.found if p.start_date > as_of]
        if future:
            raise NotUnderstood(f"{future[0].label} is after {as_of}: the lake has no data for the future and I do "
                                "not forecast", field="question", hint="ask about a period up to today")
        words = [w for tok in tokenize(text) for w in (
            tokenize(kept[int(tok[6:-2])]) if tok.startswith("__keep") else [tok])]
        # "two thousand", "3 hundred": the number times the multiplier
        merged: list[str] = []
        for w in words:
            factor = {"thousand": 1000, "hundred": 100}.get(w)
            prev = merged[-1] if merged else ""
            base = NUMBER_WORDS.get(prev) if prev in NUMBER_WORDS else (float(prev) if prev.replace(".", "", 1).isdigit()
                                                                        else None)
            if factor and base:
                merged[-1] = str(int(base * factor))
                continue
            merged.append(w)
        words = merged
        # number words as digits ("one" and "zero" only where they are numbers: patterns.numbers_as_read)
        words = numbers_as_read(words)
        # a period restated in brackets ("last quarter (shipped in Q3)") is one period, not two:
        # every slot of the same dates names the first of them
        unique: list[Period] = []
        index: dict[int, int] = {}
        for k, p in enumerate(periods.found):
            same = next((u for u, q in enumerate(unique) if (q.start, q.end) == (p.start, p.end)), None)
            if same is None:
                unique.append(p)
                same = len(unique) - 1
            index[k] = same
        words = [f"__period{index[int(w[8:-2])]}__" if w.startswith("__period") else w for w in words]
        self.periods = unique
        self.words = words  # the tokens the spans were read from (a span's own words: words[start:end])
        self.spans: list[Span] = parser.lexicon.spans(words)
        self.unplaced: list[Span] = []  # stop words that asked for something here: never dropped silently
        self.counts_shown: set[int] = set()  # spans of things counted per listed thing ("with their number of orders")
        self.form = QueryForm()

    # ----- helpers
    def _all_values_said(self, m: re.Match) -> str:
        """"ordered through all three channels" -> "ordered through both web, store and b2b": the lake's values of the
        dimension named (a small list: at most ten), all of them; unchanged where the word names no such dimension or
        the number said is not how many values it has."""
        word = m.group("one") or m.group("many")
        dims = [d for d, spec in self.layer.dimensions.items() if word in spec.get("synonyms", [])]
        vocab = getattr(self.p, "vocab", None)
        column = str(self.layer.dimensions[dims[0]].get("column", "")) if len(dims) == 1 else ""
        values = list(vocab.values.get(column.split(".")[-1], [])) if vocab is not None and column else []
        if not values or not 2 <= len(values) <= 10:
            return m.group(0)
        if m.group("n") and (NUMBER_WORDS.get(m.group("n")) or int(m.group("n"))) != len(values):
            return m.group(0)
        return f"{m.group('verb')} {m.group('prep')} both {', '.join(values[:-1])} and {values[-1]}"

    def _year_said_over(self, text: str, as_of: date, change_words: list[str]) -> str:
        """"revenue over 2025 by month", "orders across 2025": a year the lake holds dates of, after "over" or
        "across", with no unit, measure or thing counted after it and no other period in the question, is that
        year (was: a bound, revenue > 2025); "over 2000 EUR", "over 2025 orders" stay amounts and counts."""
        years = set(getattr(self.p.vocab, "years", None) or ())
        lexicon = self.p.lexicon
        counted = ("measure", "entity", "unit", "activity", "attribute", "value")

        def year(m: re.Match) -> str:
            if int(m.group(2)) not in years:
                return m.group(0)
            after = re.match(r"\s*([a-z]+)", text[m.end():])
            if after and any(x[0] in counted for x in lexicon.word_senses.get(after.group(1), ())):
                return m.group(0)  # "over 2025 orders", "over 2025 units": a count
            rest = text[:m.start()] + " " + text[m.end():]
            others = Periods(as_of, tuple(w for w in change_words if w.replace(" ", "").isalpha()))
            others.extract(rest)
            if others.found or re.search(r"\b(?:19|20)\d{2}\b", rest):
                return m.group(0)  # "spent over 2025 in 2025": the period is said elsewhere
            return f" in {m.group(2)} "
        return re.sub(r"\b(over|across)\s+((?:19|20)\d{2})\b(?!\s*(?:[.,]\d|€|eur\b|euros?\b|\$|%|percent\b|kr\b|sek\b))",
                      year, text)

    def said_mended(self) -> str:
        """The question as written (lower case), its slips mended as the spans read them: for the steps that
        read a shape off the written words ("all of those placed on the earliset date": "earliest")."""
        said = self.question.lower().replace("’", "'")
        for wrong, right in self.corrections:
            said = re.sub(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", right, said)
        return said

    def content(self) -> list[Span]:
        return [s for s in self.spans if not s.used and not (len(s.senses) == 1 and s.senses[0][0] == "stop")]

    def next_content(self, i: int, skip_stop: bool = True) -> tuple[int, Span] | None:
        for j in range(i + 1, len(self.spans)):
            s = self.spans[j]
            if skip_stop and s.has("stop") and not s.used and not self._meaningful(s):
                continue
            return j, s
        return None

    def prev_content(self, i: int) -> tuple[int, Span] | None:
        for j in range(i - 1, -1, -1):
            s = self.spans[j]
            if s.has("stop") and not self._meaningful(s):
                continue
            return j, s
        return None

    @staticmethod
    def _meaningful(s: Span) -> bool:
        return any(x[0] not in ("stop", "grammar") for x in s.senses) or s.has("grammar", "negation")

    def _total_said(self) -> bool:
        """A word of the layer's ``aggregates`` or ``overall`` tables ("total", "sum", "altogether") is in the
        question: one figure over all the things is what was asked."""
        totals = {*self.layer.grammar.get("aggregates", {}), *self.layer.grammar.get("overall", [])}
        return any(s.text in totals for s in self.spans)

    def _minus_word(self, s: Span) -> bool:
        """``s`` is a word of a set difference ("minus"), the layer's one ``minus_words`` table: read between two
        periods (_periods_minus) and in a growth's own "(later minus earlier)". A word of ``minus_between_periods``
        ("less", a ranking word elsewhere) is one only right between two periods ("(Q1 2026 less Q4 2025)"): a
        ranking there would have nothing to rank."""
        grammar = self.layer.grammar
        if s.text in grammar.get("minus_words", []):
            return True
        if s.text not in grammar.get("minus_between_periods", []):
            return False
        k = next((j for j, x in enumerate(self.spans) if x is s), None)
        if k is None:
            return False
        before, after = self.prev_content(k), self.next_content(k)
        return bool(before and after and all(x[1].text.startswith("__period") for x in (before, after)))

    def values_of(self, s: Span) -> list[tuple[str, str]]:
        return [(x[1], x[2]) for x in s.senses if x[0] == "value"]

    def _is_carrier(self, s: Span) -> bool:
        """The carrier word or a carrier's name ("Schenker delivered"): the one who ships and delivers."""
        return s.has("dimension", "carrier") or any(dim == "carrier" for dim, _ in self.values_of(s))

    if TYPE_CHECKING:  # steps one capability calls in another; each is defined in its own mixin
        def _past_prepositions(self, nxt: tuple[int, Span] | None) -> tuple[int, Span] | None: ...
        def _between_periods(self, i: int) -> bool: ...
        def _restates_figure(self, x: Span, f: QueryForm) -> bool: ...
        def _one_row_spans(self) -> list[Span]: ...
        def _type_noun(self, i: int, dim: str) -> None: ...
        def _own_dimension(self, entity: str) -> str | None: ...
        def _thing_dimension(self, entity: object) -> str | None: ...
        def _same_rows(self, entity: str | None, other: str | None) -> bool: ...
        def _tied_tables(self, table: str) -> set[str]: ...
        def _by_value_then_singular_entity(self, i: int) -> bool: ...
        def _is_which(self, i: int) -> bool: ...
        def _relative_which(self, i: int) -> bool: ...
        def _things_heading(self, i: int) -> bool: ...
        def _advice_summed(self, f: QueryForm) -> None: ...
        def _field_shown(self, i: int) -> bool: ...
        def _summed_figures(self, f: QueryForm) -> None: ...
        def _figure_asked_first(self, f: QueryForm) -> bool: ...
        def _measures_without_their_filter(self, f: QueryForm) -> None: ...
        def _distinct_measures(self, f: QueryForm) -> None: ...
        def _holding_places(self, f: QueryForm, dim: str) -> None: ...
        def _check_units(self, f: QueryForm) -> None: ...
        def _in_eur(self, measure: str) -> bool: ...
        def _share_condition(self, f: QueryForm) -> None: ...
        def _averaged_over(self, entity: str, before: int) -> bool: ...
        def _subject_from_condition(self, f: QueryForm) -> str: ...
