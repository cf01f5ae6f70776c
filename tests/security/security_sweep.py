#!/usr/bin/env python3
"""Security sweep of a real `pdex serve` (127.0.0.1, any free port), driven by docs/openapi.json.

  tests/security/security_sweep.py PDEX       (database: $PDEX_TEST_PG_URL when set, else SQLite in a temp dir)

Checks:
  1. scopes: every documented operation answers 401 without credentials unless its `security` is [] (an
     operation without `security` inherits the document's, which requires a key), 403 with keys lacking its
     scope, and neither with a key or web session that has it (sessions carry read and predict, never admin);
  2. security headers (nosniff, CSP, frame, referrer policy) on every answer, refusals and errors included;
  3. error bodies (4xx and 5xx) never show a stack trace, a source or file-system path, or SQL;
  4. nothing secret in the server's log: after the whole session (keys in headers, cookies, the session
     secret, the database password when PostgreSQL is used) the log output contains none of them.
Prints one line per failed check and exits 1 if any failed.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.environ.get("PDEX_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PDEX = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PDEX_BIN", "build/release/src/cli/pdex"))
failures = []
checked = {"requests": 0}


def fail(msg):
    failures.append(msg)
    print("FAIL", msg, file=sys.stderr)


def request(base, method, path, body=None, headers=None):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None and "Content-Type" not in req.headers:
        req.add_header("Content-Type", "application/json")
    checked["requests"] += 1
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict((k.lower(), v) for k, v in e.headers.items()), e.read().decode("utf-8", "replace")


SECURITY_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY",
                    "referrer-policy": "no-referrer", "content-security-policy": None}
LEAKS = re.compile(r"(/work/|/home/|/tmp/|/usr/|\b[\w/]+\.(cc|cpp|h|hpp):\d+|\bsrc/\w|\bSELECT\b|\bINSERT\b|"
                   r"\bUPDATE\b\s+\w+\s+SET|\bFROM\s+\w+\s+WHERE|sqlite3?_|\bsoci\b|PQexec|std::|terminate called|"
                   r"what\(\)|Traceback|#\d+\s+0x[0-9a-f]+|backtrace)", re.IGNORECASE)


def check_answer(what, status, headers, body):
    for name, value in SECURITY_HEADERS.items():
        if name not in headers or (value is not None and headers[name] != value):
            fail(f"{what}: security header {name} missing or wrong ({headers.get(name)!r})")
    if status >= 400:
        m = LEAKS.search(body)
        if m:
            fail(f"{what}: error body shows internals ({m.group(0)!r}): {body[:300]}")
    if status >= 500 and status != 503:
        fail(f"{what}: server error {status}: {body[:300]}")


def main():
    work = tempfile.mkdtemp(prefix="pdex-security-sweep.")
    env = dict(os.environ)
    env["PDEX_DATABASE_URL"] = os.environ.get("PDEX_TEST_PG_URL") or f"sqlite://{work}/pdex.sqlite"
    session_secret = "sweep-session-secret-" + os.urandom(12).hex()
    env.update({"PDEX_SESSION_SECRET": session_secret, "PDEX_RATE_LIMIT_RPS": "0", "PDEX_RATE_LIMIT_ANON_RPS": "0",
                "PDEX_KEY_CACHE_TTL_MS": "0", "PDEX_DATA_DIR": work})
    db_password = ""
    m = re.match(r"^\w+://[^:/@]+:([^@]+)@", env["PDEX_DATABASE_URL"])
    if m:
        db_password = m.group(1)

    def pdex(*args):
        return subprocess.run([PDEX, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout

    subprocess.run([PDEX, "db", "init"], cwd=ROOT, env=env, capture_output=True, text=True)
    keys = {}
    for scopes in ("read", "predict", "admin", "read,predict,admin"):
        keys[scopes] = json.loads(pdex("apikey", "create", "--scopes", scopes, "--name", "sweep " + scopes, "--json"))["key"]

    log_path = os.path.join(work, "serve.log")
    log = open(log_path, "w")
    server = subprocess.Popen([PDEX, "serve", "--port", "0", "--threads", "2"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        port = None
        for _ in range(300):
            text = open(log_path).read()
            m = re.search(r'"msg":"listening".*?"port":(\d+)', text)
            if m:
                port = int(m.group(1))
                break
            if server.poll() is not None:
                break
            time.sleep(0.1)
        if port is None:
            fail("server did not start: " + open(log_path).read()[-2000:])
            return
        base = f"http://127.0.0.1:{port}"
        sweep(base, keys)
        cookie = session_checks(base)
        error_checks(base, keys, cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            fail("server did not stop within 30 s of SIGTERM")
        log.close()

    text = open(log_path, encoding="utf-8", errors="replace").read()
    secrets = {"session secret": session_secret}
    for scopes, key in keys.items():
        secrets[f"API key ({scopes})"] = key
        secrets[f"API key secret part ({scopes})"] = key.rsplit("_", 1)[-1]
    if db_password and len(db_password) >= 4:
        secrets["database password"] = db_password
    for name, cookie_value in session_cookies.items():
        secrets[name] = cookie_value
    for name, value in secrets.items():
        if value and value in text:
            fail(f"the server log contains the {name}")
    lines = text.count("\n")
    print(f"security sweep: {checked['requests']} requests, {len(secrets)} secrets looked for in {lines} log lines")


session_cookies = {}


def documented_operations():
    doc = json.load(open(os.path.join(ROOT, "docs/openapi.json")))
    default = doc.get("security")
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            security = op.get("security", default)
            if security is None:
                security = [{"ApiKey": []}]  # undeclared: must not be open
            scopes = set()
            for requirement in security:
                for values in requirement.values():
                    scopes.update(values)
            yield method.upper(), path, security, scopes, op


def concrete(path, op):
    def value(m):
        name = m.group(1)
        for p in op.get("parameters", []):
            if p.get("name") == name and "example" in p:
                return str(p["example"])
        return "25"
    return re.sub(r"\{(\w+)\}", value, path)


BATTLE = '{"pokemon_1_id": 25, "pokemon_2_id": 6, "n": 100}'


def body_for(method, path):
    if method != "POST":
        return None
    return BATTLE if "odds" in path else '{"pokemon_1_id": 25, "pokemon_2_id": 6}'


def sweep(base, keys):
    n = 0
    for method, path, security, scopes, op in documented_operations():
        n += 1
        target = concrete(path, op)
        body = body_for(method, path)
        what = f"{method} {path}"
        status, headers, text = request(base, method, target, body)
        check_answer(what + " (no credentials)", status, headers, text)
        if security == []:
            if status in (401, 403):
                fail(f"{what}: documented public, answered {status} without credentials")
            continue
        if status != 401:
            fail(f"{what}: needs {sorted(scopes) or 'a key'}, answered {status} (not 401) without credentials")
        if "www-authenticate" not in headers:
            fail(f"{what}: 401 without WWW-Authenticate")
        for key_scopes, key in keys.items():
            granted = set(key_scopes.split(","))
            status, headers, text = request(base, method, target, body, {"X-API-Key": key})
            check_answer(f"{what} (key {key_scopes})", status, headers, text)
            if scopes and not (scopes & granted):
                if status != 403:
                    fail(f"{what}: needs {sorted(scopes)}, key with {key_scopes} got {status} (not 403)")
            elif scopes and status in (401, 403):
                fail(f"{what}: key with {key_scopes} refused ({status}): {text[:200]}")
        # A garbage key and a well-formed unknown key: 401.
        for bad in ("garbage", "pdex_0123456789ab_" + "0" * 64):
            status, headers, text = request(base, method, target, body, {"X-API-Key": bad})
            check_answer(f"{what} (bad key)", status, headers, text)
            if status != 401:
                fail(f"{what}: bad key answered {status} (not 401)")
    if n == 0:
        fail("no operation in docs/openapi.json")
    print(f"security sweep: {n} documented operations")


def session_checks(base):
    status, headers, text = request(base, "POST", "/api/v1/session", "", {"Origin": base})
    check_answer("POST /api/v1/session", status, headers, text)
    if status not in (200, 201):
        fail(f"POST /api/v1/session answered {status}: {text[:200]}")
        return ""
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    session_cookies["session cookie"] = cookie.split("=", 1)[-1]
    for method, path, security, scopes, op in documented_operations():
        if security == [] or not scopes:
            continue
        status, headers, text = request(base, method, concrete(path, op), body_for(method, path),
                                        {"Cookie": cookie, "Origin": base})
        check_answer(f"{method} {path} (session)", status, headers, text)
        if scopes & {"read", "predict"} and status in (401, 403):
            fail(f"{method} {path}: web session refused ({status})")
        if scopes == {"admin"} and status != 403:
            fail(f"{method} {path}: admin route answered {status} to a web session")
    return cookie


def error_checks(base, keys, cookie):
    key = {"X-API-Key": keys["read,predict,admin"]}
    cases = [
        ("POST", "/api/v1/predict/battle", '{"pokemon_1_id": 25,', key),
        ("POST", "/api/v1/predict/battle", "{\"pokemon_1_id\": \"'; DROP TABLE api_keys; --\", \"pokemon_2_id\": 6}", key),
        ("POST", "/api/v1/simulate/battle", '{"pokemon_1_id": 1e400, "pokemon_2_id": 6}', key),
        ("POST", "/api/v1/simulate/odds", '{"pokemon_1_id": 25, "pokemon_2_id": 6, "n": -1, "x": [[[[[]]]]]}', key),
        ("POST", "/api/v1/simulate/battle", "\xff\xfe", key),
        ("POST", "/api/v1/simulate/battle", '[' * 5000, key),
        ("POST", "/api/v1/simulate/battle", "x" * 200000, key),
        ("GET", "/api/v1/pokemon/..%2F..%2F..%2Fetc%2Fpasswd", None, key),
        ("GET", "/api/v1/pokemon/%00", None, key),
        ("GET", "/api/v1/moves/1'%20OR%20'1'='1", None, key),
        ("GET", "/api/v1/pokemon?limit=1e99&offset=-1&type=%zz", None, key),
        ("GET", "/api/v1/pokemon?limit=1&limit=2", None, key),
        ("GET", "/api/v1/types/effectiveness?attacking=../../etc", None, key),
        ("DELETE", "/api/v1/pokemon/25", None, key),
        ("GET", "/no/such/file.cc", None, key),
        ("GET", "/api/v1/types", None, {"X-API-Key": "pdex_" + "z" * 300}),
        ("GET", "/api/v1/types", None, {"Cookie": "pdex_session=forged.value"}),
        ("GET", "/api/v1/types", None, {"Cookie": cookie + "x"} if cookie else {}),
        ("POST", "/api/v1/session", "", {"Origin": "https://evil.example"}),
    ]
    for method, path, body, headers in cases:
        h = dict(headers or {})
        if body is not None and path.startswith("/api/v1/") and method == "POST":
            h.setdefault("Content-Type", "application/json")
        status, rh, text = request(base, method, path, body, h)
        check_answer(f"{method} {path[:60]}", status, rh, text)
        if status < 400:
            fail(f"{method} {path[:60]}: bad input accepted ({status})")


if __name__ == "__main__":
    main()
    if failures:
        print(f"security sweep: {len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print("security sweep: all passed")
