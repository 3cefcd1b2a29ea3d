#!/usr/bin/env bash
# The crash test of `meshc run`, for as long as you like: ROUNDS times, the whole example
# mesh on `meshc sample` data is run with kill -9 at random moments and restarted until a
# run finishes, and every output — each topic's committed records, each batch file's
# records — is compared with an uninterrupted run's. The suite runs one such round
# (RunTests.killedRunsOfTheWholeMeshLeaveTheSameOutputs); this is the long version.
#
#   scripts/soak-run.sh [ROUNDS] [ORDERS]      (MESHC_SOAK_KEEP=1 keeps its directory;
#   MESHC_SOAK_STATE_MEMORY=1KiB runs the killed attempts with that --state-memory, so that
#   their keyed state is in RocksDB while the uninterrupted run's is in memory)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-20}"
orders="${2:-3000}"
swift build -c release --product meshc >/dev/null
meshc="$PWD/.build/release/meshc"
work="$(mktemp -d)"
trap '[ -n "${MESHC_SOAK_KEEP:-}" ] || rm -rf "$work"' EXIT
cp -r mesh.yaml products schemas "$work/"
cd "$work"
"$meshc" sample --orders "$orders" >/dev/null

# Every output of the runs on data directory $1, a line per record: topics as consumers
# see them (committed records, key and value), batch files by their partition directory
# (their names carry checkpoint numbers, which differ between runs).
outputs() {
  local data="$1"
  for topic in $("$meshc" topics --data-dir "$data" | awk 'NR > 1 { print $1 }' | sort -u); do
    "$meshc" consume "$topic" --from-beginning --data-dir "$data" | python3 -c '
import sys, json
for line in sys.stdin:
    record = json.loads(line)
    print(sys.argv[1], json.dumps([record["key"], record["value"]], sort_keys=True))' "$topic"
  done
  find out -type f -not -path '*/.meshc-staging/*' | sort | while read -r file; do
    case "$file" in
      *.parquet | *.avro) "$meshc" cat "$file" ;;
      *.csv) tail -n +2 "$file" ;;
      *) cat "$file" ;;
    esac | sed "s|^|${file%/part-*} |"
  done
}

started=$(date +%s%N)
"$meshc" run products --once --data-dir whole >/dev/null
took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
outputs whole | sort >expected.txt
echo "meshc run soak: $rounds rounds, $orders orders; an uninterrupted run takes $took_ms ms and gives $(wc -l <expected.txt) output records"

state_memory=()
[ -n "${MESHC_SOAK_STATE_MEMORY:-}" ] && state_memory=(--state-memory "$MESHC_SOAK_STATE_MEMORY")
total=0
for round in $(seq 1 "$rounds"); do
  rm -rf killed out
  kills=0
  finished=0
  for _ in $(seq 1 200); do
    "$meshc" run products --once --data-dir killed ${state_memory[@]+"${state_memory[@]}"} >/dev/null 2>&1 &
    pid=$!
    # Anywhere in a whole run's time, and a little past it.
    delay=$(( RANDOM % (took_ms + took_ms / 5 + 5) ))
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then
      kills=$((kills + 1))
      wait "$pid" 2>/dev/null || true
    elif wait "$pid"; then
      finished=1
      break
    else
      echo "round $round: a run failed by itself" >&2
      exit 1
    fi
  done
  [ "$finished" = 1 ] || "$meshc" run products --once --data-dir killed ${state_memory[@]+"${state_memory[@]}"} >/dev/null
  outputs killed | sort >got.txt
  if ! diff -q expected.txt got.txt >/dev/null; then
    echo "round $round: after $kills kills the outputs differ from an uninterrupted run's:" >&2
    diff expected.txt got.txt | head -20 >&2
    exit 1
  fi
  total=$((total + kills))
  echo "round $round: $kills kills, outputs equal"
done
echo "meshc run soak: $rounds rounds, $total kills, every output equal to an uninterrupted run's"
