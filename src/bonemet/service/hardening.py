"""Limits and headers that every request and response passes through (plain ASGI middleware).

- `RequestLimits`: a body larger than `max_body_bytes` is answered 413 before the app sees it;
  a JSON body nested deeper than `max_json_depth`, or carrying more than `max_bundle_entries`
  FHIR Bundle entries in all, is answered 422 naming the limit and the setting that raises it.
  The body is read once, checked, and handed on unchanged, so the routes parse it as before.
- `SecurityHeaders`: every response, including errors, 404s and the JSON API, leaves with a
  Content-Security-Policy (no 'unsafe-inline', frame-ancestors 'none'), X-Content-Type-Options,
  X-Frame-Options and Referrer-Policy; a route that sets its own policy keeps it. An exception
  that escapes a route is answered 500 with a reference number, never a stack trace, and is
  logged by type only: its message may quote patient data.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("bonemet.service")

# For JSON and other non-HTML answers: nothing may load, nothing may frame it.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DEFAULT_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", API_POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
)
_NO_STORE = ("cache-control", "no-store")  # answers may carry patient data; static files may be cached
_CACHEABLE_PREFIXES = ("/static/", "/static-docs/", "/favicon")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def hashed_policy(html: str, *, sources: str = "", connect: str = "'none'") -> str:
    """A policy for a page whose own inline <script>/<style> blocks are allowed by their sha256,
    so nothing injected runs ('unsafe-inline' is never given). `sources` are extra hosts for
    scripts, styles, images and fonts (the API docs load Swagger UI from a CDN)."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, body in _INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    extra = f" {sources}" if sources else ""
    return (
        f"default-src 'none'; script-src 'self'{extra} {' '.join(hashes['script'])}; "
        f"style-src 'self'{extra} {' '.join(hashes['style'])}; img-src 'self' data:{extra}; "
        f"font-src 'self'{extra}; connect-src {connect}; worker-src blob:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ).replace("  ", " ")


class LimitExceededError(Exception):
    """A request over one of the limits: `status` 413 or 422, `problem` names the limit."""

    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    max_json_depth: int
    max_bundle_entries: int


def json_limit_problem(data: Any, limits: Limits) -> str | None:
    """The first limit the parsed JSON breaks, named with its setting; None when within them."""
    entries = 0
    for depth, value in _walk(data):
        if depth > limits.max_json_depth:
            return (
                f"(body): JSON nested deeper than {limits.max_json_depth} levels "
                "is not accepted (BONEMET_MAX_JSON_DEPTH)"
            )
        if isinstance(value, dict) and value.get("resourceType") == "Bundle" and isinstance(value.get("entry"), list):
            entries += len(value["entry"])
            if entries > limits.max_bundle_entries:
                return (
                    f"entry: more than {limits.max_bundle_entries} FHIR Bundle entries in one request "
                    "is not accepted (BONEMET_MAX_BUNDLE_ENTRIES)"
                )
    return None


def _walk(data: Any) -> Iterator[tuple[int, Any]]:
    """Every container with its depth (1 for the top), without recursion."""
    stack: list[tuple[int, Any]] = [(1, data)]
    while stack:
        depth, value = stack.pop()
        if isinstance(value, dict):
            yield depth, value
            stack.extend((depth + 1, child) for child in value.values() if isinstance(child, dict | list))
        elif isinstance(value, list):
            yield depth, value
            stack.extend((depth + 1, child) for child in value if isinstance(child, dict | list))


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return bytes(value)
    return None


def _is_json(scope: Scope) -> bool:
    """JSON by its content type, or without one (FastAPI reads an untyped body as JSON)."""
    content_type = _header(scope, b"content-type")
    if content_type is None:
        return True
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or media.endswith(b"+json")


def _declared_length(scope: Scope) -> int | None:
    length = _header(scope, b"content-length")
    return int(length) if length is not None and length.isdigit() else None


def _is_form(scope: Scope) -> bool:
    content_type = _header(scope, b"content-type") or b""
    return content_type.startswith((b"application/x-www-form-urlencoded", b"multipart/form-data"))


async def _answer(scope: Scope, send: Send, status: int, problem: str) -> None:
    """422/413 as the API's error shape; a form submitted from a page gets a short page instead."""
    if _is_form(scope):
        from html import escape

        body = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Request refused</title></head>"
            f"<body><h1>Request refused</h1><p>{escape(problem)}</p></body></html>"
        ).encode()
        media = b"text/html; charset=utf-8"
    else:
        detail = "Request too large" if status == 413 else "Invalid input"
        body = json.dumps({"detail": detail, "problems": [problem]}).encode()
        media = b"application/json"
    headers = [(b"content-type", media), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """413 for an oversized body, 422 for JSON nested too deep or with too many Bundle entries."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read_body(scope, receive)
            if _is_json(scope):
                # A hook answers 401 before it judges its body's syntax; limits hold for everyone.
                self._check_json(body, syntax=not str(scope.get("path", "")).startswith("/cds-services"))
        except LimitExceededError as refused:
            await _answer(scope, send, refused.status, refused.problem)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self) -> LimitExceededError:
        return LimitExceededError(
            413,
            f"(body): larger than the limit of {self.limits.max_body_bytes} bytes (BONEMET_MAX_BODY_BYTES)",
        )

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        declared = _declared_length(scope)
        if declared is not None and declared > self.limits.max_body_bytes:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)  # the client went away; the app sees what came
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limits.max_body_bytes:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _check_json(self, body: bytes, *, syntax: bool) -> None:
        if not body.strip():
            return
        try:
            data = json.loads(body)
        except RecursionError:
            raise LimitExceededError(
                422,
                f"(body): JSON nested deeper than {self.limits.max_json_depth} levels "
                "is not accepted (BONEMET_MAX_JSON_DEPTH)",
            ) from None
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, an integer too long to read
            if syntax:
                raise LimitExceededError(422, f"(body): not valid JSON ({_first_line(error)})") from None
            return
        problem = json_limit_problem(data, self.limits)
        if problem is not None:
            raise LimitExceededError(422, problem)


def _first_line(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."


class SecurityHeaders:
    """Security headers on every response; a 500 without a stack trace for any escaped exception."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        cacheable = str(scope.get("path", "")).startswith(_CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in (*DEFAULT_HEADERS, *(() if cacheable else (_NO_STORE,))):
                    if name not in headers:
                        headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:
            reference = uuid.uuid4().hex[:12]
            log.error(
                "unexpected %s on %s %s (ref %s)",
                type(error).__name__,
                scope.get("method"),
                scope.get("path"),
                reference,
            )
            if started:
                return  # the status line is gone; the connection ends and the client sees a cut answer
            body = json.dumps({"detail": "Internal error", "reference": reference}).encode()
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
                }
            )
            await send_with_headers({"type": "http.response.body", "body": body})


class QueryStringScrubber(logging.Filter):
    """Drops the query string from uvicorn's access log lines (red team B6): a token or anything
    else a caller puts in a URL must not be written to the log. The path stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            path = args[2].split("?", 1)[0]
            record.args = (*args[:2], f"{path}?(query removed)", *args[3:])
        return True


def scrub_access_log_queries() -> None:
    """Install the scrubber on uvicorn's access logger (once per process)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, QueryStringScrubber) for f in access.filters):
        access.addFilter(QueryStringScrubber())
