#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need, provisions the Temporal servers, then runs
# types, lint and the whole vitest suite, ending with one plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

phase() { printf '\n== %s\n' "$1"; phase_started=$SECONDS; }
done_phase() { printf '   (%s s)\n' "$((SECONDS - phase_started))"; }

phase 'npm ci'
npm ci --no-audit --no-fund --loglevel=error
done_phase

phase 'Temporal servers (pinned, cached in .temporal/)'
node --import tsx scripts/provision-temporal.ts
done_phase

phase 'Chromium for the browser tests (Debian package)'
# Without Chromium only the browser tests fail (each says why); everything else still runs.
if CHROMIUM_PATH="$(scripts/install-chromium.sh)"; then
  export CHROMIUM_PATH
  echo "$CHROMIUM_PATH"
else
  echo "Chromium unavailable: the browser tests will fail"
fi
done_phase

phase 'types and lint'
npx tsc --noEmit
npx eslint .
done_phase

phase 'tests'
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?
done_phase

node scripts/count-test-results.js test-results/vitest.json || status=1
exit "$status"
