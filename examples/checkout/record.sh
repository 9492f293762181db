#!/usr/bin/env bash
# Re-record the example's cassettes against pytest-talon's own fake server (never a live deployment).
# The plugin sees the target is a talon-fake server: each test records against a fresh Application of its own,
# copied from the server's start (its campaigns), and deleted after the test, so fixed ids record the answers fake
# mode gives; this holds under xdist too (add -n 2), and the run header says so.
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp)
talon-fake serve --port 0 --campaigns campaigns.yaml --api-key example-recording-key >"$out" 2>/dev/null &
server=$!
trap 'kill $server' EXIT
until grep -q http "$out"; do sleep 0.1; done
rm -rf cassettes
TALON_BASE_URL=$(grep -o 'http://[0-9.:]*' "$out") TALON_API_KEY=example-recording-key \
  pytest --talon-mode=record --talon-allow-live -q
