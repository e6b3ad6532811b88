#!/bin/sh
# Parse + emit of a ~10 MB multi-document YAML file: tide's document model beside PyYAML with
# its libyaml loader and dumper (yaml.CSafeLoader / yaml.CSafeDumper), on the same file, best
# of 3 runs each. Prints both and the ratio. Usage: bench/yaml_vs_pyyaml.sh [megabytes=10]
set -eu
cd "$(dirname "$0")/.."
MB=${1:-10}
make -s bench >/dev/null
file=$(mktemp --suffix=.yaml)
trap 'rm -f "$file"' EXIT
build/bench/yaml_bench --generate "$file" "$MB"
out=$(build/bench/yaml_bench "$file" 3)
echo "$out" | head -n 1
eval "$(echo "$out" | grep -E '^TIDE_(SECONDS|RSS_MIB)=')"
py=$(python3 - "$file" <<'PY'
import sys, time, resource, yaml
data = open(sys.argv[1]).read()
best = 1e9
for _ in range(3):
    t0 = time.monotonic()
    docs = [d for d in yaml.load_all(data, Loader=yaml.CSafeLoader) if d is not None]
    out = yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False)
    best = min(best, time.monotonic() - t0)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("pyyaml (CSafeLoader+CSafeDumper): %d documents: parse+emit %.3f s, peak RSS %.0f MiB" % (len(docs), best, rss))
print("PY_SECONDS=%.3f" % best)
print("PY_RSS_MIB=%.0f" % rss)
PY
)
echo "$py" | head -n 1
eval "$(echo "$py" | grep -E '^PY_(SECONDS|RSS_MIB)=')"
python3 -c "print('ratio: tide is %.1fx faster, %.1fx less peak RSS' % ($PY_SECONDS / $TIDE_SECONDS, $PY_RSS_MIB / $TIDE_RSS_MIB))"
