#!/usr/bin/env bash
# test/loader/crash.t -- crash recovery over a corpus of 3000 logs (--batch 50):
#   (a) dlpg-load killed with SIGKILL in the middle of a run: whole batches only are stored, and
#       running the same command again completes the job (exit 0, each benchmark once);
#   (b) the server crashes (pg_ctl stop -m immediate) in the middle of a run: the loader exits 2,
#       says the connection was lost and how many batches were committed; after a restart (same
#       data dir, port and socket) exactly those benchmarks are there, and running the same
#       command again completes the job (exit 0, each benchmark once, no rejects).
# The mid-run point is made certain rather than raced for: a session holds an uncommitted
# benchmark with the exp.id of file 1475 (INSERT of the same key waits for it), so the loader
# commits 29 batches (1450 files) and stops inside the 30th, waiting on that lock; it is killed
# (or the server crashed) while it waits.
#
# Part (b) needs the private cluster of tools/pgcluster.sh (PGCLUSTER_DIR, PGCLUSTER_BINDIR,
# PGCLUSTER_LOG; PGHOST its socket dir), which it crashes and restarts the way pgcluster_start
# starts it (as the owner of the data dir, PGCLUSTER_SERVER_ENV, PGCLUSTER_POSTGRES, the same
# port); without one it is skipped. The server is running again when the test exits, whatever
# happened (EXIT trap): the loader tests after this one use it.
#
# Needs: a running server (libpq environment, see lib.sh) whose PGUSER is a superuser
# (pg_terminate_backend, pg_cancel_backend), runuser (util-linux) when run as root.
# TAP output: prove test/loader/crash.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 24

W=$TAP_WORK
cd "$W" || exit 1
N=3000             # logs in the corpus
BATCH=50
HOLD=1475          # the file whose exp.id a session holds: the 30th batch (1451..1500) waits
WAIT=60            # seconds any single wait may take

# ---------------------------------------------------------------- the private cluster
CRASH_OK=0
if [ -n "${PGCLUSTER_DIR:-}" ] && [ -f "$PGCLUSTER_DIR/data/postmaster.pid" ] &&
   [ -n "${PGCLUSTER_BINDIR:-}" ] && [ -x "$PGCLUSTER_BINDIR/pg_ctl" ] &&
   [ "${PGHOST:-}" = "$PGCLUSTER_DIR" ] && [ -n "${PGPORT:-}" ]; then
    CRASH_OK=1
fi
PGDATA_DIR="${PGCLUSTER_DIR:-}/data"
SERVER_LOG="${PGCLUSTER_LOG:-${PGCLUSTER_DIR:-}/postgres.log}"
# as_owner CMD...: as the owner of the data dir (postgres) when we are root, as pgcluster does
as_owner() {
    local owner
    if [ "$(id -u)" -eq 0 ]; then
        owner=$(stat -c %U "$PGDATA_DIR") || return 1
        if [ "$owner" != root ]; then runuser -u "$owner" -- "$@"; return; fi
    fi
    "$@"
}
pg_ctl_() { as_owner "$PGCLUSTER_BINDIR/pg_ctl" -D "$PGDATA_DIR" "$@"; }
server_ready() { "$PGCLUSTER_BINDIR/pg_isready" -q -t "${1:-5}" >/dev/null 2>&1; }
# server_start: pg_ctl start as pgcluster_start does it (same port, log, server environment)
server_start() {
    local -a env_words=() opts=()
    if [ -n "${PGCLUSTER_SERVER_ENV:-}" ]; then
        IFS=$' \t\n' read -r -d '' -a env_words <<<"$PGCLUSTER_SERVER_ENV" || true
        env_words=(env "${env_words[@]}")
    fi
    [ -n "${PGCLUSTER_POSTGRES:-}" ] && opts=(-p "$PGCLUSTER_POSTGRES")
    as_owner "${env_words[@]}" "$PGCLUSTER_BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$SERVER_LOG" \
        "${opts[@]}" -o "-p $PGPORT" -w -t "${PGCLUSTER_TIMEOUT:-60}" -s start &&
        server_ready 30
}
# ensure_server: the cluster is up (started again if it is down); run by the EXIT trap
ensure_server() {
    [ "$CRASH_OK" = 1 ] || return 0
    server_ready 2 && return 0
    if ! pg_ctl_ status >/dev/null 2>&1; then
        echo "# crash.t: the server is down, starting it again" >&2
        server_start || echo "# crash.t: could not start the server again; see $SERVER_LOG" >&2
    fi
    server_ready "$WAIT"
}

# Background processes this test started (BG_PIDS, lib.sh), killed by pid should it exit early.
trap 'kill_bg; ensure_server; cleanup' EXIT

# poll DB SECONDS SQL: until SQL says t; false on timeout
poll() {
    local db=$1 end=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$end" ]; do
        [ "$(q "$db" "$3" 2>/dev/null)" = t ] && return 0
        sleep 0.05
    done
    return 1
}
# wait_pid PID SECONDS: wait for a child, KILL it after SECONDS; its status in WAIT_RC
wait_pid() {
    local end=$((SECONDS + $2))
    while kill -0 "$1" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do sleep 0.05; done
    kill -KILL "$1" 2>/dev/null && diag "pid $1 still running after $2 s: killed"
    wait "$1" 2>/dev/null
    WAIT_RC=$?
}
# hold DB APPNAME: a session that ingests a benchmark with the exp.id of file HOLD and keeps
# its transaction open (pg_sleep); HOLDER is its psql pid. False if it is not in place in time.
hold() {
    "${PSQL[@]}" -d "dbname=$1 application_name=$2" -c 'BEGIN' \
        -c "SELECT dlpg.ingest(E'__exp.id__=\"crash-$HOLD\"\\n__exp.model__=\"tiny\"\\n__results.time__=2.5\\n__results.throughput__=400\\n', 'holder')" \
        -c "SELECT pg_sleep($((WAIT * 3)))" -c 'COMMIT' >/dev/null 2>&1 &
    HOLDER=$!
    BG_PIDS+=("$HOLDER")
    poll "$1" "$WAIT" "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = '$2'
                       AND state = 'active' AND query LIKE '%pg_sleep%' AND backend_xid IS NOT NULL"
}
# stored DB: "rows ids first..last" of what is stored; WHOLE: 1 when the rows are exactly the
# files crash-0001..crash-<rows> (whole batches from the start, nothing else)
stored() {
    q "$1" "SELECT count(*) || ' ' || count(DISTINCT exp_id) || ' '
                   || coalesce(min(exp_id), '-') || '..' || coalesce(max(exp_id), '-')
            FROM dlpg.benchmarks"
}
whole_prefix() {
    q "$1" "SELECT count(*) = count(DISTINCT exp_id)
                   AND coalesce(max(substr(exp_id, 7)::int), 0) = count(*)
                   AND bool_and(exp_id ~ '^crash-[0-9]{4}\$' AND source <> 'holder')
            FROM dlpg.benchmarks"
}
rows() { q "$1" 'SELECT count(*) FROM dlpg.benchmarks'; }

# ---------------------------------------------------------------- corpus
fixtures=("$H200"/*.log "$RTX"/alexnet_owt_*.log "$RTX"/resnet50_*.log)
[ ${#fixtures[@]} -eq 16 ] || { echo "Bail out! expected 16 fixture logs, found ${#fixtures[@]}"; exit 1; }
mkdir -p "$W/big"
t0=$SECONDS
for i in $(seq -w 1 "$N"); do
    log_with_id "${fixtures[$((10#$i % 16))]}" "crash-$i" "$W/big/c$i.log"
done
NF=$(ls "$W/big" | wc -l)
is "$NF $(cat "$W"/big/*.log | grep -c '^__exp\.id__=')" "$N $N" "corpus: $N logs, one exp.id each"
diag "corpus: $NF logs ($(du -sh "$W/big" | cut -f1)), made in $((SECONDS - t0)) s; --batch $BATCH; a session holds exp.id crash-$HOLD"

# ---------------------------------------------------------------- (a) the loader killed
new_db DBA || { echo "Bail out! cannot create a database"; exit 1; }
held=0
hold "$DBA" dlpg-crash-holder-a && held=1
t0=$(date +%s%N)
"$DLPG_LOAD" -d "dbname=$DBA application_name=dlpg-crash-a" --batch "$BATCH" big >"$W/a.out" 2>"$W/a.err" &
lpid=$!
BG_PIDS+=("$lpid")
waiting=0
poll "$DBA" "$WAIT" "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'dlpg-crash-a'
                     AND wait_event_type = 'Lock' AND wait_event = 'transactionid'" && waiting=1
before=$(rows "$DBA")
# (stderr off meanwhile: bash would report the killed job, "line N: PID Killed ...")
{
    kill -KILL "$lpid"
    killed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    wait_pid "$lpid" "$WAIT"
} 2>/dev/null
arc=$WAIT_RC
is "$held $waiting $arc" "1 1 137" "(a) the loader, waiting inside its 30th batch, killed with SIGKILL (exit 137)"
# let the server see the client is gone: the holder rolls back, the loader's backend runs what
# it had received and finds the connection closed
q "$DBA" "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'dlpg-crash-holder-a'" >/dev/null
wait_pid "$HOLDER" "$WAIT"
gone=0
poll "$DBA" "$WAIT" "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'dlpg-crash-a'" && gone=1
after=$(rows "$DBA")
diag "(a) killed after $killed_ms ms with $before rows committed; after its backend ended: $after rows ($(stored "$DBA"))"
is "$gone" 1 "... its server session ends"
ok_range=0
[[ "$after" =~ ^[0-9]+$ ]] && [ "$after" -gt 0 ] && [ "$after" -lt "$N" ] && ok_range=1
is "$ok_range $(( ${after:-1} % BATCH ))" "1 0" "... some rows but not all, whole batches of $BATCH only ($after rows)"
is "$(whole_prefix "$DBA")" t "... exactly the first $after files (crash-0001..), each once, nothing of the holder"
is "$before" 1450 "... 29 batches committed before the kill (1450 rows while it waited)"
t0=$(date +%s%N)
load rerun_a -d "$DBA" --batch "$BATCH" big
rc_is 0 "(a) the same command again: exit 0 ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
is "$(stored "$DBA")" "$N $N crash-0001..crash-$N" "... all $N benchmarks, once each"
is "$(q "$DBA" "SELECT count(*) FROM (SELECT exp_id FROM dlpg.benchmarks GROUP BY exp_id HAVING count(*) > 1) d")" 0 \
    "... no duplicate exp_id"
summary_is "$LOAD_ERR" "files_read=$N benchmarks_ingested=$((N - after)) duplicates=$after rejected=0" \
    "... it ingested the $((N - after)) missing and skipped the $after stored"
is "$(q "$DBA" 'SELECT count(*) FROM dlpg.rejects')" 0 "... dlpg.rejects is empty"

# ---------------------------------------------------------------- (b) the server crashed
if [ "$CRASH_OK" != 1 ]; then
    for _ in $(seq 1 13); do skip "(b) needs the private cluster of tools/pgcluster.sh (PGCLUSTER_DIR)"; done
    exit 0
fi
new_db DBB || { echo "Bail out! cannot create a database"; exit 1; }
held=0
hold "$DBB" dlpg-crash-holder-b && held=1
# each commit durable when COMMIT returns: the private cluster runs with synchronous_commit = off,
# under which a crash may lose the last commits by design (PostgreSQL's documented behaviour)
t0=$(date +%s%N)
PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c synchronous_commit=on" \
    "$DLPG_LOAD" -d "dbname=$DBB application_name=dlpg-crash-b" --batch "$BATCH" big >"$W/b.out" 2>"$W/b.err" &
lpid=$!
BG_PIDS+=("$lpid")
waiting=0
poll "$DBB" "$WAIT" "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'dlpg-crash-b'
                     AND wait_event_type = 'Lock' AND wait_event = 'transactionid'" && waiting=1
before=$(rows "$DBB")
pg_ctl_ stop -m immediate -w -t "$WAIT" -s >"$W/stop.out" 2>&1
stop_rc=$?
crashed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$held $waiting $stop_rc" "1 1 0" "(b) the loader waiting inside its 30th batch; pg_ctl stop -m immediate" || diag_file "$W/stop.out"
wait_pid "$lpid" "$WAIT"
LOAD_RC=$WAIT_RC
LOAD_ERR=$W/b.err
wait_pid "$HOLDER" "$WAIT"
rc_is 2 "... the loader exits 2"
like "$LOAD_ERR" '^dlpg-load: connection lost: ' "... says the connection was lost"
said=$(sed -nE 's/^dlpg-load: ([0-9]+) batch(es)? committed \(([0-9]+) inputs?\).*/\1 \3/p' "$LOAD_ERR")
read -r said_batches said_inputs <<<"${said:-x x}"
is "$said_batches $said_inputs" "$((before / BATCH)) $before" "... and how many batches were committed ($said_batches, $said_inputs inputs)" ||
    diag_file "$LOAD_ERR"
diag "(b) server stopped (immediate) $crashed_ms ms after the start, $before rows committed; the loader said: $(
    grep -E 'connection lost|committed' "$LOAD_ERR" | tr '\n' ' ')"
t0=$(date +%s%N)
started=0
server_start >"$W/start.out" 2>&1 && started=1
is "$started" 1 "... the server starts again (same data dir, port $PGPORT, socket dir $PGHOST; $(( ($(date +%s%N) - t0) / 1000000 )) ms)" ||
    { diag_file "$W/start.out"; tail -n 20 "$SERVER_LOG" | sed 's/^/# /'; }
if [ "$started" != 1 ]; then
    ensure_server
fi
recovered=$(rows "$DBB")
diag "(b) after crash recovery: $(stored "$DBB")"
is "$recovered" "$said_inputs" "... every committed batch survived the crash, and nothing of the open one ($recovered rows)"
is "$(whole_prefix "$DBB")" t "... exactly the first $recovered files, each once, nothing of the holder"
t0=$(date +%s%N)
load rerun_b -d "$DBB" --batch "$BATCH" big
rc_is 0 "(b) the same command again: exit 0 ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
is "$(stored "$DBB")" "$N $N crash-0001..crash-$N" "... all $N benchmarks, once each"
is "$(q "$DBB" "SELECT count(*) FROM (SELECT exp_id FROM dlpg.benchmarks GROUP BY exp_id HAVING count(*) > 1) d")" 0 \
    "... no duplicate exp_id"
summary_is "$LOAD_ERR" "files_read=$N benchmarks_ingested=$((N - recovered)) duplicates=$recovered rejected=0" \
    "... it ingested the $((N - recovered)) missing and skipped the $recovered stored"
is "$(q "$DBB" 'SELECT count(*) FROM dlpg.rejects')" 0 "... dlpg.rejects is empty"
if server_ready 5; then ok "the server is running at the end (for the tests after this one)"; else
    not_ok "the server is running at the end (for the tests after this one)"
fi
