"""The learning store: seed files ``learnings/product_swaps.csv`` and ``learnings/general_rules.txt``
plus a sidecar ``learnings/learning_meta.json`` (review status, evidence counts and the newest
evidence, rule candidates) that leaves the seed formats untouched. The full evidence is in
append-only JSON lines under ``learnings/evidence/`` (evidence.py), so the sidecar stays small.

Merging is idempotent: evidence is keyed by source file, so re-processing an offer never
duplicates a row or inflates its confidence.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import orjson
from pydantic import ValidationError

from ..errors import NotFound, ValidationFailed
from ..logs import get_logger
from ..ports.objectstore import ObjectStore
from . import evidence as evidence_store
from .conditions import Observation, describe, learn_condition
from .models import MORE_PREFIX, SWAP_HEADER, RuleLine, SwapRow
from .normalize import normalize_term

SWAPS_KEY = "learnings/product_swaps.csv"
RULES_KEY = "learnings/general_rules.txt"
META_KEY = "learnings/learning_meta.json"

META_FORMAT = 3           # format 2 held every CSV field and the views' sha256; 3 moves old evidence out
COMPLETE_FORMATS = (2, 3)  # sidecars that can restore the CSV
log = get_logger("offers.learnings")

RULE_MIN_OFFERS = 3       # a general rule needs this many independent offers ...
RULE_MIN_MARGIN = 2.0     # ... and this many times more support than contrary evidence


def swap_id(term: str, code: str) -> str:
    return "s-" + hashlib.sha1(f"{term}|{code}".encode()).hexdigest()[:8]


def rule_id(text: str) -> str:
    return "r-" + hashlib.sha1(text.encode()).hexdigest()[:8]


def confidence_for(evidence_count: int) -> float:
    """Each independent correction halves-and-then-some the doubt: 1 -> 0.6, 2 -> 0.84, 3 -> 0.94."""
    return round(min(0.99, 1 - 0.4 ** max(1, evidence_count)), 3)


@dataclass(slots=True)  # one per (swap, offer): 100,000s in a year's learnings
class Evidence:
    source_file: str
    offer_number: str
    ai_code: str
    ai_name: str
    final_code: str
    final_name: str
    ai_quantity: float | None = None
    final_quantity: float | None = None
    timestamp: str = ""
    customer_term: str = ""


@dataclass
class SwapLearning:
    term: str
    product_code: str
    product_name: str
    evidence: dict[str, Evidence] = field(default_factory=dict)
    status: str = "pending"
    reasoning: str = ""
    timestamp: str = ""
    match_type: str = "learned_swap"
    reviewed_at: str | None = None
    condition: dict | None = None  # when the swap applies (conditions.py); None: always
    # Evidence only in the evidence store (``evidence`` holds the newest MAX_EVIDENCE_IN_META): how
    # much, and which AI codes it replaced (what a rule must explain to pass its condition on).
    older: int = 0
    older_ai_codes: set[str] = field(default_factory=set)
    stored: set[str] = field(default_factory=set)  # source files of ``evidence`` already in the store

    @property
    def id(self) -> str:
        return swap_id(self.term, self.product_code)

    @property
    def n_evidence(self) -> int:
        return len(self.evidence) + self.older

    @property
    def evidence_count(self) -> int:
        return max(1, self.n_evidence)

    @property
    def confidence(self) -> float:
        return 1.0 if self.match_type == "reviewer_edit" else confidence_for(self.n_evidence)

    def ai_codes(self) -> set[str]:
        return {e.ai_code for e in self.evidence.values()} | self.older_ai_codes

    def trim(self, keep: int) -> None:
        """Keep the newest ``keep`` pieces of evidence (by source file name) in memory; count the rest."""
        if len(self.evidence) <= keep:
            return
        names = sorted(self.evidence)
        for name in names[:len(names) - keep]:
            ev = self.evidence.pop(name)
            self.older += 1
            self.older_ai_codes.add(ev.ai_code)
            self.stored.discard(name)

    def to_row(self) -> SwapRow:
        return SwapRow(customer_term=self.term, matched_product_code=self.product_code,
                       matched_product_name=self.product_name, confidence_score=self.confidence,
                       reasoning=self.reasoning, match_type=self.match_type, timestamp=self.timestamp,
                       source_files=source_files_field(sorted(self.evidence), self.n_evidence))


# The CSV names at most this many source files per swap (the newest by name), after a first entry
# "+N more in learnings/learning_meta.json" counting the others; the sidecar keeps as many pieces of
# evidence per swap and the evidence store (evidence.py) keeps every one. A swap backed by 6,256
# offers once made a 175,167-character field, past the csv module's default limit of 131,072, and
# every later night failed to read its own CSV.
MAX_SOURCE_FILES_IN_CSV = 200
MAX_EVIDENCE_IN_META = MAX_SOURCE_FILES_IN_CSV
EVIDENCE_SPILL_AT = 50_000  # a run writes its evidence in objects of this many (~12 MB) as it goes


def source_files_field(files: list[str], total: int | None = None) -> str:
    """``files`` sorted; ``total``: how many source files back the swap in all (default: ``files``)."""
    shown = files[-MAX_SOURCE_FILES_IN_CSV:]
    more = (len(files) if total is None else total) - len(shown)
    if more <= 0:
        return ";".join(shown)
    return f"{MORE_PREFIX}{more} more in {META_KEY};" + ";".join(shown)


def more_count(source_files: str) -> int:
    """N of a "+N more in ..." entry of a CSV source_files field (0 without one)."""
    for entry in source_files.split(";"):
        if entry.startswith(MORE_PREFIX):
            try:
                return max(0, int(entry[len(MORE_PREFIX):].split(" ", 1)[0]))
            except ValueError:
                return 0
    return 0


@dataclass
class RuleLearning:
    kind: str            # prefer_brand | prefer_length
    group: str
    preferred: str
    over: str
    support: list[str] = field(default_factory=list)   # offer numbers
    status: str = "pending"
    day: str = ""          # date the rule was first written ('' while still a candidate)
    reviewed_at: str | None = None
    # Optional, so that sidecars written before them still load: the family as people read it
    # ("KOMP.PUTKI (682300)"; '' on rules learned before families) and when the rule applies.
    family: str = ""
    condition: dict | None = None

    @property
    def text(self) -> str:
        if self.family:
            return self._family_text()
        if self.kind == "prefer_length":
            return f"Prefer {self.preferred} over {self.over} sections for {self.group}"
        return f"Prefer {self.preferred} over {self.over} for {self.group}"

    def _family_text(self) -> str:
        when = describe(self.condition) if self.condition else ""
        if self.kind == "prefer_length":
            if when:
                return f"For {self.family} {when}, prefer {self.preferred} sections over {self.over}"
            return f"Prefer {self.preferred} sections over {self.over} for {self.family}"
        if when:
            return f"For {self.family} {when}, prefer {self.preferred} brand over {self.over}"
        return f"Prefer {self.preferred} brand {self.family} over {self.over}"

    @property
    def id(self) -> str:
        return rule_id(self.text)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.group, self.preferred, self.over)


@dataclass
class SlotEvidence:
    """Every AI line a rule of (kind, group, over) could have changed, kept or changed, per offer:
    the counter-examples a rule and its condition are learned from. Rows are
    [quantity, run_length_m, customer, outcome] with outcome '' for kept, else what it became."""

    kind: str
    group: str
    over: str
    rows: dict[str, list[list]] = field(default_factory=dict)   # offer number -> rows

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.group, self.over)

    def observations(self, preferred: str) -> list[Observation]:
        """Lines changed to `preferred` (positive) or kept (negative); changed elsewhere: no evidence."""
        return [Observation(offer, outcome == preferred, qty, run, customer)
                for offer, rows in self.rows.items() for qty, run, customer, outcome in rows
                if outcome in ("", preferred)]


class LearningSet:
    """All learnings in memory; ``load``/``save`` through the object store."""

    def __init__(self) -> None:
        self.swaps: dict[tuple[str, str], SwapLearning] = {}
        self.rules: dict[tuple[str, str, str, str], RuleLearning] = {}
        self.slots: dict[tuple[str, str, str], SlotEvidence] = {}
        self._support_sets: dict[tuple[str, str, str, str], set[str]] = {}
        self.extra_rule_lines: list[str] = []   # general_rules.txt lines no rule here wrote (seed, by hand)
        self.repairs: list[dict] = []           # {file, problem, action} found by load, written by save
        self._found: dict[str, str | None] = {}  # sha256 of each view as load found it
        self._previous: dict[str, str | None] = {}  # the sidecar's previous_sha256 of each view
        self._damaged_meta: tuple[str, bytes] | None = None  # (backup key, bytes) of an unreadable sidecar
        self.evidence_runs: list[str] = []      # the evidence store's objects the sidecar counts
        self._unlisted: list[str] = []          # objects it does not count (a dead run's, merged ones)
        self._source: tuple[ObjectStore, str] | None = None  # where load read from (for the store)
        self._stored_keys: dict[str, set[str]] | None = None  # swap id -> its source files in the store
        self._pending_runs: list[str] = []      # objects spilled by this run, listed by its save
        self._unstored = 0                      # pieces of evidence added since the last spill

    # ---- persistence -------------------------------------------------------------------
    # The sidecar is the source of truth and is written first; the CSV and the rules file are views
    # made from it, and the sidecar records their sha256. A load that finds a view cut off, or left
    # old by a run that died between the writes, rebuilds it from the sidecar (_load_into).
    @classmethod
    def load(cls, store: ObjectStore, bucket: str) -> LearningSet:
        """Load and check the learning files. What was repaired in memory is in ``repairs`` (the
        next ``save`` writes it); damage that cannot be repaired raises LearningsDamaged."""
        self = cls()
        self._source = (store, bucket)
        _load_into(self, store, bucket)
        return self

    def save(self, store: ObjectStore, bucket: str) -> None:
        _save(self, store, bucket)

    # ---- views -------------------------------------------------------------------------
    def sorted_swaps(self) -> list[SwapLearning]:
        return sorted(self.swaps.values(), key=lambda s: (s.term, -s.n_evidence, s.product_code))

    def written_rules(self) -> list[RuleLearning]:
        return sorted((r for r in self.rules.values() if r.day), key=lambda r: (r.day, r.text))

    def find(self, learning_id: str) -> SwapLearning | RuleLearning:
        for s in self.swaps.values():
            if s.id == learning_id:
                return s
        for r in self.rules.values():
            if r.id == learning_id and r.day:
                return r
        raise NotFound(f"no learning with id {learning_id!r}", hint="see 'commerce learn review list'")

    # ---- merging -----------------------------------------------------------------------
    def add_swap(self, term: str, code: str, name: str, evidence: Evidence, reasoning: str) -> bool:
        """Add one observation; returns True when it is new evidence."""
        term = normalize_term(term)
        key = (term, code)
        swap = self.swaps.get(key)
        if swap is None:
            swap = self.swaps[key] = SwapLearning(term, code, name)
        if evidence.source_file in swap.evidence:
            return False
        if swap.older and evidence.source_file in self._in_store().get(swap.id, ()):
            return False  # counted in an earlier night, its details moved to the evidence store
        swap.evidence[evidence.source_file] = evidence
        self._unstored += 1
        swap.timestamp = max(swap.timestamp, evidence.timestamp)
        n = swap.n_evidence
        swap.reasoning = reasoning if n == 1 else (
            f"Salespeople replaced the AI match with {code} for '{term}' in {n} offers")
        return True

    def spill_evidence(self, store: ObjectStore, bucket: str, at_least: int = 0) -> None:
        """Write the evidence added so far to a new object of the evidence store and keep only the
        newest of each swap in memory, so that a first run over a year of offers does not hold all
        of it. The object counts once ``save`` lists it in the sidecar; a run that dies before that
        leaves it unlisted (ignored). Call it between offers: an offer's evidence is never split."""
        if self._unstored < max(1, at_least):
            return
        key = _write_unstored(self, store, bucket, datetime.now(UTC))
        if key is not None:
            self._pending_runs.append(key)

    def _in_store(self) -> dict[str, set[str]]:
        """(swap id, source file) of every piece of evidence the store holds; read once, and only
        when an offer is relearned whose evidence may have left the sidecar."""
        if self._stored_keys is None:
            self._stored_keys = {}
            if self._source is not None and self.evidence_runs:
                store, bucket = self._source
                for sid, source in evidence_store.read_keys(store, bucket, self.evidence_runs):
                    self._stored_keys.setdefault(sid, set()).add(source)
        return self._stored_keys

    def add_rule_support(self, kind: str, group: str, preferred: str, over: str, offer_number: str, today: date) -> None:
        key = (kind, group, preferred, over)
        rule = self.rules.get(key)
        if rule is None:
            rule = self.rules[key] = RuleLearning(kind, group, preferred, over)
        seen = self._support_sets.get(key)
        if seen is None:
            seen = self._support_sets[key] = set(rule.support)
        if offer_number not in seen:
            seen.add(offer_number)
            rule.support.append(offer_number)

    def set_offer_observations(self, offer_number: str, observations) -> None:
        """Replace one offer's lines in every slot (re-processing an offer never counts it twice).
        ``observations``: items with kind, group, over and ``row`` ([qty, run_m, customer, outcome])."""
        for existing in self.slots.values():
            existing.rows.pop(offer_number, None)
        for obs in observations:
            key = (obs.kind, obs.group, obs.over)
            slot = self.slots.get(key)
            if slot is None:
                slot = self.slots[key] = SlotEvidence(*key)
            slot.rows.setdefault(offer_number, []).append(list(obs.row))

    def promote_rules(self, today: date, families=None) -> list[RuleLearning]:
        """Write candidates with enough independent support; returns the newly written ones.

        A candidate whose slot has line evidence (kept lines included) is decided by
        ``learn_condition``: always, under a learned condition, or not at all; a written rule's
        condition is revisited every night as evidence grows. Without line evidence (learnings from
        before slots) the support count decides, as before. ``families`` (families.Families) names
        the family in the rule's text and lets term swaps inherit the condition of the rule that
        explains them."""
        new = []
        for rule in self.rules.values():
            if families is not None and not rule.family and families.family(rule.group) is not None:
                rule.family = families.family_label(rule.group)
            contrary = self.rules.get((rule.kind, rule.group, rule.over, rule.preferred))
            against = len(contrary.support) if contrary else 0
            if len(rule.support) < RULE_MIN_OFFERS or len(rule.support) < RULE_MIN_MARGIN * max(against, 0.5):
                continue
            slot = self.slots.get((rule.kind, rule.group, rule.over))
            if slot is not None and slot.rows:
                applies, condition = learn_condition(slot.observations(rule.preferred))
                if not applies:
                    continue
                rule.condition = condition
            if not rule.day:
                rule.day = today.isoformat()
                new.append(rule)
        if families is not None:
            self._inherit_conditions(families)
        return new

    def _inherit_conditions(self, families) -> None:
        """A term swap that a written rule explains (every piece of evidence is the rule's change)
        applies when the rule does: "kupariputki 15mm" -> the 5M section only on long runs."""
        written = [r for r in self.rules.values() if r.day and r.status != "rejected"]
        for swap in self.swaps.values():
            if swap.match_type == "reviewer_edit" or not swap.n_evidence:
                continue
            explaining = None
            for ai_code in sorted(swap.ai_codes()):
                rule = next((r for r in written if rule_explains(r, ai_code, swap.product_code, families)), None)
                if rule is None or (explaining is not None and rule is not explaining):
                    explaining = None
                    break
                explaining = rule
            if explaining is not None:
                swap.condition = explaining.condition

    # ---- review ------------------------------------------------------------------------
    def set_status(self, learning_id: str, status: str) -> SwapLearning | RuleLearning:
        if status not in ("pending", "approved", "rejected"):
            raise ValidationFailed(f"unknown review status {status!r}", hint="use pending, approved or rejected")
        item = self.find(learning_id)
        item.status = status
        item.reviewed_at = datetime.now(UTC).isoformat(timespec="seconds")
        return item

    def edit_swap(self, learning_id: str, product_code: str, product_name: str) -> SwapLearning:
        """A reviewer corrects a learned swap: the old one is rejected, the edited one approved."""
        old = self.find(learning_id)
        if not isinstance(old, SwapLearning):
            raise ValidationFailed(f"{learning_id} is a rule; only swaps can be edited")
        old.status = "rejected"
        old.reviewed_at = datetime.now(UTC).isoformat(timespec="seconds")
        new = self.swaps.get((old.term, product_code)) or SwapLearning(old.term, product_code, product_name)
        new.evidence = {**old.evidence, **new.evidence}
        new.stored = (old.stored | new.stored) if new is not old else new.stored
        new.older += old.older if new is not old else 0
        new.older_ai_codes |= old.older_ai_codes
        new.status, new.match_type, new.reviewed_at = "approved", "reviewer_edit", old.reviewed_at
        new.reasoning = f"Reviewer changed {old.product_code} to {product_code}"
        new.timestamp = old.reviewed_at or ""
        self.swaps[(old.term, product_code)] = new
        return new


def rule_explains(rule: RuleLearning, from_code: str, to_code: str, families) -> bool:
    """Is from_code -> to_code exactly the change the rule makes (same line, size, ...)?"""
    a, b = families.attrs(from_code), families.attrs(to_code)
    if a is None or b is None or a.group != rule.group or b.group != rule.group or a.size != b.size:
        return False
    if rule.kind == "prefer_brand":
        return a.length_m == b.length_m and (a.brand, b.brand) == (rule.over, rule.preferred)
    return a.brand == b.brand and (a.length_label, b.length_label) == (rule.over, rule.preferred)


# ---- load and save --------------------------------------------------------------------------
class LearningsDamaged(ValidationFailed):
    """A learning file is damaged and the others cannot restore it: nothing is written."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(store: ObjectStore, bucket: str, key: str) -> bytes | None:
    try:
        return store.get_bytes(bucket, key)
    except NotFound:
        return None


@dataclass
class _CsvScan:
    rows: list[tuple[int, SwapRow]] = field(default_factory=list)  # complete rows that parse, by line
    problems: list[str] = field(default_factory=list)               # one phrase per damaged line


def _scan_csv(data: bytes) -> _CsvScan:
    """Every row of the CSV that is whole; the damaged ones are named in ``problems``."""
    scan = _CsvScan()
    text = data.decode("utf-8", errors="replace")  # a cut inside a character shows as U+FFFD
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # strict: a cut inside quotes is an error
    try:
        header = next(reader, None)
        if header != SWAP_HEADER:
            scan.problems.append(f"the header is {header}, not {','.join(SWAP_HEADER)}")
            return scan
        for fields in reader:
            line = reader.line_num
            if not fields:
                continue  # a blank line
            if len(fields) != len(SWAP_HEADER):
                scan.problems.append(f"line {line} has {len(fields)} fields, not {len(SWAP_HEADER)}")
                continue
            if any("\ufffd" in f for f in fields):
                scan.problems.append(f"line {line} is not valid UTF-8")
                continue
            try:
                row = SwapRow.model_validate(dict(zip(SWAP_HEADER, fields, strict=True)))
            except ValidationError as exc:
                err = exc.errors()[0]
                scan.problems.append(f"line {line}: {'.'.join(map(str, err['loc']))}: {err['msg']}")
                continue
            scan.rows.append((line, row))
    except csv.Error as exc:
        scan.problems.append(f"line {reader.line_num}: {exc}")
    if text and not text.endswith("\n"):
        # Every writer ends the file with a newline: a last line without one was cut off mid-write,
        # even when what is left of it parses (a source file name cut in half is still a string).
        if scan.rows and scan.rows[-1][0] == reader.line_num:
            scan.rows.pop()
        if not any(p.startswith(f"line {reader.line_num}:") for p in scan.problems):
            scan.problems.append(f"the last line ({reader.line_num}) is cut off: the file does not end with a newline")
    return scan


def _stub_evidence(source: str, row: SwapRow) -> Evidence:
    # Only the file name survives in the CSV; the AI and final lines lived in the sidecar.
    return Evidence(source, source.split("_")[0], "", "", row.matched_product_code, row.matched_product_name)


def _swap_from_row(row: SwapRow, meta_entry: dict | None = None) -> SwapLearning:
    m = meta_entry or {}
    evidence = {e["source_file"]: Evidence(**e) for e in m.get("evidence", [])}
    for src in row.sources:
        evidence.setdefault(src, _stub_evidence(src, row))
    older = max(0, more_count(row.source_files) - (len(evidence) - len(row.sources)))
    return SwapLearning(term=row.customer_term, product_code=row.matched_product_code,
                        product_name=row.matched_product_name, evidence=evidence, status=m.get("status", "pending"),
                        reasoning=row.reasoning, timestamp=row.timestamp, match_type=row.match_type,
                        reviewed_at=m.get("reviewed_at"), condition=m.get("condition"),
                        older=older, older_ai_codes={""} if older else set())


def _swaps_from_meta(meta: dict) -> dict[tuple[str, str], SwapLearning]:
    # Format 3 wrote the evidence it lists to the evidence store; format 2 kept it only here.
    in_store = meta.get("format") == 3
    swaps = {}
    for m in meta["swaps"].values():
        evidence = {e["source_file"]: Evidence(**e) for e in m["evidence"]}
        s = SwapLearning(term=m["term"], product_code=m["product_code"], product_name=m["product_name"],
                         evidence=evidence, status=m["status"], reasoning=m["reasoning"], timestamp=m["timestamp"],
                         match_type=m["match_type"], reviewed_at=m.get("reviewed_at"), condition=m.get("condition"),
                         older=int(m.get("older_evidence", 0)), older_ai_codes=set(m.get("older_ai_codes", [])),
                         stored=set(evidence) if in_store else set())
        swaps[(s.term, s.product_code)] = s
    return swaps


def _parse_meta(data: bytes) -> tuple[dict | None, str | None]:
    """(sidecar, None), or (None, what is wrong with it). orjson: no size limit, and a tenth of the
    time and memory of the standard library on a sidecar of tens of megabytes."""
    try:
        meta = orjson.loads(data)
    except orjson.JSONDecodeError as exc:  # invalid UTF-8 included
        return None, f"it is not valid JSON ({exc})"
    if not isinstance(meta, dict) or not isinstance(meta.get("swaps", {}), dict) \
            or not isinstance(meta.get("rules", []), list):
        return None, "it is not a learning sidecar (an object with 'swaps' and 'rules')"
    return meta, None


def _repair(ls: LearningSet, key: str, problem: str, action: str) -> None:
    ls.repairs.append({"file": key, "problem": problem, "action": action})
    log.warning("learning file repaired", file=key, problem=problem, action=action)


def _damaged(bucket: str, problem: str, hint: str) -> LearningsDamaged:
    return LearningsDamaged(f"{bucket}/{problem}; nothing was written", hint=hint)


def _load_into(ls: LearningSet, store: ObjectStore, bucket: str) -> None:
    meta_bytes, csv_bytes, rules_bytes = (_read(store, bucket, k) for k in (META_KEY, SWAPS_KEY, RULES_KEY))
    ls._found = {SWAPS_KEY: None if csv_bytes is None else _sha(csv_bytes),
                 RULES_KEY: None if rules_bytes is None else _sha(rules_bytes)}
    meta, meta_problem = (None, None) if meta_bytes is None else _parse_meta(meta_bytes)
    complete = False  # a sidecar of format 2 holds every CSV field: it can restore the CSV
    if meta is not None:
        try:
            rules = [RuleLearning(**r) for r in meta.get("rules", [])]
            if meta.get("format") in COMPLETE_FORMATS:
                ls.swaps, complete = _swaps_from_meta(meta), True
                ls.extra_rule_lines = [str(x) for x in meta.get("extra_rule_lines", [])]
                ls.evidence_runs = [str(k) for k in meta.get("evidence_runs", [])]
            else:  # the first format: review status and evidence only; checked here, used with the CSV
                for m in meta["swaps"].values():
                    [Evidence(**e) for e in m.get("evidence", [])]
        except (TypeError, KeyError, AttributeError, ValueError) as exc:
            meta, meta_problem = None, f"an entry is malformed ({type(exc).__name__}: {exc})"
            ls.swaps, ls.extra_rule_lines, complete = {}, [], False
        else:
            ls.rules = {r.key: r for r in rules}
            # optional: sidecars from before conditions have no line observations
            ls.slots = {slot.key: slot for slot in (SlotEvidence(**e) for e in meta.get("slots", []))}
    found_runs = evidence_store.listed(store, bucket)
    ls._unlisted = [k for k in found_runs if k not in set(ls.evidence_runs)]
    if meta is None and csv_bytes is not None:
        # The sidecar that listed them is lost or damaged: every object found counts (entries are
        # keyed, so reading one twice changes nothing). Without a CSV either nothing was ever
        # saved, and what is found was spilled by a first run that died: it counts for nothing.
        ls.evidence_runs, ls._unlisted = found_runs, []
    if complete and meta is not None:
        ls._previous = {k: (meta.get("files", {}).get(k) or {}).get("previous_sha256") for k in (SWAPS_KEY, RULES_KEY)}
        _restore_csv_from_meta(ls, meta, csv_bytes)
        _read_rules_file(ls, rules_bytes, meta.get("files", {}).get(RULES_KEY, {}))
        return

    # No usable sidecar of format 2: the CSV is the only whole record of the swaps, so it must be whole.
    scan = _scan_csv(csv_bytes) if csv_bytes is not None else _CsvScan()
    if meta_problem is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = f"{META_KEY}.damaged-{stamp}"
        if scan.problems:
            raise _damaged(bucket, f"{META_KEY} is damaged ({meta_problem}) and {SWAPS_KEY} is damaged too "
                                   f"({'; '.join(scan.problems[:5])})",
                           hint=f"restore both files from a backup, then run again; {SWAPS_KEY} alone is enough "
                                f"once its damaged lines are fixed or deleted")
        assert meta_bytes is not None  # the problem was found in them
        ls._damaged_meta = (backup, meta_bytes)
        for _, row in scan.rows:
            ls.swaps[(row.customer_term, row.matched_product_code)] = _swap_from_row(row)
        _repair(ls, META_KEY, meta_problem,
                f"rebuilt from {SWAPS_KEY} ({len(ls.swaps)} swaps, evidence counts from its source_files); "
                f"review statuses are back to pending and rule candidates start over; the damaged file is "
                f"kept as {backup}")
    else:
        if scan.problems:
            raise _damaged(bucket, f"{SWAPS_KEY} is damaged ({'; '.join(scan.problems[:5])}) and "
                                   f"{'there is no ' + META_KEY if meta is None else META_KEY + ' is of the first format, without product names,'} "
                                   f"to restore it from",
                           hint=f"restore {SWAPS_KEY} from a backup, or fix or delete the lines named, then run again")
        swap_meta = (meta or {}).get("swaps", {})
        for _, row in scan.rows:
            ls.swaps[(row.customer_term, row.matched_product_code)] = _swap_from_row(
                row, swap_meta.get(swap_id(row.customer_term, row.matched_product_code)))
        missing = [f"{m.get('term')} -> {m.get('product_code')}" for m in swap_meta.values()
                   if (m.get("term"), m.get("product_code")) not in ls.swaps]
        if missing:
            raise _damaged(bucket, f"{SWAPS_KEY} has {len(scan.rows)} rows and lacks {len(missing)} swaps that "
                                   f"{META_KEY} lists ({', '.join(missing[:5])}): it was probably cut at a line end",
                           hint=f"restore {SWAPS_KEY} from a backup and run again; to keep only the CSV's rows, move "
                                f"{META_KEY} aside (their review statuses and evidence details are then lost)")
    _read_rules_file(ls, rules_bytes, {})


def _restore_csv_from_meta(ls: LearningSet, meta: dict, csv_bytes: bytes | None) -> None:
    """The sidecar's swaps are loaded; check the CSV against them and keep what only the CSV has."""
    info = meta.get("files", {}).get(SWAPS_KEY, {})
    if csv_bytes is None:
        if ls.swaps:
            _repair(ls, SWAPS_KEY, "the file is missing", f"restored from {META_KEY} ({len(ls.swaps)} swaps)")
        return
    sha = _sha(csv_bytes)
    if sha == info.get("sha256"):
        return  # the CSV the sidecar was written with
    if sha == info.get("previous_sha256"):
        _repair(ls, SWAPS_KEY, f"it is older than {META_KEY} (a run stopped between writing the two)",
                f"restored from {META_KEY} ({len(ls.swaps)} swaps)")
        return
    scan = _scan_csv(csv_bytes)
    problems = list(scan.problems)
    keys = {(row.customer_term, row.matched_product_code) for _, row in scan.rows}
    if len(scan.rows) != len(ls.swaps):
        problems.append(f"{len(scan.rows)} complete rows where {META_KEY} lists {len(ls.swaps)} swaps")
    if missing := len(set(ls.swaps) - keys):
        problems.append(f"{missing} swaps have no complete row")
    # Complete rows the sidecar lacks were written by someone else (a seed file, a person): kept.
    added = sources = 0
    for _, row in scan.rows:
        key = (row.customer_term, row.matched_product_code)
        swap = ls.swaps.get(key)
        if swap is None:
            ls.swaps[key] = _swap_from_row(row)
            added += 1
            continue
        for src in row.sources:
            if src not in swap.evidence:
                swap.evidence[src] = _stub_evidence(src, row)
                sources += 1
    action = f"restored from {META_KEY} ({len(ls.swaps) - added} swaps)"
    if added or sources:
        action += f"; kept {added} rows and {sources} source files found only in the CSV"
    _repair(ls, SWAPS_KEY, "; ".join(problems) or f"its content differs from what {META_KEY} records", action)


def _read_rules_file(ls: LearningSet, data: bytes | None, info: dict) -> None:
    """Lines of general_rules.txt that no rule in the sidecar wrote are kept (``extra_rule_lines``),
    so a seed's or a person's rules survive the next save; a cut-off copy of a known line is not."""
    written = {RuleLine(day=date.fromisoformat(r.day), rule=r.text).format() for r in ls.written_rules()}
    expected = written | set(ls.extra_rule_lines)
    if data is None:
        if info and expected:
            _repair(ls, RULES_KEY, "the file is missing", f"restored from {META_KEY}")
        return
    sha = _sha(data)
    if sha == info.get("sha256"):
        return
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    problems, kept = [], 0
    for n, line in enumerate(lines, start=1):
        content = line.rstrip("\r\n").strip()
        if not content or content in expected:
            continue
        if not line.endswith("\n") and any(e.startswith(content) for e in expected):
            problems.append(f"the last line ({n}) is cut off")
            continue
        if not line.endswith("\n"):
            # Nothing can tell a rule typed without a final newline from one cut short: keep it, say so.
            log.warning("the last line of the rules file has no newline; kept as it is: check that it is whole",
                        file=RULES_KEY, line=content)
        ls.extra_rule_lines.append(content)
        expected.add(content)
        kept += 1
    missing = len(written - {line.strip() for line in lines})
    if missing:
        problems.append(f"{missing} rules of {META_KEY} are missing")
    if info:  # a sidecar of format 2 wrote this file: any difference is a repair
        if sha == info.get("previous_sha256"):
            problems = [f"it is older than {META_KEY} (a run stopped between writing the two)"]
        _repair(ls, RULES_KEY, "; ".join(problems) or f"its content differs from what {META_KEY} records",
                f"restored from {META_KEY}" + (f"; kept {kept} lines found only in the file" if kept else ""))
    elif problems:
        _repair(ls, RULES_KEY, "; ".join(problems), "rewritten from the complete lines")


def _rules_text(ls: LearningSet) -> str:
    lines = set(ls.extra_rule_lines)
    kept_rules = {line.split(": ", 1)[-1] for line in lines}
    for r in ls.written_rules():
        if r.text not in kept_rules:  # a rule the file already has (seed, rebuilt sidecar) keeps its first day
            lines.add(RuleLine(day=date.fromisoformat(r.day), rule=r.text).format())
    return "".join(line + "\n" for line in sorted(lines))


def _write_unstored(ls: LearningSet, store: ObjectStore, bucket: str, now: datetime) -> str | None:
    """The evidence not yet in the store, as one new object (its key; None when there is none);
    then every swap keeps only its newest MAX_EVIDENCE_IN_META in memory."""
    unstored = [(s.id, e) for s in ls.swaps.values() for name, e in sorted(s.evidence.items())
                if name not in s.stored]
    key = None
    if unstored:
        key = evidence_store.new_key(now)
        store.put_bytes(bucket, key, evidence_store.encode(unstored), "application/x-ndjson")
        if ls._stored_keys is not None:
            for sid, e in unstored:
                ls._stored_keys.setdefault(sid, set()).add(e.source_file)
    del unstored
    for s in ls.swaps.values():
        s.stored = set(s.evidence)
        s.trim(MAX_EVIDENCE_IN_META)
    ls._unstored = 0
    return key


def _save(ls: LearningSet, store: ObjectStore, bucket: str) -> None:
    # Evidence first, in its own new object: what this save adds (or, from a sidecar of format 2,
    # everything) goes to the evidence store, then each swap keeps only its newest in the sidecar.
    now = datetime.now(UTC)
    runs = list(ls.evidence_runs) + ls._pending_runs
    key = _write_unstored(ls, store, bucket, now)
    if key is not None:
        runs.append(key)
    merged: list[str] = []
    if len(runs) > evidence_store.COMPACT_AFTER:
        merged, runs = runs, [evidence_store.compact(store, bucket, runs, now)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SWAP_HEADER)
    swaps = ls.sorted_swaps()
    for s in swaps:
        row = s.to_row()
        writer.writerow([row.customer_term, row.matched_product_code, row.matched_product_name,
                         f"{row.confidence_score:.3f}", row.reasoning, row.match_type, row.timestamp,
                         row.source_files])
    csv_bytes = out.getvalue().encode("utf-8")
    rules_bytes = _rules_text(ls).encode("utf-8")
    shas = {SWAPS_KEY: _sha(csv_bytes), RULES_KEY: _sha(rules_bytes)}

    def previous(key: str) -> str | None:
        # The file this save replaces, so that a crash before it is replaced shows as "older"; a file
        # that stays the same keeps its record, so rewriting unchanged learnings changes no byte.
        return ls._previous.get(key) if ls._found.get(key) == shas[key] else ls._found.get(key)

    meta: dict[str, Any] = {
        "format": META_FORMAT,
        "files": {SWAPS_KEY: {"sha256": shas[SWAPS_KEY], "previous_sha256": previous(SWAPS_KEY), "rows": len(swaps)},
                  RULES_KEY: {"sha256": shas[RULES_KEY], "previous_sha256": previous(RULES_KEY)}},
        "swaps": {s.id: {"term": s.term, "product_code": s.product_code, "product_name": s.product_name,
                         "status": s.status, "reviewed_at": s.reviewed_at, "reasoning": s.reasoning,
                         "match_type": s.match_type, "timestamp": s.timestamp,
                         # orjson writes the dataclasses themselves: no dict copy of every piece of evidence
                         "evidence": [e for _, e in sorted(s.evidence.items())],
                         **({"older_evidence": s.older, "older_ai_codes": sorted(s.older_ai_codes)}
                            if s.older else {}),
                         **({"condition": s.condition} if s.condition else {})}
                  for s in swaps},
        "evidence_runs": runs,
        # Support sorted: the file must not depend on the order the offers were learned in.
        "rules": [{**asdict(r), "support": sorted(r.support)} for r in sorted(ls.rules.values(), key=lambda r: r.key)],
        "extra_rule_lines": sorted(set(ls.extra_rule_lines)),
        "slots": sorted(ls.slots.values(), key=lambda e: e.key),
    }
    if ls._damaged_meta is not None:  # the unreadable sidecar is kept: it may hold review decisions
        store.put_bytes(bucket, *ls._damaged_meta)
    # Sidecar first (atomic writes each): it holds all the CSV and rules file are made from and their
    # hashes, so a crash before they are written leaves files the next load recognizes as old.
    # orjson: the standard library took 24-46x as long to write the same tens of megabytes
    store.put_bytes(bucket, META_KEY, orjson.dumps(meta), "application/json")
    store.put_bytes(bucket, SWAPS_KEY, csv_bytes, "text/csv")
    store.put_bytes(bucket, RULES_KEY, rules_bytes, "text/plain")
    # Objects the sidecar no longer lists: merged into the compacted one (safe to delete now), or
    # left by a run that died before its sidecar (deleted once surely dead).
    for key in merged:
        store.delete(bucket, key)
    evidence_store.delete_unlisted(store, bucket, ls._unlisted, now)
    ls.evidence_runs, ls._unlisted, ls._pending_runs = runs, [], []
    ls._previous = {k: meta["files"][k]["previous_sha256"] for k in shas}
    ls._found, ls._damaged_meta = dict(shas), None
