#!/usr/bin/env python3
"""Compares the outputs run.sh left in RESULTS (one folder a directory: dir, k.out/k.err/k.rc
from kubectl kustomize, t.out/t.err/t.rc from tide) and prints a markdown report: the verdict
table overall and by repository, a breakdown of the diffs by family where the changed lines
tell it, and the directories of each kind. YAML-equal means both outputs parse as the same
multi-document data (PyYAML's safe loader, so YAML 1.1 scalars: 0755 and 493 are equal there,
true and "true" are not).

    compare.py RESULTS TREES
"""
import collections
import difflib
import os
import re
import sys

import yaml

res_dir = sys.argv[1]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def load(text):
    try:
        return list(yaml.safe_load_all(text)), None
    except yaml.YAMLError as e:
        return None, str(e)


NUM11 = re.compile(r"^[-+]?(0[0-7_]+|0o[0-7]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(\.[0-9_]*)?[eE][-+]?[0-9]+|[1-9][0-9_]*(:[0-5]?[0-9])+|[0-9][0-9_]*)$")
HASH = re.compile(r"-[a-z0-9]{10}\b")


def strip_q(s):
    return re.sub(r"""["']""", "", s)


def families(k, t):
    """The families of the changed lines between kubectl's output k and tide's t."""
    fam = set()
    kl, tl = k.splitlines(), t.splitlines()
    sm = difflib.SequenceMatcher(None, kl, tl, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            continue
        ka, tb = kl[a1:a2], tl[b1:b2]
        found = False
        for line in tb:
            if re.match(r"^\s*(annotations|labels): (\{\}|null)?\s*$", line) and line not in ka:
                fam.add("empty and null metadata")
                found = True
        for line in ka:
            if re.match(r"^\s*(data|stringData): \{\}\s*$", line):
                fam.add("empty generators")
                found = True
        if len(ka) == len(tb):
            for x, y in zip(ka, tb):
                xs, ys = x.split(": ", 1), y.split(": ", 1)
                if len(xs) == 2 and len(ys) == 2 and xs[0] == ys[0]:
                    xv, yv = xs[1].strip(), ys[1].strip()
                    if NUM11.match(yv) and re.match(r"^-?[0-9.e+]+$", xv) and xv != yv:
                        fam.add("YAML 1.1 integers")
                        found = True
                        continue
                if x != y and strip_q(x) == strip_q(y):
                    fam.add("scalars (quoting)")
                    found = True
                elif x != y and HASH.sub("-HASH", x) == HASH.sub("-HASH", y):
                    fam.add("generator name hash")
                    found = True
        if not found:
            if ka and not tb:
                fam.add("other: lines only in kubectl")
            elif tb and not ka:
                fam.add("other: lines only in tide")
            else:
                fam.add("other")
    return fam


rows = []
for n in sorted(os.listdir(res_dir), key=lambda s: (len(s), s)):
    r = os.path.join(res_dir, n)
    if not os.path.isdir(r):
        continue
    d = read(os.path.join(r, "dir")).strip()
    krc, trc = read(os.path.join(r, "k.rc")).strip(), read(os.path.join(r, "t.rc")).strip()
    k, t = read(os.path.join(r, "k.out")), read(os.path.join(r, "t.out"))
    fam = set()
    if krc != "0" and trc != "0":
        v = "both-failed"
    elif krc != "0":
        v = "kubectl-only-failed"
    elif trc != "0":
        v = "tide-only-failed"
        err = read(os.path.join(r, "t.err")).strip().splitlines()
        msg = err[-1] if err else "exit " + trc
        fam.add("tide fails: " + re.sub(r"'[^']*'", "'…'", msg)[:90])
    elif k == t:
        v = "byte-identical"
    else:
        kd, ke = load(k)
        td, te = load(t)
        v = "YAML-equal" if ke is None and te is None and kd == td else "differs"
        fam = families(k, t)
    rows.append((d, v, fam))

kinds = ["byte-identical", "YAML-equal", "differs", "tide-only-failed", "kubectl-only-failed", "both-failed"]
total = collections.Counter(v for _, v, _ in rows)
built = total["byte-identical"] + total["YAML-equal"] + total["differs"] + total["tide-only-failed"]
print("| repository | dirs | " + " | ".join(kinds) + " |")
print("|---|" + "---:|" * (len(kinds) + 1))
by_repo = collections.defaultdict(collections.Counter)
for d, v, _ in rows:
    by_repo[d.split("/", 1)[0]][v] += 1
for repo in sorted(by_repo):
    c = by_repo[repo]
    print(f"| {repo.replace('+', '/')} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in kinds) + " |")
print(f"| **all** | **{len(rows)}** | " + " | ".join(f"**{total[k]}**" for k in kinds) + " |")
if built:
    print()
    print(f"Of the {built} directories kubectl builds: {total['byte-identical']} byte-identical "
          f"({100.0 * total['byte-identical'] / built:.1f}%), "
          f"{total['byte-identical'] + total['YAML-equal']} equal as YAML data "
          f"({100.0 * (total['byte-identical'] + total['YAML-equal']) / built:.1f}%).")
fams = collections.Counter()
for _, v, fam in rows:
    for f in fam:
        fams[f] += 1
if fams:
    print()
    print("| family (from the changed lines; a directory may count in several) | dirs |")
    print("|---|---:|")
    for f, c in fams.most_common():
        print(f"| {f} | {c} |")
print()
for k in ["differs", "YAML-equal", "tide-only-failed", "kubectl-only-failed"]:
    ds = [(d, fam) for d, v, fam in rows if v == k]
    if not ds:
        continue
    print(f"<details><summary>{k} ({len(ds)})</summary>\n")
    for d, fam in ds:
        print(f"- `{d}`" + (f" ({'; '.join(sorted(fam))})" if fam else ""))
    print("\n</details>\n")
