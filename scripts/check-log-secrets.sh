#!/usr/bin/env bash
# Fails when LOG (everything a test run printed) holds any password the tests use (SECURITY.md, promise 4).
# The passwords are found in Tests/: every `password: "…"` / `superuserPassword: "…"` argument and every string
# literal of the form `NAME-secret-…`, six characters or longer, and every string literal starting `s3cr3t` (passwords
# holding characters URLs reserve, such as `s3cr3tQ?XYZ-pgcli`: unencoded `?`, `#`, `/`, `@`, or percent-encoded).
#
#   scripts/check-log-secrets.sh LOG
set -euo pipefail
log="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
passwords="$(mktemp)"
trap 'rm -f "$passwords"' EXIT
{
  grep -rhoE '(password|superuserPassword|Password): "[^"\\]{6,}"' "$root/Tests" | sed -E 's/^[^"]*"//; s/"$//'
  grep -rhoE '"[A-Za-z0-9]+(-[A-Za-z0-9]+)*-secret(-[A-Za-z0-9]+)*"' "$root/Tests" | tr -d '"'
  grep -rhoE '"s3cr3t[^"\\]{4,}"' "$root/Tests" | sed -E 's/^"//; s/"$//'
} | sort -u >"$passwords"
count="$(wc -l <"$passwords")"
if [ "$count" -lt 10 ]; then
  echo "error: found only $count test passwords in $root/Tests: the pattern no longer matches how tests name them" >&2
  exit 1
fi
if grep -n -F -f "$passwords" "$log" >&2; then
  echo "error: the lines above of $log hold a test password ($count passwords checked)" >&2
  exit 1
fi
echo "no test password in $log ($count passwords checked)"
