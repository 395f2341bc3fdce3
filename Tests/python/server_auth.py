#!/usr/bin/env python3
"""Integration client for `felt serve`: accounts and per-tenant JWT rules over real HTTP.

usage: server_auth.py SCENARIO --port N [--alpha-secret FILE] [--beta-key FILE] [--state FILE]

Tenants of the test configuration (see Tests/FeltServerTests/ServerHarness.swift):
  alpha  host alpha.test    HS256 (secret file), issuer https://alpha.test, starting balance 5000
  beta   host beta.test     EdDSA (PEM private key file), issuer https://beta.test, balance 7000
  tight  host tight.test    login_rate 3/1m, register_rate 2/1h
  broken host broken.test   its schema holds a conflicting table, so its migration fails

Each scenario asserts and prints `ok SCENARIO` on success; any failed assertion exits 1
with the reason. Every request carries an explicit Host header through one listener.
"""
import argparse
import base64
import concurrent.futures
import hashlib
import hmac
import json
import secrets
import sys
import time

import httpx
import jwt
from cryptography.hazmat.primitives import serialization

from felt_client import PASSWORD, expect, unique

ALPHA, BETA, TIGHT, BROKEN = "alpha.test", "beta.test", "tight.test", "broken.test"


class Client:
    def __init__(self, port: int, source: str = None):
        self.port = port
        transport = httpx.HTTPTransport(local_address=source) if source else None
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10.0, transport=transport)

    def from_address(self, source: str) -> "Client":
        """A client whose connections come from another loopback address (127.0.0.0/8)."""
        return Client(self.port, source)

    def call(self, method, host, path, body=None, token=None, raw_auth=None):
        headers = {"Host": host}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if raw_auth is not None:
            headers["Authorization"] = raw_auth
        content = None if body is None else json.dumps(body)
        if content is not None:
            headers["Content-Type"] = "application/json"
        return self.http.request(method, path, headers=headers, content=content)


def register(client, host, username, password=PASSWORD, email=None):
    body = {"username": username, "password": password}
    if email is not None:
        body["email"] = email
    return expect(client.call("POST", host, "/api/auth/register", body), 201)


# ---------------------------------------------------------------- token forging helpers

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def hs256(header, claims, secret: bytes) -> str:
    signing_input = f"{b64json(header)}.{b64json(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def eddsa(header, claims, private_key) -> str:
    signing_input = f"{b64json(header)}.{b64json(claims)}"
    return f"{signing_input}.{b64(private_key.sign(signing_input.encode()))}"


def claims_for(tenant, sub, **overrides):
    now = int(time.time())
    claims = {"sub": str(sub), "iss": f"https://{tenant}.test", "aud": tenant, "iat": now, "nbf": now,
              "exp": now + 600, "jti": secrets.token_urlsafe(16), "typ": "access"}
    claims.update(overrides)
    return claims


# ---------------------------------------------------------------- scenarios

def scenario_flow(client, args):
    """Full account flow on two tenants at once, same usernames, isolated rows."""
    name = unique("Player")

    def full_flow(host, balance):
        session = register(client, host, name, email=f"{name.lower()}@example.com")
        user = session["user"]
        assert session["token_type"] == "Bearer" and session["expires_in"] > 0, session
        assert user["username"] == name and user["balance"] == balance, (host, user)
        assert user["email"] == f"{name.lower()}@example.com", user
        me = expect(client.call("GET", host, "/api/auth/me", token=session["access_token"]), 200)
        assert me["id"] == user["id"] and me["balance"] == balance and me["username"] == name, (host, me)
        login = expect(client.call("POST", host, "/api/auth/login", {"username": name.upper(), "password": PASSWORD}), 200)
        assert login["user"]["id"] == user["id"], login
        check = expect(client.call("GET", host, "/api/auth/token-check", token=login["access_token"]), 200)
        assert check["sub"] == str(user["id"]), check
        return session, login

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        alpha_future = pool.submit(full_flow, ALPHA, 5000)
        beta_future = pool.submit(full_flow, BETA, 7000)
        alpha, _ = alpha_future.result()
        beta, _ = beta_future.result()

    # Same name, different tenants: separate accounts; each token only works on its own host.
    expect(client.call("GET", BETA, "/api/auth/me", token=alpha["access_token"]), 401, "invalid_token")
    expect(client.call("GET", ALPHA, "/api/auth/me", token=beta["access_token"]), 401, "invalid_token")
    # A refresh token of alpha is unknown on beta.
    expect(client.call("POST", BETA, "/api/auth/refresh", {"refresh_token": alpha["refresh_token"]}), 401, "invalid_token")

    # Registration errors.
    expect(client.call("POST", ALPHA, "/api/auth/register", {"username": name.lower(), "password": PASSWORD}), 409, "username_taken")
    expect(client.call("POST", ALPHA, "/api/auth/register", {"username": "ab", "password": PASSWORD}), 400, "invalid_username")
    expect(client.call("POST", ALPHA, "/api/auth/register", {"username": "bad name!", "password": PASSWORD}), 400, "invalid_username")
    expect(client.call("POST", ALPHA, "/api/auth/register", {"username": unique("w"), "password": "short"}), 400, "weak_password")
    expect(client.call("POST", ALPHA, "/api/auth/register", {"username": unique("e"), "password": PASSWORD, "email": "nope"}), 400, "invalid_email")
    expect(client.call("POST", ALPHA, "/api/auth/register", {"password": PASSWORD}), 400, "invalid_json")

    # Login errors: wrong password and unknown user answer alike.
    wrong = client.call("POST", ALPHA, "/api/auth/login", {"username": name, "password": "wrong password!"})
    unknown = client.call("POST", ALPHA, "/api/auth/login", {"username": unique("ghost"), "password": PASSWORD})
    assert expect(wrong, 401, "invalid_credentials") == expect(unknown, 401, "invalid_credentials")

    # JWKS: beta publishes its EdDSA key, alpha (HS256 only) publishes none.
    beta_jwks = expect(client.call("GET", BETA, "/.well-known/jwks.json"), 200)
    assert [k["kid"] for k in beta_jwks["keys"]] == ["beta-ed-1"] and beta_jwks["keys"][0]["kty"] == "OKP", beta_jwks
    assert expect(client.call("GET", ALPHA, "/.well-known/jwks.json"), 200) == {"keys": []}
    # A club's own service can verify its tokens from the JWKS alone (PyJWT, independent code).
    key = jwt.PyJWKSet.from_dict(beta_jwks)["beta-ed-1"].key
    verified = jwt.decode(beta["access_token"], key, algorithms=["EdDSA"], audience="beta", issuer="https://beta.test")
    assert verified["sub"] == str(beta["user"]["id"]) and verified["typ"] == "access", verified

    # Unknown and missing hosts; health on any host.
    expect(client.call("GET", "nobody.test", "/api/auth/me", token=alpha["access_token"]), 404, "unknown_tenant")
    assert expect(client.call("GET", "nobody.test", "/healthz"), 200) == {"status": "ok"}
    expect(client.call("GET", "ALPHA.TEST.", "/api/auth/me", token=alpha["access_token"]), 200)


def scenario_refresh(client, args):
    """Rotation, reuse detection revoking the family, expired access tokens still refresh."""
    session = register(client, ALPHA, unique("rot"))
    first = session["refresh_token"]
    rotated = expect(client.call("POST", ALPHA, "/api/auth/refresh", {"refresh_token": first}), 200)
    assert rotated["refresh_token"] != first and rotated["access_token"] != session["access_token"]
    expect(client.call("GET", ALPHA, "/api/auth/me", token=rotated["access_token"]), 200)
    second = expect(client.call("POST", ALPHA, "/api/auth/refresh", {"refresh_token": rotated["refresh_token"]}), 200)
    # Reuse of the first (used) token revokes the whole family, including the newest token.
    expect(client.call("POST", ALPHA, "/api/auth/refresh", {"refresh_token": first}), 401, "invalid_token")
    expect(client.call("POST", ALPHA, "/api/auth/refresh", {"refresh_token": second["refresh_token"]}), 401, "invalid_token")
    # A login starts a new family that still works.
    login = expect(client.call("POST", ALPHA, "/api/auth/login", {"username": session["user"]["username"], "password": PASSWORD}), 200)
    expect(client.call("POST", ALPHA, "/api/auth/refresh", {"refresh_token": login["refresh_token"]}), 200)
    # Garbage refresh tokens.
    for bad in ["", "x" * 43, "short", "A" * 500, None]:
        expect(client.call("POST", ALPHA, "/api/auth/refresh", {"refresh_token": bad}), 401, "invalid_token")
    # Refresh works without any access token (an expired one does not matter).
    secret = open(args.alpha_secret, "rb").read()
    expired = hs256({"alg": "HS256", "typ": "JWT", "kid": "alpha-1"},
                    claims_for("alpha", session["user"]["id"], exp=int(time.time()) - 3600), secret)
    expect(client.call("GET", ALPHA, "/api/auth/me", token=expired), 401, "invalid_token")
    again = expect(client.call("POST", ALPHA, "/api/auth/login", {"username": session["user"]["username"], "password": PASSWORD}), 200)
    headers_irrelevant = client.http.post("/api/auth/refresh", headers={"Host": ALPHA, "Authorization": f"Bearer {expired}"},
                                          content=json.dumps({"refresh_token": again["refresh_token"]}))
    expect(headers_irrelevant, 200)


def scenario_logout(client, args):
    """Logout revokes the current access token and the refresh family."""
    session = register(client, BETA, unique("out"))
    login = expect(client.call("POST", BETA, "/api/auth/login", {"username": session["user"]["username"], "password": PASSWORD}), 200)
    body = expect(client.call("POST", BETA, "/api/auth/logout", {"refresh_token": login["refresh_token"]},
                              token=login["access_token"]), 200)
    assert body["logged_out"] is True and body["revoked_refresh_tokens"] == 1, body
    expect(client.call("GET", BETA, "/api/auth/me", token=login["access_token"]), 401, "invalid_token")
    expect(client.call("POST", BETA, "/api/auth/refresh", {"refresh_token": login["refresh_token"]}), 401, "invalid_token")
    # The other session (from register) is a different family and still works.
    expect(client.call("GET", BETA, "/api/auth/me", token=session["access_token"]), 200)
    expect(client.call("POST", BETA, "/api/auth/refresh", {"refresh_token": session["refresh_token"]}), 200)
    # Logout without a token is refused; a second logout with the revoked token too.
    expect(client.call("POST", BETA, "/api/auth/logout"), 401, "invalid_token")
    expect(client.call("POST", BETA, "/api/auth/logout", token=login["access_token"]), 401, "invalid_token")


def scenario_rejections(client, args):
    """Every token the issue lists is refused with 401 invalid_token (never 500)."""
    alpha = register(client, ALPHA, unique("rej"))
    beta = register(client, BETA, unique("rej"))
    alpha_id, beta_id = alpha["user"]["id"], beta["user"]["id"]
    secret = open(args.alpha_secret, "rb").read()
    beta_key = serialization.load_pem_private_key(open(args.beta_key, "rb").read(), password=None)
    beta_public_pem = beta_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    raw_public = beta_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    hs = {"alg": "HS256", "typ": "JWT", "kid": "alpha-1"}
    ed = {"alg": "EdDSA", "typ": "JWT", "kid": "beta-ed-1"}

    # Controls: correctly forged tokens pass, so the rejections below are about the flaw.
    expect(client.call("GET", ALPHA, "/api/auth/token-check", token=hs256(hs, claims_for("alpha", alpha_id), secret)), 200)
    expect(client.call("GET", BETA, "/api/auth/token-check", token=eddsa(ed, claims_for("beta", beta_id), beta_key)), 200)
    expect(client.call("GET", TIGHT, "/api/auth/token-check",
                       token=hs256({"alg": "HS256", "typ": "JWT", "kid": "tight-1"}, claims_for("tight", 1), secret)), 200)

    good = alpha["access_token"]
    h, p, s = good.split(".")
    now = int(time.time())
    cases = {
        "alg none": (ALPHA, f"{b64json({'alg': 'none', 'typ': 'JWT', 'kid': 'alpha-1'})}.{b64json(claims_for('alpha', alpha_id))}."),
        "alg none, no kid": (ALPHA, f"{b64json({'alg': 'none'})}.{b64json(claims_for('alpha', alpha_id))}."),
        "HS256 with the EdDSA public key PEM": (BETA, hs256({"alg": "HS256", "typ": "JWT", "kid": "beta-ed-1"},
                                                            claims_for("beta", beta_id), beta_public_pem)),
        "HS256 with the raw EdDSA public key": (BETA, hs256({"alg": "HS256", "typ": "JWT", "kid": "beta-ed-1"},
                                                            claims_for("beta", beta_id), raw_public)),
        "missing kid": (ALPHA, hs256({"alg": "HS256", "typ": "JWT"}, claims_for("alpha", alpha_id), secret)),
        "unknown kid": (ALPHA, hs256({"alg": "HS256", "typ": "JWT", "kid": "alpha-9"}, claims_for("alpha", alpha_id), secret)),
        "kid with a path": (ALPHA, hs256({"alg": "HS256", "typ": "JWT", "kid": "../../../../etc/passwd"}, claims_for("alpha", alpha_id), secret)),
        "kid with SQL": (ALPHA, hs256({"alg": "HS256", "typ": "JWT", "kid": "x' OR '1'='1'; DROP TABLE users; --"}, claims_for("alpha", alpha_id), secret)),
        "kid not a string": (ALPHA, hs256({"alg": "HS256", "typ": "JWT", "kid": 7}, claims_for("alpha", alpha_id), secret)),
        "tenant A token on tenant B host": (BETA, good),
        "tenant B token on tenant A host": (ALPHA, beta["access_token"]),
        "alpha kid presented on beta": (BETA, hs256(hs, claims_for("beta", beta_id), secret)),
        # tight shares alpha's secret (kid tight-1): a correctly signed alpha token relabelled
        # with tight's kid still fails there on iss/aud.
        "shared secret, other tenant's claims": (TIGHT, hs256({"alg": "HS256", "typ": "JWT", "kid": "tight-1"},
                                                             claims_for("alpha", alpha_id), secret)),
        "tampered header": (ALPHA, f"{b64json({'alg': 'HS256', 'typ': 'JWT', 'kid': 'alpha-1', 'x': 1})}.{p}.{s}"),
        "tampered payload": (ALPHA, f"{h}.{b64json(claims_for('alpha', alpha_id + 1))}.{s}"),
        "tampered signature": (ALPHA, f"{h}.{p}.{s[:-4] + ('AAAA' if s[-4:] != 'AAAA' else 'BBBB')}"),
        "signature of another token": (ALPHA, f"{h}.{p}.{hs256(hs, claims_for('alpha', alpha_id), secret).split('.')[2]}"),
        "expired": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, iat=now - 7200, nbf=now - 7200, exp=now - 3600), secret)),
        "expired beyond skew": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, exp=now - 60), secret)),
        "not yet valid": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, nbf=now + 3600, iat=now + 3600, exp=now + 7200), secret)),
        "wrong iss": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, iss="https://beta.test"), secret)),
        "wrong aud": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, aud="beta"), secret)),
        "aud as list of another": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, aud=["beta"]), secret)),
        "wrong typ": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, typ="refresh"), secret)),
        "missing exp": (ALPHA, hs256(hs, {k: v for k, v in claims_for("alpha", alpha_id).items() if k != "exp"}, secret)),
        "malformed base64 header": (ALPHA, f"{h}$$.{p}.{s}"),
        "malformed base64 payload": (ALPHA, f"{h}.{p[:-1]}*.{s}"),
        "padding in segment": (ALPHA, f"{h}=.{p}.{s}"),
        "two segments": (ALPHA, f"{h}.{p}"),
        "four segments": (ALPHA, f"{h}.{p}.{s}.{s}"),
        "payload not JSON": (ALPHA, f"{h}.{b64(b'not json')}.{s}"),
        "oversized": (ALPHA, hs256(hs, claims_for("alpha", alpha_id, pad="x" * 6000), secret)),
        "huge garbage": (ALPHA, "a" * 20000),
        "sub not a user id": (ALPHA, hs256(hs, claims_for("alpha", "admin"), secret)),
    }
    failures = []
    for name, (host, token) in cases.items():
        response = client.call("GET", host, "/api/auth/me", token=token)
        try:
            expect(response, 401, "invalid_token")
        except AssertionError as error:
            failures.append(f"{name}: {error}")
    # Non-Bearer schemes and empty credentials.
    for raw in [f"Basic {good}", "Bearer", f"Token {good}", f"Bearer {good} extra"]:
        response = client.call("GET", ALPHA, "/api/auth/me", raw_auth=raw)
        try:
            expect(response, 401, "invalid_token")
        except AssertionError as error:
            failures.append(f"authorization {raw[:20]!r}: {error}")
    assert not failures, "\n".join(failures)
    # A valid token still works after all that.
    expect(client.call("GET", ALPHA, "/api/auth/me", token=good), 200)


def scenario_ratelimit(client, args):
    """Per-tenant login/register limits answer 429 with Retry-After; other tenants unaffected."""
    name = unique("lim")
    register(client, TIGHT, name)
    statuses = []
    for _ in range(3):
        statuses.append(client.call("POST", TIGHT, "/api/auth/login", {"username": name, "password": "wrong password!"}).status_code)
    assert statuses == [401, 401, 401], statuses
    limited = client.call("POST", TIGHT, "/api/auth/login", {"username": name, "password": PASSWORD})
    expect(limited, 429, "rate_limited")
    retry = int(limited.headers["Retry-After"])
    assert 1 <= retry <= 60, retry
    # By username: the same name from a fresh address is still limited ...
    expect(client.from_address("127.0.0.2").call("POST", TIGHT, "/api/auth/login",
                                                   {"username": name.upper(), "password": PASSWORD}), 429, "rate_limited")
    # ... by address: another name from the exhausted address too ...
    expect(client.call("POST", TIGHT, "/api/auth/login", {"username": unique("other"), "password": PASSWORD}), 429, "rate_limited")
    # ... while another name from another address is answered normally.
    expect(client.from_address("127.0.0.3").call("POST", TIGHT, "/api/auth/login",
                                                  {"username": unique("other"), "password": PASSWORD}), 401, "invalid_credentials")
    # Registration: 2 per hour per address; one used above.
    register(client, TIGHT, unique("lim"))
    limited = client.call("POST", TIGHT, "/api/auth/register", {"username": unique("lim"), "password": PASSWORD})
    expect(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) > 60, limited.headers
    # Other tenants keep their own counters.
    register(client, ALPHA, unique("free"))


def scenario_unavailable(client, args):
    """The tenant whose migration failed answers 503 tenant_unavailable; the others serve."""
    for method, path, body in [("POST", "/api/auth/register", {"username": unique("b"), "password": PASSWORD}),
                               ("POST", "/api/auth/login", {"username": "someone", "password": PASSWORD}),
                               ("GET", "/api/auth/me", None), ("GET", "/.well-known/jwks.json", None)]:
        response = client.call(method, BROKEN, path, body)
        expect(response, 503, "tenant_unavailable")
        assert "Retry-After" in response.headers
    assert expect(client.call("GET", BROKEN, "/healthz"), 200) == {"status": "ok"}
    session = register(client, ALPHA, unique("ok"))
    expect(client.call("GET", ALPHA, "/api/auth/me", token=session["access_token"]), 200)


def scenario_broken_repaired(client, args):
    """After the conflicting table is gone and felt restarted, the tenant serves."""
    session = register(client, BROKEN, unique("fixed"))
    assert session["user"]["balance"] == 10000, session
    expect(client.call("GET", BROKEN, "/api/auth/me", token=session["access_token"]), 200)


def scenario_db_prepare(client, args):
    """Registers a user and saves its tokens for the database-restart phases."""
    session = register(client, ALPHA, unique("db"))
    json.dump({"access": session["access_token"], "refresh": session["refresh_token"],
               "username": session["user"]["username"]}, open(args.state, "w"))
    expect(client.call("GET", ALPHA, "/api/auth/me", token=session["access_token"]), 200)


def scenario_login_again(client, args):
    """Logs in the user saved by db-prepare (on a restarted server) and checks the profile."""
    state = json.load(open(args.state))
    login = expect(client.call("POST", ALPHA, "/api/auth/login", {"username": state["username"], "password": PASSWORD}), 200)
    assert login["user"]["username"] == state["username"], login
    # The session from before the restart is still valid: same keys, same database.
    expect(client.call("GET", ALPHA, "/api/auth/me", token=state["access"]), 200)
    expect(client.call("POST", ALPHA, "/api/auth/login", {"username": state["username"], "password": PASSWORD}), 200)


def scenario_db_down(client, args):
    """PostgreSQL is stopped: database-backed requests fail fast with 503 database_unavailable."""
    state = json.load(open(args.state))
    for method, path, body, token in [
        ("GET", "/api/auth/me", None, state["access"]),
        ("POST", "/api/auth/login", {"username": state["username"], "password": PASSWORD}, None),
        ("POST", "/api/auth/register", {"username": unique("dn"), "password": PASSWORD}, None),
        ("POST", "/api/auth/refresh", {"refresh_token": state["refresh"]}, None),
    ]:
        started = time.monotonic()
        response = client.call(method, ALPHA, path, body, token=token)
        elapsed = time.monotonic() - started
        expect(response, 503, "database_unavailable")
        assert elapsed < 5.0, f"{path} took {elapsed:.1f}s to fail"
    # Token verification alone does not need the database.
    expect(client.call("GET", ALPHA, "/api/auth/token-check", token=state["access"]), 200)
    # Token rejections stay 401 (no database involved, never 500/503).
    expect(client.call("GET", ALPHA, "/api/auth/me", token="garbage"), 401, "invalid_token")


def scenario_db_flap(client, args):
    """Requests keep flowing while PostgreSQL is stopped and started by the test: every
    answer is 200 or a fast 503 database_unavailable (never 500 or a hang), and service
    comes back: the statuses go 200 … 503 … 200 within 120 s. Marker files tell the test
    when to stop PostgreSQL (`.running`) and when a 503 was seen so it may start it again
    (`.saw503`), so the outcome does not depend on how fast a loaded machine is."""
    state = json.load(open(args.state))
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        response = client.call("GET", ALPHA, "/api/auth/me", token=state["access"])
        elapsed = time.monotonic() - started
        assert elapsed < 6.0, f"a request took {elapsed:.1f}s"
        if response.status_code == 200:
            status = 200
        else:
            expect(response, 503, "database_unavailable")
            status = 503
        if not seen or seen[-1] != status:
            seen.append(status)
            if seen == [200]:
                open(args.state + ".running", "w").close()  # tells the test to stop PostgreSQL now
            if seen == [200, 503]:
                open(args.state + ".saw503", "w").close()  # tells the test to start it again
        if seen[:3] == [200, 503, 200]:
            print(f"transitions: {seen}")
            return
        time.sleep(0.05)
    raise AssertionError(f"expected 200 → 503 → 200 within 120 s, saw {seen}")


def scenario_db_recovered(client, args):
    """PostgreSQL is back: the same server answers again (the pool reconnected by itself)."""
    state = json.load(open(args.state))
    deadline = time.monotonic() + 30
    while True:
        response = client.call("GET", ALPHA, "/api/auth/me", token=state["access"])
        if response.status_code == 200:
            break
        expect(response, 503, "database_unavailable")
        assert time.monotonic() < deadline, "no recovery within 30 s"
        time.sleep(0.2)
    assert response.json()["username"] == state["username"]
    refreshed = expect(client.call("POST", ALPHA, "/api/auth/refresh", {"refresh_token": state["refresh"]}), 200)
    register(client, ALPHA, unique("up"))
    expect(client.call("GET", ALPHA, "/api/auth/me", token=refreshed["access_token"]), 200)


SCENARIOS = {name[len("scenario_"):].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("scenario_")}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--alpha-secret")
    parser.add_argument("--beta-key")
    parser.add_argument("--state")
    args = parser.parse_args()
    client = Client(args.port)
    try:
        SCENARIOS[args.scenario](client, args)
    except AssertionError as error:
        print(f"FAIL {args.scenario}: {error}", file=sys.stderr)
        return 1
    print(f"ok {args.scenario}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
