# shellcheck shell=bash
# tools/pgcluster.sh -- a private, throw-away PostgreSQL 15 cluster for tests and benchmarks.
#
# SOURCE this file (do not execute it), then:
#
#   pgcluster_start [dir]   initdb + start a cluster in a fresh temp dir (or in dir, which must
#                           be absent or empty); exports PGHOST PGPORT PGUSER PGDATABASE
#                           PGCLUSTER_DIR (and PGCLUSTER_BINDIR, PGCLUSTER_LOG, PGCLUSTER_TCPHOST)
#   pgcluster_stop          stop it (fast, then immediate) and remove its dir; safe to call
#                           twice or when nothing was started.  Use: trap pgcluster_stop EXIT
#   pgcluster_psql [args]   psql -X -v ON_ERROR_STOP=1 against the cluster
#
# The cluster never touches a system cluster: its data, unix socket and log all live in the
# private dir, and the binaries are taken from $(pg_config --bindir) (PostgreSQL 15 on Debian:
# /usr/lib/postgresql/15/bin), not $PATH.
# Run as root, the cluster is owned by and runs as the `postgres` OS user (initdb refuses root);
# clients run as root and connect as PGUSER=postgres over the socket (trust auth).
# It also listens on TCP, loopback only (127.0.0.1, same port, exported as PGCLUSTER_TCPHOST),
# for clients that cannot use a unix socket (JDBC); pg_hba.conf trusts the socket and
# 127.0.0.1/32 and nothing else. A port already taken on 127.0.0.1 is skipped.
#
# Knobs (environment):
#   PG_CONFIG              pg_config to ask for the bindir (default: pg_config)
#   PGCLUSTER_KEEP=1       pgcluster_stop keeps the dir (data + postgres.log) for inspection
#   PGCLUSTER_EXTRA_CONF   extra lines appended to postgresql.conf (e.g. "work_mem = '64MB'")
#   PGCLUSTER_QUIET=1      no progress messages on stderr
#   PGCLUSTER_SERVER_ENV   NAME=value words (separated by blanks or newlines; a value cannot hold
#                          a blank) put in the environment of `pg_ctl start` only, so the server
#                          and its backends get them and initdb and clients do not, e.g.
#                          "LD_PRELOAD=/path/libasan.so ASAN_OPTIONS=detect_leaks=0"
#   PGCLUSTER_POSTGRES     the postgres executable pg_ctl starts (pg_ctl -p), e.g. a copy in a
#                          private install tree or a script that execs postgres under valgrind;
#                          default: the postgres next to pg_ctl
#   PGCLUSTER_TIMEOUT      seconds pg_ctl waits for the server to start or stop (default 60)

_pgcluster_msg() {
    [ "${PGCLUSTER_QUIET:-0}" = 1 ] || echo "pgcluster: $*" >&2
}

_pgcluster_bindir() {
    local bindir=""
    bindir=$("${PG_CONFIG:-pg_config}" --bindir 2>/dev/null) || bindir=""
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
        # pg_config may be the client-only one; the server binaries live here on Debian.
        bindir=/usr/lib/postgresql/15/bin
    fi
    if [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
        echo "pgcluster: no initdb/pg_ctl in $bindir (install postgresql-15: tools/install-deps.sh)" >&2
        return 1
    fi
    printf '%s\n' "$bindir"
}

# Run a command as the cluster owner: `postgres` when we are root, else ourselves.
_pgcluster_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# Is something listening on 127.0.0.1:$1? (a bash /dev/tcp connect; refused -> free)
_pgcluster_tcp_port_busy() {
    local port=$1
    if command -v timeout >/dev/null 2>&1; then
        timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
    else
        bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
    fi
}

pgcluster_start() {
    local dir="${1:-}" bindir owner port attempt created=0 log word timeout
    local -a server_env=() server_opts=()

    if [ -n "${PGCLUSTER_DIR:-}" ] && [ -d "${PGCLUSTER_DIR}/data" ]; then
        echo "pgcluster: a cluster is already running in $PGCLUSTER_DIR (pgcluster_stop first)" >&2
        return 1
    fi
    bindir=$(_pgcluster_bindir) || return 1

    timeout=${PGCLUSTER_TIMEOUT:-60}
    case "$timeout" in ''|*[!0-9]*|0) echo "pgcluster: PGCLUSTER_TIMEOUT must be a positive number of seconds" >&2; return 1 ;; esac
    if [ -n "${PGCLUSTER_SERVER_ENV:-}" ]; then
        IFS=$' \t\n' read -r -d '' -a server_env <<<"$PGCLUSTER_SERVER_ENV" || true
        for word in "${server_env[@]}"; do
            if ! [[ "$word" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
                echo "pgcluster: PGCLUSTER_SERVER_ENV: not NAME=value: $word" >&2
                return 1
            fi
        done
        server_env=(env "${server_env[@]}")
    fi
    if [ -n "${PGCLUSTER_POSTGRES:-}" ]; then
        if [ ! -x "$PGCLUSTER_POSTGRES" ]; then
            echo "pgcluster: PGCLUSTER_POSTGRES is not an executable: $PGCLUSTER_POSTGRES" >&2
            return 1
        fi
        server_opts=(-p "$PGCLUSTER_POSTGRES")
    fi

    if [ "$(id -u)" -eq 0 ]; then
        owner=postgres
        if ! id -u postgres >/dev/null 2>&1; then
            echo "pgcluster: running as root but there is no 'postgres' OS user (install postgresql-15)" >&2
            return 1
        fi
    else
        owner=$(id -un)
    fi

    if [ -z "$dir" ]; then
        # as root the server runs as postgres, which must reach the dir: use /tmp, not $TMPDIR
        if [ "$(id -u)" -eq 0 ]; then
            dir=$(mktemp -d /tmp/dlpg-pg.XXXXXX) || return 1
        else
            dir=$(mktemp -d "${TMPDIR:-/tmp}/dlpg-pg.XXXXXX") || return 1
        fi
        created=1
    else
        if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
            echo "pgcluster: $dir exists and is not empty" >&2
            return 1
        fi
        mkdir -p "$dir" || return 1
        created=1
    fi
    dir=$(cd "$dir" && pwd -P) || return 1
    # unix socket paths are limited to 107 bytes: "<dir>/.s.PGSQL.NNNNN" must fit
    if [ ${#dir} -gt 85 ]; then
        echo "pgcluster: path too long for a unix socket: $dir" >&2
        [ "$created" = 1 ] && rm -rf "$dir"
        return 1
    fi
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$owner": "$dir"
        if ! _pgcluster_as_owner test -w "$dir"; then
            echo "pgcluster: user $owner cannot reach $dir (a parent dir is not traversable)" >&2
            rm -rf "$dir"
            return 1
        fi
    fi
    log="$dir/postgres.log"

    _pgcluster_msg "initdb in $dir (as $owner, $bindir)"
    if ! _pgcluster_as_owner "$bindir/initdb" -D "$dir/data" --auth=trust --encoding=UTF8 \
            --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
        echo "pgcluster: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        return 1
    fi

    _pgcluster_as_owner sh -c "cat >> '$dir/data/postgresql.conf'" <<EOF

# ---- tools/pgcluster.sh: private test cluster ----
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
max_connections = 50
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
lc_messages = 'C'
timezone = 'UTC'
log_timezone = 'UTC'
${PGCLUSTER_EXTRA_CONF:-}
EOF

    # Trust the private socket and loopback TCP only (initdb's file also has ::1 and
    # replication lines; we listen on neither).
    _pgcluster_as_owner sh -c "cat > '$dir/data/pg_hba.conf'" <<EOF
# tools/pgcluster.sh: private test cluster
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF

    # The socket lives in our private dir, but the TCP port is shared with the whole machine:
    # pick a random port, skip one that something already listens on at 127.0.0.1, and retry
    # when the start fails (a port taken between the check and the bind, a clash on the SysV
    # shared memory key, a stale lock).
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$((54320 + RANDOM % 10000))
        [ -e "/tmp/.s.PGSQL.$port" ] && continue
        if _pgcluster_tcp_port_busy "$port"; then
            _pgcluster_msg "port $port is in use on 127.0.0.1 (attempt $attempt), trying another"
            continue
        fi
        if _pgcluster_as_owner "${server_env[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$log" \
                "${server_opts[@]}" -o "-p $port" -w -t "$timeout" -s start; then
            export PGCLUSTER_DIR="$dir"
            export PGCLUSTER_BINDIR="$bindir"
            export PGCLUSTER_LOG="$log"
            export PGCLUSTER_TCPHOST=127.0.0.1
            export PGHOST="$dir"
            export PGPORT="$port"
            export PGUSER="$owner"
            export PGDATABASE=postgres
            unset PGHOSTADDR PGSERVICE PGPASSWORD PGSSLMODE PGOPTIONS 2>/dev/null || true
            if ! "$bindir/pg_isready" -q -t 30 || ! "$bindir/pg_isready" -q -t 30 -h 127.0.0.1; then
                echo "pgcluster: server started but pg_isready (socket or 127.0.0.1) fails; log:" >&2
                tail -n 30 "$log" >&2
                pgcluster_stop
                return 1
            fi
            _pgcluster_msg "running: PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER"
            return 0
        fi
        _pgcluster_msg "start on port $port failed (attempt $attempt), retrying"
        # make sure a half-started server is gone before the next try
        _pgcluster_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -s stop >/dev/null 2>&1 || true
    done
    echo "pgcluster: could not start the server; last log lines:" >&2
    tail -n 30 "$log" >&2 2>/dev/null || true
    rm -rf "$dir"
    return 1
}

pgcluster_stop() {
    local dir="${PGCLUSTER_DIR:-}" bindir timeout=${PGCLUSTER_TIMEOUT:-60}
    [ -n "$dir" ] || return 0
    case "$timeout" in ''|*[!0-9]*|0) timeout=60 ;; esac
    bindir="${PGCLUSTER_BINDIR:-}"
    [ -n "$bindir" ] || bindir=$(_pgcluster_bindir 2>/dev/null) || bindir=/usr/lib/postgresql/15/bin
    if [ -f "$dir/data/postmaster.pid" ]; then
        if ! _pgcluster_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t "$timeout" -s stop >/dev/null 2>&1; then
            _pgcluster_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 -s stop >/dev/null 2>&1 || true
        fi
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
        # still there: kill the postmaster by its pid (never by name)
        local pid
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        case "$pid" in ''|*[!0-9]*) ;; *) kill -KILL "$pid" 2>/dev/null || true ;; esac
    fi
    if [ "${PGCLUSTER_KEEP:-0}" = 1 ]; then
        _pgcluster_msg "stopped; kept $dir"
    else
        rm -rf "$dir"
        _pgcluster_msg "stopped and removed $dir"
    fi
    unset PGCLUSTER_DIR PGCLUSTER_LOG PGCLUSTER_TCPHOST
    if [ "${PGHOST:-}" = "$dir" ]; then
        unset PGHOST PGPORT
    fi
    return 0
}

pgcluster_psql() {
    if [ -z "${PGCLUSTER_DIR:-}" ]; then
        echo "pgcluster: no cluster running (pgcluster_start first)" >&2
        return 1
    fi
    "${PGCLUSTER_BINDIR:-/usr/lib/postgresql/15/bin}/psql" -X -q -v ON_ERROR_STOP=1 "$@"
}
