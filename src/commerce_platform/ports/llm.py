"""LLM port: ``complete(prompt, system) -> str``. Offline means no model: callers use their
deterministic algorithm. Gemini goes through google-genai, Bedrock through langchain-aws.

Every caller validates the model's output against a schema and falls back to its offline
path on failure; ``complete_json`` does the parsing half of that.
"""

from __future__ import annotations

import abc
import json
import re
from functools import cached_property
from typing import Any

from ..errors import UpstreamError, ValidationFailed, ensure_available, require


class LLM(abc.ABC):
    """Base of the model adapters. The base owns the call's error mapping (any failure of the
    call is an UpstreamError naming the provider, with ``failure_hint``); a backend implements
    ``_complete`` with its client, built beforehand by ``_ready`` (a missing extra is not an
    upstream failure)."""

    name: str
    label: str  # the provider as messages name it
    failure_hint: str

    @abc.abstractmethod
    def _complete(self, prompt: str, system: str | None) -> str:
        """The model's answer as text ("" when it gave none)."""

    @abc.abstractmethod
    def _ready(self) -> None:
        """Build the (lazy) client; its errors are raised as they are."""

    def complete(self, prompt: str, system: str | None = None) -> str:
        self._ready()
        try:
            return self._complete(prompt, system)
        except Exception as exc:
            raise UpstreamError(f"{self.label} call failed: {exc}", hint=self.failure_hint) from exc


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def parse_json_answer(text: str) -> Any:
    """Parse a model answer that should be JSON (tolerates a fenced code block)."""
    cleaned = _FENCE.sub("", text.strip()).strip()
    try:
        return json.loads(cleaned)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"model answer is not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
                               hint="the offline result is used instead") from exc


def complete_json(llm: LLM, prompt: str, system: str | None = None) -> Any:
    return parse_json_answer(llm.complete(prompt, system))


class GeminiLLM(LLM):
    """Gemini through google-genai (``client.models.generate_content``)."""

    name, label, failure_hint = "gemini", "Gemini", "check COMMERCE_GEMINI_API_KEY"

    def __init__(self, api_key: str | None = None, model: str = "gemini-2.5-flash", client: Any = None) -> None:
        if client is None:
            ensure_available("google.genai", "gemini")
        else:
            self.__dict__["client"] = client  # an injected client stands in for the lazy one
        self._api_key, self.model = api_key, model

    @cached_property
    def client(self) -> Any:
        """Built on first use: importing google-genai costs ~0.7 s of a cold start."""
        return require("google.genai", "gemini").Client(api_key=self._api_key)

    def _ready(self) -> None:
        _ = self.client

    def _complete(self, prompt: str, system: str | None) -> str:
        config: dict[str, Any] = {"response_mime_type": "application/json", "temperature": 0.0}
        if system:
            config["system_instruction"] = system
        resp = self.client.models.generate_content(model=self.model, contents=prompt, config=config)
        return resp.text or ""


class BedrockLLM(LLM):
    """Claude on Bedrock through langchain-aws' ChatBedrockConverse (``chat`` may be any chat model)."""

    name, label, failure_hint = "bedrock", "Bedrock", "check AWS credentials and model access"

    def __init__(self, model_id: str = "", region: str | None = None, chat: Any = None) -> None:
        if chat is None:
            ensure_available("langchain_aws", "bedrock")
        else:
            self.__dict__["chat"] = chat  # any chat model stands in for the lazy one
        self.model_id, self.region = model_id, region

    @cached_property
    def chat(self) -> Any:
        """Built on first use: importing langchain-aws costs ~1.2 s of a cold start."""
        return require("langchain_aws", "bedrock").ChatBedrockConverse(model=self.model_id, region_name=self.region,
                                                                        temperature=0.0)

    def _ready(self) -> None:
        _ = self.chat

    def _complete(self, prompt: str, system: str | None) -> str:
        messages: list[tuple[str, str]] = []
        if system:
            messages.append(("system", system))
        messages.append(("human", prompt))
        msg = self.chat.invoke(messages)
        content = msg.content if hasattr(msg, "content") else msg
        if isinstance(content, list):  # converse content blocks
            content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
        return str(content)
