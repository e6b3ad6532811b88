#!/usr/bin/env python3
"""Writes the tree of COMMIT in the bare repository GIT_DIR into OUT, skipping blobs the mirror
does not hold (its largest files may be listed but absent) and submodules. Symlinks are kept.

    extract.py GIT_DIR COMMIT OUT
"""
import os
import subprocess
import sys

git_dir, commit, out = sys.argv[1:4]
ls = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", commit],
                    check=True, capture_output=True).stdout
entries = []
for rec in ls.split(b"\0"):
    if not rec:
        continue
    meta, path = rec.split(b"\t", 1)
    mode, kind, sha = meta.split()
    if kind == b"blob":
        entries.append((mode, sha, path))
cat = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
skipped = 0
for mode, sha, path in entries:
    cat.stdin.write(sha + b"\n")
    cat.stdin.flush()
    head = cat.stdout.readline().split()
    if len(head) < 3 or head[1] == b"missing":
        skipped += 1
        continue
    data = cat.stdout.read(int(head[2]))
    cat.stdout.read(1)
    dest = os.path.join(out.encode(), path)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if mode == b"120000":
        try:
            os.symlink(data, dest)
        except OSError:
            pass
        continue
    with open(dest, "wb") as f:
        f.write(data)
    if mode == b"100755":
        os.chmod(dest, 0o755)
cat.stdin.close()
cat.wait()
if skipped:
    print(f"  {skipped} blobs absent from the mirror, skipped", file=sys.stderr)
