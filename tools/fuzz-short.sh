#!/usr/bin/env bash
# Runs every fuzz target for a short while (FUZZTIME, default 10s each), one after the other,
# and fails on the first failure. The seed corpora in */testdata/fuzz run with every `go test`;
# this step looks for new inputs. A failing input is written to testdata/fuzz/<target>/ of its
# package: commit it with the fix, so that it stays a test.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-10s}"
targets=(
  "./render FuzzRender"
  "./media FuzzSniff"
  "./media FuzzImage"
  "./api FuzzDecodeJSON"
  "./store FuzzCursors"
  "./search FuzzParse"
)
# A target added to the code but not to the list above fails here, so none is forgotten.
found=$(git grep --untracked -h -o '^func Fuzz[A-Za-z0-9_]*' -- '*_test.go' | sed 's/^func //' | sort)
listed=$(printf '%s\n' "${targets[@]}" | awk '{print $2}' | sort)
if [ "$found" != "$listed" ]; then
  echo "fuzz-short: the fuzz targets in the code and in tools/fuzz-short.sh differ:" >&2
  diff <(echo "$listed") <(echo "$found") >&2 || true
  exit 1
fi
# Go's fuzzer sometimes ends with "context deadline exceeded" when the time is up while a
# worker is busy, and writes no failing input: that is not a finding, and the target is run once
# more. A real failure always writes its input to testdata/fuzz, and fails at once.
fuzz() {
  go test -run='^$' -fuzz="^$2\$" -fuzztime="$fuzztime" "$1" 2>&1 | tee /tmp/fuzz-short.$$.log
  return "${PIPESTATUS[0]}"
}
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "fuzz $name in $pkg for $fuzztime"
  if fuzz "$pkg" "$name"; then
    continue
  fi
  if grep -q 'context deadline exceeded' /tmp/fuzz-short.$$.log &&
    [ -z "$(git status --porcelain --untracked-files=all -- "$pkg/testdata/fuzz")" ]; then
    echo "fuzz-short: $name stopped at its deadline without a failing input; once more"
    fuzz "$pkg" "$name" && continue
  fi
  echo "fuzz-short: $name in $pkg failed" >&2
  rm -f /tmp/fuzz-short.$$.log
  exit 1
done
rm -f /tmp/fuzz-short.$$.log
