#!/usr/bin/env bash
# Installs the Debian packages Sluice builds and tests with, if any is missing.
# Headers: SQLite (GRDB), zlib, bzip2, lz4, zstd. Tools: the sqlite3 shell (benchmark peer) and the
# compression CLIs (independent readers in tests), GNU time (peak memory in benchmarks), and the PostgreSQL
# server and psql (the tests start throw-away clusters with initdb/pg_ctl from /usr/lib/postgresql/*/bin;
# runuser, from util-linux, runs them as the postgres OS user when the tests run as root), and redis-server and
# redis-cli (the tests start throw-away servers and clusters on free loopback ports), and openssl (the TLS tests
# make their own CA and server certificate).
# Usage: scripts/install-system-deps.sh [PACKAGE...]   (extra packages, e.g. the benchmarks' peers pigz, pgloader)
set -euo pipefail
packages=(libsqlite3-dev zlib1g-dev libbz2-dev liblz4-dev libzstd-dev sqlite3 gzip bzip2 lz4 zstd time postgresql
  util-linux redis-server redis-tools openssl "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
