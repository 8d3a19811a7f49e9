#!/usr/bin/env bash
# Creates .venv-mlflow/: MLflow 3.17.2 (the tracking server the MLflow tests start, and the Python client that reads
# what recpipe logged) with pyspark 4.0.5 in one venv, so a test can call mlflow.spark.load_model("runs:/<id>/model")
# on a classic local[1] session (mlflow.spark needs pyspark in the same interpreter). 3.17.2 is pinned because 3.18.0
# needs mlflow-tracing==3.18.0, which PyPI does not serve here. pip resolves mlflow's own pins (pyarrow, pandas,
# numpy, ...) beside pyspark's; `pip check` below fails the script if a pin is broken.
#
# Usage: bash scripts/setup-mlflow-venv.sh        Idempotent: a venv that already imports both pins is left alone.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python_bin="${PYTHON:-python3}"
venv="$repo_root/.venv-mlflow"
start=$(date +%s)
MLFLOW=3.17.2
PYSPARK=4.0.5

has_pins() {
  [ -x "$venv/bin/python" ] && "$venv/bin/python" - "$MLFLOW" "$PYSPARK" <<'PY' 2>/dev/null
import sys
import mlflow, pyspark
sys.exit(0 if (mlflow.__version__, pyspark.__version__) == (sys.argv[1], sys.argv[2]) else 1)
PY
}

if has_pins; then
  echo "setup-mlflow-venv: .venv-mlflow already has mlflow $MLFLOW and pyspark $PYSPARK; nothing to do"
  exit 0
fi
[ -x "$venv/bin/python" ] || { echo "setup-mlflow-venv: creating .venv-mlflow with $("$python_bin" --version 2>&1)"; "$python_bin" -m venv "$venv"; }
echo "setup-mlflow-venv: installing mlflow==$MLFLOW pyspark==$PYSPARK"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "mlflow==$MLFLOW" "pyspark==$PYSPARK"
"$venv/bin/python" -m pip check --disable-pip-version-check
has_pins || { echo "setup-mlflow-venv: mlflow $MLFLOW / pyspark $PYSPARK still not importable from .venv-mlflow" >&2; exit 1; }
"$venv/bin/python" -c 'import mlflow, pyspark, pyarrow, sys; print("setup-mlflow-venv: python %s, mlflow %s, pyspark %s, pyarrow %s" % (sys.version.split()[0], mlflow.__version__, pyspark.__version__, pyarrow.__version__))'
echo "setup-mlflow-venv: done in $(( $(date +%s) - start ))s"
