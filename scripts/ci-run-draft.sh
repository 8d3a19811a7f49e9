#!/usr/bin/env bash
# Draft of the Spark-interop part of .ci/run (the lead owns .ci/run and merges these steps into it).
# CI runs with CI=true: test/interop/spark-env.ts then FAILS the Spark tests if the venv is missing instead of
# skipping them, so the venv step below must run before vitest.
# Expected cost on the 2-core CI machine: venv 64 s on a fresh machine (0 s when .venv is already there),
# Spark interop tests about 30 s (JVM start 3-7 s, first ALSModel.load + transform about 10 s).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { echo "== $1"; step_start=$(date +%s); }
done_step() { echo "== $1 took $(( $(date +%s) - step_start ))s"; }

step "java"
if ! command -v java >/dev/null 2>&1; then
  # Debian's JDK; only the package registry is contacted.
  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
java -version 2>&1 | head -1
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [ "${java_major:-0}" -lt 17 ]; then echo "Spark interop needs Java 17+, found ${java_major:-none}" >&2; exit 1; fi
done_step "java"

step "spark venv"
bash scripts/setup-spark-venv.sh
done_step "spark venv"

step "node deps"
[ -d node_modules ] || npm ci --no-audit --no-fund
done_step "node deps"

step "spark interop tests"
CI=true npx vitest run test/interop
done_step "spark interop tests"
