#!/usr/bin/env bash
# .github/workflows against the repository: both files parse; no step may hide a failure (`|| true`,
# `continue-on-error`); every scripts/... they call exists and is executable; every script scripts/test (that
# is, .ci/run) calls is also called by ci.yml, so a stage added to .ci/run without CI fails here; every
# CTest name selected with -R exists; the release runs the whole CI first, publishes only on v* tags, to
# ghcr.io, with package write permission in that job alone.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import os, re, sys, yaml

problems = []
wf = {}
for name in ("ci.yml", "release.yml"):
    path = f".github/workflows/{name}"
    text = open(path, encoding="utf-8").read()
    try:
        wf[name] = yaml.safe_load(text)
    except yaml.YAMLError as e:
        problems.append(f"{path}: does not parse: {e}")
        continue
    for n, line in enumerate(text.splitlines(), 1):
        if re.search(r"\|\|\s*true|continue-on-error", line):
            problems.append(f"{path}:{n}: hides a failure: {line.strip()}")
    for s in sorted(set(re.findall(r"(?<![\w/.])scripts/[A-Za-z0-9_-]+", text))):
        if not os.access(s, os.X_OK):
            problems.append(f"{path}: calls {s}, which is not an executable file")
    tests_cmake = open("tests/CMakeLists.txt", encoding="utf-8").read()
    for group in re.findall(r"-R '\^\(?([A-Za-z0-9_|]+)\)?\$'", text):
        for t in group.split("|"):
            if not re.search(r"(pdex_script_test|add_test)\((NAME )?" + re.escape(t) + r"\b", tests_cmake):
                problems.append(f"{path}: selects CTest '{t}', which tests/CMakeLists.txt does not define")

ci_text = open(".github/workflows/ci.yml", encoding="utf-8").read()
stage_text = open("scripts/test", encoding="utf-8").read()
for s in sorted(set(re.findall(r"(?<![\w/.])scripts/[A-Za-z0-9_-]+", stage_text))):
    if s not in ci_text:
        problems.append(f"scripts/test (.ci/run) calls {s}, ci.yml does not")
for needle in ("scripts/check-format", "scripts/build release", "scripts/build asan", "scripts/with-postgres ctest",
               "-L browser", "-L unit"):
    if needle not in ci_text:
        problems.append(f"ci.yml: no step runs '{needle}'")
if not re.search(r"scripts/ml-pipeline|pipeline run", ci_text):
    problems.append("ci.yml: no model gates step")

rel = wf.get("release.yml") or {}
on = rel.get(True) or rel.get("on") or {}
if on.get("push", {}).get("tags") != ["v*"] or set(on) != {"push"}:
    problems.append("release.yml: must run on v* tags only")
jobs = rel.get("jobs", {})
if jobs.get("ci", {}).get("uses") != "./.github/workflows/ci.yml":
    problems.append("release.yml: does not run ci.yml first")
ci_on = (wf.get("ci.yml") or {}).get(True) or (wf.get("ci.yml") or {}).get("on") or {}
if "workflow_call" not in ci_on:
    problems.append("ci.yml: not callable (workflow_call) by release.yml")
for name, job in jobs.items():
    if name != "ci" and job.get("needs") != "ci":
        problems.append(f"release.yml: job {name} does not need ci")
    writes = (job.get("permissions") or {}).get("packages") == "write"
    if writes != (name == "image"):
        problems.append(f"release.yml: packages: write belongs to the image job only (job {name})")
image = jobs.get("image", {})
if "ghcr.io" not in yaml.safe_dump(image):
    problems.append("release.yml: the image is not pushed to ghcr.io")
if (rel.get("permissions") or {}).get("contents") != "read":
    problems.append("release.yml: default permissions should be contents: read")

for p in problems:
    print("FAIL " + p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"ci_workflows: ok ({len((wf.get('ci.yml') or {}).get('jobs', {}))} CI jobs, {len(jobs)} release jobs)")
PY
