#!/usr/bin/env bash
# Copies Spark Connect's .proto files from the spark-connect jar inside a pyspark wheel into
# src/engines/spark-connect/proto/, then regenerates the TypeScript in src/engines/spark-connect/gen/ (npm run gen:spark-connect).
# The protos must come from ONE released Spark tag: the jar of a released wheel is exactly that.
# Usage: bash scripts/vendor-spark-protos.sh [PYTHON]   (default: .venv-spark-4.0/bin/python, made by setup-spark-venv.sh)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${1:-$repo_root/.venv-spark-4.0/bin/python}"
home=$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
version=$("$py" -c 'import pyspark; print(pyspark.__version__)')
jar=$(ls "$home"/jars/spark-connect_2.13-"$version".jar)
out="$repo_root/src/engines/spark-connect/proto"
rm -rf "$out/spark" "$repo_root/src/engines/spark-connect/gen/spark" && mkdir -p "$out"
(cd "$out" && unzip -q -o "$jar" 'spark/connect/*.proto')
echo "$version" >"$out/SPARK_VERSION"
echo "vendor-spark-protos: $(ls "$out/spark/connect" | wc -l) files from $(basename "$jar") into src/engines/spark-connect/proto"
cd "$repo_root" && npm run gen:spark-connect
