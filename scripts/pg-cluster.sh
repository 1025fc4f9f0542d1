#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benches (docs/decisions/0027-postgresql.md).
#
#   scripts/pg-cluster.sh start [dir]   installs Debian's postgresql when initdb is missing, creates a
#                                       cluster in a temporary directory owned by `postgres`, starts it
#                                       on a free local port and prints its URL (postgresql://…/postgres)
#   scripts/pg-cluster.sh stop <dir>    stops the cluster and removes its directory
#   scripts/pg-cluster.sh url <dir>     prints the URL of a running cluster
#
# The directory is printed on stderr by start and kept in <dir>/url; `stop` takes it.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cmd=${1:-}
case "$cmd" in
  start)
    if ! bin=$(bindir); then
      echo "installing postgresql from Debian's packages…" >&2
      $SUDO apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
      bin=$(bindir) || { echo "postgresql installed but no initdb found" >&2; exit 1; }
    fi
    dir=${2:-$(mktemp -d /tmp/hub-pg-XXXXXX)}
    mkdir -p "$dir"
    $SUDO chown postgres:postgres "$dir" 2>/dev/null || chown postgres:postgres "$dir"
    chmod 700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      # fsync off: a throwaway cluster for tests; nothing in it needs to survive a crash
      if as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
        url="postgresql://postgres@127.0.0.1:$port/postgres"
        echo "$url" | as_postgres tee "$dir/url" >/dev/null
        echo "$dir" >&2
        echo "$url"
        exit 0
      fi
      tail -5 "$dir/log" >&2 || true
    done
    echo "could not start PostgreSQL" >&2
    exit 1
    ;;
  stop)
    dir=${2:?usage: pg-cluster.sh stop <dir>}
    bin=$(bindir) || exit 0
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  url)
    cat "${2:?usage: pg-cluster.sh url <dir>}/url"
    ;;
  *)
    echo "usage: scripts/pg-cluster.sh start [dir] | stop <dir> | url <dir>" >&2
    exit 2
    ;;
esac
