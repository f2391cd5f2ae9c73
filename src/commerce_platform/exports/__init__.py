"""SmartGo exporter: a day's sales with product-image embeddings into an Apache Iceberg table.

Service functions (CLI, Lambda, console) live in :mod:`.service`:
``run_export(settings, date, tenant=None, source=None, retry_failed=False, progress=callback)``,
``list_runs``, ``table_partitions``, ``failed_images``, ``similar_sales``, ``sale_image``, ``get_sale``.

Modules: models (rows, validation rules, reasons), source (a day's pages of SmartGo sales), iceberg
(the export table as data: columns, partitioning, the day's ``Filter``s), progress (7.4 records +
lock), pipeline (the stages, the embedding cache in packs), similar (k-NN pricing), commands
(``commerce export``), lambda_handler (EventBridge schedule). Its adapters are ports:
``ports.iceberg_table`` (pyiceberg: tables as data, filters as data, one file per partition per
run), ``ports.smartgo_source`` (SQLAlchemy: the 7.2 ``sales`` table), ``ports.fetcher`` (async
httpx + s3:// via the object store, ``ports.urlsafety`` SSRF guard) and ``ports.image_embeddings``
(offline 1024-d / Titan Multimodal).
"""
