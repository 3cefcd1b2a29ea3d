#!/usr/bin/env bash
# How fast a checksummed read could go with each way of reaching the bytes, next to the
# 64 KiB read baseline of `meshc bench log` (see scripts/read-ceilings.c). The file is
# written in WRITE_BYTES writes, as the log writes one batch per write (115 KB for the
# benchmark's 1000-record batches): the write size sets the size of the page cache's
# folios, and with them what a mapping costs.
# Usage: scripts/bench-read-ceilings.sh [MiB, default 500] [rounds, default 3] [WRITE_BYTES, default 115000]
set -euo pipefail
cd "$(dirname "$0")/.."
mebibytes=${1:-500}
rounds=${2:-3}
write_bytes=${3:-115000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clang -O2 -msse4.2 -I Sources/CCRC32C/include scripts/read-ceilings.c Sources/CCRC32C/crc32c_interleaved.c \
  Sources/CCRC32C/crc32c.c -o "$work/read-ceilings" -lpthread
dd if=/dev/urandom of="$work/data.bin" bs="$write_bytes" count=$(((mebibytes << 20) / write_bytes)) \
  iflag=fullblock status=none
for round in $(seq 1 "$rounds"); do
  echo "round $round: $mebibytes MiB written in $write_bytes-byte writes, CRC-32C over 115 KB slices"
  # Each design in a process of its own, as each would be a reader of its own.
  for design in 0 1 2 3 4; do "$work/read-ceilings" "$work/data.bin" "$design"; done
done
