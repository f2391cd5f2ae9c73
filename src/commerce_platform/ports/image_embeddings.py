"""Image embedder port: offline deterministic 1024-d features, or Titan Multimodal Embeddings G1 on Bedrock.

Offline layout (1024 dims, each block L2-normalised then weighted, the whole vector L2-normalised):
  256  global colour histogram, HSV 16 hue x 4 saturation x 4 value (soft on value)
  256  2x2 spatial pyramid of HSV 8 x 2 x 4 histograms
  256  4x4 grid of 16-bin gradient-orientation histograms (magnitude weighted)
  256  16x16 silhouette: share of foreground pixels (far from the border's background colour) per cell;
       product photos on plain backgrounds make this a strong, colour-independent shape cue
The same image bytes always give the same vector; products that look alike land near each other.

Pixel caps (a 140 KB PNG can declare 12000x12000 pixels and cost 728 MB to decode): an image declaring
more than MAX_IMAGE_PIXELS is refused as soon as its header is read, and no more than MAX_DECODE_PIXELS
are decoded (JPEGs are decoded at a reduced scale first, so a large camera photo stays cheap). Both
raise ImageRejected("too_large"), which the export counts as a bad image, not an embedder failure.
"""

from __future__ import annotations

import base64
import io
import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..errors import UpstreamError, require

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from PIL.ImageFile import ImageFile

    from ..config import Settings

EMBEDDING_DIM = 1024  # Titan Multimodal Embeddings G1's size; the export table stores it (7.3)
MAX_IMAGE_PIXELS = 64_000_000  # declared by the header (8000x8000); Pillow's own bomb check uses it too
MAX_DECODE_PIXELS = 4096 * 4096  # held in memory at once (~64 MB as RGBA); product photos need far less


class ImageRejected(ValueError):
    """An image that must not be decoded (a decompression bomb, say): a bad record, not an outage."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason  # an exports.models.REASONS code
        self.detail = detail


def _megapixels(n: int) -> str:
    return f"{n / 1e6:.1f} MP"


def open_image(data: bytes, label: str = "image") -> ImageFile:
    """``Image.open`` that refuses, before any pixel is decoded, a header declaring too many pixels."""
    from PIL import Image

    # Deliberate, not Pillow's default (89 MP): Pillow then warns above the cap and raises above twice it
    # in every Image.open of this process, a backstop for code that does not come through here.
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # Warning if filtered to error
        raise ImageRejected("too_large", f"{label}: {exc} (cap {_megapixels(MAX_IMAGE_PIXELS)}); "
                                         "serve a smaller image") from None
    width, height = img.size
    if width * height > MAX_IMAGE_PIXELS:
        img.close()
        raise ImageRejected("too_large", f"{label}: {width}x{height} pixels ({_megapixels(width * height)}) is over "
                                         f"the {_megapixels(MAX_IMAGE_PIXELS)} cap (a decompression bomb?); "
                                         "serve a smaller image")
    return img


def check_decode_size(img: PILImage, label: str = "image") -> None:
    """Refuse to decode more than MAX_DECODE_PIXELS; call after ``draft`` (which shrinks JPEGs)."""
    width, height = img.size
    if width * height > MAX_DECODE_PIXELS:
        raise ImageRejected("too_large", f"{label}: {width}x{height} {img.format or ''} image "
                                         f"({_megapixels(width * height)}) would be decoded whole, over the "
                                         f"{_megapixels(MAX_DECODE_PIXELS)} cap; serve it at most 4096x4096 "
                                         "or as a JPEG")


class ImageEmbedder(Protocol):
    name: str
    dim: int

    def embed(self, image: bytes) -> np.ndarray: ...


def _load_rgb(image: bytes, size: int) -> PILImage:
    from PIL import Image

    with open_image(image) as opened:
        img: PILImage = opened  # reassigned below to converted (plain) images
        img.draft("RGB", (size * 2, size * 2))  # JPEG: decode at reduced scale
        check_decode_size(img)
        if img.mode in ("RGBA", "LA", "P"):
            img = img.convert("RGBA")
            background = Image.new("RGBA", img.size, (255, 255, 255, 255))
            img = Image.alpha_composite(background, img)
        return img.convert("RGB").resize((size, size), Image.Resampling.BILINEAR)


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _hsv_hist(h: np.ndarray, s: np.ndarray, v: np.ndarray, bins: tuple[int, int, int]) -> np.ndarray:
    hb = np.minimum((h * bins[0]).astype(np.int64), bins[0] - 1)
    sb = np.minimum((s * bins[1]).astype(np.int64), bins[1] - 1)
    vb = np.minimum((v * bins[2]).astype(np.int64), bins[2] - 1)
    idx = (hb * bins[1] + sb) * bins[2] + vb
    return np.bincount(idx.ravel(), minlength=bins[0] * bins[1] * bins[2]).astype(np.float32)


class OfflineImageEmbedder:
    name = "offline-image-features-v1"
    dim = EMBEDDING_DIM
    size = 64
    # CPU-bound: two threads a core keep the cores busy while one waits for the GIL (parts of the
    # work hold it, Pillow's decode and numpy release it); more only queue.
    max_concurrency = 2 * (os.cpu_count() or 1)

    def embed(self, image: bytes) -> np.ndarray:
        img = _load_rgb(image, self.size)
        rgb = np.asarray(img, dtype=np.float32) / 255.0
        hsv = np.asarray(img.convert("HSV"), dtype=np.float32) / 255.0
        h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
        n = self.size
        half = n // 2

        global_hist = _hsv_hist(h, s, v, (16, 4, 4))
        pyramid = np.concatenate([
            _hsv_hist(h[y:y + half, x:x + half], s[y:y + half, x:x + half], v[y:y + half, x:x + half], (8, 2, 4))
            for y in (0, half) for x in (0, half)
        ])

        gray = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        gy, gx = np.gradient(gray)
        mag = np.hypot(gx, gy)
        ori = np.mod(np.arctan2(gy, gx), np.pi)  # unsigned orientation
        obin = np.minimum((ori / np.pi * 16).astype(np.int64), 15)
        cell = n // 4
        cy, cx = np.indices((n, n)) // cell
        hog_idx = ((cy * 4 + cx) * 16 + obin).ravel()
        hog = np.bincount(hog_idx, weights=mag.ravel(), minlength=256).astype(np.float32)
        hog = hog.reshape(16, 16)
        hog = (hog / (np.linalg.norm(hog, axis=1, keepdims=True) + 1e-6)).ravel()

        border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
        background = np.median(border, axis=0)
        foreground = (np.abs(rgb - background).sum(axis=-1) > 0.15).astype(np.float32)
        silhouette = foreground.reshape(16, n // 16, 16, n // 16).mean(axis=(1, 3)).ravel()

        blocks = [(global_hist, 0.8), (pyramid, 0.6), (hog, 1.0), (silhouette, 1.1)]
        vec = np.concatenate([_unit(np.sqrt(np.abs(b)) * np.sign(b)) * w for b, w in blocks]).astype(np.float32)
        assert vec.shape == (EMBEDDING_DIM,)
        return _unit(vec).astype(np.float32)


class TitanImageEmbedder:
    """``amazon.titan-embed-image-v1`` through ``bedrock-runtime.invoke_model``.

    Images are resized to at most 2048 px on the longest side and re-encoded (PNG/JPEG) under the
    5 MB request budget; ThrottlingException / 5xx are retried with exponential backoff and jitter.
    """

    name = "amazon.titan-embed-image-v1"
    dim = EMBEDDING_DIM
    max_side = 2048
    max_b64_bytes = 5 * 1024 * 1024
    throttle_codes = ("ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException",
                      "InternalServerException", "TooManyRequestsException")

    def __init__(self, client: Any = None, region: str | None = None, retries: int = 5, backoff: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if client is None:
            boto3 = require("boto3", "aws")
            client = boto3.client("bedrock-runtime", region_name=region)
        self.client = client
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def prepare(self, image: bytes) -> str:
        """Base64 of the image within Titan's limits."""

        with open_image(image) as opened:
            img: PILImage = opened  # reassigned below to the converted (plain) image
            fmt = (img.format or "").upper()
            too_big = max(img.size) > self.max_side
            if not too_big and fmt in ("PNG", "JPEG") and len(image) * 4 / 3 < self.max_b64_bytes:
                return base64.b64encode(image).decode("ascii")
            img.draft("RGB", (self.max_side, self.max_side))  # JPEG: decode at reduced scale
            check_decode_size(img)
            img = img.convert("RGB")
            img.thumbnail((self.max_side, self.max_side))
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=90)
        return base64.b64encode(out.getvalue()).decode("ascii")

    def request_body(self, image: bytes) -> str:
        return json.dumps({"inputImage": self.prepare(image), "embeddingConfig": {"outputEmbeddingLength": self.dim}})

    def _throttled(self, exc: BaseException) -> bool:
        return getattr(exc, "response", {}).get("Error", {}).get("Code", "") in self.throttle_codes

    def _invoke(self, body: str) -> dict[str, Any]:
        resp = self.client.invoke_model(modelId=self.name, body=body, contentType="application/json",
                                        accept="application/json")
        return dict(json.loads(resp["body"].read()))

    def embed(self, image: bytes) -> np.ndarray:
        from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

        body = self.request_body(image)
        # Jitter: dozens of export threads throttled at once must not come back at the same instant.
        retrying = Retrying(retry=retry_if_exception(self._throttled), stop=stop_after_attempt(self.retries + 1),
                            wait=wait_exponential(multiplier=self.backoff, max=30) + wait_random(0, self.backoff / 2),
                            sleep=self.sleep, reraise=True)
        try:
            payload = retrying(self._invoke, body)
        except Exception as exc:
            raise UpstreamError(f"Titan image embedding failed: {exc}", hint="check Bedrock model access") from exc
        vec = np.asarray(payload.get("embedding") or [], dtype=np.float32)
        if vec.shape != (self.dim,):
            raise UpstreamError(f"Titan returned an embedding of shape {vec.shape}, expected ({self.dim},)")
        return _unit(vec)


def get_image_embedder(settings: Settings) -> ImageEmbedder:
    if settings.exports.image_embedder == "titan":
        return TitanImageEmbedder(region=settings.aws.region)
    return OfflineImageEmbedder()
