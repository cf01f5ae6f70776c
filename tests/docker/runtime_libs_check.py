#!/usr/bin/env python3
"""Are the runtime image's packages exactly what the built binary needs?

    runtime_libs_check.py BINARY PACKAGE...

For each shared library `ldd BINARY` resolves, the Debian package owning it (dpkg -S) must be one of
PACKAGE..., a dependency of them (Depends/Pre-Depends, recursively, as recorded by dpkg for the installed
packages), or part of the debian:12-slim base (Priority: required packages and apt, with their dependencies).
And each PACKAGE must own at least one of those libraries itself (ca-certificates excepted), so the image installs
nothing it does not use. Prints one line per finding; exits 1 on any problem.
"""
import os
import re
import subprocess
import sys


def installed_packages():
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Status}\t${Priority}\t${Depends}, ${Pre-Depends}\t${Provides}\n"],
                         capture_output=True, text=True, check=True).stdout
    deps, required, provides = {}, set(), {}
    for line in out.splitlines():
        name, status, prio, dep, prov = line.split("\t")
        if not status.endswith("installed") or "not-installed" in status:
            continue
        names = set()
        for alt in re.split(r"[,|]", dep):
            alt = alt.strip()
            if alt:
                names.add(re.split(r"[\s:(]", alt)[0])
        deps[name] = names
        if prio == "required":
            required.add(name)
        for p in prov.split(","):
            p = re.split(r"[\s(]", p.strip())[0]
            if p:
                provides.setdefault(p, set()).add(name)
    return deps, required, provides


def closure(roots, deps, provides):
    seen, todo = set(), list(roots)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        for d in deps.get(p, ()):
            todo.append(d)
            todo.extend(provides.get(d, ()))
    return seen


def owners(paths):
    """Path -> owning package, from dpkg's file lists (one pass; `dpkg -S` per file is slow). Matched by
    path, as ldd prints it or as it resolves, under /lib or /usr/lib (merged /usr)."""
    wanted = {}
    for p in paths:
        for full in {p, os.path.realpath(p)}:
            for alias in {full, re.sub(r"^/usr/lib/", "/lib/", full), re.sub(r"^/lib/", "/usr/lib/", full)}:
                wanted.setdefault(alias, set()).add(p)
    found = {}
    info = "/var/lib/dpkg/info"
    for entry in os.listdir(info):
        if not entry.endswith(".list"):
            continue
        pkg = entry[: -len(".list")].split(":")[0]
        with open(os.path.join(info, entry), encoding="utf-8", errors="replace") as f:
            for line in f:
                for p in wanted.get(line.rstrip("\n"), ()):
                    found.setdefault(p, pkg)
    return found


def main():
    binary, runtime = sys.argv[1], sys.argv[2:]
    deps, required, provides = installed_packages()
    problems = []
    for p in runtime:
        if p not in deps:
            problems.append(f"{p}: not installed on this machine, cannot check what it provides")
    base = closure(required | {"apt"}, deps, provides)
    per_package = {p: closure([p], deps, provides) for p in runtime}
    allowed = base.union(*per_package.values()) if per_package else base
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    used = set()
    libs = []
    for line in ldd.splitlines():
        if "not found" in line:
            problems.append(f"unresolved: {line.strip()}")
            continue
        m = re.search(r"=>\s+(\S+)", line)
        if m and re.search(r"/lib(a|ub|t|l|hwa)san\.so", m.group(1)):
            # A sanitizer build (asan/tsan presets) links the sanitizer's runtime; the image's release
            # binary does not, so it is not a runtime package's business.
            print(f"note: {m.group(1)}: sanitizer runtime, ignored")
        elif m:
            libs.append(m.group(1))
    owner = owners(libs)
    for lib in libs:
        pkg = owner.get(lib)
        if pkg is None:
            problems.append(f"{lib}: no Debian package owns it")
            continue
        if pkg not in allowed:
            problems.append(f"{lib} ({pkg}): not provided by the runtime packages or the debian:12-slim base")
        used.add(pkg)
    for p in runtime:
        if p != "ca-certificates" and p not in used:
            problems.append(f"{p}: provides no library the binary needs")
    for line in problems:
        print(line)
    if not problems:
        print(f"{len(libs)} shared libraries, all provided by {len(runtime)} runtime packages or the base")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
