#!/usr/bin/env bash
# meshc run against DuckDB with one thread on the same generated orders, in one run:
# builds meshc in release mode, makes the oracles' virtual environment (DuckDB) when it
# is missing, and prints both figures and their ratio.
#
#   scripts/bench-pipeline-peers.sh [RECORDS] [JOIN_RECORDS] [JOIN_KEYS]
# (the second command times the join operators, `meshc bench join`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/oracles/bin/python ] || bash scripts/oracles.sh
swift build -c release --product meshc >/dev/null
MESHC_PEER_PYTHON=.venv/oracles/bin/python .build/release/meshc bench pipeline --records "${1:-1000000}"
MESHC_PEER_PYTHON=.venv/oracles/bin/python .build/release/meshc bench join --records "${2:-10000000}" --keys "${3:-1000000}"
