"""SmartGo exporter: a day's sales with product-image embeddings into an Apache Iceberg table.

Public service functions (CLI, Lambda, console) live in :mod:`.service`.
"""
