"""The nightly learning agent: compare AI offers with the final ERP offers and learn from the edits.

Order of writes makes a crash harmless: learnings first (idempotent merge), then the learned offers'
state files in one batch, then the state index, which is what the next run reads: a run killed
anywhere before the index is written has those offers relearned, not lost. An offer whose processing
failed keeps its old state and is retried next night.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from sys import intern

import orjson

from ..config import Settings
from ..errors import CommerceError, NotFound, UpstreamError, ValidationFailed
from ..logs import get_logger
from ..ports.erp import parse_offer_document
from ..ports.kv import Lock, TableSpec
from ..ports.objectstore import bounded_map, io_concurrency, put_many
from .diff import diff_offer
from .extract import LlmExtractor, OfflineExtractor
from .learnings import EVIDENCE_SPILL_AT, Evidence, LearningsDamaged, LearningSet
from .models import LearningState, OfferRequest
from .requests import RequestRef, load_request, newest_requests

log = get_logger("offers.agent")
STATE_PREFIX = "learning-state/"
LOCKS = TableSpec("locks", "pk", "sk")
LOCK_TTL_SECONDS = 600


def rows_hash(rows: list[dict]) -> str:
    """sha256 of the ERP rows' canonical JSON (sorted keys), taken from the document as the ERP
    sent it, so that an unchanged offer is recognized before any parsing."""
    return hashlib.sha256(orjson.dumps(rows, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def state_key(offer_number: str) -> str:
    return f"{STATE_PREFIX}{offer_number}.json"


# One object holding every offer's last hash: the record the agent reads and writes, so a night
# costs no state GET per offer (10,000 GETs on S3). The per-offer state files of the seed layout are
# written, in one batch after the learnings, for the offers learned from; they are read only when
# the index is missing or cannot be read (a seed layout, a damaged index). An offer missing from the
# index is relearned, which the idempotent merge makes harmless. Beside each
# hash the index keeps the ERP's version token seen when that hash was taken (git's index does the
# same with stat data): an offer whose token is unchanged is not even read from the ERP.
STATE_INDEX_KEY = "learnings/learning_state_index.json"


@dataclass
class StateIndex:
    hashes: dict[str, str] = field(default_factory=dict)
    erp_versions: dict[str, str] = field(default_factory=dict)
    found: bool = field(default=False, compare=False)  # read from the store (else the state files decide)

    @classmethod
    def load(cls, store, bucket) -> StateIndex:
        try:
            data = orjson.loads(store.get_bytes(bucket, STATE_INDEX_KEY))
        except (NotFound, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        if "hashes" not in data:  # first format: a flat {offer_number: hash}
            return cls({k: v for k, v in data.items() if isinstance(v, str)}, found=True)
        try:
            return cls(dict(data.get("hashes") or {}), dict(data.get("erp_versions") or {}), found=True)
        except (TypeError, ValueError):  # damaged: the per-offer states decide, and it is rewritten
            return cls()

    def unchanged_in_erp(self, offer_number: str, version: str | None) -> bool:
        return (version is not None and self.erp_versions.get(offer_number) == version
                and offer_number in self.hashes)

    def to_bytes(self) -> bytes:
        return orjson.dumps({"hashes": self.hashes, "erp_versions": self.erp_versions},
                            option=orjson.OPT_SORT_KEYS)


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
    # Damaged files found on the way: {file, problem, action}. "repaired" were rewritten by this run;
    # "needs_repair" were worked around in memory only (a dry run, or the run wrote nothing).
    repaired: list[dict] = field(default_factory=list)
    needs_repair: list[dict] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def run_learning(settings: Settings, *, store, erp, llm, kv, dry_run: bool = False,
                 today: date | None = None, progress: Callable[[int, int], None] | None = None) -> RunSummary:
    """One nightly run over every offer request. The ports come from the composition root
    (``wiring.run_learning``); ``llm`` None is offline, ``kv`` None is a lock file in the home."""
    with _agent_lock(settings, kv):
        if not dry_run:
            _remove_crash_leftovers(store, settings.offers.bucket)
        return _run(settings, store, erp, llm, dry_run, today or datetime.now(UTC).date(), progress)


def _remove_crash_leftovers(store, bucket: str) -> None:
    """Temp files a killed run left half-written in learning-state/ (the local store writes a temp file
    and renames it). Only the agent writes there and it holds the agent lock, so none is in use."""
    remove = getattr(store, "remove_temp_files", None)  # S3 writes whole objects: nothing to remove
    if remove is None:
        return
    removed = remove(bucket, STATE_PREFIX)
    if removed:
        log.warning("removed temp files left by an interrupted run", folder=STATE_PREFIX, files=removed)


def _agent_lock(settings: Settings, kv=None):
    """The lock lives in the state store: a lease file in the home when no table is handed in (locally:
    no database start-up on a night with nothing to do), else the table (the DynamoDB locks table on AWS).
    A heartbeat renews it while the run lasts, so the TTL only bounds how long a run that vanished
    on another machine blocks the next one."""
    ttl = LOCK_TTL_SECONDS
    if kv is None:
        from ..ports.locks import FileLease

        return FileLease(settings.paths.root / "locks" / "learning-agent.lock", ttl_seconds=ttl)
    return Lock(kv, "learning-agent", ttl_seconds=ttl)


def _run(settings, store, erp, llm, dry_run, today, progress) -> RunSummary:
    started = time.perf_counter()
    bucket = settings.offers.bucket
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

    damaged_states: dict[str, str] = {}  # offer -> what is wrong with its learning-state file
    bad_names: list[str] = []
    refs = newest_requests(store, bucket, unparsable=bad_names)
    for key in bad_names:
        log.warning("offer request file name not understood; skipped", key=key)
    learned: list[tuple[str, str]] = []  # (offer, new hash) of each offer learned from: its state is written
    now = datetime.now(UTC).isoformat(timespec="seconds")
    index = StateIndex.load(store, bucket)
    seen = StateIndex(dict(index.hashes), dict(index.erp_versions))  # what this run confirms
    versions = _erp_versions(erp, refs)

    untouched = {r.offer_number for r in refs if index.unchanged_in_erp(r.offer_number, versions.get(r.offer_number))}
    to_read = [r for r in refs if r.offer_number not in untouched]
    known = index.hashes
    state_errors: dict[str, Exception] = {}
    if not index.found:  # no index (seed layout, or damaged): the per-offer state files decide
        known = {**_state_hashes(store, bucket, to_read, damaged_states, state_errors), **index.hashes}
    fetched = _fetch(erp, store, bucket, to_read, known)

    for n, ref in enumerate(refs, start=1):
        summary.offers_processed += 1
        number, version = ref.offer_number, versions.get(ref.offer_number)
        if number in untouched:
            summary.skipped += 1  # the ERP says untouched since it was hashed: not even read
        else:
            try:
                read_ref, result = next(fetched)
                assert read_ref is ref  # documents arrive in the order of the offers
                if number in state_errors:
                    raise state_errors[number]
                if isinstance(result, Exception):
                    raise result
                digest, n_learnings = _process_offer(ref, *result, extractor, learnings_and_catalog, today)
            except LearningsDamaged:
                raise  # the learnings themselves, not this offer: no offer can be learned, nothing is written
            except (CommerceError, OSError) as exc:
                summary.failed += 1
                reason = "not in ERP" if isinstance(exc, NotFound) else (
                    "ERP unavailable" if isinstance(exc, UpstreamError) else
                    "malformed request" if isinstance(exc, ValidationFailed) else type(exc).__name__)
                summary.failures.append({"offer_number": number, "key": ref.key, "reason": reason,
                                         "detail": str(exc)[:300]})
                # info, not warning: the run summary lists each failure once (CLI text, --json, Lambda body)
                log.info("offer failed; it is retried next night", offer_number=number, reason=reason,
                         detail=str(exc)[:300])
            else:
                if n_learnings is None:
                    summary.skipped += 1
                else:
                    summary.successful += 1
                    learned.append((number, digest))
                    if not dry_run:  # a first run over a year of offers must not hold all its evidence
                        lazy["learnings"].spill_evidence(store, bucket, at_least=EVIDENCE_SPILL_AT)
                    if n_learnings:
                        summary.with_learnings += 1
                        summary.total_learnings += n_learnings
                seen.hashes[number] = digest
                # The token was read before the document, so a change in between shows next night.
                if version is None:
                    seen.erp_versions.pop(number, None)
                else:
                    seen.erp_versions[number] = version
        if progress:
            progress(n, len(refs))
    fetched.close()  # stops the reader threads now, not when the generator is collected

    if lazy:
        from .extract import families_for

        families = families_for(lazy["catalog"]) if lazy["catalog"] else None
        summary.new_rules = len(lazy["learnings"].promote_rules(today, families))
        summary.new_swaps = len(lazy["learnings"].swaps) - lazy["before"]
    learnings_repairs = lazy["learnings"].repairs if lazy else []
    saved = False
    if not dry_run:
        # Learnings first, then the states of the offers they came from, then the index, the record
        # the next run reads: a run killed before the index is written has its offers relearned
        # (the merge is idempotent), never lost.
        if lazy and (summary.successful or learnings_repairs):
            lazy["learnings"].save(store, bucket)
            saved = True
        # The per-offer files of the seed layout, for readers of it: written once, in one batch.
        put_many(store, bucket, ((state_key(number), LearningState(
            offer_number=number, last_processed_hash=digest, last_check_timestamp=now).model_dump_json().encode())
            for number, digest in learned), "application/json")
        if seen != index or not index.found:  # an unchanged night writes nothing
            store.put_bytes(bucket, STATE_INDEX_KEY, seen.to_bytes(), "application/json")
    (summary.repaired if saved else summary.needs_repair).extend(learnings_repairs)
    rewritten = {number for number, _ in learned} if not dry_run else set()
    for number, problem in sorted(damaged_states.items()):
        done = number in rewritten
        (summary.repaired if done else summary.needs_repair).append({
            "file": state_key(number), "problem": problem,
            "action": "offer relearned and its state rewritten" if done else
                      "offer treated as unprocessed; its state is rewritten when it is learned"})
    summary.seconds = round(time.perf_counter() - started, 3)
    log.info("Learning agent completed", offers_processed=summary.offers_processed, successful=summary.successful,
             skipped=summary.skipped, with_learnings=summary.with_learnings,
             total_learnings=summary.total_learnings, failed=summary.failed, dry_run=dry_run,
             repaired=len(summary.repaired), needs_repair=len(summary.needs_repair))
    return summary


Fetched = tuple[dict, str, OfferRequest | Exception | None]


def _fetch(erp, store, bucket: str, refs: list[RequestRef], known: dict[str, str],
           ) -> Generator[tuple[RequestRef, Fetched | Exception], None, None]:
    """Each offer's ERP document, its rows' hash and, when the hash is not the one last learned, its
    request context (or the error reading them), in the order of ``refs``. Remote ERPs and object
    stores are read several offers at a time within a bounded window (the ERP never more than its
    ``read_concurrency``), so memory stays flat and a night over Lemonsoft or S3 costs round trips /
    concurrency, not the sum of round trips."""
    erp_workers = max(1, getattr(erp, "read_concurrency", 1))
    workers = max(erp_workers, io_concurrency(store))
    erp_gate = threading.BoundedSemaphore(erp_workers)

    def fetch(ref: RequestRef) -> Fetched:
        with erp_gate:
            document = erp.get_offer_document(ref.offer_number)
        digest = rows_hash(document.get("rows", []))
        if known.get(ref.offer_number) == digest:
            return document, digest, None  # unchanged since the last run
        try:
            request: OfferRequest | Exception = load_request(store, bucket, ref)
        except (CommerceError, OSError) as exc:  # reported after the ERP document is checked
            request = exc
        return document, digest, request

    return bounded_map(fetch, refs, workers)


def _state_hashes(store, bucket: str, refs: list[RequestRef], damaged: dict[str, str],
                  errors: dict[str, Exception]) -> dict[str, str]:
    """The last processed hash of each offer that has a ``learning-state/`` file: one listing, then
    only the files that exist, read concurrently. Runs only without a state index."""
    wanted = {state_key(r.offer_number): r.offer_number for r in refs}
    keys = [info.key for page in store.list_pages(bucket, STATE_PREFIX) for info in page if info.key in wanted]
    hashes: dict[str, str] = {}
    for key, result in bounded_map(lambda k: store.get_bytes(bucket, k), keys, io_concurrency(store)):
        number = wanted[key]
        if isinstance(result, NotFound):
            continue
        if isinstance(result, Exception):
            errors[number] = result
            continue
        try:
            hashes[number] = LearningState.model_validate_json(result).last_processed_hash
        except ValueError as exc:  # pydantic's ValidationError is one; so is a file that is not UTF-8
            # A damaged state only costs relearning this offer: the merge is idempotent by source file.
            problem = f"not a learning state ({str(exc).splitlines()[0][:200]})"
            damaged[number] = problem
            log.warning("learning state damaged; the offer is relearned", file=key, problem=problem)
    return hashes


def _erp_versions(erp, refs: list[RequestRef]) -> dict[str, str]:
    offer_versions = getattr(erp, "offer_versions", None)
    if offer_versions is None:
        return {}
    try:
        return offer_versions([ref.offer_number for ref in refs])
    except (CommerceError, OSError) as exc:  # no shortcut tonight: every offer is read and hashed
        log.warning("ERP offer versions unavailable; every offer is read", reason=str(exc))
        return {}


def _catalog_or_empty(erp):
    try:
        return erp.catalog()
    except CommerceError as exc:
        log.warning("catalog unavailable; product groups come from the offer lines", reason=str(exc))
        return []


def _process_offer(ref: RequestRef, document: dict, digest: str, request: OfferRequest | Exception | None,
                   extractor, learnings_and_catalog, today: date) -> tuple[str, int | None]:
    """Returns the ERP rows' hash and, when the offer changed, how many learnings it gave."""
    if request is None:
        return digest, None  # unchanged since the last run
    offer = parse_offer_document(document, f"ERP offer {ref.offer_number}")
    if isinstance(request, Exception):
        raise request
    learnings, catalog_by_code = learnings_and_catalog()
    changes = diff_offer(request.ai_matched_products, offer.rows, catalog_by_code)
    extraction = extractor.extract(request, offer, changes, catalog_by_code)
    for obs in extraction.swaps:
        # Codes, names and terms repeat across a year of offers: one string object each (interned).
        ev = Evidence(ref.file_name, ref.offer_number, intern(obs.ai_code), intern(obs.ai_name),
                      intern(obs.final_code), intern(obs.final_name), obs.ai_quantity, obs.final_quantity,
                      request.timestamp, intern(obs.term))
        learnings.add_swap(obs.term, obs.final_code, obs.final_name, ev, obs.reasoning)
    for rule in extraction.rules:
        learnings.add_rule_support(rule.kind, rule.group, rule.preferred, rule.over, ref.offer_number, today)
    learnings.set_offer_observations(ref.offer_number, extraction.slots)
    return digest, len(extraction.swaps) + len(extraction.rules)
