"""The composition root's builders: one per service, building its ports with the factory and handing them in.

Services never build adapters (README "Design notes": they receive their ports); the CLI commands, Lambda
handlers, HTTP apps, the console and the demo builders call these. A keyword given here replaces the port it
names (a test hands in the one fake it needs; the rest are built from settings as in production).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import factory
from .config import Settings
from .lazy import Lazy

if TYPE_CHECKING:
    from .copilot.service import CopilotService
    from .tutor.metrics import TutorMetrics
    from .tutor.service import TutorService

_DEFAULT: Any = object()  # "not handed in": None is a real value for some ports (llm=None is offline)


def copilot_service(settings: Settings, *, lake: Path | str | None = None, engine=None, llm: Any = _DEFAULT,
                    store: Any = None, embedder: Any = None) -> CopilotService:
    from .copilot.conversations import CONVERSATIONS, EXAMPLES, ConversationStore
    from .copilot.service import CopilotService

    def conversations() -> ConversationStore:
        return ConversationStore(factory.kv_table(settings, CONVERSATIONS), factory.kv_table(settings, EXAMPLES),
                                 ttl_days=settings.copilot.conversation_ttl_days)

    # Lazy: check-sql and the console's SQL page need neither an LLM nor an embedder nor the tables.
    return CopilotService(settings, lake=lake, engine=engine,
                          llm=Lazy(lambda: factory.llm(settings)) if llm is _DEFAULT else llm,
                          store=store if store is not None else Lazy(conversations),
                          embedder=embedder if embedder is not None else Lazy(lambda: factory.text_embedder(settings)))


def tutor_service(settings: Settings, *, index=None, embedder=None, llm: Any = _DEFAULT, cache=None, store=None,
                  metrics: TutorMetrics | None = None) -> TutorService:
    """``index`` handed in is used as is; otherwise the KB index is reopened when the support sync rewrites it."""
    from .ports.cache import make_cache
    from .tutor.content import ContentRetriever
    from .tutor.service import KB_INDEX, TutorService
    from .tutor.store import TutorStore

    embedder = embedder or factory.text_embedder(settings)
    if index is not None:
        retriever = ContentRetriever(index, embedder)
    else:
        retriever = ContentRetriever(factory.vector_index(settings, KB_INDEX), embedder,
                                     reload_dir=settings.paths.indexes / KB_INDEX,
                                     index_factory=lambda: factory.vector_index(settings, KB_INDEX))
    return TutorService(settings, retriever=retriever, embedder=embedder,
                        llm=factory.llm(settings) if llm is _DEFAULT else llm,
                        cache=cache or make_cache(settings, prefix="tutor:", label="exercise cache"),
                        store=store or TutorStore(factory.tutor_store(settings)), metrics=metrics)


# ----- offers: the entry points with their ports filled in (same names and arguments as the service's own)
def _offer_ports(settings: Settings, store, erp) -> dict[str, Any]:
    return {"store": store if store is not None else factory.object_store(settings),
            "erp": erp if erp is not None else factory.erp(settings)}


def run_learning(settings: Settings, *, store=None, erp=None, llm: Any = _DEFAULT, kv=None, **kwargs: Any):
    """The learning agent's run. Its lock: a lease file in the home locally, the locks table on AWS."""
    from .offers.agent import LOCKS
    from .offers.agent import run_learning as run

    if kv is None and settings.profile != "local":
        kv = factory.kv_table(settings, LOCKS)
    return run(settings, **_offer_ports(settings, store, erp), llm=factory.llm(settings) if llm is _DEFAULT else llm,
               kv=kv, **kwargs)


def evaluate(settings: Settings, *, store=None, erp=None) -> dict:
    from .offers.evaluation import evaluate as run

    return run(settings, **_offer_ports(settings, store, erp))


def load_matcher(settings: Settings, *, store=None, erp=None):
    from .offers.matching import load_matcher as load

    return load(settings, **_offer_ports(settings, store, erp))


def load_proposer(settings: Settings, *, store=None, erp=None):
    from .offers.propose import load_proposer as load

    return load(settings, **_offer_ports(settings, store, erp))


def list_learnings(settings: Settings, status: str | None = None, *, store=None) -> dict:
    from .offers import service

    return service.list_learnings(settings, status, store=store if store is not None else factory.object_store(settings))


def review(settings: Settings, learning_id: str, status: str, *, store=None) -> dict:
    from .offers import service

    return service.review(settings, learning_id, status,
                          store=store if store is not None else factory.object_store(settings))


def edit_swap(settings: Settings, learning_id: str, product_code: str, *, store=None, erp=None) -> dict:
    from .offers import service

    return service.edit_swap(settings, learning_id, product_code, **_offer_ports(settings, store, erp))


def match_term(settings: Settings, term: str, k: int = 5, *, store=None, erp=None) -> dict:
    from .offers import service

    return service.match_term(settings, term, k, **_offer_ports(settings, store, erp))


def propose_offer(settings: Settings, request: object, *, store=None, erp=None) -> dict:
    from .offers import service

    return service.propose_offer(settings, request, **_offer_ports(settings, store, erp))


# ----- exports
def progress_store(settings: Settings):
    """The export runs' progress records (the key-value table of ARCHITECTURE 7.4)."""
    from .exports.progress import PROGRESS_TABLE, ProgressStore

    return ProgressStore(factory.kv_table(settings, PROGRESS_TABLE))


def run_export(settings: Settings, *args: Any, runs=None, objects=None, **kwargs: Any) -> dict[str, Any]:
    """``exports.service.run_export`` with its progress store and object store built from settings."""
    from .exports.service import run_export as run

    return run(settings, *args, runs=runs if runs is not None else progress_store(settings),
               objects=objects if objects is not None else factory.object_store(settings), **kwargs)


def list_runs(settings: Settings) -> list[dict[str, Any]]:
    from .exports.service import list_runs as runs

    return runs(progress_store(settings))


def sale_image(settings: Settings, sale_id: str) -> tuple[bytes, str]:
    from .exports.service import sale_image as image

    return image(settings, sale_id, objects=factory.object_store(settings))


# ----- support
def knowledge_base(settings: Settings, *, store=None, embedder=None, bedrock: Any = _DEFAULT, **options: Any):
    """The support knowledge base; ``options`` are its own (fusion, expand_queries, dim_idf)."""
    from .support.kb import INDEX_NAME, LOCKS, KnowledgeBase

    return KnowledgeBase(settings, store=store if store is not None else factory.object_store(settings),
                         embedder=embedder if embedder is not None else Lazy(lambda: factory.text_embedder(settings)),
                         open_index=lambda: factory.vector_index(settings, INDEX_NAME),
                         locks=Lazy(lambda: factory.kv_table(settings, LOCKS)),
                         bedrock=factory.bedrock_knowledge_base(settings) if bedrock is _DEFAULT else bedrock,
                         **options)


def kb_search(settings: Settings, query: str, k: int = 5, filters: dict[str, Any] | None = None, **kwargs: Any):
    """Library entry point: ``wiring.kb_search(settings, "how do I return a pump?")``."""
    return knowledge_base(settings).search(query, k=k, filters=filters, **kwargs)


def customer_service(settings: Settings, *, store=None, interactions=None, tickets=None, cache=None, scorer=None,
                     now=None):
    from .ports.cache import ContextCache
    from .support.customers import INTERACTIONS, CustomerService
    from .support.sentiment import get_scorer

    return CustomerService(
        settings, store=store if store is not None else factory.customer_store(settings),
        interactions=interactions if interactions is not None else factory.kv_table(settings, INTERACTIONS),
        tickets=tickets if tickets is not None else factory.ticket_store(settings),
        cache=cache if cache is not None else ContextCache.from_settings(settings),
        scorer=scorer if scorer is not None else get_scorer(factory.llm(settings)), now=now)


def support_desk(settings: Settings, *, customers=None, kb=None, tickets=None, feedback=None):
    from .support.desk import FEEDBACK, SupportDesk

    return SupportDesk(settings, customers=customers if customers is not None else customer_service(settings,
                                                                                                   tickets=tickets),
                       kb=kb if kb is not None else knowledge_base(settings),
                       feedback=feedback if feedback is not None else factory.kv_table(settings, FEEDBACK),
                       tickets=tickets)
