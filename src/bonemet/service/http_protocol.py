"""uvicorn's HTTP protocol with a header read timeout (red team: slowloris connections that never
finish their headers were held open indefinitely; uvicorn has no such timeout of its own).

A connection has `header_timeout` seconds from its first byte (or from being opened) to finish a
request's headers; past that it is closed. The idle time between requests on a kept-alive
connection is not counted: that is uvicorn's keep-alive timeout (`bonemet serve --keep-alive`).
`bonemet serve` selects this protocol; the timeout comes from BONEMET_HEADER_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import asyncio
import os

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_VARIABLE = "BONEMET_HEADER_TIMEOUT_SECONDS"
DEFAULT_HEADER_TIMEOUT_SECONDS = 10.0


def _configured_timeout() -> float:
    raw = os.environ.get(HEADER_TIMEOUT_VARIABLE, "").strip()
    return float(raw) if raw else DEFAULT_HEADER_TIMEOUT_SECONDS


class HeaderTimeoutProtocol(HttpToolsProtocol):
    header_timeout: float = _configured_timeout()
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection that did not finish its request headers in time")
            self.transport.close()
