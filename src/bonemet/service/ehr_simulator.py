"""A simulated EHR (CDS Client) that signs CDS Hooks JWTs: for tests, benchmarks and demos.

It holds a freshly generated key pair (ES384 on P-384, or RS384), publishes the public half
as a JWK Set, and mints tokens with the claims CDS Hooks 2.0 requires.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeyParameters, RSAKey


class SimulatedEhr:
    def __init__(
        self,
        issuer: str = "https://ehr.example.org",
        kid: str = "ehr-key-1",
        algorithm: str = "ES384",
        jku: str | None = None,
    ) -> None:
        self.issuer = issuer
        self.kid = kid
        self.algorithm = algorithm
        self.jku = jku
        parameters: KeyParameters = {"kid": kid, "use": "sig", "alg": algorithm}
        self.key: ECKey | RSAKey = (
            ECKey.generate_key("P-384", parameters=parameters)
            if algorithm.startswith("ES")
            else RSAKey.generate_key(2048, parameters=parameters)
        )

    def jwks(self) -> dict[str, Any]:
        """The public JWK Set (what the EHR serves at its jku / jwks_url)."""
        return {"keys": [self.key.as_dict(private=False)]}

    def token(
        self,
        audience: str | list[str],
        *,
        lifetime: int = 300,
        now: float | None = None,
        jti: str | None = None,
        header: dict[str, Any] | None = None,
        claims: dict[str, Any] | None = None,
    ) -> str:
        issued = int(now if now is not None else time.time())
        token_header: dict[str, Any] = {"alg": self.algorithm, "typ": "JWT", "kid": self.kid}
        if self.jku:
            token_header["jku"] = self.jku
        token_header.update(header or {})
        token_claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": audience,
            "iat": issued,
            "exp": issued + lifetime,
            "jti": jti or str(uuid.uuid4()),
        }
        token_claims.update(claims or {})
        return jwt.encode(token_header, token_claims, self.key, algorithms=[self.algorithm])

    def authorization(self, audience: str | list[str], **options: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(audience, **options)}"}
