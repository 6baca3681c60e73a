#!/usr/bin/env bash
# The run command (README): installs what the stack needs, provisions the Temporal dev server, then runs
# `duban dev` — dev server on a SQLite file, SMTP sink with a browser mailbox, worker, web console, the 2015 plan.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "== Temporal dev server (pinned, cached in .temporal/)"
node --import tsx scripts/provision-temporal.ts
# Two malloc arenas instead of one per thread: the worker's threads (Temporal's core, libuv) otherwise keep
# ~150 MB of half-empty arenas at scale (README, Scale). Only a process's environment can set it.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node bin/duban.js dev "$@"
