#!/usr/bin/env bash
# The test command: installs what is missing, checks formatting, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift format lint --strict --recursive Package.swift Sources Tests
swift build --build-tests
set +e
swift test --skip-build >.build/test-output.txt 2>&1
status=$?
set -e
# Passing tests stay in the file; failures, issues and the summaries are printed.
grep -vE '(passed after [0-9.]+ seconds|started)\.$' .build/test-output.txt | grep -v 'Test run with' || true
grep -E 'Test run with' .build/test-output.txt
exit "$status"
