#!/usr/bin/env bash
# Runs Stryker once per scope (all scopes, or those named as arguments), niced, one runner each.
# Each scope keeps its incremental file in mutation/incremental/, so a re-run only tests the
# mutants whose code or covering tests changed. Arguments starting with "-" go to Stryker itself,
# e.g. `--force` to re-test every mutant of a scope (see docs/testing.md: static mutants).
set -euo pipefail
cd "$(dirname "$0")/.."
scopes=()
stryker_args=()
for arg in "$@"; do
  if [[ "$arg" == -* ]]; then stryker_args+=("$arg"); else scopes+=("$arg"); fi
done
if [ ${#scopes[@]} -eq 0 ]; then
  mapfile -t scopes < <(node --input-type=module -e "import { SCOPES } from './mutation/scopes.mjs'; console.log(Object.keys(SCOPES).join('\n'))")
fi
for scope in "${scopes[@]}"; do
  echo "== mutation testing: $scope"
  MUTATION_SCOPE="$scope" nice -n 10 npx stryker run "${stryker_args[@]}"
done
# The incremental files are committed: they keep paths relative to the repository, not where it was run.
sed -i -E 's#"projectRoot": "[^"]*"#"projectRoot": "."#' mutation/incremental/*.json
