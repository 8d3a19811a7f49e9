#!/usr/bin/env bash
# Creates the Python venvs with real Apache Spark (pyspark from PyPI; the wheel ships Spark's jars, so only PyPI is
# contacted and the JVM is the machine's `java`, 17):
#   .venv/            pyspark 3.5.8: the local Spark-layout interop tests (recpipe writes sparkVersion 3.5.x metadata;
#                     the reference artefacts are 3.0.2/3.5.1/3.5.8). numpy < 2: pyspark 3.5's python side predates it.
#   .venv-spark-4.0/  pyspark 4.0.5: the oldest Spark Connect line recpipe supports (ML over Connect arrived in 4.0),
#                     the Spark 4.0 model loaders, and PySpark's own Connect client for bench/spark-connect.
#   .venv-spark-4.3/  pyspark 4.3.0: the newest 4.x on PyPI; runs on Java 17 (checked by starting a Connect server).
# The 4.x venvs also carry PySpark's Connect-client extras (grpcio, grpcio-status, googleapis-common-protos,
# zstandard, pandas, pyarrow), which its `spark.ml` over Connect needs.
#
# Usage: bash scripts/setup-spark-venv.sh [3.5|4.0|4.3]...   (default: all three)
# Idempotent: a venv that already imports its pinned pyspark is left alone.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python_bin="${PYTHON:-python3}"
start=$(date +%s)

CONNECT_EXTRAS=(grpcio==1.76.0 grpcio-status==1.76.0 googleapis-common-protos==1.72.0 zstandard==0.25.0 pandas==2.3.3 pyarrow==21.0.0)

venv_for() { # version -> directory, pyspark pin, extra packages
  case "$1" in
    3.5) echo ".venv pyspark==3.5.8 pyarrow==17.0.0 numpy==1.26.4" ;;
    4.0) echo ".venv-spark-4.0 pyspark==4.0.5 ${CONNECT_EXTRAS[*]}" ;;
    4.3) echo ".venv-spark-4.3 pyspark==4.3.0 ${CONNECT_EXTRAS[*]}" ;;
    *) echo "setup-spark-venv: unknown Spark line '$1' (expected 3.5, 4.0 or 4.3)" >&2; return 1 ;;
  esac
}

has_pin() { # python pyspark-version
  [ -x "$1" ] && "$1" - "$2" <<'PY' 2>/dev/null
import sys
import pyspark, pyarrow  # noqa: F401
sys.exit(0 if pyspark.__version__ == sys.argv[1] else 1)
PY
}

setup_one() {
  local spec dir pin version venv
  spec=$(venv_for "$1") || return 1
  read -r dir pin rest <<<"$spec"
  version=${pin#pyspark==}
  venv="$repo_root/$dir"
  if has_pin "$venv/bin/python" "$version"; then
    echo "setup-spark-venv: $dir already has pyspark $version; nothing to do"
    return 0
  fi
  [ -x "$venv/bin/python" ] || { echo "setup-spark-venv: creating $dir with $("$python_bin" --version 2>&1)"; "$python_bin" -m venv "$venv"; }
  echo "setup-spark-venv: installing into $dir: $pin $rest"
  # shellcheck disable=SC2086
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input $pin $rest
  has_pin "$venv/bin/python" "$version" || { echo "setup-spark-venv: pyspark $version still not importable from $dir" >&2; return 1; }
  "$venv/bin/python" -c 'import pyspark, pyarrow, sys; print("setup-spark-venv: %s: python %s, pyspark %s, pyarrow %s" % (sys.prefix, sys.version.split()[0], pyspark.__version__, pyarrow.__version__))'
}

lines=("$@"); [ ${#lines[@]} -gt 0 ] || lines=(3.5 4.0 4.3)
for l in "${lines[@]}"; do setup_one "$l"; done

if command -v java >/dev/null 2>&1; then
  echo "setup-spark-venv: java: $(java -version 2>&1 | head -1)"
else
  echo "setup-spark-venv: WARNING: no java on PATH; Spark cannot start" >&2
fi
echo "setup-spark-venv: done in $(( $(date +%s) - start ))s"
