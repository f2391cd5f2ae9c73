"""SmartGo exporter: a day's sales with product-image embeddings into an Apache Iceberg table.

Service functions (CLI, Lambda, console) live in :mod:`.service`:
``run_export(settings, date, tenant=None, source=None, retry_failed=False, progress=callback)``,
``list_runs``, ``table_partitions``, ``failed_images``, ``similar_sales``, ``sale_image``, ``get_sale``.

Modules: models (rows, validation rules, reasons), source (SQLAlchemy reader), iceberg (pyiceberg
table, replace-by-filter), progress (7.4 records + lock), pipeline (the stages), similar (k-NN
pricing), commands (``commerce export``), lambda_handler (EventBridge schedule). Its adapters are
ports: ``ports.fetcher`` (async httpx + s3:// via the object store, ``ports.urlsafety`` SSRF guard)
and ``ports.image_embeddings`` (offline 1024-d / Titan Multimodal).
"""
