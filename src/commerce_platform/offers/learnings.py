"""The learning store: seed files ``learnings/product_swaps.csv`` and ``learnings/general_rules.txt``
plus a sidecar ``learnings/learning_meta.json`` (review status, evidence, rule candidates) that
leaves the seed formats untouched.

Merging is idempotent: evidence is keyed by source file, so re-processing an offer never
duplicates a row or inflates its confidence.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from ..errors import NotFound, ValidationFailed
from ..ports.objectstore import ObjectStore
from .conditions import Observation, describe, learn_condition
from .models import SWAP_HEADER, RuleLine, SwapRow
from .normalize import normalize_term

SWAPS_KEY = "learnings/product_swaps.csv"
RULES_KEY = "learnings/general_rules.txt"
META_KEY = "learnings/learning_meta.json"

RULE_MIN_OFFERS = 3       # a general rule needs this many independent offers ...
RULE_MIN_MARGIN = 2.0     # ... and this many times more support than contrary evidence


def swap_id(term: str, code: str) -> str:
    return "s-" + hashlib.sha1(f"{term}|{code}".encode()).hexdigest()[:8]


def rule_id(text: str) -> str:
    return "r-" + hashlib.sha1(text.encode()).hexdigest()[:8]


def confidence_for(evidence_count: int) -> float:
    """Each independent correction halves-and-then-some the doubt: 1 -> 0.6, 2 -> 0.84, 3 -> 0.94."""
    return round(min(0.99, 1 - 0.4 ** max(1, evidence_count)), 3)


@dataclass
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

    @property
    def id(self) -> str:
        return swap_id(self.term, self.product_code)

    @property
    def evidence_count(self) -> int:
        return max(1, len(self.evidence))

    @property
    def confidence(self) -> float:
        return 1.0 if self.match_type == "reviewer_edit" else confidence_for(len(self.evidence))

    def to_row(self) -> SwapRow:
        return SwapRow(customer_term=self.term, matched_product_code=self.product_code,
                       matched_product_name=self.product_name, confidence_score=self.confidence,
                       reasoning=self.reasoning, match_type=self.match_type, timestamp=self.timestamp,
                       source_files=";".join(sorted(self.evidence)))


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

    # ---- persistence -------------------------------------------------------------------
    @classmethod
    def load(cls, store: ObjectStore, bucket: str) -> LearningSet:
        self = cls()
        meta: dict = {}
        if store.exists(bucket, META_KEY):
            meta = json.loads(store.get_bytes(bucket, META_KEY))
        swap_meta = meta.get("swaps", {})
        if store.exists(bucket, SWAPS_KEY):
            text = store.get_bytes(bucket, SWAPS_KEY).decode("utf-8")
            reader = csv.DictReader(io.StringIO(text))
            if reader.fieldnames != SWAP_HEADER:
                raise ValidationFailed(f"{bucket}/{SWAPS_KEY}: header is {reader.fieldnames}",
                                       hint=f"it must be exactly {','.join(SWAP_HEADER)}")
            for line_no, raw in enumerate(reader, start=2):
                try:
                    row = SwapRow.model_validate(raw)
                except Exception as exc:
                    raise ValidationFailed(f"{bucket}/{SWAPS_KEY} line {line_no}: {exc}") from exc
                sid = swap_id(row.customer_term, row.matched_product_code)
                m = swap_meta.get(sid, {})
                ev = {e["source_file"]: Evidence(**e) for e in m.get("evidence", [])}
                for src in row.sources:
                    ev.setdefault(src, Evidence(src, src.split("_")[0], "", "", row.matched_product_code,
                                                row.matched_product_name))
                self.swaps[(row.customer_term, row.matched_product_code)] = SwapLearning(
                    term=row.customer_term, product_code=row.matched_product_code,
                    product_name=row.matched_product_name, evidence=ev, status=m.get("status", "pending"),
                    reasoning=row.reasoning, timestamp=row.timestamp, match_type=row.match_type,
                    reviewed_at=m.get("reviewed_at"), condition=m.get("condition"))
        for r in meta.get("rules", []):
            rule = RuleLearning(**r)
            self.rules[rule.key] = rule
        for e in meta.get("slots", []):  # optional: sidecars from before conditions have none
            slot = SlotEvidence(**e)
            self.slots[slot.key] = slot
        return self

    def save(self, store: ObjectStore, bucket: str) -> None:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(SWAP_HEADER)
        for s in self.sorted_swaps():
            row = s.to_row()
            writer.writerow([row.customer_term, row.matched_product_code, row.matched_product_name,
                             f"{row.confidence_score:.3f}", row.reasoning, row.match_type, row.timestamp,
                             row.source_files])
        rules_text = "".join(RuleLine(day=date.fromisoformat(r.day), rule=r.text).format() + "\n"
                             for r in self.written_rules())
        meta = {
            "swaps": {s.id: {"term": s.term, "product_code": s.product_code, "status": s.status,
                             "reviewed_at": s.reviewed_at, "evidence": [asdict(e) for e in s.evidence.values()],
                             **({"condition": s.condition} if s.condition else {})}
                      for s in self.sorted_swaps()},
            "rules": [asdict(r) for r in sorted(self.rules.values(), key=lambda r: r.key)],
            "slots": [asdict(e) for e in sorted(self.slots.values(), key=lambda e: e.key)],
        }
        # Meta first: a reader that sees the new CSV always finds its review status.
        store.put_bytes(bucket, META_KEY, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        store.put_bytes(bucket, SWAPS_KEY, out.getvalue().encode("utf-8"), "text/csv")
        store.put_bytes(bucket, RULES_KEY, rules_text.encode("utf-8"), "text/plain")

    # ---- views -------------------------------------------------------------------------
    def sorted_swaps(self) -> list[SwapLearning]:
        return sorted(self.swaps.values(), key=lambda s: (s.term, -len(s.evidence), s.product_code))

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
        swap.evidence[evidence.source_file] = evidence
        swap.timestamp = max(swap.timestamp, evidence.timestamp)
        n = len(swap.evidence)
        swap.reasoning = reasoning if n == 1 else (
            f"Salespeople replaced the AI match with {code} for '{term}' in {n} offers")
        return True

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
        for slot in self.slots.values():
            slot.rows.pop(offer_number, None)
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
            if swap.match_type == "reviewer_edit" or not swap.evidence:
                continue
            explaining = None
            for ev in swap.evidence.values():
                rule = next((r for r in written if rule_explains(r, ev.ai_code, swap.product_code, families)), None)
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
