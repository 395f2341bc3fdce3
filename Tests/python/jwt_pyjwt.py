#!/usr/bin/env python3
"""Verify a Felt-signed EdDSA access token with PyJWT, using only the tenant's JWKS.

Usage: jwt_pyjwt.py ISSUER AUDIENCE   (stdin: JSON {"jwks": {...}, "token": "..."})

Prints the verified claims as JSON and exits 0, or prints the error and exits 1.
Proves that Felt's tokens and JWKS interoperate with an independent implementation.
"""
import json
import sys

import jwt


def main() -> int:
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
