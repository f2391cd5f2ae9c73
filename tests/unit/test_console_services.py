"""The console's plain-Python helpers: chart choice, evidence rows, run rows, error text."""

from __future__ import annotations

import sys

import pytest

from tests.fixtures_console import REPO

pytestmark = pytest.mark.unit
sys.path.insert(0, str(REPO / "console"))
import services  # noqa: E402 - the console folder is not a package; a broken import must fail, not skip


@pytest.mark.parametrize(("columns", "rows", "expected"), [
    # time series -> line chart over the time column
    (["month", "revenue"], [["2026-01-01", 10.0], ["2026-02-01", 12.5]], {"kind": "line", "x": "month", "y": ["revenue"]}),
    (["year", "orders"], [[2024, 10], [2025, 12]], {"kind": "line", "x": "year", "y": ["orders"]}),
    (["order_date", "revenue", "orders"], [["2026-01-01", 1.0, 2], ["2026-01-02", 2.0, 3]],
     {"kind": "line", "x": "order_date", "y": ["revenue", "orders"]}),
    # breakdown -> bar chart over the label; id columns are not measures
    (["category", "revenue"], [["Tools", 5.0], ["Paint", 3.0]], {"kind": "bar", "x": "category", "y": ["revenue"]}),
    (["customer_id", "customer", "revenue"], [[4, "A Oy", 9.0], [1, "B", 7.0]],
     {"kind": "bar", "x": "customer", "y": ["revenue"]}),
    # no chart: a single number, a single row, text only, too many bars
    (["orders"], [[84]], None),
    (["category", "revenue"], [["Tools", 5.0]], None),
    (["sku", "name"], [["A1", "pipe"], ["A2", "valve"]], None),
    (["sku", "stock"], [[f"A{i}", i] for i in range(60)], None),
    # a "month" column that is not a date is a label, not a time axis
    (["month", "revenue"], [["spring", 1.0], ["autumn", 2.0]], {"kind": "bar", "x": "month", "y": ["revenue"]}),
])
def test_chart_spec(columns, rows, expected):
    assert services.chart_spec(columns, rows) == expected


def test_evidence_rows_put_ai_and_final_lines_side_by_side():
    swap = {"customer_term": "cu putki 15mm", "evidence": [
        {"source_file": "700002_b.json", "offer_number": "700002", "ai_code": "1", "ai_name": "PIPE 3M",
         "final_code": "2", "final_name": "PIPE 5M", "ai_quantity": 10, "final_quantity": 10,
         "timestamp": "2026-11-02", "customer_term": ""},
        {"source_file": "700001_a.json", "offer_number": "700001", "ai_code": "", "ai_name": "",
         "final_code": "2", "final_name": "PIPE 5M", "timestamp": "2026-11-01"},
    ]}
    rows = services.evidence_rows(swap)
    assert [r["offer"] for r in rows] == ["700001", "700002"]  # oldest first
    assert rows[1]["AI line"] == "1 PIPE 3M" and rows[1]["final line"] == "2 PIPE 5M"
    assert rows[0]["AI line"] == "?" and rows[0]["customer term"] == "cu putki 15mm"


def test_runs_frame_rows_fill_duration_and_tenant():
    rows = services.runs_frame_rows([
        {"date": "2026-11-20", "tenant": None, "status": "FAILED", "startTime": "2026-11-21T01:00:00+00:00",
         "endTime": "2026-11-21T01:00:02.500000+00:00", "error": "source down"},
        {"date": "2026-11-19", "tenant": "oslo-gear", "status": "COMPLETE", "seconds": 1.2, "totalCount": 3,
         "successCount": 3, "errorCount": 0},
    ])
    assert rows[0]["tenant"] == "*" and rows[0]["seconds"] == 2.5 and rows[0]["error"] == "source down"
    assert rows[1]["tenant"] == "oslo-gear" and (rows[1]["total"], rows[1]["embedded"]) == (3, 3)


def test_error_text_says_what_to_do():
    pytest.importorskip("streamlit")
    import shared

    from commerce_platform.errors import NotFound

    text = shared.error_text("Loading", NotFound("ticket T-1 does not exist", field="ticket_id", hint="check the id"))
    assert "ticket T-1 does not exist" in text and "`ticket_id`" in text and "What to do:** check the id" in text
    assert "What to do" in shared.error_text("Loading", RuntimeError("boom"))


def test_the_understood_question_is_split_from_the_prose():
    turn = {"response": "Revenue in 2025: 10.00 EUR. Computed: revenue (orders not cancelled or returned).",
            "interpretation": "revenue (orders not cancelled or returned)"}
    assert services.understood(turn) == ("Revenue in 2025: 10.00 EUR.", "revenue (orders not cancelled or returned)")
    assert services.understood({"response": "old turn"}) == ("old turn", "")


def test_failed_images_panel_is_not_green_on_an_empty_home():
    # nothing exported: no green "Every exported sale has an image embedding"
    assert services.failed_images_state([], [])[0] == "info"
    empty_days = [{"date": "2030-01-01", "status": "EMPTY", "totalCount": 0, "successCount": 0}]
    kind, text = services.failed_images_state(empty_days, [])
    assert kind == "info" and "No sale has been exported yet" in text
    done = [{"date": "2026-03-10", "status": "COMPLETE", "totalCount": 4, "successCount": 4, "exportedCount": 4}]
    assert services.failed_images_state(done, []) == ("success", "Every exported sale has an image embedding.")
    failed = [{"embedding_error": "no_image_url: image_url is empty"},
              {"embedding_error": "server_error: u: HTTP 503 after 4 attempts"}]
    kind, text = services.failed_images_state(done, failed)
    assert kind == "warning" and "1 retryable, 1 permanent" in text


def test_export_outcome_says_empty_and_permanent():
    kind, text = services.export_outcome({"date": "2030-01-01", "mode": "full", "status": "EMPTY", "totalCount": 0,
                                          "note": "the source has no sales on 2030-01-01; nothing was exported"})
    assert kind == "info" and "no sales on 2030-01-01" in text
    kind, text = services.export_outcome({"date": "2026-03-10", "mode": "retry-failed", "status": "PARTIAL",
                                          "retried": 0, "recovered": 0, "permanent": 2})
    assert kind == "warning" and "retried 0, recovered 0; 2 permanent failure(s) not retried" in text
