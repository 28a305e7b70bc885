"""Who may call the JSON API (/api/*), and how often (red team B7).

Authentication is on when BONEMET_API_AUTH is `on`, or when it is `auto` (the default) and the
service listens beyond loopback (`bonemet serve --host 0.0.0.0` sets BONEMET_LISTEN_HOST): a
laptop demo on 127.0.0.1 needs no configuration, a server on the network is never open by
accident. A caller authenticates with one of the API keys (BONEMET_API_KEYS; sent as
`Authorization: Bearer <key>` or `X-API-Key: <key>`), or with a JWT from a trusted issuer whose
`aud` is `<public URL>/api`, checked exactly as a hook call's token is (signature, lifetime, jti).

The rate limit is per client (the API key, the JWT issuer, or the address when the API is open):
a token bucket refilled at BONEMET_API_RATE_PER_MINUTE (auto: 600 beyond loopback, none on
loopback; 0 turns it off), holding ten seconds' worth. Over it: 429 with Retry-After.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from bonemet.service.security import AuthError, TokenVerifier
from bonemet.service.settings import Settings

DEFAULT_RATE_PER_MINUTE = 600
BURST_SECONDS = 10.0
_MAX_BUCKETS = 10_000


def is_loopback(host: str | None) -> bool:
    """True for a loopback listen address (or none: embedded in-process, as in tests)."""
    if host is None or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def api_auth_required(settings: Settings) -> bool:
    if settings.api_auth == "on":
        return True
    if settings.api_auth == "off":
        return False
    return not is_loopback(settings.listen_host)


def api_rate_per_minute(settings: Settings) -> int:
    if settings.api_rate_per_minute is not None:
        return settings.api_rate_per_minute
    return 0 if is_loopback(settings.listen_host) else DEFAULT_RATE_PER_MINUTE


class RateLimitedError(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests from this client: try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets per client, in this worker process."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * BURST_SECONDS)
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, client: str) -> None:
        if self.rate <= 0:
            return
        now = self.clock()
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= _MAX_BUCKETS:
                self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < BURST_SECONDS * 6}
            bucket = self._buckets[client] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens < 1.0:
            raise RateLimitedError(max(1, math.ceil((1.0 - bucket.tokens) / self.rate)))
        bucket.tokens -= 1.0


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


class ApiGuard:
    def __init__(self, settings: Settings, verifier: TokenVerifier) -> None:
        self.required = api_auth_required(settings)
        self.verifier = verifier
        self._keys = [_digest(key) for key in settings.api_keys]
        self.limiter = RateLimiter(api_rate_per_minute(settings))

    async def check(self, authorization: str | None, api_key: str | None, address: str, audience: str) -> str:
        """The client's identity for the rate limit; AuthError when authentication fails."""
        client = f"address:{address}"
        if self.required:
            client = await self._authenticate(authorization, api_key, audience)
        self.limiter.take(client)
        return client

    async def _authenticate(self, authorization: str | None, api_key: str | None, audience: str) -> str:
        presented = api_key
        if presented is None and authorization:
            scheme, _, value = authorization.strip().partition(" ")
            if scheme.lower() == "bearer" and value.strip().count(".") != 2:
                presented = value.strip()  # not a JWT: an API key
        if presented is not None:
            digest = _digest(presented)
            for index, known in enumerate(self._keys):
                if hmac.compare_digest(digest, known):
                    return f"key:{index}"
            raise AuthError("API key is not valid")
        if not authorization:
            raise AuthError("the JSON API needs an API key (X-API-Key) or Authorization: Bearer <JWT>")
        token = await self.verifier.verify(authorization, [audience])
        return f"issuer:{token.issuer}"
