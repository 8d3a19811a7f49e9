#!/usr/bin/env bash
# One command for the whole comparison: recpipe ALS vs Spark ALS (pyspark local[2]) vs benfred/implicit.
#   bash bench/compare/run.sh                      100k and 10M, median of 3 runs at 100k, 1 run at 10M
#   bash bench/compare/run.sh --sizes 100k         only the ~100k cases
#   bash bench/compare/run.sh --runs 5 --runs-10m 3
# Sets up .venv (pyspark + implicit, idempotent), builds recpipe, writes the data once to .bench-data/compare/
# (generated from ../shared/data and a seeded generator; reused when present), runs everything through
# bench/compare/driver.py, prints the markdown table and writes bench/RESULTS-compare.md.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
shared="${RECPIPE_SHARED:-$(cd "$repo_root/.." && pwd)/shared}"
if [ ! -d "$shared/data" ]; then
  echo "bench/compare: no shared data at $shared/data (set RECPIPE_SHARED to the folder holding data/)" >&2
  exit 1
fi
data="${BENCH_COMPARE_DATA:-$repo_root/.bench-data/compare}"

sizes="100k,10M"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = "--sizes" ] && sizes="${args[$((i + 1))]}"; done
datasets=""
[[ ",$sizes," == *",100k,"* ]] && datasets="ml100k,lastfm"
[[ ",$sizes," == *",10M,"* ]] && datasets="${datasets:+$datasets,}synth10m"

bash scripts/setup-bench-venv.sh >&2
npm run build --silent >&2
.venv/bin/python bench/compare/prepare.py --out "$data" --datasets "$datasets" --shared "$shared"
.venv/bin/python bench/compare/driver.py --data "$data" --command "bash bench/compare/run.sh $*" "$@"
