"""The Streamlit console in AppTest: every page, driving real interactions against a demo home after one
night's jobs (learnings extracted, yesterday exported, one export day FAILED)."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import pytest

from tests.fixtures_console import APP, FAILED_DAY, clean_env, prepare_night

pytestmark = pytest.mark.e2e
TIMEOUT = 60

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture(scope="module")
def night_home(demo_home, tmp_path_factory):
    return prepare_night(demo_home, tmp_path_factory.mktemp("console") / "home")


@pytest.fixture
def app(night_home, monkeypatch):
    """The console on the prepared home, opened on its default page."""
    clean_env(monkeypatch)
    monkeypatch.setenv("COMMERCE_HOME", str(night_home))
    monkeypatch.setattr(sys, "argv", ["streamlit_app.py"])
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    return at


@pytest.fixture
def settings_of(night_home):
    from commerce_platform.config import load_settings

    return load_settings(night_home)


def open_page(at, name: str):
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at, column: str):
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with a {column!r} column"
    return frames[-1]


def shown(element):
    """What a styled table displays (the formatted cells), as a DataFrame of strings."""
    import pyarrow as pa

    return pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_all().to_pandas()


def table_shown(at, column: str):
    tables = [d for d in at.dataframe if column in d.value.columns]
    assert tables, f"no table with a {column!r} column"
    return shown(tables[-1])


def chart_specs(at) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def texts(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "success", "error", "warning", "info", "caption")
                     for e in getattr(at, kind))


def notes(at) -> list[str]:
    """Texts of the success / warning / error boxes."""
    return [e.value for kind in ("success", "warning", "error") for e in getattr(at, kind)]


# ----------------------------------------------------------------------------- learnings


def _lonely_pending_swap(settings):
    """A pending swap that is the only learning for its term, so the matcher's learned hit is this swap."""
    from collections import Counter

    from commerce_platform.wiring import list_learnings

    swaps = list_learnings(settings)["swaps"]
    per_term = Counter(s["customer_term"] for s in swaps)
    return next(s for s in swaps if s["status"] == "pending" and per_term[s["customer_term"]] == 1)


def test_learnings_reject_and_approve_change_the_match(app, settings_of):
    swap = _lonely_pending_swap(settings_of)
    assert not app.exception
    assert app.title[0].value == "Learnings"
    app.selectbox(key="swap_pick").set_value(swap["id"]).run()
    evidence = frame_with(app, "AI line")
    assert len(evidence) == swap["evidence_count"]
    match = frame_with(app, "source")
    assert (match.iloc[0]["source"], match.iloc[0]["product_code"]) == ("learned", swap["product_code"])

    app.button(key="reject_swap").click().run()
    assert not app.exception
    assert any("rejected" in s.value for s in app.success)
    match = frame_with(app, "source")
    assert not ((match["source"] == "learned") & (match["product_code"] == swap["product_code"])).any()

    app.button(key="approve_swap").click().run()
    match = frame_with(app, "source")
    assert (match.iloc[0]["source"], match.iloc[0]["product_code"]) == ("learned", swap["product_code"])
    assert any("approved" in s.value for s in app.success)


def test_learnings_edit_and_filters(app, settings_of):
    from commerce_platform.wiring import list_learnings

    swap = _lonely_pending_swap(settings_of)
    app.selectbox(key="swap_pick").set_value(swap["id"]).run()
    options = [o for o in app.selectbox(key="edit_code").options]
    other = next(o for o in options if not o.startswith(swap["product_code"]))
    new_code = other.split()[0]
    app.selectbox(key="edit_code").set_value(new_code)
    app.button(key="edit_swap").click().run()
    assert not app.exception
    match = frame_with(app, "source")
    assert (match.iloc[0]["source"], match.iloc[0]["product_code"]) == ("learned", new_code)
    stored = {(s["customer_term"], s["product_code"]): s["status"] for s in list_learnings(settings_of)["swaps"]}
    assert stored[(swap["customer_term"], new_code)] == "approved"
    assert stored[(swap["customer_term"], swap["product_code"])] == "rejected"

    # the status filter narrows the table to rejected swaps only
    app.selectbox(key="f_status").set_value("rejected").run()
    table = frame_with(app, "match_type")
    assert len(table) >= 1 and set(table["status"]) == {"rejected"}


def test_learning_agent_button_shows_progress_result(app):
    app.button(key="run_agent").click().run()
    assert not app.exception
    assert any("Processed" in s.value and "offers" in s.value for s in app.success)


# ----------------------------------------------------------------------------- copilot


def test_copilot_question_shows_table_chart_sql_and_thumbs_up(app, settings_of):
    open_page(app, "copilot")
    app.chat_input[0].set_value("revenue by month this year").run()
    assert not app.exception and not app.error
    table = frame_with(app, "revenue")
    assert list(table.columns) == ["month", "revenue"] and len(table) >= 1
    # what was computed stands above the table, glossary definition and period included
    understood = next(c.value for c in app.caption if "Understood as" in c.value)
    # "this year" runs from 1 January to the day before today (the console asks as of today)
    today = date.today()
    period = f"{today.year}-01-01 to {(today - timedelta(days=1)).isoformat()}"
    assert "cancelled or returned" in understood and (period in understood or today.timetuple().tm_yday == 1)
    assert app.get("vega_lite_chart"), "a time series gets a chart"
    assert "SELECT" in app.code[0].value.upper()
    # the conversation is listed in the sidebar, and a thumbs up stores an approved example
    assert any("revenue by month" in b.label for b in app.sidebar.button)
    up = next(b for b in app.button if b.label == "Good answer")
    up.click().run()
    assert any("approved example" in n for n in notes(app))
    from commerce_platform import wiring

    examples = wiring.copilot_service(settings_of).store.examples_list()
    assert any(e["question"] == "revenue by month this year" for e in examples)


def test_copilot_bad_question_is_an_error_box_and_the_chat_goes_on(app):
    open_page(app, "copilot")
    app.chat_input[0].set_value("what is the meaning of life").run()
    assert not app.exception
    assert any("could not tell" in e.value for e in app.error), "an unanswerable question shows what to ask"
    app.chat_input[0].set_value("top 5 customers by revenue").run()
    assert not app.exception
    assert len(frame_with(app, "customer")) == 5
    assert app.get("vega_lite_chart"), "a breakdown gets a chart"
    app.button(key="copilot_new").click().run()
    assert not app.dataframe, "a new conversation starts empty"


# ----------------------------------------------------------------------------- exports


def test_exports_runs_partitions_and_similar_pricing(app):
    open_page(app, "exports")
    runs = frame_with(app, "embedded")
    assert {"PARTIAL", "FAILED"} <= set(runs["status"])
    parts = frame_with(app, "partition")
    assert parts["rows"].sum() > 0
    assert app.get("vega_lite_chart")
    failed = frame_with(app, "embedding_error")
    assert len(failed) >= 1
    assert len(app.get("image")) >= 2, "the similar-pricing lookup shows the neighbours' images"
    assert any("Suggested price" in m.label for m in app.metric)


def test_failed_export_shows_retry_that_reruns_the_day(app, settings_of):
    from commerce_platform.wiring import list_runs

    open_page(app, "exports")
    retry = app.button(key=f"retry_{FAILED_DAY}_*")
    assert retry.label == "Retry"
    assert any(FAILED_DAY in m.value and "FAILED" in m.value for m in app.markdown)
    retry.click().run()
    assert not app.exception
    status = {r["date"]: r["status"] for r in list_runs(settings_of) if not r.get("tenant")}
    assert status[FAILED_DAY] in ("COMPLETE", "PARTIAL")
    assert any(f"Export {FAILED_DAY}" in n for n in notes(app))


def test_failed_images_retry_button(app):
    open_page(app, "exports")
    buttons = [b for b in app.button if b.key and b.key.startswith("retry_images_")]
    assert buttons, "failed images come with a retry button"
    buttons[0].click().run()
    assert not app.exception
    assert any("retried" in n for n in notes(app))


# ----------------------------------------------------------------------------- support


def test_support_new_ticket_shows_context_suggestions_and_feedback(app, settings_of):
    open_page(app, "support")
    customer = app.selectbox(key="t_customer").options[0].split(" - ")[0]
    app.selectbox(key="t_customer").set_value(customer)
    app.text_input(key="t_subject").set_value("Leaking valve")
    app.text_area(key="t_body").set_value("The ball valve I received is leaking and the box was damaged.")
    next(b for b in app.button if b.label == "Create ticket").click().run()
    assert not app.exception and not app.error
    assert any("created" in s.value for s in app.success)
    assert any(customer in m.value for m in app.markdown), "the context panel names the customer"
    assert "churn risk" in texts(app)
    assert frame_with(app, "ticket_id") is not None
    helpful = [b for b in app.button if b.label == "Helpful"]
    assert helpful, "KB suggestions come with feedback buttons"
    helpful[0].click().run()
    assert any("feedback stored" in s.value for s in app.success)


def test_support_bad_ticket_is_an_error_box_and_kb_still_works(app):
    open_page(app, "support")
    next(b for b in app.button if b.label == "Create ticket").click().run()  # empty subject and body
    assert not app.exception
    assert any("subject" in e.value for e in app.error)
    docs = frame_with(app, "chunks")
    assert len(docs) > 5
    app.button(key="kb_sync").click().run()
    assert any("KB synced" in s.value for s in app.success)


# ----------------------------------------------------------------------------- tutor


def test_tutor_generate_answer_grade_and_remediation(app):
    open_page(app, "tutor")
    app.button(key="tutor_generate").click().run()
    assert not app.exception and not app.error
    checks = [b for b in app.button if b.label == "Check my answer"]
    assert len(checks) == 2
    radios = app.radio
    graded_wrong = False
    for choice in radios[0].options:  # at most one choice is right: a wrong one shows the remediation
        app.radio[0].set_value(choice)
        next(b for b in app.button if b.label == "Check my answer").click().run()
        assert not app.exception
        grades = [n for n in notes(app) if "Grade:" in n]
        assert grades, "an answer gets a grade"
        if "not quite" in grades[0]:
            graded_wrong = True
            assert any("Explanation" in m.value for m in app.markdown)
            assert any("Follow-up" in m.value for m in app.markdown)
            break
    assert graded_wrong


# ----------------------------------------------------------------------------- health


def test_health_lists_adapters(app):
    open_page(app, "health")
    table = frame_with(app, "adapter")
    for adapter in ("object store", "key-value tables", "service database", "ERP", "LLM", "text embeddings",
                    "vector index", "query engine", "Iceberg table", "cache"):
        assert adapter in set(table["adapter"])
    assert set(table["status"]) == {"ok"}, table[["adapter", "detail"]].to_dict("records")
    assert app.metric[0].value == "local"


# ----------------------------------------------------------------------------- a home with nothing in it


@pytest.mark.parametrize("page", ["learnings", "copilot", "inventory", "exports", "support", "tutor", "health"])
def test_pages_on_an_empty_home_show_errors_not_traces(page, tmp_path, monkeypatch):
    clean_env(monkeypatch)
    monkeypatch.setenv("COMMERCE_HOME", str(tmp_path / "empty"))
    monkeypatch.setattr(sys, "argv", ["streamlit_app.py"])
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    open_page(at, page)
    assert at.title, "the page renders its title"
    assert "Traceback" not in texts(at)
    if page == "learnings":
        assert any("What to do" in e.value for e in at.error), "the missing catalog says what to do"
    if page == "exports":  # nothing exported: nothing to be green about
        assert not any("Every exported sale" in m.value for m in at.success)
        assert any("No sale has been exported yet" in m.value for m in at.info)


# ----------------------------------------------------------------------------- bad input on busy pages


def test_tutor_unknown_topic_is_an_error_box_naming_the_topics(app):
    open_page(app, "tutor")
    app.text_input(key="tutor_topic_text").set_value("quantum chromodynamics of sandwiches")
    app.button(key="tutor_generate").click().run()
    assert not app.exception
    assert any("no knowledge content matches" in e.value and "available topics" in e.value for e in app.error)
    app.text_input(key="tutor_topic_text").set_value("")
    app.button(key="tutor_generate").click().run()
    assert not app.error and app.radio, "the page keeps working with a listed topic"


def test_support_unknown_customer_gets_a_ticket_and_a_warning(app):
    open_page(app, "support")
    app.text_input(key="t_customer_id").set_value("NOPE-1")
    app.text_input(key="t_subject").set_value("Where is my order")
    app.text_area(key="t_body").set_value("I ordered a circulation pump and it has not arrived.")
    next(b for b in app.button if b.label == "Create ticket").click().run()
    assert not app.exception
    assert any("NOPE-1 is not in the customer database" in w.value for w in app.warning)


def test_learnings_rule_review(app, settings_of):
    from commerce_platform.wiring import list_learnings

    rule = list_learnings(settings_of)["rules"][0]
    app.selectbox(key="rule_pick").set_value(rule["id"])
    app.button(key="reject_rule").click().run()
    assert not app.exception
    assert any(rule["rule"] in s.value and "rejected" in s.value for s in app.success)
    assert {r["id"]: r["status"] for r in list_learnings(settings_of)["rules"]}[rule["id"]] == "rejected"


# ----------------------------------------------------------------------------- learnings: bulk review, formats


def test_learnings_bulk_approve_counts_changes_and_undo_restores(app, settings_of):
    from commerce_platform.wiring import list_learnings

    def statuses():
        return {s["id"]: (s["status"], s["confidence"]) for s in list_learnings(settings_of)["swaps"]}

    before = statuses()
    floor = 0.9
    expected = {i for i, (st, conf) in before.items() if st == "pending" and conf >= floor}
    assert 0 < len(expected) < len(before), "the demo has pending swaps on both sides of the confidence"
    app.slider(key="bulk_conf").set_value(floor).run()
    assert any(f"**{len(expected)}** pending swap(s) with confidence ≥ 0.90 will change" in m.value
               for m in app.markdown)
    approve = app.button(key="bulk_approve")
    assert approve.label == f"Approve {len(expected)}"
    approve.click().run()
    assert not app.exception and not app.error
    after = statuses()
    assert {i for i in after if after[i][0] != before[i][0]} == expected
    assert all(after[i][0] == "approved" for i in expected), "exactly the counted swaps changed, to approved"
    assert any(f"{len(expected)} swap(s) are now **approved**" in s.value for s in app.success)
    # nothing pending is left above the floor: the bulk buttons say 0 and are disabled
    assert app.button(key="bulk_approve").label == "Approve 0" and app.button(key="bulk_approve").disabled

    # one of them is rejected by hand afterwards: undo keeps that newer decision
    by_hand = sorted(expected)[0]
    app.selectbox(key="swap_pick").set_value(by_hand).run()
    app.button(key="reject_swap").click().run()
    app.button(key="bulk_undo").click().run()
    assert not app.exception
    restored = statuses()
    assert restored[by_hand][0] == "rejected"
    assert all(restored[i][0] == "pending" for i in expected - {by_hand})
    assert any(f"{len(expected) - 1} swap(s) are back to **pending**" in s.value and "kept their newer status"
               in s.value for s in app.success)
    assert not [b for b in app.button if b.key == "bulk_undo"], "an undone action cannot be undone twice"


def test_learnings_bulk_count_follows_the_filters(app, settings_of):
    import services

    everything = services.learnings_view(settings_of)["swaps"]
    app.slider(key="bulk_conf").set_value(0.0).run()
    pending = [s for s in everything if s["status"] == "pending"]
    assert app.button(key="bulk_reject").label == f"Reject {len(pending)}"
    group = next(s["product_group"] for s in pending if s["product_group"])
    app.selectbox(key="f_group").set_value(group).run()
    in_group = [s for s in pending if s["product_group"] == group]
    assert 0 < len(in_group) < len(pending)
    assert app.button(key="bulk_reject").label == f"Reject {len(in_group)}"
    app.selectbox(key="f_status").set_value("rejected").run()  # only rejected swaps listed: nothing to change
    assert not [b for b in app.button if b.key == "bulk_reject"] or app.button(key="bulk_reject").disabled


# ----------------------------------------------------------------------------- support: demo tickets, KB search


def test_support_lists_the_demo_tickets(app):
    from commerce_platform.demo.support import TICKETS

    open_page(app, "support")
    recent = frame_with(app, "ticket_id")
    assert {s for _c, s, _b, _ch in TICKETS} <= set(recent["subject"]), "the demo's open tickets are listed"
    assert "churn risk" in texts(app), "the newest ticket's customer context opens without a click"


def test_support_kb_search_shows_sources_text_and_scores(app, settings_of):
    from commerce_platform.wiring import kb_search as search

    open_page(app, "support")
    app.text_input(key="kb_query").set_value("how do I return a damaged pump").run()
    assert not app.exception and not app.error
    expected = search(settings_of, "how do I return a damaged pump", k=5)
    def heads():  # the search results' headings ("**1. heading** - `source` (score ...)")
        return [m.value for m in app.markdown if m.value.startswith(tuple(f"**{n}. " for n in range(1, 11)))]

    assert len(heads()) == len(expected) == 5
    assert f"`{expected[0].source}`" in heads()[0] and expected[0].source.startswith("returns/")
    assert f"(score {expected[0].score:.3f})" in heads()[0]
    assert any(expected[0].text[:80] in m.value for m in app.markdown), "the passage text is shown"
    app.number_input(key="kb_k").set_value(2).run()
    assert len(heads()) == 2


# ----------------------------------------------------------------------------- copilot examples, formats; inventory


def test_copilot_example_buttons_ask_their_question_with_months_and_separators(app):
    open_page(app, "copilot")
    assert any("click an example question" in i.value for i in app.info)
    app.button(key="copilot_example_0").click().run()  # "revenue by month this year"
    assert not app.exception and not app.error
    assert any("revenue by month this year" in m.value for m in app.markdown), "asked as the user's question"
    table = frame_with(app, "revenue")
    cells = table_shown(app, "revenue")
    first = float(table["revenue"].iloc[0])
    assert cells["month"].iloc[0] == f"Jan {date.today().year}" and cells["revenue"].iloc[0] == f"{first:,.2f}"
    assert "," in cells["revenue"].iloc[0], "the demo's monthly revenue is in the tens of thousands"
    line = next(c for c in chart_specs(app) if c.get("mark", {}).get("type") == "line")
    assert line["encoding"]["x"]["axis"]["format"] == "%b %Y" and line["encoding"]["y"]["axis"]["format"] == ",.2~f"
    assert any("Understood as" in c.value for c in app.caption), "the understood caption stays"
    # a second example continues the same conversation
    app.button(key="copilot_example_2").click().run()  # "how many open orders"
    assert not app.exception
    assert sum(1 for m in app.markdown if m.value in ("revenue by month this year", "how many open orders")) == 2


def test_copilot_low_stock_answer_charts_stock_with_out_of_stock_marked(app):
    open_page(app, "copilot")
    app.button(key="copilot_example_4").click().run()  # "which products are low on stock"
    assert not app.exception and not app.error
    table = frame_with(app, "stock")
    assert (table["stock"] == 0).any(), "the demo has products with nothing left"
    chart = chart_specs(app)[-1]
    marks = [layer["mark"]["type"] for layer in chart["layer"]]
    # the low-stock answer carries each product's reorder level (the condition's other side): a tick marks it
    assert marks == ["bar", "tick", "point", "text"], "stock bars, a reorder-level tick, a dot at zero, a label"
    assert chart["layer"][0]["encoding"]["x"]["field"] == "stock", "charted by stock, not by price"


def test_inventory_page_stock_vs_reorder_level(app, settings_of):
    from commerce_platform import wiring

    doc = wiring.copilot_service(settings_of).inventory()
    open_page(app, "inventory")
    assert not app.error
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["At or below reorder level"] == str(doc["count"]) and doc["out_of_stock"] > 0
    assert metrics["Out of stock"] == str(doc["out_of_stock"])
    chart = chart_specs(app)[-1]
    assert [layer["mark"]["type"] for layer in chart["layer"]] == ["bar", "tick", "point", "text"]
    assert chart["layer"][1]["encoding"]["x"]["field"] == "reorder_level"
    table = frame_with(app, "reorder_level")
    assert len(table) == doc["count"] and (table["stock"] <= table["reorder_level"]).all()
    cells = table_shown(app, "reorder_level")
    big = table["reorder_level"].max()
    assert cells["reorder_level"][table["reorder_level"] == big].iloc[0] == f"{big:,}"
