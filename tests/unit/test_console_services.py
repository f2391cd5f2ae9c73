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


# ----------------------------------------------------------------------------- numbers and months


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (60337.14, 2, "60,337.14"), (1234, 2, "1,234"), (0, 2, "0"), (0.5, 3, "0.500"), (-1500.0, 0, "-1,500"),
    (None, 2, ""), (float("nan"), 2, ""), ("SO-1", 2, "SO-1"), (True, 2, "True"),
])
def test_number_text(value, decimals, text):
    assert services.number_text(value, decimals) == text


def test_number_text_of_numpy_scalars():
    import numpy as np

    assert services.number_text(np.int64(60337)) == "60,337"
    assert services.number_text(np.float64(60337.14)) == "60,337.14"


@pytest.mark.parametrize(("value", "label"), [
    ("2026-01-01", "Jan 2026"), ("2026-11-01T00:00:00", "Nov 2026"), ("spring", "spring"), (None, ""),
])
def test_month_label(value, label):
    assert services.month_label(value) == label


def test_month_label_of_dates_and_timestamps():
    from datetime import date, datetime

    import pandas as pd

    assert services.month_label(date(2026, 2, 1)) == "Feb 2026"
    assert services.month_label(datetime(2025, 12, 1, 0, 0)) == "Dec 2025"
    assert services.month_label(pd.Timestamp("2026-03-01")) == "Mar 2026"


def test_column_formatters_months_amounts_and_ids():
    columns = ["month", "revenue", "orders", "customer_id", "year", "note", "order_month"]
    rows = [["2026-01-01", 60337.14, 1200, 4711, 2026, "x", "2026-02-01"],
            ["2026-02-01", 44698.7, 3, 12, 2026, "y", None]]
    f = services.column_formatters(columns, rows)
    assert set(f) == {"month", "revenue", "orders", "customer_id", "year", "order_month"}  # text stays text
    assert [f["month"](r[0]) for r in rows] == ["Jan 2026", "Feb 2026"]
    assert f["revenue"](60337.14) == "60,337.14" and f["orders"](1200) == "1,200"
    assert f["customer_id"](4711) == "4711" and f["year"](2026) == "2026", "ids and years are not amounts"
    assert services.column_formatters(["month", "n"], [["spring", 1], ["autumn", 2]]).keys() == {"n"}
    assert services.column_formatters(["score"], [[0.12345]], decimals={"score": 3})["score"](0.12345) == "0.123"


def test_styled_frame_shows_formats_and_keeps_the_numbers():
    import pandas as pd

    frame = pd.DataFrame({"month": ["2026-01-01", "2026-02-01"], "revenue": [60337.14, 44698.7]})
    styler = services.styled(frame)
    html = styler.to_html()
    assert "Jan 2026" in html and "60,337.14" in html and "44,698.70" in html and "2026-01-01" not in html
    assert styler.data["revenue"].tolist() == [60337.14, 44698.7], "sorting still sees numbers"


# ----------------------------------------------------------------------------- charts


def _layer_marks(spec: dict) -> list[str]:
    return [(layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) for layer in spec["layer"]]


def test_month_axis_reads_jan_2026_and_numbers_have_separators():
    spec = services.chart_spec(["month", "revenue"], [["2026-01-01", 60337.14], ["2026-02-01", 44698.74]])
    chart = services.answer_chart(["month", "revenue"], [["2026-01-01", 60337.14], ["2026-02-01", 44698.74]],
                                  spec).to_dict()
    x = chart["encoding"]["x"]
    assert x["type"] == "temporal" and x["timeUnit"] == "yearmonth" and x["axis"]["format"] == "%b %Y"
    assert x["axis"]["tickCount"] == {"interval": "month", "step": 1}, "one tick per month, each month once"
    assert chart["encoding"]["y"]["axis"]["format"] == ",.2~f", "100,000 - never 1e+5"
    years = services.answer_chart(["year", "orders"], [[2024, 10], [2025, 12]],
                                  services.chart_spec(["year", "orders"], [[2024, 10], [2025, 12]])).to_dict()
    assert years["encoding"]["x"]["type"] == "ordinal", "a year axis is never '2,024'"


def test_bar_answer_labels_each_bar_so_zero_shows():
    rows = [["Tools", 14503.17], ["Paint", 0.0]]
    chart = services.answer_chart(["category", "revenue"], rows,
                                  services.chart_spec(["category", "revenue"], rows)).to_dict()
    assert _layer_marks(chart) == ["bar", "text"]
    assert chart["layer"][1]["encoding"]["text"]["format"] == ",.0f"


def test_stock_rows_name_the_out_of_stock_products():
    rows = services.stock_rows([{"name": "Knife", "stock": 0, "reorder_level": 20},
                                {"name": "Trap", "stock": 12, "reorder_level": 20},
                                {"name": "Hose", "stock": 113, "reorder_level": 30},
                                {"name": "Tap", "stock": 1500}])
    assert [r["state"] for r in rows] == ["out of stock", "at or below reorder level", "above reorder level",
                                          "in stock"]
    assert [r["label"] for r in rows] == ["0 - out of stock", "12", "113", "1,500"]


def test_stock_chart_has_bars_reorder_ticks_and_a_marker_at_zero():
    items = [{"name": "Knife", "stock": 0, "reorder_level": 20}, {"name": "Trap", "stock": 12, "reorder_level": 20}]
    chart = services.stock_chart(items).to_dict()
    assert _layer_marks(chart) == ["bar", "tick", "point", "text"]
    assert chart["layer"][1]["encoding"]["x"]["field"] == "reorder_level"
    assert chart["layer"][2]["transform"] == [{"filter": "datum.stock <= 0"}], "the zero marker is for empty stock"
    data = next(iter(chart["datasets"].values()))
    assert {"product": "Knife", "stock": 0, "label": "0 - out of stock"}.items() <= data[0].items()
    assert chart["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["out of stock", "at or below reorder level"]
    # without a reorder level (the copilot's low-stock answer) there is no tick layer
    assert _layer_marks(services.stock_chart([{"name": "Knife", "stock": 0}]).to_dict()) == ["bar", "point", "text"]


def test_low_stock_answer_is_charted_by_stock_not_price():
    columns = ["product_id", "name", "category", "brand", "unit_price", "stock"]
    rows = [[13, "Chef Knife", "Kitchen", "Husqvarna", 53.17, 0], [33, "Drain Trap", "Plumbing", "Husqvarna", 32.26, 63]]
    assert services.chart_spec(columns, rows) == {"kind": "stock", "x": "name", "y": ["stock"]}


# ----------------------------------------------------------------------------- bulk review


def test_bulk_candidates_are_pending_swaps_at_or_above_the_floor():
    swaps = [{"id": "a", "status": "pending", "confidence": 0.99}, {"id": "b", "status": "pending", "confidence": 0.6},
             {"id": "c", "status": "approved", "confidence": 0.99}, {"id": "d", "status": "pending", "confidence": 0.9}]
    assert [s["id"] for s in services.bulk_candidates(swaps, 0.9)] == ["a", "d"]
    assert [s["id"] for s in services.bulk_candidates(swaps, 0.0)] == ["a", "b", "d"]
    assert services.bulk_candidates(swaps, 1.0) == []


def test_units_short_counts_only_what_is_missing():
    items = [{"stock": 0, "reorder_level": 20}, {"stock": 15, "reorder_level": 20}, {"stock": 50, "reorder_level": 20},
             {"stock": 3, "reorder_level": None}]
    assert services.units_short(items) == 25


def test_whole_quantities_lose_zero_decimals_money_keeps_its_cents():
    f = services.column_formatters(["AI qty", "total_amount", "share"], [[60.0, 1200.0, 0.5], [1200.0, 15.0, 1.0]])
    assert f["AI qty"](60.0) == "60" and f["AI qty"](1200.0) == "1,200"
    assert f["total_amount"](1200.0) == "1,200.00"
    assert f["share"](0.5) == "0.50"


def test_catalog_index_takes_brands_from_the_catalog_lines_not_the_last_word(monkeypatch):
    # An ERP that puts the brand first and a model word last ('KME SANITUB ...', '... LOWARA ECOCIRC'):
    # the last-word guess named no brand or the model; the catalog's lines name the maker.
    from commerce_platform import factory
    from commerce_platform.offers.models import CatalogProduct

    names = ["KME CU-PUTKI 15MM 3M", "KME CU-PUTKI 18MM 3M", "LUVATA KUP.PUTKI 15MM 3M", "LUVATA KUP.PUTKI 18MM 3M",
             "KV-PUMPPU 25-40 LOWARA ECOCIRC", "KV-PUMPPU 25-60 LOWARA ECOCIRC",
             "KV-PUMPPU 25-40 WILO YONOS", "KV-PUMPPU 25-60 WILO YONOS", "KAHVIKUPPI"]
    groups = ["101600"] * 4 + ["203000"] * 4 + [""]
    catalog = [CatalogProduct(product_code=str(i), product_name=n, product_group=g)
               for i, (n, g) in enumerate(zip(names, groups, strict=True))]

    class ERP:
        def catalog(self):
            return catalog

    monkeypatch.setattr(factory, "erp", lambda settings: ERP())
    brands = [v["brand"] for v in services.catalog_index(None).values()]
    assert brands == ["KME", "KME", "LUVATA", "LUVATA", "LOWARA", "LOWARA", "WILO", "WILO", ""]
