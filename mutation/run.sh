#!/usr/bin/env bash
# Runs Stryker once per scope (all scopes, or those named as arguments), niced, one runner each.
# Each scope keeps its incremental file in mutation/incremental/, so a re-run only tests the
# mutants whose code or covering tests changed. Arguments starting with "-" go to Stryker itself,
# e.g. `--force` to re-test every mutant of a scope (see docs/testing.md: static mutants).
# `--retry-timeouts` re-tests only the mutants whose last result was a timeout: on a loaded machine a
# mutant the tests do not notice can still run out of time, and a timeout counts as detected.
set -euo pipefail
cd "$(dirname "$0")/.."
scopes=()
stryker_args=()
retry_timeouts=false
for arg in "$@"; do
  if [[ "$arg" == --retry-timeouts ]]; then retry_timeouts=true
  elif [[ "$arg" == -* ]]; then stryker_args+=("$arg")
  else scopes+=("$arg"); fi
done
if [ ${#scopes[@]} -eq 0 ]; then
  mapfile -t scopes < <(node --input-type=module -e "import { SCOPES } from './mutation/scopes.mjs'; console.log(Object.keys(SCOPES).join('\n'))")
fi
for scope in "${scopes[@]}"; do
  echo "== mutation testing: $scope"
  if $retry_timeouts && [ -f "mutation/incremental/$scope.json" ]; then
    # An incremental run tests every mutant it has no result for.
    node --input-type=module -e "
      import { readFileSync, writeFileSync } from 'node:fs';
      const file = 'mutation/incremental/$scope.json';
      const report = JSON.parse(readFileSync(file, 'utf8'));
      let dropped = 0;
      for (const entry of Object.values(report.files)) {
        const kept = entry.mutants.filter((m) => m.status !== 'Timeout');
        dropped += entry.mutants.length - kept.length;
        entry.mutants = kept;
      }
      writeFileSync(file, JSON.stringify(report, null, 2));
      console.log(dropped + ' timed-out mutants to test again');
    "
  fi
  MUTATION_SCOPE="$scope" nice -n 10 npx stryker run "${stryker_args[@]}"
done
# The incremental files are committed: they keep paths relative to the repository, not where it was run.
sed -i -E 's#"projectRoot": "[^"]*"#"projectRoot": "."#' mutation/incremental/*.json
