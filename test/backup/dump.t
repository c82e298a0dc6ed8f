#!/usr/bin/env bash
# test/backup/dump.t -- backups keep the data (issue 8): pg_dump / restore of a database with
# dlpg gives back every row and every column of dlpg.benchmarks and dlpg.rejects, and the ids
# go on after the restored ones.
#
#   source database: the real logs of data/dlbs (17 benchmarks, 1 rejected log) and 1,000 real
#   RTX 2080 logs with exp.ids of their own, loaded by dlpg-load; a bad log file; a JSON array
#   with bad elements (dlpg.ingest_json). Then, for each of
#     plain   pg_dump -Fp, restored with psql -v ON_ERROR_STOP=1 into a new empty database
#     custom  pg_dump -Fc, restored with pg_restore --exit-on-error into another one
#   in the restored database: the same row counts (> 0), the same COPY output of both tables
#   ordered by id (every column: jsonb, arrays, timestamptz, ...), the same extension version,
#   and a new ingest gets a benchmark id and a reject id above every restored id, and the same
#   catalog: every member of the extension with its privileges (dlpg_internal's functions not
#   executable by PUBLIC) and dlpg.dictionary (every comment), and the trial aggregates run for a
#   dlpg_reader.
#   The upgrade path: a database created at VERSION '0.2.0' and loaded there, then ALTER
#   EXTENSION dlpg UPDATE, dumped and restored (both formats) the same way.
#
# Before 0.3.0 (no pg_extension_config_dump), pg_dump wrote no rows: the counts fail.
#
# Needs: a running server (libpq environment, see test/loader/lib.sh) whose PGUSER can create
# databases; pg_dump, pg_restore and psql of that server (PGCLUSTER_BINDIR, else PATH).
# TAP output: prove test/backup/dump.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../loader/lib.sh"
need_loader
tap_plan 35

BIN=${PGCLUSTER_BINDIR:-}
if [ -n "$BIN" ] && [ -x "$BIN/pg_dump" ]; then
    PG_DUMP="$BIN/pg_dump" PG_RESTORE="$BIN/pg_restore"
else
    PG_DUMP=pg_dump PG_RESTORE=pg_restore
fi
W=$TAP_WORK
cd "$W" || exit 1

# empty_db VAR: a new database without any extension (the target of a restore)
empty_db() {
    local __var=$1 db
    DB_SEQ=$((DB_SEQ + 1))
    db="${DB_PREFIX}_$DB_SEQ"
    TEST_DBS+=("$db")
    "${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE template0" \
        >/dev/null || return 1
    printf -v "$__var" '%s' "$db"
}

# table_copy DB TABLE FILE: every column of every row of TABLE, ordered by id, COPY text format
table_copy() {
    "${PSQL[@]}" -d "$1" -c "COPY (SELECT * FROM $2 ORDER BY id) TO STDOUT" >"$3"
}

# a JSON array: one good benchmark (new exp.id $1), then a scalar and an empty object
json_with_bad_elements() {
    printf '[{"exp.id": "%s", "exp.model": "resnet50", "exp.replica_batch": 8, "exp.effective_batch": 8, "results.time": 12.5, "results.time_data": [12.4, 12.6]}, 1, {}]' "$1"
}

# fill DB LABEL: the data set described above
fill() {
    local db=$1 label=$2 i=0 f
    mkdir -p "$W/$label/many" "$W/$label/bad"
    if [ "$label" = current ]; then
        # 1,000 real logs, each with an exp.id of its own
        while [ $i -lt 1000 ]; do
            for f in "$RTX"/*_*.log; do
                [ $i -lt 1000 ] || break
                log_with_id "$f" "backup-$i" "$W/$label/many/$i-${f##*/}"
                i=$((i + 1))
            done
        done
    fi
    printf 'not a DLBS log\n' >"$W/$label/bad/notes.log"
    load "fill-$label" -q -d "$db" "$ROOT/data/dlbs" "$W/$label/many" "$W/$label/bad"
    # exit 1: some inputs were rejected (run.log and notes.log), as they should be
    [ "$LOAD_RC" = 1 ] || { diag "dlpg-load exited $LOAD_RC"; diag_file "$LOAD_ERR"; return 1; }
    "${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM dlpg.ingest_json('$(json_with_bad_elements "json-$label")', 'bad.json')" >/dev/null
}

# catalog DB: the extension's members with their ACLs, dlpg.dictionary, and trial aggregates
# run as dlpg_reader (on values of their own: the restored database gets a new row above)
catalog() {
    "${PSQL[@]}" -d "$1" -A -t -F '|' 2>&1 <<'SQL'
SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
       coalesce(p.proacl::text, c.relacl::text, n.nspacl::text, '')
  FROM pg_depend d
  LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
  LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
  LEFT JOIN pg_namespace n ON d.classid = 'pg_namespace'::regclass AND n.oid = d.objid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dlpg')
 ORDER BY 1;
SELECT * FROM dlpg.dictionary;
SET ROLE dlpg_reader;
SELECT dlpg.trial_median(v), dlpg.trial_avg(v) FROM (VALUES (1.0::float8), (3.0), (10.0)) AS t(v);
SQL
}

# check_restore FORMAT SRC: dump SRC in FORMAT (plain or custom), restore into a new database,
# compare (8 checks)
check_restore() {
    local fmt=$1 src=$2 dst n_src n_dst r_src r_dst max_b max_r new
    empty_db dst || { echo "Bail out! cannot create a database"; exit 1; }
    rm -f "$W/dump.err" "$W/restore.err"
    if [ "$fmt" = plain ]; then
        "$PG_DUMP" -Fp -f "$W/$src.sql" "$src" 2>"$W/dump.err" &&
            "${PSQL[@]}" -d "$dst" -f "$W/$src.sql" >"$W/restore.out" 2>"$W/restore.err"
    else
        "$PG_DUMP" -Fc -f "$W/$src.custom" "$src" 2>"$W/dump.err" &&
            "$PG_RESTORE" --exit-on-error -d "$dst" "$W/$src.custom" >"$W/restore.out" 2>"$W/restore.err"
    fi
    if [ $? -eq 0 ]; then ok "$fmt: pg_dump and restore of $src succeed"; else
        not_ok "$fmt: pg_dump and restore of $src succeed"
        diag_file "$W/dump.err"; diag_file "$W/restore.err"
    fi
    n_src=$(q "$src" 'SELECT count(*) FROM dlpg.benchmarks')
    n_dst=$(q "$dst" 'SELECT count(*) FROM dlpg.benchmarks')
    r_src=$(q "$src" 'SELECT count(*) FROM dlpg.rejects')
    r_dst=$(q "$dst" 'SELECT count(*) FROM dlpg.rejects')
    is "$n_dst $r_dst" "$n_src $r_src" "$fmt: as many benchmarks and rejects as the original ($n_src, $r_src)"
    if [ "${n_dst:-0}" -gt 0 ] && [ "${r_dst:-0}" -gt 0 ]; then
        ok "$fmt: the restored tables are not empty"
    else
        not_ok "$fmt: the restored tables are not empty (benchmarks: ${n_dst:-?}, rejects: ${r_dst:-?})"
    fi
    table_copy "$src" dlpg.benchmarks "$W/b.src"; table_copy "$dst" dlpg.benchmarks "$W/b.dst"
    table_copy "$src" dlpg.rejects "$W/r.src"; table_copy "$dst" dlpg.rejects "$W/r.dst"
    if [ -s "$W/b.src" ] && cmp -s "$W/b.src" "$W/b.dst"; then
        ok "$fmt: dlpg.benchmarks: every row and column equal (COPY output, $(wc -c <"$W/b.src") bytes)"
    else
        not_ok "$fmt: dlpg.benchmarks: every row and column equal (COPY output)"
        diff "$W/b.src" "$W/b.dst" | cut -c 1-300 | head -n 10 | sed 's/^/# /'
    fi
    if [ -s "$W/r.src" ] && cmp -s "$W/r.src" "$W/r.dst"; then
        ok "$fmt: dlpg.rejects: every row and column equal (COPY output)"
    else
        not_ok "$fmt: dlpg.rejects: every row and column equal (COPY output)"
        diff "$W/r.src" "$W/r.dst" | cut -c 1-300 | head -n 10 | sed 's/^/# /'
    fi
    is "$(q "$dst" "SELECT extversion FROM pg_extension WHERE extname = 'dlpg'")" \
       "$(q "$src" "SELECT extversion FROM pg_extension WHERE extname = 'dlpg'")" \
       "$fmt: the same dlpg version"
    # a new benchmark and a new reject, in one call, after the restore
    max_b=$(q "$dst" 'SELECT coalesce(max(id), 0) FROM dlpg.benchmarks')
    max_r=$(q "$dst" 'SELECT coalesce(max(id), 0) FROM dlpg.rejects')
    new=$("${PSQL[@]}" -d "$dst" -A -t -F '|' \
            -c "SELECT max(i) > $max_b FROM dlpg.ingest_json('$(json_with_bad_elements "after-restore")', 'after.json') AS i" \
            -c "SELECT (SELECT count(*) FROM dlpg.rejects WHERE id > $max_r AND source = 'after.json'),
                       (SELECT count(*) FROM dlpg.benchmarks WHERE id > $max_b AND exp_id = 'after-restore')" 2>&1)
    new=${new//$'\n'/|}
    is "$new" "t|2|1" "$fmt: a new ingest after the restore gets ids above the restored ones (benchmark > $max_b, rejects > $max_r)"
    catalog "$src" >"$W/cat.src"; catalog "$dst" >"$W/cat.dst"
    if grep -q 'dlpg_internal.trials_accum' "$W/cat.src" && ! grep -q '^ERROR:' "$W/cat.src" &&
       cmp -s "$W/cat.src" "$W/cat.dst"; then
        ok "$fmt: the same catalog: members and their privileges, dlpg.dictionary, trial aggregates for a dlpg_reader ($(wc -l <"$W/cat.src") lines)"
    else
        not_ok "$fmt: the same catalog: members and their privileges, dlpg.dictionary, trial aggregates for a dlpg_reader"
        diff "$W/cat.src" "$W/cat.dst" | cut -c 1-300 | head -n 10 | sed 's/^/# /'
        grep '^ERROR:' "$W/cat.src" | head -n 5 | sed 's/^/# /'
    fi
}

# ---------------------------------------------------------------- a 0.3.0 database
new_db SRC || { echo "Bail out! cannot create a database"; exit 1; }
fill "$SRC" current
is "$(q "$SRC" 'SELECT count(*) FROM dlpg.benchmarks')" 1018 "source: 1018 benchmarks (17 + 1000 logs, 1 from JSON)"
is "$(q "$SRC" "SELECT string_agg(regexp_replace(source, '^.*/', '') || ':' || sqlstate, ' ' ORDER BY id) FROM dlpg.rejects")" \
   "run.log:22P02 notes.log:22P02 bad.json:22023 bad.json:22023" "source: 4 rejects (2 logs, 2 JSON elements)"
check_restore plain "$SRC"
check_restore custom "$SRC"

# ---------------------------------------------------------------- the upgrade path
new_db OLD || { echo "Bail out! cannot create a database"; exit 1; }
"${PSQL[@]}" -d "$OLD" -c 'DROP EXTENSION dlpg' -c "CREATE EXTENSION dlpg VERSION '0.2.0'" >/dev/null
fill "$OLD" old
"${PSQL[@]}" -d "$OLD" -c 'ALTER EXTENSION dlpg UPDATE' >/dev/null
is "$(q "$OLD" "SELECT extversion FROM pg_extension WHERE extname = 'dlpg'")|$(q "$OLD" 'SELECT count(*) FROM dlpg.benchmarks')|$(q "$OLD" 'SELECT count(*) FROM dlpg.rejects')" \
   "0.4.0|18|4" "0.2.0 database with data, updated: version 0.4.0, 18 benchmarks, 4 rejects"
check_restore plain "$OLD"
check_restore custom "$OLD"

exit $((TAP_FAILS > 0))
