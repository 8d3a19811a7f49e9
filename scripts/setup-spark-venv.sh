#!/usr/bin/env bash
# Creates .venv/ in the repo root with the real Apache Spark (pyspark) used by the interop tests
# (test/interop/spark). Only PyPI is contacted: the pyspark package ships Spark's jars itself, and
# the JVM is the machine's `java` (17).
#
# Versions: pyspark 3.5.x because recpipe writes metadata claiming sparkVersion 3.5.x and the
# Spark-saved models the tests read are 3.0.2/3.5.1/3.5.8; 3.5 supports Java 8/11/17 and
# Python 3.8-3.12. (4.x would also run on Java 17, but it is a different reader/writer than the one we
# claim to be compatible with.) numpy < 2 because pyspark 3.5's python side predates numpy 2.
#
# Idempotent: if .venv/bin/python already imports the pinned pyspark, nothing is installed.
set -euo pipefail

PYSPARK_VERSION="3.5.8"
PYARROW_VERSION="17.0.0"
NUMPY_VERSION="1.26.4"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/.venv"
python_bin="${PYTHON:-python3}"
start=$(date +%s)

have_pinned() {
  [ -x "$venv/bin/python" ] && "$venv/bin/python" - "$PYSPARK_VERSION" <<'PY' 2>/dev/null
import sys
import pyspark, pyarrow, numpy  # noqa: F401
sys.exit(0 if pyspark.__version__ == sys.argv[1] else 1)
PY
}

if have_pinned; then
  echo "setup-spark-venv: $venv already has pyspark $PYSPARK_VERSION; nothing to do"
else
  if [ ! -x "$venv/bin/python" ]; then
    echo "setup-spark-venv: creating $venv with $("$python_bin" --version 2>&1)"
    "$python_bin" -m venv "$venv"
  fi
  echo "setup-spark-venv: installing pyspark==$PYSPARK_VERSION pyarrow==$PYARROW_VERSION numpy==$NUMPY_VERSION"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    "pyspark==$PYSPARK_VERSION" "pyarrow==$PYARROW_VERSION" "numpy==$NUMPY_VERSION"
  have_pinned || { echo "setup-spark-venv: pyspark still not importable from $venv" >&2; exit 1; }
fi

if command -v java >/dev/null 2>&1; then
  echo "setup-spark-venv: java: $(java -version 2>&1 | head -1)"
else
  echo "setup-spark-venv: WARNING: no java on PATH; Spark cannot start" >&2
fi
"$venv/bin/python" -c 'import pyspark, pyarrow, numpy, sys; print("setup-spark-venv: python %s, pyspark %s, pyarrow %s, numpy %s" % (sys.version.split()[0], pyspark.__version__, pyarrow.__version__, numpy.__version__))'
echo "setup-spark-venv: done in $(( $(date +%s) - start ))s"
