#!/usr/bin/env bash
# The independent oracles of the test suite — fastavro, pyarrow, DuckDB from PyPI — in a
# virtual environment at .venv/oracles. Idempotent; without network the oracle tests say
# that they skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
venv=.venv/oracles
packages=(fastavro cramjam backports.zstd pyarrow duckdb)
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import fastavro, cramjam, backports.zstd, pyarrow, duckdb" 2>/dev/null; then
  exit 0
fi
command -v python3 >/dev/null || { echo "oracles: python3 is missing; oracle tests will skip" >&2; exit 0; }
python3 -c "import venv, ensurepip" 2>/dev/null || {
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq python3-venv >/dev/null 2>&1 || true
}
echo "oracles: installing ${packages[*]} into $venv" >&2
python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "${packages[@]}" \
  || echo "oracles: could not install ${packages[*]}; oracle tests will skip" >&2
