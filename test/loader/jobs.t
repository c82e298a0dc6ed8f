#!/usr/bin/env bash
# test/loader/jobs.t -- dlpg-load --jobs N (-j N): N connections share out the files.
#   - data/dlbs with --jobs 4 stores exactly the rows --jobs 1 stores (every column but id and
#     ingested_at, row by row), the same rejects, the same summary and exit status; a second run
#     with --jobs 4 finds only duplicates (and rejects the bad log again);
#   - a mixed folder (gzip, tar.gz, a corrupt .gz, an empty log, a non-UTF-8 file, ignored files)
#     with --jobs 3 gives what --jobs 1 gives, one summary with the totals;
#   - four jobs really run at once (each waiting behind a table lock with its first file), and
#     copies of one benchmark under other names, loaded by different connections at the same
#     time, end as one benchmark and duplicates, never an error; in error mode as one benchmark
#     and rejects (23505); in replace mode as one benchmark, inserted then replaced;
#   - a LATIN1 database refusing two inputs: the failed batch is replayed inside its job, the
#     same rejects as --jobs 1;
#   - progress: one plain line on a pipe after 1000 files, a bar on a terminal ending full,
#     one summary; --stats;
#   - two jobs over the same benchmarks in opposite orders, one transaction each: a deadlock
#     between them is retried, each benchmark stored once;
#   - stops: SIGINT to the loader only and Ctrl-C to its whole process group (exit 130, said
#     once, whole batches committed), one job's backend terminated (exit 2, the others stop
#     too), one job killed (exit 2, said), a job that cannot connect (role connection limit: exit 2); the same command run
#     again completes the load;
#   - bad values: --jobs 0, abc, -1, 65, a huge number, an empty value, -j without a value: exit 2.
#
# Needs: a running server (libpq environment, see lib.sh), gzip, tar, setsid; script(1) for the
# terminal case (skipped without it).
# TAP output: prove test/loader/jobs.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 79

W=$TAP_WORK
cd "$W" || exit 1
ROLE="${DB_PREFIX}_limited"
trap 'kill_bg; "${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1; cleanup' EXIT

# every stored column but id and ingested_at, one row per line, in a fixed order
ROWS_SQL="SELECT to_jsonb(b) - 'id' - 'ingested_at' FROM dlpg.benchmarks b ORDER BY source, exp_id, dedup_key"
REJECTS_SQL="SELECT to_jsonb(r) - 'id' - 'rejected_at' FROM dlpg.rejects r ORDER BY source, reason, line"
# the summary's lines (without --stats): equal whatever the number of jobs
summary_lines() { sed -n '/^dlpg-load: summary$/,$p' "$1"; }

# ---------------------------------------------------------------- data/dlbs: 4 jobs = 1 job
new_db D1 || { echo "Bail out! cannot create a database"; exit 1; }
new_db D4 || exit 1
load one -d "$D1" "$ROOT/data/dlbs"
rc1=$LOAD_RC
cp "$LOAD_ERR" "$W/one.summary.err"
load four -d "$D4" --jobs 4 "$ROOT/data/dlbs"
rc_is "$rc1" "data/dlbs with --jobs 4: the exit status of --jobs 1 ($rc1)"
q "$D1" "$ROWS_SQL" >"$W/rows1"
q "$D4" "$ROWS_SQL" >"$W/rows4"
is "$(wc -l <"$W/rows4") $(md5sum <"$W/rows4" | cut -c1-32)" "$(wc -l <"$W/rows1") $(md5sum <"$W/rows1" | cut -c1-32)" \
    "... the same benchmarks, row by row (every column but id and ingested_at)" ||
    diag "$(diff "$W/rows1" "$W/rows4" | head -c 2000)"
is "$(wc -l <"$W/rows4")" 17 "... 17 of them"
is "$(q "$D4" "$REJECTS_SQL")" "$(q "$D1" "$REJECTS_SQL")" "... the same rejects"
is "$(summary_lines "$W/four.err")" "$(summary_lines "$W/one.summary.err")" "... the same summary"
summary_is "$W/four.err" "files_read=18 benchmarks_ingested=17 duplicates=0 rejected=1 ignored=0" \
    "... 18 read, 17 ingested, 1 rejected"
is "$(grep -c '^dlpg-load: summary$' "$W/four.err")" 1 "... one summary for the four jobs"
is "$(grep -c '^dlpg-load: rejected ' "$W/four.err")" 1 "... one line for the rejected log"
is "$(q "$D4" "SELECT count(DISTINCT id) || ' ' || count(DISTINCT dedup_key) FROM dlpg.benchmarks")" "17 17" \
    "... each benchmark once, with an id of its own"

load again -j 4 -d "$D4" "$ROOT/data/dlbs"
rc_is 1 "the same again with -j 4: exit 1 (the bad log is rejected again)"
like "$LOAD_ERR" '^dlpg-load: nothing new: 17 duplicates$' "... nothing new: 17 duplicates"
summary_is "$LOAD_ERR" "files_read=18 benchmarks_ingested=0 duplicates=17 rejected=1" "... all duplicates"
is "$(q "$D4" 'SELECT count(*) FROM dlpg.benchmarks') $(q "$D4" 'SELECT count(*) FROM dlpg.rejects')" "17 2" \
    "... still 17 benchmarks (and a second reject row for the bad log)"

# ---------------------------------------------------------------- a mixed folder: 3 jobs = 1 job
mkdir -p "$W/mixed/tar/sub" "$W/mixed/deep/er"
cp "$RTX"/*.log "$W/mixed/"
cp "$ROOT"/data/dlbs/failed/*.log "$W/mixed/deep/"
gzip -c "$H200/resnet50_float16_training_64.log" >"$W/mixed/deep/er/h200_64.log.gz"
cp "$H200"/resnet50_float32_*.log "$W/mixed/tar/sub/"
printf 'not a log\n' >"$W/mixed/tar/sub/notes.txt"
tar --sort=name -czf "$W/mixed/h200.tgz" -C "$W/mixed/tar" sub
rm -rf "$W/mixed/tar"
: >"$W/mixed/empty.log"
printf 'this is not gzip' >"$W/mixed/corrupt.log.gz"
printf '__exp.id__="latin1 \xe9"\n' >"$W/mixed/deep/latin1.log"
printf 'readme\n' >"$W/mixed/README.txt"
new_db M1 || exit 1
new_db M3 || exit 1
load mixed1 -d "$M1" --batch 4 mixed
rcm=$LOAD_RC
cp "$LOAD_ERR" "$W/mixed1.keep"
load mixed3 -d "$M3" --batch 4 --jobs 3 mixed
rc_is "$rcm" "a mixed folder with --jobs 3: the exit status of --jobs 1 ($rcm)"
is "$(q "$M3" "$ROWS_SQL" | md5sum)" "$(q "$M1" "$ROWS_SQL" | md5sum)" "... the same benchmarks, row by row"
is "$(q "$M3" "$REJECTS_SQL")" "$(q "$M1" "$REJECTS_SQL")" "... the same rejects (client's and server's)"
is "$(summary_lines "$LOAD_ERR")" "$(summary_lines "$W/mixed1.keep")" "... the same summary"
summary_is "$LOAD_ERR" "files_read=17 benchmarks_ingested=15 rejected=4 ignored=2" \
    "... 17 read (5 in the archive), 15 ingested, 4 rejected, 2 ignored (README.txt, notes.txt)"
is "$(q "$M3" "SELECT string_agg(source || ':' || sqlstate, ',' ORDER BY source) FROM dlpg.rejects")" \
    "mixed/corrupt.log.gz:22000,mixed/deep/latin1.log:22021,mixed/empty.log:22P02,mixed/run.log:22P02" \
    "... the corrupt gzip, the non-UTF-8 log, the empty log, DLBS's console output"
is "$(grep -c '^dlpg-load: rejected ' "$LOAD_ERR")" 4 "... a line for each rejected file, none twice"

# ---------------------------------------------------------------- 4 jobs at once, copies of one benchmark
# 4 benchmarks, each in two files of other names (a/ and b/). --batch 1: a job waits for the
# answer to its file before it claims the next. Behind a table lock, each of the 4 jobs waits
# with its first file: four connections at once. Released, they store each benchmark once.
mkdir -p "$W/pairs/a" "$W/pairs/b"
for i in 1 2 3 4; do
    tiny_log "pair-$i" "$W/pairs/a/p$i.log"
    cp "$W/pairs/a/p$i.log" "$W/pairs/b/copy-of-p$i.log"
done
# barrier_run NAME DB EXPECT_WAITING ARGS...: dlpg-load (application_name dlpg-jobs-NAME) behind a
# lock on dlpg.benchmarks until EXPECT_WAITING of its connections wait for it; WAITING gets how many did
barrier_run() {
    local name=$1 db=$2 want=$3 holder lpid
    shift 3
    "${PSQL[@]}" -d "dbname=$db application_name=dlpg-barrier" -c 'BEGIN' \
        -c 'LOCK TABLE dlpg.benchmarks IN EXCLUSIVE MODE' -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &
    holder=$!
    BG_PIDS+=("$holder")
    for _ in $(seq 1 300); do
        [ "$(q "$db" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
              WHERE a.application_name = 'dlpg-barrier' AND l.granted AND l.mode = 'ExclusiveLock'
                AND l.relation = 'dlpg.benchmarks'::regclass")" = 1 ] && break
        sleep 0.05
    done
    LOAD_ERR="$W/$name.err"
    "$DLPG_LOAD" -d "dbname=$db application_name=dlpg-jobs-$name" "$@" >"$W/$name.out" 2>"$LOAD_ERR" &
    lpid=$!
    BG_PIDS+=("$lpid")
    WAITING=0
    for _ in $(seq 1 300); do
        WAITING=$(q "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dlpg-jobs-$name' AND wait_event_type = 'Lock'")
        [ "$WAITING" -ge "$want" ] && break
        sleep 0.05
    done
    q "$db" "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'dlpg-barrier'" >/dev/null
    wait "$holder"
    timeout 60 tail --pid="$lpid" -f /dev/null
    kill -KILL "$lpid" 2>/dev/null
    wait "$lpid"
    LOAD_RC=$?
}
new_db P || exit 1
barrier_run skip "$P" 4 --jobs 4 --batch 1 pairs
is "$WAITING" 4 "--jobs 4: four connections at once (each waiting behind a table lock with its first file)"
rc_is 0 "... copies of 4 benchmarks under other names, loaded at the same time: exit 0"
is "$(q "$P" "SELECT count(*) || ' ' || string_agg(exp_id, ',' ORDER BY exp_id) FROM dlpg.benchmarks") $(q "$P" 'SELECT count(*) FROM dlpg.rejects')" \
    "4 pair-1,pair-2,pair-3,pair-4 0" "... each benchmark stored once, no reject"
summary_is "$LOAD_ERR" "files_read=8 benchmarks_ingested=4 duplicates=4 rejected=0" "... summary: 4 ingested, 4 duplicates"
unlike "$LOAD_ERR" 'server error|connection lost|[Dd]eadlock|23505' "... never an error"

new_db PE || exit 1
barrier_run error "$PE" 4 --jobs 4 --batch 1 --on-conflict error pairs
rc_is 1 "--on-conflict error, the same copies at the same time: exit 1 ($WAITING connections waited)"
is "$(q "$PE" 'SELECT count(*) FROM dlpg.benchmarks') $(q "$PE" "SELECT count(*) || ' ' || string_agg(DISTINCT sqlstate, ',') FROM dlpg.rejects")" \
    "4 4 23505" "... each benchmark once, each second copy rejected (23505), as with --jobs 1"
summary_is "$LOAD_ERR" "files_read=8 benchmarks_ingested=4 duplicates=0 rejected=4" "... summary: 4 ingested, 4 rejected"

new_db PR || exit 1
barrier_run replace "$PR" 4 --jobs 4 --batch 1 --on-conflict replace pairs
rc_is 0 "--on-conflict replace, the same copies at the same time: exit 0 ($WAITING connections waited)"
is "$(q "$PR" 'SELECT count(*) FROM dlpg.benchmarks') $(q "$PR" 'SELECT count(*) FROM dlpg.rejects')" "4 0" "... each benchmark once"
like "$LOAD_ERR" '^  benchmarks ingested: +8 \(4 inserted, 4 replaced\)' "... 4 inserted, 4 replaced"

# ---------------------------------------------------------------- a batch replayed inside a job
mkdir -p "$W/latin"
for i in 1 2 3 4 5 6 7 8 9; do tiny_log "lat-$i" "$W/latin/t$i.log"; done
printf '__exp.framework_title__="TF \xe2\x82\xac"\n' >>"$W/latin/t3.log"
printf '__exp.framework_title__="TF \xe4\xb8\xad"\n' >>"$W/latin/t7.log"
new_db L1 "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" || exit 1
new_db L2 "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" || exit 1
load latin1 -d "$L1" --batch 3 latin
load latin2 -d "$L2" --batch 3 --jobs 2 --stats latin
rc_is 1 "LATIN1 database, two inputs it cannot hold, --jobs 2: exit 1"
is "$(q "$L2" "SELECT string_agg(source || ' ' || sqlstate, ',' ORDER BY source) FROM dlpg.rejects")" \
    "latin/t3.log 22P05,latin/t7.log 22P05" "... those two rejected with the server's error (22P05)"
is "$(q "$L2" "$ROWS_SQL")" "$(q "$L1" "$ROWS_SQL")" "... the seven others stored, as with --jobs 1"
like "$LOAD_ERR" '^  batches retried: +2$' "... --stats: 2 batches retried (summed over the jobs)"
like "$LOAD_ERR" '^  peak RSS: +[0-9]+ kB' "... --stats: the peak RSS"

# ---------------------------------------------------------------- deadlocks between jobs
# Folder P holds benchmarks dl-001..dl-100 in that order, Q the same in the opposite order, each
# with 20 of its own; one loader, --jobs 2, one transaction per job (--batch 1000): the jobs
# take P's files in turns, then Q's, each then wanting rows the other holds. The server breaks
# the deadlock; the victim runs its batch again, one input per transaction. Whether it happens
# depends on timing: the result must be the same either way.
mkdir -p "$W/dl/P" "$W/dl/Q"
for i in $(seq -w 1 100); do
    log_with_id "$H200/resnet50_float16_training_64.log" "dl-$i" "$W/dl/P/a$i.log"
    log_with_id "$H200/resnet50_float16_training_64.log" "dl-$(printf '%03d' $((101 - 10#$i)))" "$W/dl/Q/a$i.log"
done
for i in $(seq -w 1 20); do
    log_with_id "$RTX/resnet50_16.log" "p-only-$i" "$W/dl/P/z$i.log"
    log_with_id "$RTX/resnet50_16.log" "q-only-$i" "$W/dl/Q/z$i.log"
done
new_db DL || exit 1
load deadlock -d "$DL" --jobs 2 --batch 1000 --stats dl/P dl/Q
rc_is 0 "--jobs 2 over the same benchmarks in opposite orders, one transaction per job: exit 0"
unlike "$LOAD_ERR" '[Dd]eadlock|40P01|25P02|server error' "... no deadlock reaches the user"
is "$(q "$DL" "SELECT count(*) || ' ' || count(DISTINCT exp_id) FROM dlpg.benchmarks") $(q "$DL" 'SELECT count(*) FROM dlpg.rejects')" \
    "140 140 0" "... every benchmark stored once, no reject"
summary_is "$LOAD_ERR" "files_read=240 benchmarks_ingested=140 duplicates=100" "... summary: 240 read, 140 ingested, 100 duplicates"
diag "deadlock case: $(grep -E '^  (batches retried|elapsed)' "$LOAD_ERR" | tr -s ' ' | tr '\n' ';') deadlocks seen by the server (may lag): $(
    q "$DL" "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")"

# ---------------------------------------------------------------- progress
mkdir -p "$W/prog/x"
for i in $(seq 1 1200); do tiny_log "prog-$i" "$W/prog/x/p$(printf '%04d' "$i").log"; done
: >"$W/prog/empty.log"
new_db G || exit 1
load prog -d "$G" --jobs 3 prog
rc_is 1 "1201 files (one empty), --jobs 3: exit 1"
like "$LOAD_ERR" '^dlpg-load: 1[0-9]{3}/1201 files \([0-9]+%\), [0-9]+ files/s, ETA [0-9:]+$' \
    "stderr not a terminal: a plain progress line after 1000 files (of all the jobs)"
summary_is "$LOAD_ERR" "files_read=1201 benchmarks_ingested=1200 rejected=1" "... one summary with the totals"
if command -v script >/dev/null 2>&1; then
    script -qec "$(printf '%q ' "$DLPG_LOAD" -d "$G" --jobs 3 --batch 50 prog)" /dev/null >"$W/tty.out" 2>&1
    tr '\r' '\n' <"$W/tty.out" >"$W/tty.lines"
    like "$W/tty.out" $'\r''\[[=> ]+\] [0-9]+/1201 files' "stderr a terminal: a bar redrawn in place"
    like "$W/tty.lines" '^\[={27,28}\] 1201/1201 files +[0-9]+ files/s +ETA 0:00' "... ending full at 1201/1201"
    like "$W/tty.lines" $'^(\e\\[K)?dlpg-load: rejected prog/empty.log: ' "... the rejected file on a line of its own (the bar's line cleared first)"
else
    skip "no script(1): cannot fake a terminal"
    skip "(same)"
    skip "(same)"
fi

# ---------------------------------------------------------------- stops
mkdir -p "$W/slow"
for i in $(seq 1 400); do tiny_log "slow-$i" "$W/slow/t$(printf '%04d' "$i").log"; done
new_db S || exit 1
# 5 ms per row: a run takes a second or more
slow_inserts "$S"
# wait_rows N: until more than N benchmarks are committed
wait_rows() {
    for _ in $(seq 1 400); do
        [ "$(q "$S" 'SELECT count(*) FROM dlpg.benchmarks')" -gt "$1" ] && return
        sleep 0.05
    done
}
# stopped_run NAME SIGNAL-SENDER...: a --jobs 3 --batch 20 run over slow/, stopped after its first
# commit by the command given (with $lpid the loader's pid)
stopped_run() {
    local name=$1 before
    shift
    before=$(q "$S" 'SELECT count(*) FROM dlpg.benchmarks')
    LOAD_ERR=$W/$name.err
    setsid "$DLPG_LOAD" -d "dbname=$S application_name=dlpg-jobs-$name" --jobs 3 --batch 20 slow >"$W/$name.out" 2>"$LOAD_ERR" &
    lpid=$!
    BG_PIDS+=("$lpid")
    wait_rows "$before"
    "$@"
    wait "$lpid"
    LOAD_RC=$?
}
stopped_run int eval 'kill -INT "$lpid"'
rc_is 130 "SIGINT to the loader (not to its jobs), --jobs 3: exit 130"
is "$(grep -c '^dlpg-load: interrupted by signal 2$' "$LOAD_ERR")" 1 "... says it was interrupted, once"
like "$LOAD_ERR" '^dlpg-load: stopped; committed so far:$' "... a summary of what was committed"
committed=$(q "$S" 'SELECT count(*) FROM dlpg.benchmarks')
is "$(( committed % 20 )) $(( committed < 400 ))" "0 1" "... whole batches only ($committed rows)"
summary_is "$LOAD_ERR" "benchmarks_ingested=$committed" "... the summary counts them all"
stopped_run group eval 'kill -INT -- "-$lpid"'
rc_is 130 "Ctrl-C to the whole process group (the jobs too): exit 130"
is "$(grep -c '^dlpg-load: interrupted by signal 2$' "$LOAD_ERR")" 1 "... says it was interrupted, once"
before=$committed
committed=$(q "$S" 'SELECT count(*) FROM dlpg.benchmarks')
is "$(( committed % 20 )) $(( committed < 400 ))" "0 1" "... whole batches only ($committed rows)"
summary_is "$LOAD_ERR" "benchmarks_ingested=$((committed - before))" "... the summary counts them all"
stopped_run terminated eval 'q "$S" "SELECT pg_terminate_backend(min(pid)) FROM pg_stat_activity WHERE application_name = '"'"'dlpg-jobs-terminated'"'"'" >/dev/null'
rc_is 2 "one job's backend terminated mid-run: exit 2"
like "$LOAD_ERR" '^dlpg-load: connection lost: ' "... says the connection was lost"
like "$LOAD_ERR" 'run the same command again' "... and to run the same command again"
for _ in $(seq 1 100); do
    [ "$(q "$S" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dlpg-jobs-terminated'")" = 0 ] && break
    sleep 0.05
done
is "$(q "$S" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dlpg-jobs-terminated'")" 0 \
    "... the other jobs stopped too (no connection left)"
# from an empty table again: after three stopped runs little may be left to load, and jobs that
# finish before the kill lands would make this check race (seen on a loaded machine)
q "$S" 'TRUNCATE dlpg.benchmarks' >/dev/null
stopped_run killed eval 'kill -KILL "$(ps -o pid= --ppid "$lpid" | head -n 1 | tr -d " ")"'
rc_is 2 "one job killed (SIGKILL): exit 2"
like "$LOAD_ERR" '^dlpg-load: job [1-3] of 3 ended by signal 9$' "... says which job ended, and how"
like "$LOAD_ERR" '^dlpg-load: stopped; committed so far:$' "... the others stop: a summary of what was committed"
load rerun -d "$S" --jobs 3 --batch 20 slow
rc_is 0 "the same command again: exit 0"
is "$(q "$S" "SELECT count(*) || ' ' || count(DISTINCT exp_id) FROM dlpg.benchmarks")" "400 400" "... all 400 benchmarks, once each"
committed=$(summary duplicates)
summary_is "$LOAD_ERR" "files_read=400 benchmarks_ingested=$((400 - committed)) rejected=0" \
    "... it ingested the rest and skipped the $committed committed before"

# a job that cannot connect (the role's connection limit): the run stops, exit 2
"${PSQL[@]}" -d postgres -c "CREATE ROLE $ROLE LOGIN CONNECTION LIMIT 2 IN ROLE dlpg_writer" >/dev/null
new_db C || exit 1
load limited -d "$C" -U "$ROLE" --jobs 4 "$W/pairs"
rc_is 2 "a role with CONNECTION LIMIT 2 and --jobs 4: exit 2"
like "$LOAD_ERR" '^dlpg-load: job [1-4] of 4: cannot connect: .*too many connections' "... says which job could not connect, and why"
like "$LOAD_ERR" '^dlpg-load: stopped; committed so far:$' "... and what was committed"

# ---------------------------------------------------------------- bad values
for v in 0 abc -1 65 99999999999999999999 ''; do
    load "bad$v" -d "$D4" --jobs "$v" "$H200"
    if [ "$LOAD_RC" = 2 ] && grep -q "^dlpg-load: invalid --jobs \"$v\": must be an integer from 1 to 64$" "$LOAD_ERR"; then
        ok "--jobs '$v': exit 2, invalid --jobs"
    else
        not_ok "--jobs '$v': exit 2, invalid --jobs"
        diag "exit status $LOAD_RC"; diag_file "$LOAD_ERR"
    fi
done
load j65 -d "$D4" -j65 "$H200"
rc_is 2 "-j65: exit 2"
load jnone -d "$D4" "$H200" -j
rc_is 2 "-j without a value: exit 2"
like "$LOAD_ERR" 'option -j needs a value' "... says -j needs a value"
load j64 -j 64 --help
rc_is 0 "-j 64 (the largest) is accepted"
is "$(q "$D4" 'SELECT count(*) FROM dlpg.benchmarks')" 17 "bad --jobs values load nothing"
