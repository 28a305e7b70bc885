"""HTML 404 and 410 pages for browsers; API clients keep their JSON.

A clinician who opens a wrong or expired link (an unknown URL, or an assessment link from a
CDS Hooks card after it expired) sees a page with a way back, not `{"detail": "Not Found"}`.
Only GET and HEAD requests whose Accept header asks for HTML, outside the machine interfaces
(`/api`, `/cds-services`, `/fhir`, `/static`, `/docs`, `/openapi.json`), are turned into pages;
everything else passes through untouched. The JSON answer's `detail` becomes the message.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_STATUSES = frozenset({404, 410})
MACHINE_PREFIXES = ("/api", "/cds-services", "/fhir", "/static", "/docs", "/redoc", "/openapi.json", "/healthz")
TITLES = {404: "Page not found", 410: "This link has expired"}


def wants_html(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    path: str = scope["path"]
    if path.startswith(MACHINE_PREFIXES):
        return False
    accept = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"accept"), "")
    return "text/html" in accept


class BrowserErrorPages:
    """ASGI middleware: a JSON 404/410 answer to a browser's page request becomes an HTML page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not wants_html(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                json_answer = headers.get(b"content-type", b"").startswith(b"application/json")
                if message["status"] in PAGE_STATUSES and json_answer:
                    start = message
                    return
                await send(message)
                return
            if start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if not message.get("more_body", False):
                await _send_page(send, start["status"], _detail(bytes(body)), scope["method"] == "HEAD")

        await self.app(scope, receive, capture)


def _detail(body: bytes) -> str:
    try:
        data: Any = json.loads(body)
    except ValueError:
        return ""
    detail = data.get("detail") if isinstance(data, dict) else None
    return detail if isinstance(detail, str) else ""


async def _send_page(send: Send, status: int, detail: str, head: bool) -> None:
    from bonemet.web.routes import SECURITY_HEADERS, render_page  # the page machinery; imported when needed

    message = detail if detail and detail != "Not Found" else "There is no page at this address."
    if status == 410 and not detail:
        message = "This link has expired. Run the assessment again."
    html = render_page("message.html", title=TITLES[status], message=message).encode("utf-8")
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
    headers += [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(html)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else html})
