"""Titan Multimodal Embeddings G1: request body and response parsing with botocore's Stubber."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest

from commerce_platform.errors import UpstreamError
from commerce_platform.ports.image_embeddings import TitanImageEmbedder

pytestmark = pytest.mark.integration


def png(w: int, h: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (w, h), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def stubbed(aws_credentials):
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("bedrock-runtime", region_name="eu-north-1")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def response(vector) -> dict:
    from botocore.response import StreamingBody

    raw = json.dumps({"embedding": list(vector), "inputTextTokenCount": 0}).encode()
    return {"body": StreamingBody(io.BytesIO(raw), len(raw)), "contentType": "application/json"}


def test_request_body_and_response(stubbed):
    client, stub = stubbed
    image = png(64, 48)
    emb = TitanImageEmbedder(client=client)
    body = emb.request_body(image)
    doc = json.loads(body)
    assert doc["embeddingConfig"] == {"outputEmbeddingLength": 1024}
    assert base64.b64decode(doc["inputImage"]) == image  # small PNG passes through unchanged
    stub.add_response("invoke_model", response(np.full(1024, 2.0)),
                      {"modelId": "amazon.titan-embed-image-v1", "body": body,
                       "contentType": "application/json", "accept": "application/json"})
    vec = emb.embed(image)
    assert vec.shape == (1024,) and abs(np.linalg.norm(vec) - 1.0) < 1e-5


def test_large_images_are_resized_within_limits():
    from PIL import Image

    emb = TitanImageEmbedder(client=object())
    data = base64.b64decode(emb.prepare(png(3000, 1000)))
    with Image.open(io.BytesIO(data)) as img:
        assert max(img.size) == 2048 and img.format == "JPEG"


def test_throttling_is_retried(stubbed):
    client, stub = stubbed
    sleeps: list[float] = []
    emb = TitanImageEmbedder(client=client, sleep=sleeps.append, backoff=0.5)
    stub.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
    stub.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
    stub.add_response("invoke_model", response([float(i) for i in range(1024)]))
    assert emb.embed(png(8, 8)).shape == (1024,)
    # Exponential (0.5, 1.0) plus up to backoff/2 of jitter, so throttled threads spread out.
    assert len(sleeps) == 2 and 0.5 <= sleeps[0] <= 0.75 and 1.0 <= sleeps[1] <= 1.25


def test_throttling_past_the_retries_is_an_upstream_error(stubbed):
    client, stub = stubbed
    sleeps: list[float] = []
    for _ in range(2):
        stub.add_client_error("invoke_model", service_error_code="ThrottlingException", http_status_code=429)
    with pytest.raises(UpstreamError, match="Titan image embedding failed"):
        TitanImageEmbedder(client=client, sleep=sleeps.append, retries=1, backoff=0.1).embed(png(8, 8))
    assert len(sleeps) == 1


@pytest.mark.parametrize(("kind", "payload"), [
    ("error", "AccessDeniedException"),
    ("wrong-shape", [0.1] * 10),
])
def test_failures_raise_upstream_error(stubbed, kind, payload):
    client, stub = stubbed
    if kind == "error":
        stub.add_client_error("invoke_model", service_error_code=payload, http_status_code=403)
    else:
        stub.add_response("invoke_model", response(payload))
    with pytest.raises(UpstreamError):
        TitanImageEmbedder(client=client, sleep=lambda s: None).embed(png(8, 8))
