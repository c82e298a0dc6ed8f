#!/usr/bin/env bash
# bench/ingest_bench.sh -- ingestion benchmark of dlpg (run by `make bench` from the project root).
#
# Corpus: 1000 DLBS logs = 125 copies of each of the 8 H200 fixtures in data/dlbs/h200/ (~64 KB
# each, ~49 KB of it __key__=value parameter lines with large hw.* JSON blocks). Every copy gets
# its own __exp.id__ (md5 of the copy number) so that ingest's dedup does not skip it.
#
# Two cases, each a ratio dlpg / baseline (target <= 1.0), the baseline doing the same work on the
# same records with stock PostgreSQL:
#   parse   SELECT count(dlpg.parse_log(log)) FROM corpus
#           vs  SELECT count(js::jsonb) FROM corpus_json
#           where corpus_json.js = dlpg.parse_log(log)::text, precomputed (the same key/values as
#           JSON text, parsed by PostgreSQL's own jsonb input).
#   ingest  SELECT count(dlpg.ingest(log, 'bench')) FROM corpus       into an empty dlpg.benchmarks
#           vs  INSERT INTO plain(doc) SELECT js::jsonb FROM corpus_json into an empty
#               plain(id bigserial primary key, doc jsonb)
#           plain.doc uses lz4 like dlpg.benchmarks.params (the extension sets it), so both sides
#           compress their jsonb the same way. Both tables are TRUNCATEd (RESTART IDENTITY) and a
#           CHECKPOINT is taken before every ingest run, on both sides.
#
# Each case: one warm-up run of each side, then $BENCH_REPS (default 5) measured runs, alternating
# which side goes first. A run's time is clock_timestamp() taken by the server right before and
# right after the statement (two \gset round trips around it, so it includes planning, execution
# and commit, like psql's \timing). The table shows medians; all runs go to bench/out/ingest.txt.
#
# Knobs: BENCH_REPS (5), BENCH_COPIES (1000), BENCH_SKIP_INSTALL=1 (do not run `make install`),
#        BENCH_PLAIN_COMPRESSION (lz4; pglz = PostgreSQL's default, for comparison only).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd -P)
REPS=${BENCH_REPS:-5}
COPIES=${BENCH_COPIES:-1000}
FIXTURES="$ROOT/data/dlbs/h200"
OUTDIR="$ROOT/bench/out"
OUT="$OUTDIR/ingest.txt"
BENCHDB=dlpg_bench
PLAIN_COMPRESSION=${BENCH_PLAIN_COMPRESSION:-lz4}

case "$REPS" in ''|*[!0-9]*|0) echo "ingest_bench: BENCH_REPS must be a positive integer" >&2; exit 2 ;; esac
case "$PLAIN_COMPRESSION" in lz4|pglz) ;; *) echo "ingest_bench: BENCH_PLAIN_COMPRESSION must be lz4 or pglz" >&2; exit 2 ;; esac
case "$COPIES" in ''|*[!0-9]*|0) echo "ingest_bench: BENCH_COPIES must be a positive integer" >&2; exit 2 ;; esac

mkdir -p "$OUTDIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dlpg-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- build and install, quietly (the log is shown only on failure) ---------------------------
if [ "${BENCH_SKIP_INSTALL:-0}" != 1 ]; then
    echo "ingest_bench: make install"
    if ! make -s install >"$WORK/install.log" 2>&1; then
        echo "ingest_bench: make install failed:" >&2
        cat "$WORK/install.log" >&2
        exit 1
    fi
fi

# --- private cluster ---------------------------------------------------------------------------
# shellcheck source=../tools/pgcluster.sh
. "$ROOT/tools/pgcluster.sh"
cleanup() {
    pgcluster_stop
    rm -rf "$WORK"
}
trap cleanup EXIT
pgcluster_start

psql_bench() {
    pgcluster_psql -d "$BENCHDB" "$@"
}

pgcluster_psql -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $BENCHDB" -c "CREATE DATABASE $BENCHDB"

# --- corpus ------------------------------------------------------------------------------------
# Each fixture goes through base64, so the text reaches the server byte for byte (backslashes,
# tabs, quotes and the final newline included); the copies are then made in SQL.
shopt -s nullglob
logs=("$FIXTURES"/*.log)
shopt -u nullglob
if [ "${#logs[@]}" -ne 8 ]; then
    echo "ingest_bench: expected 8 logs in $FIXTURES, found ${#logs[@]}" >&2
    exit 1
fi

{
    cat <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION dlpg;
CREATE TABLE bench_src (k int PRIMARY KEY, name text NOT NULL, log text NOT NULL);
SQL
    k=0
    for f in "${logs[@]}"; do
        k=$((k + 1))
        printf '\\set b64 `base64 -w0 %q`\n' "$f"
        printf "INSERT INTO bench_src VALUES (%d, '%s', convert_from(decode(:'b64', 'base64'), 'UTF8'));\n" \
            "$k" "$(basename "$f")"
    done
    cat <<SQL
-- Copy n of fixture ((n-1) % 8) + 1, with every __exp.id__ line's value replaced by md5(n).
CREATE TABLE corpus (n int PRIMARY KEY, log text NOT NULL);
INSERT INTO corpus
SELECT g, regexp_replace(s.log, '^([ \t]*__exp\.id__[ \t]*=).*\$',
                         '\1"' || md5(g::text) || '"', 'gn')
  FROM generate_series(1, $COPIES) AS g
  JOIN bench_src AS s ON s.k = (g - 1) % 8 + 1;
DO \$\$
DECLARE
    ids bigint;
    srcs bigint;
BEGIN
    SELECT count(DISTINCT substring(log FROM '\n__exp\.id__="([0-9a-f]{32})"\n')),
           count(DISTINCT regexp_replace(log, '\n__exp\.id__="[0-9a-f]{32}"\n', E'\n'))
      INTO ids, srcs FROM corpus;
    IF ids <> $COPIES OR srcs <> LEAST($COPIES, 8) THEN
        RAISE EXCEPTION 'corpus check: % distinct exp.id (want %), % distinct logs apart from it (want %)',
            ids, $COPIES, srcs, LEAST($COPIES, 8);
    END IF;
END
\$\$;
-- The baseline's input: the same key/values as dlpg.parse_log finds them, as JSON text.
CREATE TABLE corpus_json AS SELECT n, dlpg.parse_log(log)::text AS js FROM corpus;
ALTER TABLE corpus_json ADD PRIMARY KEY (n);
CREATE TABLE plain (id bigserial PRIMARY KEY, doc jsonb);
-- dlpg.benchmarks.params is lz4 (set by the extension): compress the baseline's jsonb the same way.
ALTER TABLE plain ALTER COLUMN doc SET COMPRESSION $PLAIN_COMPRESSION;
-- No autovacuum/analyze kicking in on the target tables in the middle of a timed run.
ALTER TABLE plain SET (autovacuum_enabled = false);
ALTER TABLE dlpg.benchmarks SET (autovacuum_enabled = false);
ALTER TABLE dlpg.rejects SET (autovacuum_enabled = false);
VACUUM ANALYZE bench_src, corpus, corpus_json;

SQL
} >"$WORK/setup.sql"

echo "ingest_bench: building the corpus ($COPIES logs)"
psql_bench -f "$WORK/setup.sql"

# --- timed runs --------------------------------------------------------------------------------
# One psql session runs everything, so caches are equally warm for both sides. Per run:
#   prep (ingest: empty that side's target table, CHECKPOINT), t0, the statement, t1, then the
#   number of records it produced (parse: the count it returned; ingest: rows in its table).
declare -A STMT PREP ROWQ
STMT[parse,baseline]="SELECT count(js::jsonb) AS rows FROM corpus_json \\gset"
STMT[parse,dlpg]="SELECT count(dlpg.parse_log(log)) AS rows FROM corpus \\gset"
STMT[ingest,baseline]="INSERT INTO plain(doc) SELECT js::jsonb FROM corpus_json;"
STMT[ingest,dlpg]="SELECT count(dlpg.ingest(log, 'bench')) FROM corpus \\g /dev/null"
PREP[parse,baseline]=""
PREP[parse,dlpg]=""
PREP[ingest,baseline]="TRUNCATE plain RESTART IDENTITY; CHECKPOINT;"
PREP[ingest,dlpg]="TRUNCATE dlpg.benchmarks, dlpg.rejects RESTART IDENTITY; CHECKPOINT;"
ROWQ[parse,baseline]=""
ROWQ[parse,dlpg]=""
ROWQ[ingest,baseline]="SELECT count(*) AS rows FROM plain \\gset"
ROWQ[ingest,dlpg]="SELECT count(*) AS rows FROM dlpg.benchmarks \\gset"

emit_run() { # case side rep
    local c=$1 s=$2 r=$3
    if [ -n "${PREP[$c,$s]}" ]; then printf '%s\n' "${PREP[$c,$s]}"; fi
    printf 'SELECT clock_timestamp() AS t0 \\gset\n'
    printf '%s\n' "${STMT[$c,$s]}"
    printf 'SELECT extract(epoch FROM clock_timestamp() - :'"'"'t0'"'"'::timestamptz) * 1000 AS ms \\gset\n'
    if [ -n "${ROWQ[$c,$s]}" ]; then printf '%s\n' "${ROWQ[$c,$s]}"; fi
    printf "INSERT INTO bench_run VALUES ('%s', '%s', %d, :ms, :rows);\n" "$c" "$s" "$r"
}

{
    echo "SET client_min_messages = warning;"
    # Same plan shape for both sides: no parallel workers, no JIT.
    echo "SET max_parallel_workers_per_gather = 0;"
    echo "SET jit = off;"
    echo "CREATE TABLE bench_run (bcase text, side text, rep int, ms float8, rows bigint);"
    for c in parse ingest; do
        for r in $(seq 0 "$REPS"); do      # rep 0 is the warm-up
            if [ $((r % 2)) -eq 0 ]; then order="baseline dlpg"; else order="dlpg baseline"; fi
            for s in $order; do
                emit_run "$c" "$s" "$r"
            done
        done
    done
} >"$WORK/runs.sql"

echo "ingest_bench: timing (warm-up + $REPS runs per side and case)"
psql_bench -f "$WORK/runs.sql"

# Every run must have handled exactly the corpus's records, on both sides.
bad=$(psql_bench -At -c "SELECT string_agg(format('%s/%s run %s: %s records', bcase, side, rep, rows), '; ')
                           FROM bench_run WHERE rows IS DISTINCT FROM $COPIES")
if [ -n "$bad" ]; then
    echo "ingest_bench: wrong record counts (want $COPIES): $bad" >&2
    exit 1
fi

# --- report ------------------------------------------------------------------------------------
info=$(psql_bench -At -F ' ' -c "
  SELECT round(sum(octet_length(log)) / 1048576.0, 1),
         (SELECT round(sum(octet_length(js)) / 1048576.0, 1) FROM corpus_json),
         (SELECT round(avg((SELECT count(*) FROM jsonb_object_keys(dlpg.parse_log(log))))) FROM bench_src)
    FROM corpus")
read -r log_mb json_mb nkeys <<<"$info"
params_comp=$(psql_bench -At -c "SELECT CASE attcompression WHEN 'l' THEN 'lz4' WHEN 'p' THEN 'pglz'
                                        ELSE 'default (' || current_setting('default_toast_compression') || ')' END
                                   FROM pg_attribute
                                  WHERE attrelid = 'dlpg.benchmarks'::regclass AND attname = 'params'")

rows=$(psql_bench -At -F '|' -c "
  SELECT bcase,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE side = 'baseline'),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE side = 'dlpg'),
         string_agg(round(ms::numeric, 1)::text, ' ' ORDER BY rep) FILTER (WHERE side = 'baseline'),
         string_agg(round(ms::numeric, 1)::text, ' ' ORDER BY rep) FILTER (WHERE side = 'dlpg')
    FROM bench_run WHERE rep > 0
   GROUP BY bcase ORDER BY bcase = 'ingest', bcase")

TARGET=1.0
{
    echo "dlpg ingest benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $(psql_bench -At -c 'SHOW server_version')"
    echo "corpus: $COPIES H200 DLBS logs (8 fixtures cycled, distinct exp.id), ${log_mb} MB of log text;"
    echo "        ~${nkeys} keys per log, ${json_mb} MB as the baseline's JSON text"
    echo "parse : baseline SELECT count(js::jsonb) FROM corpus_json  vs  dlpg SELECT count(dlpg.parse_log(log)) FROM corpus"
    echo "ingest: baseline INSERT INTO plain(doc) SELECT js::jsonb   vs  dlpg SELECT count(dlpg.ingest(log, 'bench'))"
    echo "        (plain.doc compression: $PLAIN_COMPRESSION; dlpg.benchmarks.params: $params_comp)"
    echo "median wall time of $REPS runs after a warm-up (server clock_timestamp around each statement, commit included)"
    echo
    printf '%-8s %12s %12s %8s %8s  %s\n' case "baseline ms" "dlpg ms" ratio target result
    while IFS='|' read -r c b d braw draw; do
        [ -n "$c" ] || continue
        ratio=$(awk -v b="$b" -v d="$d" 'BEGIN { printf "%.2f", d / b }')
        verdict=$(awk -v b="$b" -v d="$d" -v t="$TARGET" 'BEGIN { print (d / b <= t) ? "met" : "MISSED" }')
        printf '%-8s %12.1f %12.1f %8s %8s  %s\n' "$c" "$b" "$d" "$ratio" "<= $TARGET" "$verdict"
    done <<<"$rows"
    echo
    echo "all runs (ms, in order):"
    while IFS='|' read -r c b d braw draw; do
        [ -n "$c" ] || continue
        printf '  %-7s baseline: %s\n' "$c" "$braw"
        printf '  %-7s dlpg:     %s\n' "$c" "$draw"
    done <<<"$rows"
} | tee "$OUT"
echo "ingest_bench: written to ${OUT#"$ROOT"/}"
