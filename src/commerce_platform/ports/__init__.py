"""Ports: small Protocols with a local adapter (embedded default) and an AWS adapter each.

Import the concrete module you need; nothing heavy is imported here.

objectstore (home folder | S3), kv (SQLAlchemy | DynamoDB), locks (lease file), llm (offline |
Gemini | Bedrock), erp (folder | Lemonsoft), query_engine (DuckDB | Athena over the retail lake),
text_embeddings (char n-grams | MiniLM | Titan), image_embeddings (offline | Titan Multimodal),
vector_index (numpy), cache (in-process | Redis), fetcher + urlsafety (SSRF-safe image fetching),
secrets (SSM on AWS).
"""
