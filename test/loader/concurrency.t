#!/usr/bin/env bash
# test/loader/concurrency.t -- 8 dlpg-load processes at once over overlapping sets of 400 logs
# in 4 folders (pairs, all four, the same folders in another order on the command line, --batch
# from 1 to 200; some exp.ids shared by files of two folders): every loader exits 0, no deadlock
# reaches the user, each benchmark is stored once (exactly the exp.ids of the files, no
# duplicate, no reject), each loader's summary adds up (inserted + duplicates = files read) and
# together they inserted each benchmark once. Meanwhile dlpg.series and dlpg.axis_values are
# queried through psql every 0.2 s: every query succeeds, each round sees one consistent
# snapshot (the n totals of two series and of axis_values equal count(*)), and the totals never
# decrease. A second wave of the same 8 loaders finds nothing new. Last, a deadlock in the middle
# of a batch, made certain (two loaders over the same 100 logs in opposite orders, released at
# once from behind a table lock): the victim runs its batch again, both exit 0, nothing is lost.
# Everything is bounded: loaders still running after 120 s are killed (a failure).
#
# Needs: a running server (libpq environment, see lib.sh), timeout (coreutils).
# TAP output: prove test/loader/concurrency.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 37

W=$TAP_WORK
cd "$W" || exit 1
LIMIT=120          # seconds the 8 loaders may take together

# Background processes this test started (BG_PIDS, lib.sh), killed by pid should it exit early.
trap 'kill_bg; cleanup' EXIT

# ---------------------------------------------------------------- corpus
# 16 ok fixtures (8 H200, 8 RTX 2080 SUPER); 100 files per folder, each with an exp.id of its
# own, except 10 files of C that repeat exp.ids of B and 10 of D that repeat exp.ids of A (other
# file names, other fixtures: a benchmark met twice under two names, as duplicates).
fixtures=("$H200"/*.log "$RTX"/alexnet_owt_*.log "$RTX"/resnet50_*.log)
[ ${#fixtures[@]} -eq 16 ] || { echo "Bail out! expected 16 fixture logs, found ${#fixtures[@]}"; exit 1; }
k=0
for f in A B C D; do
    mkdir -p "$W/$f"
    for i in $(seq -w 1 100); do
        id="conc-$f-$i"
        if [ "$f" = C ] && [ "$((10#$i))" -le 10 ]; then id="conc-B-$i"; fi
        if [ "$f" = D ] && [ "$((10#$i))" -le 10 ]; then id="conc-A-$i"; fi
        log_with_id "${fixtures[$((k % 16))]}" "$id" "$W/$f/$(basename "${fixtures[$((k % 16))]}" .log)-$f$i.log"
        k=$((k + 1))
    done
done
# the exp.ids the files hold, as the log grammar reads them
file_ids() { grep -hE '^[ \t]*__exp\.id__[ \t]*=' "$@" | sed -E 's/^[^=]*=[ \t]*"?//; s/"?[ \t]*$//' | sort -u; }
file_ids "$W"/[ABCD]/*.log >"$W/ids.all"
NFILES=$(ls "$W"/[ABCD]/*.log | wc -l)
NIDS=$(wc -l <"$W/ids.all")
is "$NFILES $NIDS" "400 380" "corpus: 400 logs in folders A, B, C, D, 380 distinct exp.ids"
diag "corpus: $NFILES files ($(du -sh "$W" | cut -f1)), $NIDS distinct exp.ids; C repeats 10 ids of B, D 10 of A"

# ---------------------------------------------------------------- 8 loaders at once
new_db DB || { echo "Bail out! cannot create a database"; exit 1; }
# name, --batch, folders
LOADERS=(
    "ab   7   A B"
    "bc   50  B C"
    "cd   1   C D"
    "da   200 D A"
    "ac   13  A C"
    "bd   100 B D"
    "abcd 25  A B C D"
    "dcba 3   D C B A"
)
declare -A PID FOLDERS BATCH RC
ROUND_SQL="SELECT (SELECT count(*) FROM dlpg.benchmarks)
           || '|' || (SELECT coalesce(sum(n), 0) FROM dlpg.series('model', 'throughput', '{}', 'best'))
           || '|' || (SELECT coalesce(sum(n), 0) FROM dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'processing_unit'))
           || '|' || (SELECT coalesce(sum(n), 0) FROM dlpg.axis_values WHERE axis = 'model')"
# round: one snapshot (REPEATABLE READ) of count(*), the n totals of two series and of
# axis_values; appends "rc|count|n1|n2|n3" to rounds
round() {
    local out rc
    out=$(timeout 30 "${PSQL[@]}" -d "$DB" -A -t -c 'BEGIN ISOLATION LEVEL REPEATABLE READ' \
        -c "$ROUND_SQL" -c 'COMMIT' 2>>"$W/rounds.err")
    rc=$?
    echo "$rc|$(printf '%s' "$out" | tr '\n' ' ')" >>"$W/rounds"
}
: >"$W/rounds"
: >"$W/rounds.err"
# start_wave SUFFIX: the 8 loaders at once, their output in $W/<name>SUFFIX.out and .err
start_wave() {
    local spec name batch folders
    for spec in "${LOADERS[@]}"; do
        read -r name batch folders <<<"$spec"
        FOLDERS[$name]=$folders
        BATCH[$name]=$batch
        # shellcheck disable=SC2086
        "$DLPG_LOAD" -d "$DB" --batch "$batch" $folders >"$W/$name$1.out" 2>"$W/$name$1.err" &
        PID[$name]=$!
        BG_PIDS+=("$!")
    done
}

# wait_wave SUFFIX [CMD...]: run CMD every 0.2 s while loaders run; after $LIMIT s kill what is
# left (timed_out=1), showing its stderr
wait_wave() {
    local suffix=$1 deadline=$((SECONDS + LIMIT)) alive name
    shift
    timed_out=0
    while :; do
        alive=0
        for name in "${!PID[@]}"; do kill -0 "${PID[$name]}" 2>/dev/null && alive=$((alive + 1)); done
        [ "$alive" -eq 0 ] && return
        if [ "$SECONDS" -ge "$deadline" ]; then timed_out=1; break; fi
        "$@"
        sleep 0.2
    done
    for name in "${!PID[@]}"; do
        if kill -0 "${PID[$name]}" 2>/dev/null; then
            diag "loader $name (${FOLDERS[$name]}, --batch ${BATCH[$name]}) still running after $LIMIT s: killed; stderr:"
            diag_file "$W/$name$suffix.err"
            kill -KILL "${PID[$name]}" 2>/dev/null
        fi
    done
}

t0=$(date +%s%N)
start_wave ""
wait_wave "" round
rcs=""
for spec in "${LOADERS[@]}"; do
    read -r name _ <<<"$spec"
    wait "${PID[$name]}"
    RC[$name]=$?
    rcs+="${RC[$name]} "
done
elapsed=$(( ($(date +%s%N) - t0) / 1000000 ))
loading_rounds=$(wc -l <"$W/rounds")
round                       # the final state, after every loader is done
if [ "$timed_out" = 0 ]; then ok "the 8 loaders finished within $LIMIT s (in $elapsed ms)"; else
    not_ok "the 8 loaders finished within $LIMIT s"
fi
if is "${rcs% }" "0 0 0 0 0 0 0 0" "8 loaders at once over overlapping folders: every one exits 0"; then :; else
    for spec in "${LOADERS[@]}"; do
        read -r name _ <<<"$spec"
        [ "${RC[$name]}" = 0 ] && continue
        diag "loader $name (${FOLDERS[$name]}, --batch ${BATCH[$name]}): exit ${RC[$name]}; stderr:"
        diag_file "$W/$name.err"
    done
fi
cat "$W"/{ab,bc,cd,da,ac,bd,abcd,dcba}.{out,err} >"$W/all.output"
unlike "$W/all.output" '[Dd]eadlock|40P01|could not serialize' "... no deadlock or serialization failure reaches the user"
unlike "$W/all.output" 'connection lost|server error|giving up' "... no server error or lost connection"

# ---------------------------------------------------------------- what is stored
is "$(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" "$NIDS" \
    "dlpg.benchmarks: exactly one row per distinct exp.id of the union ($NIDS)"
dups=$(q "$DB" "SELECT count(*) FROM (SELECT exp_id FROM dlpg.benchmarks GROUP BY exp_id HAVING count(*) > 1) d")
is "$dups" 0 "... no exp_id stored twice (GROUP BY exp_id HAVING count(*) > 1: none)" ||
    diag "$(q "$DB" "SELECT exp_id || ': ' || count(*) FROM dlpg.benchmarks GROUP BY exp_id HAVING count(*) > 1 ORDER BY 1 LIMIT 20")"
q "$DB" 'SELECT exp_id FROM dlpg.benchmarks ORDER BY 1' | LC_ALL=C sort >"$W/ids.db"
LC_ALL=C sort "$W/ids.all" >"$W/ids.want"
is "$(LC_ALL=C comm -3 "$W/ids.want" "$W/ids.db" | tr '\t\n' '+ ' | head -c 500)" "" \
    "... the stored exp_ids are exactly those of the files (none lost, none extra)"
is "$(q "$DB" "SELECT count(*) FILTER (WHERE status = 'ok') || ' ok, ' || count(DISTINCT dedup_key) || ' dedup keys' FROM dlpg.benchmarks")" \
    "$NIDS ok, $NIDS dedup keys" "... all ok, one dedup key each"
is "$(q "$DB" 'SELECT count(*) FROM dlpg.rejects')" 0 "dlpg.rejects is empty"

# ---------------------------------------------------------------- each loader's summary
# inserted/replaced of the summary line "  benchmarks ingested: N (I inserted, R replaced)"
ins_rep() { sed -nE 's/^  benchmarks ingested: +[0-9]+ \(([0-9]+) inserted, ([0-9]+) replaced\).*/\1 \2/p' "$1"; }
total_ins=0
for spec in "${LOADERS[@]}"; do
    read -r name batch folders <<<"$spec"
    want_read=0
    for f in $folders; do want_read=$((want_read + $(ls "$W/$f" | wc -l))); done
    err="$W/$name.err"
    read -r ins rep < <(ins_rep "$err"; echo "x x")
    [ "$ins" = x ] && ins=missing rep=missing
    read_n=$(summary "files read" "$err")
    dup=$(summary duplicates "$err")
    rej=$(summary rejected "$err")
    ign=$(summary ignored "$err")
    sum_n="?"
    [[ "$ins" =~ ^[0-9]+$ && "$dup" =~ ^[0-9]+$ ]] && sum_n=$((ins + dup))
    if is "read=$read_n inserted+duplicates=$sum_n replaced=$rep rejected=$rej ignored=$ign" \
        "read=$want_read inserted+duplicates=$want_read replaced=0 rejected=0 ignored=0" \
        "loader $name (folders $folders, --batch $batch): summary adds up ($ins inserted + $dup duplicates = $read_n read)"; then :; else
        diag_file "$err"
    fi
    [[ "$ins" =~ ^[0-9]+$ ]] && total_ins=$((total_ins + ins))
done
is "$total_ins" "$NIDS" "together the 8 loaders inserted each benchmark once ($total_ins inserted)"
diag "per loader (name: folders, --batch, inserted/duplicates):$(for spec in "${LOADERS[@]}"; do
    read -r name batch folders <<<"$spec"
    read -r ins rep < <(ins_rep "$W/$name.err"; echo "x x")
    printf ' %s: %s, %s, %s/%s;' "$name" "${folders// /+}" "$batch" "$ins" "$(summary duplicates "$W/$name.err")"
done)"
diag "deadlocks the server detected in this database (pg_stat_database, may lag): $(
    q "$DB" "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")"

# ---------------------------------------------------------------- queries while loading
nrounds=$(wc -l <"$W/rounds")
diag "series/axis_values rounds: $loading_rounds while the loaders ran, 1 after; n totals seen: $(
    cut -d'|' -f2 "$W/rounds" | tr '\n' ' ')"
if [ "$loading_rounds" -ge 1 ]; then ok "queries ran while loading ($loading_rounds rounds, every 0.2 s)"; else
    not_ok "queries ran while loading ($loading_rounds rounds, every 0.2 s)"
fi
is "$(awk -F'|' '$1 != 0' "$W/rounds" | wc -l)" 0 "... every round's psql exits 0 ($nrounds rounds)" || {
    diag_file "$W/rounds.err"; awk -F'|' '$1 != 0' "$W/rounds" | head -n 5 | sed 's/^/# /'; }
is "$(awk -F'|' '$1 == 0 && !(NF == 5 && $2 ~ /^[0-9]+$/ && $2+0 == $3+0 && $3+0 == $4+0 && $4+0 == $5+0)' "$W/rounds" | head -n 5)" "" \
    "... each round sees one snapshot: count(*) = n total of series by model = n total of series by batch per GPU = n total of axis_values"
is "$(awk -F'|' '$1 == 0 { for (c = 2; c <= 5; c++) { if (NR > 1 && $c + 0 < last[c]) { print "round " NR ", column " c ": " last[c] " -> " $c + 0; bad = 1 } last[c] = $c + 0 } }' "$W/rounds" | head -n 5)" "" \
    "... the n totals never decrease from one round to the next"
last=$(tail -n 1 "$W/rounds")
is "${last// /}" "0|$NIDS|$NIDS|$NIDS|$NIDS" "... and after the loaders: $NIDS everywhere"
is "$(q "$DB" "SELECT count(*) FROM dlpg.series('model', 'throughput', '{\"processing_unit\": \"NVIDIA H200\"}', 'best')")" 1 \
    "... dlpg.series over the loaded data: one H200 model (ResNet50)"
is "$(q "$DB" "SELECT string_agg(value || ':' || n, ',' ORDER BY rank) FROM dlpg.axis_values WHERE axis = 'processing_unit'")" \
    "$(q "$DB" "SELECT string_agg(coalesce(processing_unit, 'unknown') || ':' || c, ',' ORDER BY processing_unit IS NULL, processing_unit) FROM (SELECT processing_unit, count(*) c FROM dlpg.benchmarks GROUP BY 1) s")" \
    "... dlpg.axis_values counts the loaded data by GPU, the logs without one as unknown (last)"

# ---------------------------------------------------------------- the same again, all at once
# a second wave over the same folders: nothing new, all duplicates, still exit 0
start_wave .2
wait_wave .2
rcs=""
nothing_new=0
for spec in "${LOADERS[@]}"; do
    read -r name _ <<<"$spec"
    wait "${PID[$name]}"
    rc=$?
    rcs+="$rc "
    [ "$rc" = 0 ] || { diag "second wave, loader $name: exit $rc; stderr:"; diag_file "$W/$name.2.err"; }
    grep -q '^dlpg-load: nothing new: [0-9]* duplicates$' "$W/$name.2.err" && nothing_new=$((nothing_new + 1))
done
is "${rcs% } timed_out=$timed_out" "0 0 0 0 0 0 0 0 timed_out=0" "a second wave of the 8 loaders: every one exits 0, within $LIMIT s"
is "$nothing_new" 8 "... each says nothing new"
is "$(q "$DB" "SELECT count(*) || ' ' || count(DISTINCT exp_id) FROM dlpg.benchmarks") $(q "$DB" 'SELECT count(*) FROM dlpg.rejects')" \
    "$NIDS $NIDS 0" "... still $NIDS benchmarks, once each, no rejects"
cat "$W"/*.2.out "$W"/*.2.err >"$W/all2.output"
unlike "$W/all2.output" '[Dd]eadlock|40P01|could not serialize' "... and no deadlock reaches the user"

# ---------------------------------------------------------------- a deadlock in the middle of a batch
# Two loaders take the same 100 benchmarks in opposite orders (P: dl-001..dl-100, Q: dl-100..
# dl-001), then 20 of their own, all in one batch (--batch 1000). A session holding LOCK TABLE
# makes both wait at their first insert; released at once, they meet in the middle and the server
# kills one with a deadlock (after deadlock_timeout) while its client is still sending the batch
# (large logs: the socket is full). The victim must roll back and run its batch again: both exit
# 0, and each one's 20 own benchmarks are stored.
mkdir -p "$W/P" "$W/Q"
for i in $(seq -w 1 100); do
    log_with_id "${fixtures[0]}" "dl-$i" "$W/P/a$i.log"
    log_with_id "${fixtures[0]}" "dl-$(printf '%03d' $((101 - 10#$i)))" "$W/Q/a$i.log"
done
for i in $(seq -w 1 20); do
    log_with_id "${fixtures[1]}" "p-only-$i" "$W/P/z$i.log"
    log_with_id "${fixtures[1]}" "q-only-$i" "$W/Q/z$i.log"
done
new_db DBD || exit 1
# poll_until SECONDS SQL: until SQL (on DBD) says t; false on timeout
poll_until() {
    local end=$((SECONDS + $1))
    while [ "$SECONDS" -lt "$end" ]; do
        [ "$(q "$DBD" "$2" 2>/dev/null)" = t ] && return 0
        sleep 0.05
    done
    return 1
}
"${PSQL[@]}" -d "dbname=$DBD application_name=dlpg-barrier" -c 'BEGIN' \
    -c 'LOCK TABLE dlpg.benchmarks IN EXCLUSIVE MODE' -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &
barrier=$!
BG_PIDS+=("$barrier")
barrier_up=0
poll_until 30 "SELECT count(*) = 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
               WHERE a.application_name = 'dlpg-barrier' AND l.mode = 'ExclusiveLock' AND l.granted
                 AND l.relation = 'dlpg.benchmarks'::regclass" && barrier_up=1
"$DLPG_LOAD" -d "dbname=$DBD application_name=dlpg-load-p" --batch 1000 P >"$W/p.out" 2>"$W/p.err" &
pp=$!
"$DLPG_LOAD" -d "dbname=$DBD application_name=dlpg-load-q" --batch 1000 Q >"$W/q.out" 2>"$W/q.err" &
pq=$!
BG_PIDS+=("$pp" "$pq")
both_wait=0
poll_until 30 "SELECT count(*) = 2 FROM pg_stat_activity
               WHERE application_name IN ('dlpg-load-p', 'dlpg-load-q') AND wait_event_type = 'Lock'" && both_wait=1
q "$DBD" "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'dlpg-barrier'" >/dev/null
wait "$barrier"
is "$barrier_up $both_wait" "1 1" "two loaders in opposite orders wait behind a table lock, then start at once"
deadline=$((SECONDS + LIMIT))
while { kill -0 "$pp" || kill -0 "$pq"; } 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
kill -KILL "$pp" "$pq" 2>/dev/null
wait "$pp"
rp=$?
wait "$pq"
rq=$?
if is "$rp $rq" "0 0" "... a deadlock in the middle of a batch: both exit 0"; then :; else
    diag "P: exit $rp:"; diag_file "$W/p.err"; diag "Q: exit $rq:"; diag_file "$W/q.err"
fi
unlike "$W/p.err" '[Dd]eadlock|40P01|25P02' "... no deadlock reaches the user (P)"
unlike "$W/q.err" '[Dd]eadlock|40P01|25P02' "... no deadlock reaches the user (Q)"
got=$(q "$DBD" "SELECT count(*) || ' rows, ' || count(DISTINCT exp_id) || ' ids, '
                || count(*) FILTER (WHERE exp_id LIKE 'p-only-%') || ' p-only, '
                || count(*) FILTER (WHERE exp_id LIKE 'q-only-%') || ' q-only' FROM dlpg.benchmarks")
is "$got" "140 rows, 140 ids, 20 p-only, 20 q-only" "... every benchmark stored once, the victim's own 20 included"
for x in p q; do
    read -r ins rep < <(ins_rep "$W/$x.err"; echo "x x")
    dup=$(summary duplicates "$W/$x.err")
    sum_n="?"
    [[ "$ins" =~ ^[0-9]+$ && "$dup" =~ ^[0-9]+$ ]] && sum_n=$((ins + dup))
    is "read=$(summary "files read" "$W/$x.err") inserted+duplicates=$sum_n" "read=120 inserted+duplicates=120" \
        "... loader ${x^^}: summary adds up ($ins inserted + $dup duplicates)"
done
diag "mid-batch deadlock case: P exit $rp ($(summary "files read" "$W/p.err") read), Q exit $rq ($(summary "files read" "$W/q.err") read), stored: $got; deadlocks seen by the server (may lag): $(
    q "$DBD" "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")"
