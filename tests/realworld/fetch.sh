#!/usr/bin/env bash
# Re-creates the real-world trees listed in tests/realworld/repos.txt from the git mirrors
# (bare repositories at $MIRROR/owner+name/repo) into $RW_DIR/trees/owner+name, at the
# commit listed (blobs the mirror lacks, its largest files, are left out: extract.py). The
# trees are scratch: never committed.
#
#   tests/realworld/fetch.sh          # MIRROR=/work/.mirror RW_DIR=/tmp/tide-realworld
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirror=${MIRROR:-/work/.mirror}
out=${RW_DIR:-/tmp/tide-realworld}/trees
mkdir -p "$out"
status=0
while read -r repo commit _; do
  case "$repo" in ''|'#'*) continue ;; esac
  name=${repo/\//+}
  git=$mirror/$name/repo
  if ! git --git-dir="$git" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "missing: $repo $commit (fetch github:$repo first)" >&2
    status=1
    continue
  fi
  if [ "$(cat "$out/$name/.commit" 2>/dev/null)" = "$commit" ]; then continue; fi
  rm -rf "$out/$name"
  mkdir -p "$out/$name"
  python3 "$here/extract.py" "$git" "$commit" "$out/$name"
  echo "$commit" > "$out/$name/.commit"
  echo "$repo $commit"
done < "$here/repos.txt"
exit $status
