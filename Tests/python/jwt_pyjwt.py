#!/usr/bin/env python3
"""PyJWT as an independent JWT implementation, to check Felt's tokens and JWKS.

verify: jwt_pyjwt.py ISSUER AUDIENCE   (stdin: JSON {"jwks": {...}, "token": "..."})
  Verifies a Felt-signed EdDSA access token using only the tenant's JWKS; prints the
  verified claims as JSON and exits 0, or prints the error and exits 1.

sign:   jwt_pyjwt.py --sign ALG KID   (stdin: JSON {"key": "<PEM or secret>", "claims": {...}})
  Signs the claims with PyJWT (EdDSA with a PEM private key, HS256 with a secret) and
  prints the token, so that Felt can verify a token it did not make.
"""
import json
import sys

import jwt


def sign(algorithm: str, kid: str) -> int:
    request = json.load(sys.stdin)
    token = jwt.encode(request["claims"], request["key"], algorithm=algorithm, headers={"kid": kid})
    print(token)
    return 0


def main() -> int:
    if sys.argv[1] == "--sign":
        return sign(sys.argv[2], sys.argv[3])
    issuer, audience = sys.argv[1], sys.argv[2]
    request = json.load(sys.stdin)
    jwks = jwt.PyJWKSet.from_dict(request["jwks"])
    token = request["token"]
    kid = jwt.get_unverified_header(token).get("kid")
    matching = [key for key in jwks.keys if key.key_id == kid]
    if len(matching) != 1:
        print(f"no JWK for kid {kid!r}")
        return 1
    try:
        claims = jwt.decode(
            token,
            key=matching[0].key,
            algorithms=["EdDSA"],
            audience=audience,
            issuer=issuer,
            options={"require": ["exp", "iat", "nbf", "iss", "aud", "sub", "jti"]},
        )
    except jwt.PyJWTError as error:
        print(f"rejected: {type(error).__name__}: {error}")
        return 1
    print(json.dumps(claims, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
