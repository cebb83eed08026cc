#!/usr/bin/env bash
# Runs every test: installs missing system and Python packages (independent readers), builds (the CLI tests run the built `sluice`), tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
bash scripts/install-python-deps.sh
swift build
swift test "$@"
