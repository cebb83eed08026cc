#!/usr/bin/env bash
# Installs the Python packages the tests use as independent readers of what Sluice writes, if any is missing:
# pyarrow and duckdb read back every Parquet file (and duckdb the CSV and JSON Lines outputs); msgpack reads the
# MessagePack values of the Redis target.
set -euo pipefail
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "installing: python3 python3-pip" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3 python3-pip >/dev/null
fi
if ! "$python" -c 'import pyarrow, duckdb, msgpack' 2>/dev/null; then
  echo "installing from PyPI: pyarrow duckdb msgpack" >&2
  # Debian's own python3 refuses system-wide pip installs unless told; a pyenv or venv python does not need it.
  "$python" -m pip install -q pyarrow duckdb msgpack 2>/dev/null \
    || "$python" -m pip install -q --break-system-packages pyarrow duckdb msgpack
fi
