# Sourced by the PostgreSQL benchmarks: a throw-away cluster on a free loopback port (default settings), run as the
# postgres OS user when we are root, stopped and removed on exit. Sets: bin, port, url (database "bench"),
# psql_bench (a psql command line for it) and sql (a function running psql on it).
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
server=$(mktemp -d /tmp/sluice-bench-pg-XXXXXX)
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$server"
  as_postgres=(runuser -u postgres --)
fi
"${as_postgres[@]}" "$bin/initdb" -D "$server/data" -U postgres -E UTF8 --locale=C --auth=trust >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_postgres[@]}" "$bin/pg_ctl" -D "$server/data" -l "$server/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -k $server" start >/dev/null
trap '"${as_postgres[@]}" "$bin/pg_ctl" -D "$server/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$server"' EXIT
url="postgres://postgres@127.0.0.1:$port/bench?sslmode=disable"
psql_bench=("$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d bench)
sql() { "${psql_bench[@]}" "$@"; }
"$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE bench"
echo "server: PostgreSQL $(sql -c 'SHOW server_version') on 127.0.0.1:$port (default settings)"
