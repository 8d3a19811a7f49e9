#!/usr/bin/env bash
# Adds benfred/implicit (CPU ALS, the library bench/compare/ measures recpipe against) to the pyspark venv that
# scripts/setup-spark-venv.sh makes in .venv/. Only PyPI is contacted.
#
# implicit 0.7.3 ships a manylinux2014 x86_64 wheel for CPython 3.11 (nothing is compiled). numpy stays pinned at
# setup-spark-venv.sh's 1.26.4 (pyspark 3.5 predates numpy 2); pip picks a scipy that accepts it.
#
# Idempotent: when .venv/bin/python already imports the pinned implicit, nothing is installed.
set -euo pipefail

IMPLICIT_VERSION="0.7.3"
NUMPY_VERSION="1.26.4"
# pandas for bench/compare/pandas_implicit_e2e.py (the end-to-end script recpipe is timed against); 2.2 supports numpy 1.26
PANDAS_VERSION="2.2.3"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/.venv"
start=$(date +%s)

bash "$repo_root/scripts/setup-spark-venv.sh"

have_pinned() {
  "$venv/bin/python" - "$IMPLICIT_VERSION" "$PANDAS_VERSION" <<'PY' 2>/dev/null
import sys
import implicit, scipy, threadpoolctl, pandas  # noqa: F401
from implicit.cpu.als import AlternatingLeastSquares  # noqa: F401
sys.exit(0 if implicit.__version__ == sys.argv[1] and pandas.__version__ == sys.argv[2] else 1)
PY
}

if have_pinned; then
  echo "setup-bench-venv: $venv already has implicit $IMPLICIT_VERSION; nothing to do"
else
  echo "setup-bench-venv: installing implicit==$IMPLICIT_VERSION and pandas==$PANDAS_VERSION (numpy held at $NUMPY_VERSION)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --only-binary=:all: \
    "implicit==$IMPLICIT_VERSION" "pandas==$PANDAS_VERSION" "numpy==$NUMPY_VERSION" threadpoolctl
  have_pinned || { echo "setup-bench-venv: implicit still not importable from $venv" >&2; exit 1; }
fi
"$venv/bin/python" -c 'import implicit, scipy, numpy, pandas, sys; print("setup-bench-venv: python %s, implicit %s, scipy %s, numpy %s, pandas %s" % (sys.version.split()[0], implicit.__version__, scipy.__version__, numpy.__version__, pandas.__version__))'
echo "setup-bench-venv: done in $(( $(date +%s) - start ))s"
