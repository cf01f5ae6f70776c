#!/usr/bin/env python3
"""Static checks of the Dockerfile, in the spirit of hadolint (not packaged in Debian 12).

    dockerfile_lint.py DOCKERFILE SETUP_SCRIPT DOCKERIGNORE

Prints one line per problem ("Dockerfile:LINE: rule: message") and exits 1 if there is any; otherwise prints
the runtime stage's apt packages, one per line, for the shell test to check against ldd and dpkg.
Rules: every FROM pinned to a tag (no :latest, no bare image); stages named and COPY --from naming an earlier
stage; apt-get install with --no-install-recommends and -y, followed in the same RUN by removing
/var/lib/apt/lists; no apt-get upgrade/dist-upgrade, no sudo, no ADD (COPY only), no `cd` (WORKDIR), no
`|| true`; the final stage is debian:12-slim, runs as a numeric non-root USER, has a HEALTHCHECK, an
ENTRYPOINT in exec form; local COPY sources exist and are not excluded by .dockerignore; the build stage's
apt packages are all in scripts/setup's APT_PACKAGES; the runtime stage has no -dev package.
"""
import fnmatch
import os
import re
import shlex
import sys


def logical_lines(path):
    """(line number, instruction, arguments) with continuations joined and comments dropped."""
    out, buf, start = [], "", 0
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not buf and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if buf and line.lstrip().startswith("#"):
                continue
            if not buf:
                start = n
            if line.endswith("\\"):
                buf += line[:-1] + " "
                continue
            buf += line
            word, _, rest = buf.strip().partition(" ")
            out.append((start, word.upper(), rest.strip()))
            buf = ""
    return out


def apt_packages(run_args):
    """Packages of every `apt-get install` in a RUN (options dropped)."""
    pkgs = []
    for cmd in re.split(r"&&|;|\|\|", run_args):
        words = shlex.split(cmd)
        if len(words) >= 2 and words[0] == "apt-get" and "install" in words:
            pkgs += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return pkgs


def setup_packages(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r"APT_PACKAGES=\((.*?)\n\)", text, re.S)
    if not m:
        return set()
    words = []
    for line in m.group(1).splitlines():
        words += line.split("#", 1)[0].split()
    return set(words)


def ignored(path, patterns):
    hit = False
    for pat in patterns:
        neg = pat.startswith("!")
        p = pat[1:] if neg else pat
        p = p.strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(x, p) or fnmatch.fnmatch(x, p.replace("**/", "")) for x in prefixes):
            hit = not neg
    return hit


def main():
    dockerfile, setup, dockerignore = sys.argv[1:4]
    root = os.path.dirname(os.path.abspath(dockerfile))
    patterns = [l.strip() for l in open(dockerignore, encoding="utf-8") if l.strip() and not l.startswith("#")]
    problems = []

    def bad(n, rule, msg):
        problems.append(f"{os.path.basename(dockerfile)}:{n}: {rule}: {msg}")

    stages = []  # (name, image, instructions)
    for n, ins, args in logical_lines(dockerfile):
        if ins == "FROM":
            m = re.match(r"(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$", args, re.I)
            image, name = m.group(1), m.group(2)
            if ":" not in image or image.endswith(":latest"):
                bad(n, "pinned-base", f"{image}: pin a tag (not latest)")
            if not name:
                bad(n, "named-stage", f"FROM {image}: name the stage (AS name)")
            stages.append((name, image, []))
            continue
        if not stages:
            if ins != "ARG":
                bad(n, "from-first", f"{ins} before the first FROM")
            continue
        stages[-1][2].append((n, ins, args))

    known = set()
    for name, image, body in stages:
        for n, ins, args in body:
            if ins == "ADD":
                bad(n, "no-add", "use COPY (ADD fetches URLs and unpacks archives)")
            if ins == "RUN":
                if re.search(r"\bsudo\b", args):
                    bad(n, "no-sudo", "sudo in RUN")
                if re.search(r"apt-get\s+(dist-)?upgrade", args):
                    bad(n, "no-upgrade", "apt-get upgrade (pin the base image instead)")
                if re.search(r"(^|&&|;)\s*cd\s", args):
                    bad(n, "workdir", "use WORKDIR instead of cd")
                if re.search(r"\|\|\s*true", args):
                    bad(n, "no-ignored-failure", "|| true hides a failure")
                if "apt-get install" in args:
                    if "--no-install-recommends" not in args:
                        bad(n, "no-recommends", "apt-get install without --no-install-recommends")
                    if not re.search(r"apt-get install\s+(\S+\s+)*-y", args):
                        bad(n, "assume-yes", "apt-get install without -y")
                    if "rm -rf /var/lib/apt/lists/*" not in args:
                        bad(n, "apt-lists", "remove /var/lib/apt/lists/* in the same RUN")
                    if "apt-get update" not in args:
                        bad(n, "apt-update", "apt-get update in the same RUN as install")
            if ins == "COPY":
                words = shlex.split(args)
                opts = [w for w in words if w.startswith("--")]
                paths = [w for w in words if not w.startswith("--")]
                src = paths[:-1]
                frm = [o.split("=", 1)[1] for o in opts if o.startswith("--from=")]
                if frm:
                    if frm[0] not in known:
                        bad(n, "copy-from", f"--from={frm[0]} is not an earlier stage")
                    continue
                for s in src:
                    if not os.path.exists(os.path.join(root, s)):
                        bad(n, "copy-source", f"{s} does not exist in the build context")
                    elif ignored(s.rstrip("/"), patterns):
                        bad(n, "copy-source", f"{s} is excluded by .dockerignore")
        if name:
            known.add(name)

    if not stages:
        bad(0, "stages", "no FROM")
        print("\n".join(problems))
        return 1
    final_name, final_image, final = stages[-1]
    if final_image != "debian:12-slim":
        bad(0, "runtime-base", f"final stage is {final_image}, expected debian:12-slim")
    users = [(n, a) for n, i, a in final if i == "USER"]
    if not users:
        bad(0, "non-root", "final stage has no USER")
    else:
        n, user = users[-1]
        uid = user.split(":")[0]
        if not uid.isdigit() or uid == "0":
            bad(n, "non-root", f"USER {user}: use a numeric non-zero uid (Kubernetes runAsNonRoot checks it)")
    if not any(i == "HEALTHCHECK" and "CMD" in a for _, i, a in final):
        bad(0, "healthcheck", "final stage has no HEALTHCHECK CMD")
    entry = [(n, a) for n, i, a in final if i == "ENTRYPOINT"]
    if not entry or not entry[-1][1].startswith("["):
        bad(entry[-1][0] if entry else 0, "exec-form", "ENTRYPOINT in exec form (signals reach the server)")
    build_pkgs = [p for _, img, body in stages[:-1] if img.startswith("debian:")
                  for _, i, a in body if i == "RUN" for p in apt_packages(a)]
    allowed = setup_packages(setup)
    for p in build_pkgs:
        if p not in allowed:
            bad(0, "setup-sync", f"build package {p} is not in scripts/setup's APT_PACKAGES")
    runtime = [p for _, i, a in final if i == "RUN" for p in apt_packages(a)]
    for p in runtime:
        if p.endswith("-dev"):
            bad(0, "runtime-only", f"{p} is a development package in the runtime stage")
    if problems:
        print("\n".join(problems))
        return 1
    print("\n".join(runtime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
