#!/usr/bin/env bash
# What can be verified of the container packaging without a Docker engine (none runs on these machines):
#   tests/docker/docker_check.sh [PDEX]     (PDEX defaults to $PDEX_BIN, then build/release/src/cli/pdex)
# 1. Dockerfile lint (tests/docker/dockerfile_lint.py: hadolint-style rules, non-root, healthcheck, stages,
#    build packages in sync with scripts/setup).
# 2. Every runtime package exists in Debian (apt-cache show); every shared library of the built pdex
#    (ldd) belongs to a runtime package, to one of their dependencies, or to debian:12-slim's base (the
#    `required` packages and apt); every runtime package owns at least one of those libraries (ca-certificates
#    excepted: TLS to PostgreSQL), so nothing unneeded is installed (tests/docker/runtime_libs_check.py).
# 3. The image's entry point and health check scripts, run here against a real `pdex serve` on a free port:
#    the entry point migrates and imports then serves, the health check passes, then fails once it stops.
# 4. docker-compose.yml (Debian's docker-compose 1.29, `config`): refused without the passwords, with the
#    message naming the variable, and with .env.example copied as is; accepted once they are set; six
#    services, ports on 127.0.0.1 only, every mounted host path present; the compose Prometheus config and
#    its rule files pass promtool. Skipped (77) if docker-compose is not installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "docker_check: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-docker-check.XXXXXX")
source tests/server_lib.sh
source tests/cli_lib.sh  # pass, fail, $failures
trap 'server_cleanup; rm -rf "$work"' EXIT

# --- 1. lint ----------------------------------------------------------------------------------------
if python3 tests/docker/dockerfile_lint.py Dockerfile scripts/setup .dockerignore >"$work/runtime" 2>&1; then
  pass "Dockerfile lint"
else
  fail "Dockerfile lint: $(cat "$work/runtime")"
  : >"$work/runtime"
fi
mapfile -t runtime <"$work/runtime"

# --- 2. runtime packages against ldd ------------------------------------------------------------------
if ((${#runtime[@]})); then
  # One apt-cache call (each costs seconds): a package the archive does not have has no candidate.
  apt-cache policy "${runtime[@]}" >"$work/policy" 2>&1
  for p in "${runtime[@]}"; do
    cand=$(awk -v p="$p:" '$0 == p {f = 1; next} /^[^ ]/ {f = 0} f && /Candidate:/ {print $2}' "$work/policy")
    [[ -n "$cand" && "$cand" != "(none)" ]] && pass "runtime package $p exists in Debian ($cand)" ||
      fail "runtime package $p: not in the Debian archive (apt-cache policy: no candidate)"
  done
  if python3 tests/docker/runtime_libs_check.py "$PDEX" "${runtime[@]}" >"$work/libs" 2>&1; then
    pass "$(cat "$work/libs")"
  else
    fail "runtime packages vs ldd: $(cat "$work/libs")"
  fi
fi

# --- 3. entry point and health check against a real server --------------------------------------------
mkdir -p "$work/bin" "$work/state"
ln -s "$PDEX" "$work/bin/pdex"
if ! server_start --log "$work/serve.log" --env PATH="$work/bin:$PATH" --env PDEX_DATA_DIR="$work/state" \
  --env PDEX_DATABASE_URL="sqlite://$work/state/pdex.sqlite" --env PDEX_DEX_FILE=data/lgpe-dex.json \
  --env PDEX_HOST=127.0.0.1 --env PDEX_PORT=0 --env PDEX_THREADS=1 --cmd -- deploy/docker/entrypoint.sh serve; then
  fail "entrypoint serve did not start a server (its log above)"
else
  port=$SERVER_PORT
  pass "entrypoint: schema, import, then serve on port $port"
  n=$(PDEX_DATABASE_URL="sqlite://$work/state/pdex.sqlite" "$PDEX" db check --json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("counts", d).get("species", 0))' 2>/dev/null || echo 0)
  [[ "$n" -gt 0 ]] && pass "entrypoint imported the game data ($n species)" || fail "no species after the entrypoint"
  deploy/docker/healthcheck.sh "$port" && pass "health check passes on a serving server" ||
    fail "health check failed on a serving server"
  PDEX_PORT=$port deploy/docker/healthcheck.sh && pass "health check reads PDEX_PORT" ||
    fail "health check with PDEX_PORT failed"
  server_stop TERM
  [[ $SERVER_RC == 0 ]] && pass "SIGTERM reaches pdex through the entrypoint (exit 0)" ||
    fail "entrypoint exit $SERVER_RC on SIGTERM"
  if deploy/docker/healthcheck.sh "$port" 2>/dev/null; then fail "health check passes with no server"; else
    pass "health check fails with no server"; fi
fi

# The bootstrap command the entry point runs (docker-compose's pdex-bootstrap service) exists in this pdex.
if grep -q '^  pipeline' <<<"$("$PDEX" --help)" && grep -q -- '--promote' <<<"$("$PDEX" pipeline run --help)"; then
  pass "entrypoint bootstrap: pdex pipeline run --promote exists"
else
  fail "entrypoint bootstrap runs 'pdex pipeline run --promote', which this pdex does not have"
fi

# --- 4. docker-compose.yml -----------------------------------------------------------------------------
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "docker_check: docker-compose not installed (apt-get install docker-compose): compose not checked" >&2
  ((failures == 0)) && exit 77
  exit 1
fi
compose() { env -u POSTGRES_PASSWORD -u GRAFANA_ADMIN_PASSWORD docker-compose -f docker-compose.yml "$@"; }
: >"$work/empty.env"
if compose --env-file "$work/empty.env" config >/dev/null 2>"$work/err"; then
  fail "compose accepted with no passwords set"
else
  grep -q "PASSWORD in .env (cp .env.example .env)" "$work/err" && pass "compose refused without passwords, naming the variable" ||
    fail "compose refusal does not say what to set: $(cat "$work/err")"
fi
cp .env.example "$work/example.env"
compose --env-file "$work/example.env" config >/dev/null 2>&1 && fail "compose accepted .env.example's empty passwords" ||
  pass "compose refused .env.example copied without setting the passwords"
pg_pw=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
gf_pw=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
sed -e "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$pg_pw/" -e "s/^GRAFANA_ADMIN_PASSWORD=.*/GRAFANA_ADMIN_PASSWORD=$gf_pw/" \
  .env.example >"$work/set.env"
if compose --env-file "$work/set.env" config >"$work/compose.yml" 2>"$work/err"; then
  pass "docker-compose config accepts the file with the passwords set"
  if python3 - "$work/compose.yml" "$pg_pw" "$gf_pw" <<'PY'; then pass "compose services, ports, mounts, secrets"; else fail "compose contents"; fi
import os, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
pg, gf = sys.argv[2], sys.argv[3]
bad = []
want = {"postgres", "pdex-bootstrap", "api", "prometheus", "alertmanager", "grafana"}
svcs = doc.get("services", {})
if set(svcs) != want:
    bad.append(f"services {sorted(svcs)} != {sorted(want)}")
for name, s in svcs.items():
    for p in s.get("ports", []):
        host = p if isinstance(p, str) else f"{p.get('host_ip')}:{p.get('published')}"
        if not str(host).startswith("127.0.0.1:"):
            bad.append(f"{name}: port {p} not bound to 127.0.0.1")
    for v in s.get("volumes", []):
        src = v.split(":")[0] if isinstance(v, str) else v.get("source", "")
        if src.startswith("/") and not os.path.exists(src):
            bad.append(f"{name}: mounted {src} does not exist")
env = lambda n: svcs.get(n, {}).get("environment", {})
if f":{pg}@postgres:5432/" not in env("api").get("PDEX_DATABASE_URL", ""):
    bad.append("api: PDEX_DATABASE_URL does not carry POSTGRES_PASSWORD")
if env("postgres").get("POSTGRES_PASSWORD") != pg:
    bad.append("postgres: POSTGRES_PASSWORD not from the env file")
if env("grafana").get("GF_SECURITY_ADMIN_PASSWORD") != gf:
    bad.append("grafana: admin password not from the env file")
dep = svcs.get("api", {}).get("depends_on", {})
if dep.get("pdex-bootstrap", {}).get("condition") != "service_completed_successfully":
    bad.append("api does not wait for pdex-bootstrap to complete")
if svcs.get("api", {}).get("user") not in (None, "10001:10001"):
    bad.append("api user overridden")
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
else
  fail "docker-compose config: $(cat "$work/err")"
fi
if grep -nE '^ *[A-Z_]*(PASSWORD|SECRET|TOKEN)[A-Z_]*: *[^$ {]|://[^:/ ]+:[^$@ ]+@' docker-compose.yml; then
  fail "docker-compose.yml has a literal secret"
else
  pass "no literal secret in docker-compose.yml"
fi
# Prometheus and Grafana as the compose stack runs them: each bind mount copied to its container path under
# a scratch root, then promtool on the Prometheus config (rules included), and Grafana's provisioning: the
# dashboards' path is a mounted directory with dashboards, the datasource URL names a compose service.
if [[ -s "$work/compose.yml" ]] && command -v promtool >/dev/null 2>&1; then
  if python3 - "$work/compose.yml" "$work/root" <<'PY' >"$work/mounts" 2>&1; then pass "$(tail -1 "$work/mounts")"; else fail "compose monitoring mounts: $(cat "$work/mounts")"; fi
import glob, os, re, shutil, sys, yaml
doc, root = yaml.safe_load(open(sys.argv[1])), sys.argv[2]
svcs = doc["services"]
bad = []
for name in ("prometheus", "grafana", "alertmanager"):
    for v in svcs[name].get("volumes", []):
        src, dst = (v.split(":")[:2] if isinstance(v, str) else (v.get("source", ""), v.get("target", "")))
        if not src.startswith("/"):
            continue
        dest = root + dst
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, dest)
for f in glob.glob(root + "/etc/grafana/provisioning/dashboards/*.yml"):
    for p in yaml.safe_load(open(f)).get("providers", []):
        path = p.get("options", {}).get("path", "")
        if not glob.glob(root + path + "/*.json"):
            bad.append(f"grafana dashboards path {path} has no mounted dashboards")
for f in glob.glob(root + "/etc/grafana/provisioning/datasources/*.yml"):
    for d in yaml.safe_load(open(f)).get("datasources", []):
        host = re.match(r"https?://([^:/]+)", d.get("url", "")).group(1)
        if host not in svcs:
            bad.append(f"grafana datasource {d.get('name')} points at {host}, not a compose service")
for b in bad:
    print(b)
if bad:
    sys.exit(1)
print("Grafana provisioning matches the mounts and services")
PY
  sed "s|/etc/prometheus/|$work/root/etc/prometheus/|g" "$work/root/etc/prometheus/prometheus.yml" >"$work/prometheus.yml"
  if promtool check config "$work/prometheus.yml" >"$work/promtool" 2>&1; then
    pass "promtool check config: the compose Prometheus config with the mounted rules ($(grep -c SUCCESS "$work/promtool") files)"
  else
    fail "promtool: $(cat "$work/promtool")"
  fi
  if command -v amtool >/dev/null 2>&1; then
    amtool check-config "$work/root/etc/alertmanager/alertmanager.yml" >"$work/amtool" 2>&1 &&
      pass "amtool check-config: the mounted Alertmanager config" || fail "amtool: $(cat "$work/amtool")"
  fi
fi

if ((failures > 0)); then
  echo "docker_check: $failures failure(s)" >&2
  exit 1
fi
echo "docker_check: all passed"
