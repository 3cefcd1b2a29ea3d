#!/usr/bin/env bash
# Installs what meshc needs on a fresh Debian machine, if missing. Idempotent.
set -euo pipefail

need=()
pkg-config --exists yaml-0.1 2>/dev/null || need+=(libyaml-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v git >/dev/null || need+=(git)
# The codecs of Parquet and Avro files (zlib for gzip and deflate).
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
pkg-config --exists libzstd 2>/dev/null || need+=(libzstd-dev)
pkg-config --exists snappy 2>/dev/null || need+=(libsnappy-dev)
pkg-config --exists liblz4 2>/dev/null || need+=(liblz4-dev)
# Operators' large state.
pkg-config --exists rocksdb 2>/dev/null || need+=(librocksdb-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: Swift 6.1 or later must be on PATH" >&2; exit 2; }
