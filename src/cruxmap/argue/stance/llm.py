"""``stance.llm.v1``: stance from an LLM behind an OpenAI-compatible chat endpoint.

Works with vLLM, llama.cpp server, Ollama or a hosted API (``settings.stance.llm.base_url``,
``settings.stance.llm.model``, key from the environment variable named by ``stance.llm.api_key_env``).
Each (text, hypothesis) pair is one request with a JSON-schema ``response_format``
(``{label, score, evidence}``). An answer is accepted only if it parses, its label is
support/oppose/neutral, its score lies in 0..1 and its evidence is an exact substring of
the text (empty evidence only for neutral) — so the model cannot invent quotations. Rejected
answers are retried a bounded number of times, then the pair is marked neutral with score 0
and a warning is recorded in ``warnings``. Requests run concurrently (small bound), are
spaced to at most ``max_requests_per_second`` and honour ``429`` + ``Retry-After``.
Uses ``httpx`` when installed, else the standard library.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from ...errors import ConfigError, CruxmapError
from ...registry import takes_options, version_of
from ...settings import LLMStanceOptions
from .base import LABELS, StanceClassifier, StanceResult

log = logging.getLogger(__name__)

RESPONSE_SCHEMA = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "enum": list(LABELS)},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "evidence": {"type": "string", "description": "an exact substring of the text that shows the stance"},
    },
    "required": ["label", "score", "evidence"],
    "additionalProperties": False,
}
SYSTEM_PROMPT = (
    "You judge the stance of a text toward a hypothesis. Answer 'support' if the text argues or "
    "implies the hypothesis is true or right, 'oppose' if it argues or implies it is false or wrong, "
    "'neutral' if it does neither. 'score' is your confidence from 0 to 1. 'evidence' must be copied "
    "exactly, character for character, from the text (the shortest part that shows the stance); "
    "use an empty string only for neutral. Reply with the JSON object only."
)
MAX_RETRY_AFTER = 60.0


class LLMUnreachable(CruxmapError):
    code = "llm-unreachable"


class RateLimiter:
    """Spaces request starts at least ``1 / rate`` seconds apart across threads; ``pause`` delays all."""

    def __init__(self, rate: float | None):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_start = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        if start > now:
            time.sleep(start - now)

    def pause(self, seconds: float) -> None:
        with self.lock:
            self.next_start = max(self.next_start, time.monotonic() + seconds)


def parse_retry_after(value: str | None, default: float = 1.0) -> float:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), capped."""
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return default
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def check_answer(content: str, text: str) -> StanceResult:
    """Validate one model answer against the schema and the text; ``ValueError`` says why not."""
    cleaned = content.strip()
    if cleaned.startswith("```"):  # some servers wrap JSON in a code fence despite response_format
        cleaned = cleaned.strip("`").removeprefix("json").strip()
    try:
        answer = json.loads(cleaned)
    except json.JSONDecodeError as err:
        raise ValueError(f"answer is not JSON ({err.msg})") from None
    if not isinstance(answer, dict):
        raise ValueError("answer is not a JSON object")  # noqa: TRY004 (a bad answer, caught as one)
    label, score, evidence = answer.get("label"), answer.get("score"), answer.get("evidence")
    if label not in LABELS:
        raise ValueError(f"bad label {label!r}")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0.0 <= float(score) <= 1.0:
        raise ValueError(f"bad score {score!r}")
    if not isinstance(evidence, str) or evidence not in text or (not evidence.strip() and label != "neutral"):
        raise ValueError("evidence is not an exact substring of the text")
    return StanceResult(label, float(score))


class LLMStanceClassifier(StanceClassifier):
    """Stance via chat completions; one pair per request, a few requests in flight at once."""

    def __init__(self, base_url: str | None = None, model: str | None = None,
                 api_key_env: str = "OPENAI_API_KEY", store=None, concurrency: int = 4,
                 max_requests_per_second: float | None = 5.0, max_attempts: int = 3,
                 max_rate_limit_waits: int = 5, timeout: float = 60.0):
        super().__init__(store=store)
        if not base_url or not model:
            raise ConfigError("stance backend 'llm' needs an endpoint and a model name",
                              fix="set stance.llm.base_url (e.g. http://localhost:8000/v1) and stance.llm.model")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key_env = api_key_env
        self.api_key = os.environ.get(api_key_env) if api_key_env else None
        self.concurrency = max(1, int(concurrency))
        self.limiter = RateLimiter(max_requests_per_second)
        self.max_attempts = max(1, int(max_attempts))
        self.max_rate_limit_waits = max(0, int(max_rate_limit_waits))
        self.timeout = timeout
        self.warnings: list[str] = []
        self.requests = 0
        self.last_error = ""
        self._lock = threading.Lock()

    def cache_namespace(self) -> str:
        return version_of(self, self.url, self.model)

    def classify_batch(self, pairs: list[tuple[str, str]]) -> list[StanceResult]:
        if self.concurrency == 1 or len(pairs) == 1:
            return [self._classify_one(text, hyp) for text, hyp in pairs]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(pairs))) as pool:
            return list(pool.map(lambda pair: self._classify_one(*pair), pairs))

    # ------------------------------------------------------------------ one pair

    def _classify_one(self, text: str, hypothesis: str) -> StanceResult:
        payload = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Hypothesis: {hypothesis}\n\nText: {text}"},
            ],
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "stance", "strict": True, "schema": RESPONSE_SCHEMA}},
        }
        problem = "no answer"
        for _attempt in range(self.max_attempts):
            content = self._request(payload)
            if content is None:
                problem = "server error"
                continue
            try:
                return check_answer(content, text)
            except ValueError as err:
                problem = str(err)
        message = (f"llm stance: gave up after {self.max_attempts} attempts ({problem}); marked neutral "
                   f"for hypothesis {hypothesis[:60]!r} and text {text[:60]!r}")
        log.warning(message)
        with self._lock:
            self.warnings.append(message)
        return StanceResult("neutral", 0.0)

    def _request(self, payload: dict) -> str | None:
        """POST once (waiting out rate limits); the message content, or None on a server error."""
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        body = json.dumps(payload).encode()
        for _wait in range(self.max_rate_limit_waits + 1):
            self.limiter.wait()
            with self._lock:
                self.requests += 1
            status, retry_after, text = _post(self.url, body, headers, self.timeout)
            if status == 429:
                self.limiter.pause(parse_retry_after(retry_after))
                continue
            if status in (401, 403):
                raise ConfigError(f"the LLM endpoint refused the request (HTTP {status})", path=self.url,
                                  fix=f"put a valid API key in the {self.api_key_env} environment variable")
            if status == 404:
                raise ConfigError("the LLM endpoint answered 404", path=self.url,
                                  fix="set stance.llm.base_url to the API root (ending in /v1) and check stance.llm.model")
            if status >= 400:
                self.last_error = text[:2000]
                return None
            try:
                return json.loads(text)["choices"][0]["message"]["content"] or ""
            except (ValueError, KeyError, IndexError, TypeError):
                return ""  # a malformed envelope counts as an unparsable answer
        return None


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str | None, str]:
    """(status, Retry-After header, body text); connection failures raise ``LLMUnreachable``."""
    try:
        import httpx
    except ImportError:
        return _post_urllib(url, body, headers, timeout)
    try:
        resp = httpx.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as err:
        raise LLMUnreachable(f"cannot reach the LLM endpoint ({err})", path=url,
                             fix="start the server or fix stance.llm.base_url") from err
    return resp.status_code, resp.headers.get("retry-after"), resp.text


def _post_urllib(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str | None, str]:
    """``_post`` without httpx, through the standard library."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Retry-After"), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Retry-After"), err.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as err:
        raise LLMUnreachable(f"cannot reach the LLM endpoint ({err})", path=url,
                             fix="start the server or fix stance.llm.base_url") from err


@takes_options(LLMStanceOptions)
def create_llm_stance(base_url: str | None = None, model: str | None = None, store=None, **options) -> LLMStanceClassifier:
    return LLMStanceClassifier(base_url=base_url, model=model, store=store, **options)
