"""The nightly learning agent: compare AI offers with the final ERP offers and learn from the edits.

Order of writes makes a crash harmless: learnings first (idempotent merge), then each processed
offer's state. An offer whose processing failed keeps its old state and is retried next night.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import orjson

from ..config import Settings
from ..errors import CommerceError, NotFound, UpstreamError, ValidationFailed
from ..logs import get_logger
from ..ports.erp import parse_offer_document
from ..ports.kv import Lock, TableSpec
from .diff import diff_offer
from .extract import LlmExtractor, OfflineExtractor
from .learnings import Evidence, LearningSet
from .models import LearningState
from .requests import RequestRef, load_request, newest_requests

log = get_logger("offers.agent")
STATE_PREFIX = "learning-state/"
LOCKS = TableSpec("locks", "pk", "sk")


def rows_hash(rows: list[dict]) -> str:
    """sha256 of the ERP rows' canonical JSON (sorted keys), taken from the document as the ERP
    sent it, so that an unchanged offer is recognized before any parsing."""
    return hashlib.sha256(orjson.dumps(rows, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def state_key(offer_number: str) -> str:
    return f"{STATE_PREFIX}{offer_number}.json"


# One object mirroring every offer's last hash, so an unchanged night reads one object instead
# of one per offer (10,000 GETs on S3). The per-offer state files stay the source of truth: an
# offer missing from the index, or an index that cannot be read, falls back to them.
STATE_INDEX_KEY = "learnings/learning_state_index.json"


def _load_state_index(store, bucket) -> dict[str, str]:
    try:
        return json.loads(store.get_bytes(bucket, STATE_INDEX_KEY))
    except (NotFound, ValueError):
        return {}


@dataclass
class RunSummary:
    offers_processed: int = 0
    successful: int = 0
    skipped: int = 0
    failed: int = 0
    with_learnings: int = 0
    total_learnings: int = 0
    new_swaps: int = 0
    new_rules: int = 0
    failures: list[dict] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def run_learning(settings: Settings, *, dry_run: bool = False, store=None, erp=None, llm=None, kv=None,
                 today: date | None = None, progress: Callable[[int, int], None] | None = None) -> RunSummary:
    """One nightly run over every offer request. Dependencies default to the factory's adapters."""
    from .. import factory

    store = store if store is not None else factory.object_store(settings)
    erp = erp if erp is not None else factory.erp(settings)
    llm = llm if llm is not None else factory.llm(settings)
    with _agent_lock(settings, kv):
        return _run(settings, store, erp, llm, dry_run, today or datetime.now(UTC).date(), progress)


def _agent_lock(settings: Settings, kv=None):
    """The lock lives in the state store: a lease file in the home locally (no database start-up
    on a night with nothing to do), the DynamoDB locks table on AWS (or any table passed in)."""
    from .. import factory

    ttl = 2 * 3600
    if kv is None and settings.profile == "local":
        from ..ports.locks import FileLease

        return FileLease(settings.paths.root / "locks" / "learning-agent.lock", ttl_seconds=ttl)
    return Lock(kv if kv is not None else factory.kv_table(settings, LOCKS), "learning-agent", ttl_seconds=ttl)


def _run(settings, store, erp, llm, dry_run, today, progress) -> RunSummary:
    started = time.perf_counter()
    bucket = settings.offers_bucket
    summary = RunSummary(dry_run=dry_run)
    extractor = LlmExtractor(llm) if llm is not None else OfflineExtractor()
    # Learnings and catalog load on the first changed offer: an unchanged night never reads them.
    lazy: dict = {}

    def learnings_and_catalog() -> tuple[LearningSet, dict]:
        if not lazy:
            lazy["learnings"] = LearningSet.load(store, bucket)
            lazy["before"] = len(lazy["learnings"].swaps)
            lazy["catalog"] = {p.product_code: p for p in _catalog_or_empty(erp)}
        return lazy["learnings"], lazy["catalog"]

    bad_names: list[str] = []
    refs = newest_requests(store, bucket, unparsable=bad_names)
    for key in bad_names:
        log.warning("offer request file name not understood; skipped", key=key)
    new_states: list[LearningState] = []
    now = datetime.now(UTC).isoformat(timespec="seconds")
    state_index = _load_state_index(store, bucket)

    for n, ref in enumerate(refs, start=1):
        summary.offers_processed += 1
        try:
            outcome = _process_offer(ref, store, bucket, erp, extractor, learnings_and_catalog, today, now,
                                     state_index.get(ref.offer_number))
        except (CommerceError, OSError) as exc:
            summary.failed += 1
            reason = "not in ERP" if isinstance(exc, NotFound) else (
                "ERP unavailable" if isinstance(exc, UpstreamError) else
                "malformed request" if isinstance(exc, ValidationFailed) else type(exc).__name__)
            summary.failures.append({"offer_number": ref.offer_number, "key": ref.key, "reason": reason,
                                     "detail": str(exc)[:300]})
            log.warning("offer failed; it is retried next night", offer_number=ref.offer_number, reason=reason,
                        detail=str(exc)[:300])
        else:
            if outcome is None:
                summary.skipped += 1
            else:
                state, n_learnings = outcome
                summary.successful += 1
                new_states.append(state)
                if n_learnings:
                    summary.with_learnings += 1
                    summary.total_learnings += n_learnings
        if progress:
            progress(n, len(refs))

    if lazy:
        summary.new_rules = len(lazy["learnings"].promote_rules(today))
        summary.new_swaps = len(lazy["learnings"].swaps) - lazy["before"]
    if not dry_run:
        if summary.successful and lazy:
            lazy["learnings"].save(store, bucket)
        for state in new_states:
            store.put_bytes(bucket, state_key(state.offer_number), state.model_dump_json().encode(), "application/json")
        if new_states:
            state_index.update({st.offer_number: st.last_processed_hash for st in new_states})
            store.put_bytes(bucket, STATE_INDEX_KEY, json.dumps(state_index, sort_keys=True).encode(), "application/json")
    summary.seconds = round(time.perf_counter() - started, 3)
    log.info("Learning agent completed", offers_processed=summary.offers_processed, successful=summary.successful,
             skipped=summary.skipped, with_learnings=summary.with_learnings,
             total_learnings=summary.total_learnings, failed=summary.failed, dry_run=dry_run)
    return summary


def _catalog_or_empty(erp):
    try:
        return erp.catalog()
    except CommerceError as exc:
        log.warning("catalog unavailable; product groups come from the offer lines", reason=str(exc))
        return []


def _process_offer(ref: RequestRef, store, bucket, erp, extractor, learnings_and_catalog, today: date,
                   now: str, indexed_hash: str | None = None) -> tuple[LearningState, int] | None:
    document = erp.get_offer_document(ref.offer_number)
    digest = rows_hash(document.get("rows", []))
    if indexed_hash == digest:
        return None  # unchanged since the last run
    try:
        previous = LearningState.model_validate_json(store.get_bytes(bucket, state_key(ref.offer_number)))
    except NotFound:
        previous = None
    if previous is not None and previous.last_processed_hash == digest:
        return None  # unchanged since the last run
    offer = parse_offer_document(document, f"ERP offer {ref.offer_number}")
    request = load_request(store, bucket, ref)
    learnings, catalog_by_code = learnings_and_catalog()
    changes = diff_offer(request.ai_matched_products, offer.rows, catalog_by_code)
    extraction = extractor.extract(request, offer, changes, catalog_by_code)
    n_new = 0
    for obs in extraction.swaps:
        ev = Evidence(ref.file_name, ref.offer_number, obs.ai_code, obs.ai_name, obs.final_code, obs.final_name,
                      obs.ai_quantity, obs.final_quantity, request.timestamp, obs.term)
        if learnings.add_swap(obs.term, obs.final_code, obs.final_name, ev, obs.reasoning):
            n_new += 1
    for rule in extraction.rules:
        learnings.add_rule_support(rule.kind, rule.group, rule.preferred, rule.over, ref.offer_number, today)
    state = LearningState(offer_number=ref.offer_number, last_processed_hash=digest, last_check_timestamp=now)
    return state, len(extraction.swaps) + len(extraction.rules)
