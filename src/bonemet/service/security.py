"""Verify the CDS Client's JWT on every call, as CDS Hooks 2.0 requires.

A token is accepted only when all of these hold (CDS Hooks 2.0, "Trusting CDS Clients"):
- header: `alg` is one we accept (ES384/RS384 by default; never `none` or HMAC), `typ` is
  JWT, `kid` is present, and `jku`, when given, is on the issuer's allow list;
- the signature verifies against the issuer's JWK Set (configured out of band, or fetched
  with httpx from the allowed `jku` / `jwks_url`, and cached);
- `iss` is a trusted issuer; `aud` is the URL of the endpoint being called; `exp` is in
  the future, `iat` not in the future; `jti` is present and was never seen before.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

from bonemet.service.settings import FORBIDDEN_ALGORITHMS, IssuerTrust, Settings

Clock = Callable[[], float]  # seconds since the epoch


class AuthError(Exception):
    """The call is not authenticated; the message says why (it never contains a secret)."""


@dataclass(frozen=True)
class VerifiedToken:
    issuer: str
    jti: str
    audience: str | list[str]
    expires_at: int
    tenant: str | None = None


class ReplayCache(Protocol):
    def remember(self, issuer: str, jti: str, expires_at: int) -> Awaitable[bool]:
        """True the first time (issuer, jti) is seen; False for a replay."""
        ...


class MemoryReplayCache:
    """Per-process replay cache (one worker, or tests); entries leave when their token expires."""

    def __init__(self, clock: Clock = time.time) -> None:
        self._seen: dict[tuple[str, str], int] = {}
        self._clock = clock

    async def remember(self, issuer: str, jti: str, expires_at: int) -> bool:
        now = self._clock()
        if len(self._seen) > 10_000:
            self._seen = {key: exp for key, exp in self._seen.items() if exp >= now}
        key = (issuer, jti)
        if key in self._seen and self._seen[key] >= now:
            return False
        self._seen[key] = expires_at
        return True


class StoreReplayCache:
    """Replay cache in the audit database: shared by every worker process.

    Every `purge_every` calls it deletes the ids of tokens that have expired (they can no
    longer be replayed), so the table stays the size of the tokens still valid."""

    def __init__(
        self,
        remember_token: Callable[[str, str, dt.datetime], bool],
        forget_expired: Callable[[], int] | None = None,
        purge_every: int = 1000,
    ) -> None:
        self._remember = remember_token
        self._forget_expired = forget_expired
        self._purge_every = purge_every
        self._calls = 0

    async def remember(self, issuer: str, jti: str, expires_at: int) -> bool:
        self._calls += 1
        if self._forget_expired is not None and self._calls % self._purge_every == 0:
            await asyncio.to_thread(self._forget_expired)
        moment = dt.datetime.fromtimestamp(expires_at, dt.UTC)
        return await asyncio.to_thread(self._remember, issuer, jti, moment)


@dataclass(frozen=True)
class _CachedKeys:
    keys: KeySet
    fetched_at: float
    expires_at: float


class JwksCache:
    """JWK Sets fetched over HTTP, reused for `ttl` seconds; refetched early when a kid is new
    (key rotation), but at most once a minute so unknown kids cannot make us hammer the EHR."""

    REFETCH_AFTER_SECONDS = 60

    def __init__(self, client: Callable[[], httpx.AsyncClient], ttl: float, clock: Clock = time.time) -> None:
        self._client = client
        self._ttl = ttl
        self._clock = clock
        self._sets: dict[str, _CachedKeys] = {}
        self._lock = asyncio.Lock()

    def _usable(self, url: str, kid: str) -> KeySet | None:
        cached = self._sets.get(url)
        now = self._clock()
        if cached is None or cached.expires_at <= now:
            return None
        if _has_kid(cached.keys, kid) or now - cached.fetched_at < self.REFETCH_AFTER_SECONDS:
            return cached.keys
        return None

    async def get(self, url: str, kid: str) -> KeySet:
        keys = self._usable(url, kid)
        if keys is not None:
            return keys
        async with self._lock:
            keys = self._usable(url, kid)
            if keys is None:
                keys = await self._fetch(url)
                now = self._clock()
                self._sets[url] = _CachedKeys(keys, now, now + self._ttl)
            return keys

    async def _fetch(self, url: str) -> KeySet:
        try:
            response = await self._client().get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            return _public_key_set(response.json())
        except (httpx.HTTPError, ValueError, JoseError) as error:
            raise AuthError(f"could not load the issuer's JWK Set ({type(error).__name__})") from None


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(key.kid == kid for key in keys.keys)


def _public_key_set(data: Any) -> KeySet:
    """Only asymmetric keys: a JWK Set that slipped in an 'oct' key must not enable HMAC."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise ValueError("not a JWK Set")
    keys = [k for k in data["keys"] if isinstance(k, dict) and k.get("kty") in ("EC", "RSA")]
    return KeySet.import_key_set({"keys": keys})


class TokenVerifier:
    def __init__(
        self,
        settings: Settings,
        replay_cache: ReplayCache,
        jwks: JwksCache,
        clock: Clock = time.time,
    ) -> None:
        self.settings = settings
        self.replay_cache = replay_cache
        self.jwks = jwks
        self.clock = clock
        self._inline = {
            iss: _public_key_set(trust.jwks) for iss, trust in settings.trusted_issuers.items() if trust.jwks
        }

    async def verify(self, authorization: str | None, audiences: Sequence[str]) -> VerifiedToken:
        token = _bearer(authorization)
        header, unverified = _unverified_parts(token)
        algorithm = self._check_header(header)
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or issuer not in self.settings.trusted_issuers:
            raise AuthError("issuer is not trusted")
        keys = await self._keys(issuer, self.settings.trusted_issuers[issuer], header)
        try:
            verified = jwt.decode(token, keys, algorithms=[algorithm])
        except JoseError as error:
            raise AuthError(f"signature does not verify ({type(error).__name__})") from None
        claims = self._check_claims(verified.claims, issuer, audiences)
        if not await self.replay_cache.remember(issuer, claims.jti, claims.expires_at):
            raise AuthError("token was already used (jti replay)")
        return claims

    def _check_header(self, header: dict[str, Any]) -> str:
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm in FORBIDDEN_ALGORITHMS or algorithm.startswith("HS"):
            raise AuthError(f"algorithm {algorithm!r} is not allowed")
        if algorithm not in self.settings.jwt_algorithms:
            raise AuthError(f"algorithm {algorithm!r} is not accepted here")
        if str(header.get("typ", "")).upper() != "JWT":
            raise AuthError("header typ must be JWT")
        if not isinstance(header.get("kid"), str) or not header["kid"]:
            raise AuthError("header kid is required")
        return algorithm

    async def _keys(self, issuer: str, trust: IssuerTrust, header: dict[str, Any]) -> KeySet:
        kid = str(header["kid"])
        jku = header.get("jku")
        if jku is not None and (not isinstance(jku, str) or (jku not in trust.jku and jku != trust.jwks_url)):
            raise AuthError("jku is not on the issuer's allow list")
        if issuer in self._inline:
            # Keys agreed out of band are the trust anchor: an allowed jku is only a hint.
            return self._inline[issuer]
        if isinstance(jku, str):
            return await self.jwks.get(jku, kid)
        if trust.jwks_url:
            return await self.jwks.get(trust.jwks_url, kid)
        raise AuthError("no JWK Set is configured for this issuer")

    def _check_claims(self, claims: dict[str, Any], issuer: str, audiences: Sequence[str]) -> VerifiedToken:
        registry = jwt.JWTClaimsRegistry(
            now=lambda: int(self.clock()),
            leeway=self.settings.jwt_leeway_seconds,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "values": list(audiences)},
            exp={"essential": True},
            iat={"essential": True},
            jti={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise AuthError("token has expired") from None
        except JoseError as error:
            raise AuthError(f"claims rejected: {error.description or type(error).__name__}") from None
        expires_at = int(claims["exp"])
        # The lifetime is what the issuer granted (exp - iat), and what is left of it (exp - now):
        # an old token with a fresh expiry is as long-lived as a new one (red team B10).
        lifetime = max(expires_at - int(claims["iat"]), expires_at - self.clock())
        if lifetime > self.settings.jwt_max_lifetime_seconds:
            raise AuthError("token lifetime is longer than this service accepts")
        tenant = claims.get("tenant")
        return VerifiedToken(
            issuer=issuer,
            jti=str(claims["jti"]),
            audience=claims["aud"],
            expires_at=expires_at,
            tenant=tenant if isinstance(tenant, str) else None,
        )


def _bearer(authorization: str | None) -> bytes:
    if not authorization:
        raise AuthError("Authorization: Bearer <JWT> is required")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Authorization must be a Bearer token")
    return token.strip().encode("ascii", errors="replace")


def _unverified_parts(token: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims before verification: only to choose the key, never to trust."""
    try:
        compact = jws.extract_compact(token)
        claims = json.loads(compact.payload)
    except (JoseError, ValueError):
        raise AuthError("not a well-formed JWT") from None
    if not isinstance(claims, dict):
        raise AuthError("JWT claims are not an object")
    return dict(compact.headers()), claims
