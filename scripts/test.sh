#!/usr/bin/env bash
# The test command: installs what is missing, checks formatting, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/oracles.sh
swift format lint --strict --recursive Package.swift Sources Tests Fuzz
swift build --build-tests
set +e
swift test --skip-build >.build/test-output.txt 2>&1
status=$?
set -e
# Passing tests stay in the file; failures, issues and the summaries are printed. A run
# without ../shared/conformance skips those suites: one line says so instead of one per test.
grep -vE '(passed after [0-9.]+ seconds|started)\.$' .build/test-output.txt | grep -v 'Test run with' \
  | grep -v 'skipped: "conformance suites skipped' || true
if grep -q 'skipped: "conformance suites skipped' .build/test-output.txt; then
  grep -m1 -o 'conformance suites skipped: [^"]*' .build/test-output.txt
fi
grep -E 'Test run with' .build/test-output.txt
exit "$status"
