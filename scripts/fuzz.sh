#!/usr/bin/env bash
# Coverage-guided fuzzing of meshc's parsers of outside bytes (libFuzzer, with address
# sanitizer). The bodies are in Fuzz/Harness; each Fuzz/<Target>/ holds its entry point,
# its corpus (committed, minimized) and regressions/ (minimized crashers, committed once
# fixed). The test suite replays both (FuzzCorpusTests).
#
#   scripts/fuzz.sh                   list the targets
#   scripts/fuzz.sh seed              add seeds from the example mesh and ../shared/conformance
#   scripts/fuzz.sh TARGET SECONDS    fuzz one target, then merge what it found into its corpus
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(ManifestDecoding SchemaJSON AvroBinary JSONText LogBatch SizeAndDuration Expressions AvroContainer ThriftCompact ParquetFile CSVText JSONLinesRecords OperatorState)
conformance="${MESHC_CONFORMANCE:-../shared/conformance}"

if [ $# -eq 0 ]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi

seed() {  # seed TARGET FILE…: copies files into the corpus, named by content hash
  local target=$1
  shift
  for file in "$@"; do
    [ -f "$file" ] || continue
    cp "$file" "Fuzz/$target/corpus/seed-$(sha1sum "$file" | cut -c1-16)"
  done
}

if [ "$1" = seed ]; then
  shopt -s nullglob globstar
  seed ManifestDecoding mesh.yaml products/**/*.yaml Tests/MeshDriverTests/Cases/**/*.yaml \
    "$conformance"/yaml-test-suite/*/in.yaml
  seed SchemaJSON schemas/**/*.avsc "$conformance"/avro/schema-parse/c-schema-tests/*/* \
    "$conformance"/avro/data/**/*.avsc "$conformance"/avro/data/**/schema.json
  seed JSONText schemas/**/*.avsc "$conformance"/avro/data/**/*.json "$conformance"/yaml-test-suite/*/in.json
  work=$(mktemp -d)
  printf '\x00\x02\x00' >"$work/node"; printf '\x00\x02\x02\x04\x02\x06\x00' >"$work/list"; printf '\x03\x00' >"$work/empty"
  printf '\x03\x02\x02\x02\x00\x00' >"$work/nested"
  seed AvroBinary "$work"/*
  for spelling in 500ms 30s 1h30m 7d 2w 15250284452w4d 4096 1.5GB '1.5 GiB' 512KiB 1g infinite -1 \
    2024-11-24T18:40:00.250+01:00 1732473600000 2024-11-24 0s; do
    printf '%s' "$spelling" >"$work/s-$(printf '%s' "$spelling" | sha1sum | cut -c1-8)"
  done
  seed SizeAndDuration "$work"/s-*
  # Real segments: a few batches written by meshc itself, behind the raw-bytes mode byte.
  swift build --product meshc >/dev/null
  printf '{"key":"k1","value":{"a":1}}\n{"key":"k2","value":null,"headers":{"h":"v"}}\n' |
    .build/debug/meshc produce t --envelope --data-dir "$work/data" >/dev/null 2>&1
  printf '\x00' | cat - "$work/data/topics/t/0/00000000000000000000.log" >"$work/segment"
  { printf '\x01\x0a'; head -c 46 /dev/zero; } >"$work/framed"
  seed LogBatch "$work/segment" "$work/framed"
  printf 'id,name,note\n1,Ann,"says ""hi"", twice"\n2,Bob,"two\nlines"\r\n3,,\n' >"$work/quoted.csv"
  printf '\xef\xbb\xbfa;b;c\r\n1;2;3\r\n' >"$work/bom.csv"
  seed CSVText "$work"/*.csv
  printf '{"s":"a","i":1,"l":2,"d":0.5,"f":1,"b":true,"raw":"AQ==","maybe_s":null,"color":"RED","hash":"AAECAw==","price":"1.25","day":"2026-11-24","at":"2026-11-24T19:00:00.000Z","clock":"12:00:00.000","id":"0a0b0c0d-0e0f-1011-1213-141516171819","counts":[1,null],"rates":{"k":1.5},"address":{"city":"Oslo","zip":null,"lines":["x"]},"either":{"string":"x"}}\n[1]\n' >"$work/every.jsonl"
  seed JSONLinesRecords "$work/every.jsonl"
  rm -rf "$work"
  # Parquet files of apache/parquet-testing that fit libFuzzer's input size.
  for file in "$conformance"/parquet-testing/{data,bad_data}/*.parquet; do
    [ "$(stat -c %s "$file")" -le 65536 ] && seed ParquetFile "$file"
  done
  for target in "${targets[@]}"; do echo "$target: $(ls "Fuzz/$target/corpus" | wc -l) inputs"; done
  exit 0
fi

target=$1
seconds=${2:-60}
[[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target '$target'; one of: ${targets[*]}" >&2; exit 2; }
# Coverage is asked for explicitly: with -sanitize=fuzzer alone this toolchain links
# libFuzzer but leaves the code without the counters it needs to make progress.
MESHC_FUZZ=1 swift build --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address --product "Fuzz$target" \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp >/dev/null
mkdir -p "Fuzz/$target/crashes"
found=$(mktemp -d)
set +e
# Leak detection is off: at exit LeakSanitizer reports the harness's fixed schemas, held
# by a static for the whole run, as leaked (96 bytes, once) — most likely because Swift
# keeps some references with tag bits in spare high bits, which it does not take for
# pointers. Per-input leaks would show as growing RSS, which -rss_limit_mb catches.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" ".build-fuzz/debug/Fuzz$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -detect_leaks=0 \
  -artifact_prefix="Fuzz/$target/crashes/" -print_final_stats=1 "$found" "Fuzz/$target/corpus"
status=$?
set -e
# Keep the corpus minimal: only inputs that add coverage join it.
# (Leak detection off here too, or the merge's control process reports the same static
# at exit and writes an empty input as a crash.)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" ".build-fuzz/debug/Fuzz$target" -merge=1 -detect_leaks=0 -artifact_prefix="Fuzz/$target/crashes/" "Fuzz/$target/corpus" "$found" >/dev/null 2>&1 || true
rm -rf "$found"
rmdir "Fuzz/$target/crashes" 2>/dev/null || true
echo "fuzz $target: ${seconds}s, exit $status, corpus $(ls "Fuzz/$target/corpus" | wc -l) inputs"
exit "$status"
