#!/usr/bin/env bash
# test/loader/conflict.t -- a clean folder (exit 0), loading it again (nothing new, exit 0),
# --on-conflict replace (same ids, new values) and error (each benchmark rejected, 23505),
# --batch sizes (same result whatever the batch), and two loaders at once over the same files
# (each benchmark once, no deadlock, no rejects).
#
# Needs: a running server (libpq environment, see lib.sh), gzip, tar.
# TAP output: prove test/loader/conflict.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 23

W=$TAP_WORK
mkdir -p "$W/clean"
cp "$H200"/*.log "$W/clean/"
cd "$W" || exit 1

# ---------------------------------------------------------------- clean folder, twice
new_db DB || { echo "Bail out! cannot create a database"; exit 1; }
load clean1 -d "$DB" clean
rc_is 0 "a clean folder: exit 0"
is "$(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" 8 "8 benchmarks"
summary_is "$LOAD_ERR" "files_read=8 benchmarks_ingested=8 duplicates=0 rejected=0 ignored=0" "summary: 8 read, 8 ingested"
load clean2 -d "$DB" clean
rc_is 0 "the same folder again: exit 0 (duplicates are fine)"
like "$LOAD_ERR" '^dlpg-load: nothing new: 8 duplicates$' "... nothing new: 8 duplicates"
is "$(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" 8 "... still 8 benchmarks"

# ---------------------------------------------------------------- replace
ids_before=$(q "$DB" "SELECT string_agg(id || ':' || exp_id, ',' ORDER BY id) FROM dlpg.benchmarks")
changed=$(ls clean/*.log | head -n 1)
sed -i -E 's/^__results\.time__=.*/__results.time__=123.25/' "$changed"
load replace -d "$DB" --on-conflict replace clean
rc_is 0 "--on-conflict replace: exit 0"
is "$(q "$DB" "SELECT string_agg(id || ':' || exp_id, ',' ORDER BY id) FROM dlpg.benchmarks")" "$ids_before" \
    "--on-conflict replace keeps every id"
is "$(q "$DB" "SELECT batch_time_ms FROM dlpg.benchmarks WHERE source = '$changed'")" 123.25 \
    "... and stores the new values (results.time of the changed log)"
like "$LOAD_ERR" '^  benchmarks ingested: +8 \(0 inserted, 8 replaced\)' "summary: 8 replaced"
unlike "$LOAD_ERR" 'nothing new' "... not 'nothing new'"

# ---------------------------------------------------------------- error
load error -d "$DB" --on-conflict error clean
rc_is 1 "--on-conflict error over stored benchmarks: exit 1"
is "$(q "$DB" "SELECT count(*) || '|' || string_agg(DISTINCT sqlstate, ',') FROM dlpg.rejects")" "8|23505" \
    "... each one rejected with 23505"
is "$(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" 8 "... and nothing else changed"
summary_is "$LOAD_ERR" "benchmarks_ingested=0 rejected=8" "summary: 0 ingested, 8 rejected"

# ---------------------------------------------------------------- batch sizes
mkdir -p "$W/mixed/tar/sub"
cp "$RTX"/*.log "$W/mixed/"
cp "$ROOT"/data/dlbs/failed/*.log "$W/mixed/"
gzip -c "$H200/resnet50_float16_training_64.log" >"$W/mixed/h200_64.log.gz"
cp "$H200"/resnet50_float32_*.log "$W/mixed/tar/sub/"
tar --sort=name -czf "$W/mixed/h200.tgz" -C "$W/mixed/tar" sub
rm -rf "$W/mixed/tar"
: >"$W/mixed/empty.log"
declare -A RESULT
for b in 1 7 200; do
    new_db DBB || exit 1
    load "batch$b" -d "$DBB" --batch "$b" mixed
    RESULT[$b]="rc=$LOAD_RC $(q "$DBB" "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE status = 'failed') || ' failed, ' ||
        md5(string_agg(source || exp_id || status, ',' ORDER BY source)) FROM dlpg.benchmarks") $(
        q "$DBB" "SELECT string_agg(source || ':' || sqlstate, ',') FROM dlpg.rejects")"
done
is "${RESULT[1]}" "${RESULT[200]}" "--batch 1 gives what --batch 200 gives (${RESULT[200]%% *})"
is "${RESULT[7]}" "${RESULT[200]}" "--batch 7 gives what --batch 200 gives"
echo "${RESULT[200]}" >"$W/batch.result"
like "$W/batch.result" '^rc=1 15 rows, 1 failed, [0-9a-f]{32} mixed/empty.log:22P02,mixed/run.log:22P02$' \
    "... 15 benchmarks (8 RTX logs, the failed one, a .log.gz, 5 in a .tgz), 2 rejects, exit 1"

# ---------------------------------------------------------------- two loaders at once
mkdir -p "$W/many/a" "$W/many/b" "$W/many/c"
for i in $(seq 1 300); do
    tiny_log "many-$i" "$W/many/$(printf '%s' abc | cut -c$((i % 3 + 1)))/t$i.log"
done
new_db DBC || exit 1
"$DLPG_LOAD" -d "$DBC" --batch 10 many >"$W/c1.out" 2>"$W/c1.err" &
p1=$!
"$DLPG_LOAD" -d "$DBC" --batch 10 many >"$W/c2.out" 2>"$W/c2.err" &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
is "$rc1 $rc2" "0 0" "two loaders at once over the same 300 files: both exit 0"
is "$(q "$DBC" "SELECT count(*) || ' benchmarks, ' || count(DISTINCT exp_id) || ' exp ids' FROM dlpg.benchmarks")" \
    "300 benchmarks, 300 exp ids" "... each benchmark stored once"
is "$(q "$DBC" 'SELECT count(*) FROM dlpg.rejects')" 0 "... no rejects (no deadlock)"
ins1=$(awk '/^  benchmarks ingested:/ { print $3 }' "$W/c1.err")
ins2=$(awk '/^  benchmarks ingested:/ { print $3 }' "$W/c2.err")
dup1=$(summary duplicates "$W/c1.err")
dup2=$(summary duplicates "$W/c2.err")
is "$((ins1 + ins2)) $((dup1 + dup2))" "300 300" "... together: 300 ingested and 300 duplicates ($ins1 + $ins2, $dup1 + $dup2)"
is "$(q "$DBC" "SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'")" 300 "... all ok (tiny logs)"
