#!/usr/bin/env bash
# test/loader/pgbouncer.t -- dlpg-load behind pgbouncer in transaction pooling: each
# transaction may run on another server connection, one other clients used before, so the
# loader must keep nothing on the server between transactions (no named prepared statement: a
# second run would fail with 42P05 "already exists", server_round_robin with 26000 "does not
# exist"). A private pgbouncer (pool_mode = transaction, server_round_robin = 1, 2 server
# connections) in front of the test cluster; four loaders at once over four folders (--batch 3:
# many transactions on 2 server connections), then the same four again, then a run with two
# bad files (the client's INSERT into dlpg.rejects through the pool too), one loader with
# --jobs 4 (twice): exact row counts, every exit status, no server error.
#
# Needs: a running server (libpq environment, see lib.sh; PGHOST its socket dir or a host),
# pgbouncer (Debian package pgbouncer, installed by tools/install-deps.sh: missing, the test
# FAILS), runuser (util-linux) when run as root, since pgbouncer refuses to run as root.
# TAP output: prove test/loader/pgbouncer.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 19

W=$TAP_WORK
cd "$W" || exit 1
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
if [ ! -x "$PGBOUNCER" ]; then
    not_ok "pgbouncer is installed (tools/install-deps.sh installs the Debian package pgbouncer)"
    echo "Bail out! no pgbouncer: run tools/install-deps.sh"
    exit 1
fi
ok "pgbouncer is installed ($("$PGBOUNCER" --version 2>&1 | head -n 1))"

# ---------------------------------------------------------------- a private pgbouncer
BDIR=$W/pgbouncer
mkdir -p "$BDIR"
AS=()
if [ "$(id -u)" -eq 0 ]; then
    AS=(runuser -u postgres --)
    chown postgres "$BDIR"
fi
SERVER_HOST=${PGHOST:-${PGCLUSTER_TCPHOST:-127.0.0.1}}
BPID=""
stop_bouncer() {
    # our pgbouncer only, by the pid it wrote
    if [ -n "$BPID" ] && kill -0 "$BPID" 2>/dev/null; then
        kill -INT "$BPID" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$BPID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$BPID" 2>/dev/null
    fi
    return 0
}
trap 'kill_bg; stop_bouncer; cleanup' EXIT

port_busy() { timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
# start_bouncer: on a free port of 127.0.0.1 (another one when it was taken meanwhile)
start_bouncer() {
    local attempt
    for attempt in 1 2 3 4 5 6 7 8; do
        BPORT=$((20000 + (RANDOM * 32768 + RANDOM + $$ + attempt) % 40000))
        port_busy "$BPORT" && continue
        printf '"postgres" ""\n"%s" ""\n' "${PGUSER:-postgres}" >"$BDIR/userlist.txt"
        cat >"$BDIR/pgbouncer.ini" <<INI
[databases]
* = host=$SERVER_HOST port=${PGPORT:-5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BPORT
unix_socket_dir =
auth_type = trust
auth_file = $BDIR/userlist.txt
admin_users = ${PGUSER:-postgres}
pool_mode = transaction
server_round_robin = 1
default_pool_size = 2
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 50
logfile = $BDIR/pgbouncer.log
pidfile = $BDIR/pgbouncer.pid
INI
        rm -f "$BDIR/pgbouncer.pid"
        "${AS[@]}" "$PGBOUNCER" -d "$BDIR/pgbouncer.ini" >>"$BDIR/start.out" 2>&1
        for _ in $(seq 1 50); do
            [ -s "$BDIR/pgbouncer.pid" ] && port_busy "$BPORT" && break
            sleep 0.1
        done
        BPID=$(cat "$BDIR/pgbouncer.pid" 2>/dev/null)
        if [ -n "$BPID" ] && kill -0 "$BPID" 2>/dev/null && port_busy "$BPORT"; then
            return 0
        fi
        stop_bouncer
        BPID=""
    done
    return 1
}
if start_bouncer; then
    ok "a private pgbouncer listens on 127.0.0.1:$BPORT (pool_mode = transaction, server_round_robin = 1, 2 server connections)"
else
    not_ok "a private pgbouncer starts"
    diag_file "$BDIR/start.out"
    diag_file "$BDIR/pgbouncer.log"
    echo "Bail out! pgbouncer did not start"
    exit 1
fi
# through the pool
BOUNCE=(-h 127.0.0.1 -p "$BPORT")
admin() { "${PSQL[@]}" -h 127.0.0.1 -p "$BPORT" -d pgbouncer -A -t -F '|' -c "$1"; }
is "$(admin 'SHOW CONFIG' | awk -F'|' '$1 == "pool_mode" || $1 == "server_round_robin" || $1 == "default_pool_size" { printf "%s=%s ", $1, $2 }')" \
    "default_pool_size=2 pool_mode=transaction server_round_robin=1 " "... its admin console confirms the pooling settings"

# ---------------------------------------------------------------- corpus: 4 folders of 25 logs
fixtures=("$H200"/*.log)
k=0
for f in A B C D; do
    mkdir -p "$W/$f"
    for i in $(seq -w 1 25); do
        log_with_id "${fixtures[$((k % ${#fixtures[@]}))]}" "bounce-$f-$i" "$W/$f/l$i.log"
        k=$((k + 1))
    done
done
new_db DB || { echo "Bail out! cannot create a database"; exit 1; }

# wave SUFFIX: the four loaders at once through pgbouncer; RCS their exit statuses
wave() {
    local f pids=() rc
    RCS=""
    for f in A B C D; do
        timeout 120 "$DLPG_LOAD" "${BOUNCE[@]}" -d "$DB" --batch 3 "$f" >"$W/$f$1.out" 2>"$W/$f$1.err" &
        pids+=("$!")
        BG_PIDS+=("$!")
    done
    for f in 0 1 2 3; do
        wait "${pids[$f]}"
        rc=$?
        RCS+="$rc "
    done
    RCS=${RCS% }
}
show_errs() { local f; for f in A B C D; do diag "loader $f$1:"; diag_file "$W/$f$1.err"; done; }

wave ""
is "$RCS" "0 0 0 0" "four loaders at once through pgbouncer (transaction pooling): every one exits 0" || show_errs ""
cat "$W"/[ABCD].err >"$W/wave1.err"
unlike "$W/wave1.err" 'SQLSTATE|server error|cannot prepare|connection lost' "... no server error (no 42P05, no 26000)"
is "$(q "$DB" "SELECT count(*) || ' ' || count(DISTINCT exp_id) || ' ' || count(*) FILTER (WHERE exp_id LIKE 'bounce-%') FROM dlpg.benchmarks") $(q "$DB" 'SELECT count(*) FROM dlpg.rejects')" \
    "100 100 100 0" "... 100 benchmarks, each file once, no reject"
got=""
for f in A B C D; do got+="$f:$(summary "files read" "$W/$f.err")/$(summary "benchmarks ingested" "$W/$f.err") "; done
is "${got% }" "A:25/25 B:25/25 C:25/25 D:25/25" "... each loader read and ingested its 25 files"
xacts=$(admin 'SHOW STATS' | awk -F'|' -v db="$DB" '$1 == db { print $2 }')
if [ "${xacts:-0}" -ge 36 ] 2>/dev/null; then
    ok "... pgbouncer ran their transactions ($xacts, at least 4 x 9 batches of 3)"
else
    not_ok "... pgbouncer ran their transactions (SHOW STATS total_xact_count: '${xacts:-}', expected 36 or more)"
fi

# ---------------------------------------------------------------- the same again
wave .2
is "$RCS" "0 0 0 0" "a second wave of the same four through pgbouncer: every one exits 0" || show_errs .2
cat "$W"/[ABCD].2.err >"$W/wave2.err"
unlike "$W/wave2.err" 'SQLSTATE|server error|cannot prepare|connection lost' "... no server error (no 42P05 \"already exists\")"
got=""
for f in A B C D; do got+="$(summary duplicates "$W/$f.2.err") "; done
is "${got% } $(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks') $(q "$DB" 'SELECT count(*) FROM dlpg.rejects')" \
    "25 25 25 25 100 0" "... all 100 found as duplicates, still 100 rows, no reject"

# ---------------------------------------------------------------- rejects through the pool
mkdir -p "$W/E"
: >"$W/E/empty.log"
printf '__exp.id__="caf\xe9"\n' >"$W/E/latin1.log"
tiny_log bounce-E-1 "$W/E/ok.log"
load bad "${BOUNCE[@]}" -d "$DB" --batch 2 E
rc_is 1 "through pgbouncer, a folder with an empty log and one not in UTF-8: exit 1"
is "$(q "$DB" "SELECT string_agg(source || ' ' || sqlstate, ',' ORDER BY source) FROM dlpg.rejects")" \
    "E/empty.log 22P02,E/latin1.log 22021" "... both rejected (one by dlpg.load_log, one by the client's INSERT), once each"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = 'bounce-E-1'") $(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" \
    "1 101" "... the good one loaded: 101 benchmarks"

# ---------------------------------------------------------------- --jobs 4 through the pool
# one loader, four connections sharing out the four folders, on 2 server connections
new_db DBJ || exit 1
load jobs "${BOUNCE[@]}" -d "$DBJ" --jobs 4 --batch 3 A B C D
rc_is 0 "through pgbouncer, one loader with --jobs 4 over the four folders: exit 0"
is "$(q "$DBJ" "SELECT count(*) || ' ' || count(DISTINCT exp_id) FROM dlpg.benchmarks") $(q "$DBJ" 'SELECT count(*) FROM dlpg.rejects')" \
    "100 100 0" "... 100 benchmarks, each file once, no reject"
summary_is "$LOAD_ERR" "files_read=100 benchmarks_ingested=100 duplicates=0 rejected=0" "... one summary: 100 read, 100 ingested"
load jobs2 "${BOUNCE[@]}" -d "$DBJ" --jobs 4 --batch 3 A B C D
is "$LOAD_RC $(summary duplicates)" "0 100" "... again: exit 0, 100 duplicates"

stop_bouncer
if kill -0 "$BPID" 2>/dev/null; then not_ok "pgbouncer stopped"; else ok "pgbouncer stopped (pid $BPID)"; fi
