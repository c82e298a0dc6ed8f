#!/usr/bin/env bash
# bench/ingest_bench.sh -- ingestion benchmark of dlpg (run by `make bench` from the project root).
#
# Corpus: 1000 DLBS logs = 125 copies of each of the 8 H200 fixtures in data/dlbs/h200/ (~64 KB
# each, ~49 KB of it __key__=value parameter lines with large hw.* JSON blocks). Every copy gets
# its own __exp.id__ (md5 of the copy number) so that ingest's dedup does not skip it.
#
# Two cases, each a ratio dlpg / baseline (target <= 1.0), the baseline doing the same work on the
# same records with stock PostgreSQL (its jsonb input function, a plain INSERT):
#   parse   dlpg      SELECT count(dlpg.parse_log(log)) FROM corpus
#           baseline  SELECT count(js::jsonb) FROM corpus_json
#   ingest  dlpg      SELECT count(dlpg.ingest(log, 'bench')) FROM corpus   into an empty dlpg.benchmarks
#           baseline  INSERT INTO plain(doc) SELECT js::jsonb FROM corpus_json   into an empty
#                     plain(id bigserial primary key, doc jsonb)
# where corpus_json.js holds each log's key/values as JSON text, precomputed, in two forms, each
# with its own row in the table:
#   canonical  dlpg.parse_log(log)::text: jsonb's output, so its object keys (top level and inside
#              the hw.* values) are already in jsonb's sorted order, and the cast's key sort runs on
#              presorted input.
#   log-order  the log's own parameter lines in the log's order, values as written in the log
#              (repeated keys included, non-JSON values quoted): what the cast would get from a
#              straight conversion of the log. Checked: js::jsonb = dlpg.parse_log(log) for every
#              record.
# plain.doc is lz4 like dlpg.benchmarks.params (the extension sets that), so both sides compress
# their jsonb the same way. Before every ingest run that side's table is TRUNCATEd (RESTART
# IDENTITY) and a CHECKPOINT taken; after it, its row count is checked.
#
# Each case: one warm-up run of each side, then $BENCH_REPS (default 5) measured runs, rotating which
# side goes first. A run's time is clock_timestamp() taken by the server right before and right
# after the statement (two \gset round trips around it, so it includes planning, execution and
# commit, like psql's \timing). The table shows medians; all runs go to bench/out/ingest.txt too.
#
# Knobs: BENCH_REPS (5), BENCH_COPIES (1000), BENCH_SKIP_INSTALL=1 (do not run `make install`),
#        BENCH_PLAIN_COMPRESSION (lz4; pglz = PostgreSQL's default, for comparison only).
set -euo pipefail

BENCH=ingest_bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
REPS=${BENCH_REPS:-5}
COPIES=${BENCH_COPIES:-1000}
OUT="$OUTDIR/ingest.txt"
BENCHDB=dlpg_bench
PLAIN_COMPRESSION=${BENCH_PLAIN_COMPRESSION:-lz4}

bench_count BENCH_REPS "$REPS"
case "$PLAIN_COMPRESSION" in lz4|pglz) ;; *) echo "ingest_bench: BENCH_PLAIN_COMPRESSION must be lz4 or pglz" >&2; exit 2 ;; esac
bench_count BENCH_COPIES "$COPIES"

bench_workdir dlpg-bench
bench_install
bench_cluster

# --- corpus ------------------------------------------------------------------------------------
bench_fixture_logs
{
    bench_src_sql
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
-- canonical: jsonb's own output (keys sorted).
CREATE TABLE corpus_json AS SELECT n, dlpg.parse_log(log)::text AS js FROM corpus;
ALTER TABLE corpus_json ADD PRIMARY KEY (n);
-- log-order: '{' || the log's "key": value pairs, in the log's order, values as written || '}'.
-- A candidate line (blanks, "__") is split into key and value by dlpg.parse_log on that line
-- alone; its raw value is the text after the "=" that follows "__key__", stripped. A value that
-- parse_log kept as a string although it is not written as one was not JSON: it is quoted.
CREATE FUNCTION bench_logorder_json(log text) RETURNS text LANGUAGE sql STABLE AS \$f\$
SELECT '{' || coalesce(string_agg(to_json(k)::text || ':' ||
                 CASE WHEN jsonb_typeof(v) = 'string' AND left(raw, 1) <> '"' THEN to_json(raw)::text
                      ELSE raw END, ',' ORDER BY i), '') || '}'
  FROM (SELECT i, e.key AS k, e.value AS v,
               btrim(substr(rest, strpos(rest, '=') + 1), E' \t\r\n\v\f') AS raw
          FROM (SELECT i, dlpg.parse_log(line) AS one, substr(ltrim(line, E' \t'), 3) AS rest0
                  FROM regexp_split_to_table(log, E'\n') WITH ORDINALITY AS l(line, i)
                 WHERE line ~ '^[ \t]*__') AS l
         CROSS JOIN LATERAL jsonb_each(one) AS e
         CROSS JOIN LATERAL (SELECT substr(rest0, strpos(rest0, e.key) + length(e.key) + 2)) AS r(rest)
       ) AS p
\$f\$;
CREATE TABLE corpus_json_lo AS SELECT n, bench_logorder_json(log) AS js FROM corpus;
ALTER TABLE corpus_json_lo ADD PRIMARY KEY (n);
DO \$\$
DECLARE
    bad bigint;
BEGIN
    SELECT count(*) INTO bad
      FROM corpus AS c JOIN corpus_json_lo AS l USING (n)
     WHERE l.js::jsonb IS DISTINCT FROM dlpg.parse_log(c.log);
    IF bad > 0 THEN
        RAISE EXCEPTION 'log-order JSON check: % of % records differ from dlpg.parse_log', bad, $COPIES;
    END IF;
END
\$\$;
CREATE TABLE plain (id bigserial PRIMARY KEY, doc jsonb);
-- dlpg.benchmarks.params is lz4 (set by the extension): compress the baseline's jsonb the same way.
ALTER TABLE plain ALTER COLUMN doc SET COMPRESSION $PLAIN_COMPRESSION;
-- No autovacuum/analyze kicking in on the target tables in the middle of a timed run.
ALTER TABLE plain SET (autovacuum_enabled = false);
ALTER TABLE dlpg.benchmarks SET (autovacuum_enabled = false);
ALTER TABLE dlpg.rejects SET (autovacuum_enabled = false);
VACUUM ANALYZE bench_src, corpus, corpus_json, corpus_json_lo;

SQL
} >"$WORK/setup.sql"

echo "ingest_bench: building the corpus ($COPIES logs)"
psql_bench -f "$WORK/setup.sql"

# --- timed runs --------------------------------------------------------------------------------
# One psql session runs everything, so caches are equally warm for all sides. Per run:
#   prep (ingest: empty that side's target table, CHECKPOINT), t0, the statement, t1, then the
#   number of records it produced (parse: the count it returned; ingest: rows in its table).
SIDES=(canonical logorder dlpg)
declare -A STMT PREP ROWQ
STMT[parse,canonical]="SELECT count(js::jsonb) AS rows FROM corpus_json \\gset"
STMT[parse,logorder]="SELECT count(js::jsonb) AS rows FROM corpus_json_lo \\gset"
STMT[parse,dlpg]="SELECT count(dlpg.parse_log(log)) AS rows FROM corpus \\gset"
STMT[ingest,canonical]="INSERT INTO plain(doc) SELECT js::jsonb FROM corpus_json;"
STMT[ingest,logorder]="INSERT INTO plain(doc) SELECT js::jsonb FROM corpus_json_lo;"
STMT[ingest,dlpg]="SELECT count(dlpg.ingest(log, 'bench')) FROM corpus \\g /dev/null"
for side in canonical logorder; do
    PREP[parse,$side]=""
    PREP[ingest,$side]="TRUNCATE plain RESTART IDENTITY; CHECKPOINT;"
    ROWQ[parse,$side]=""
    ROWQ[ingest,$side]="SELECT count(*) AS rows FROM plain \\gset"
done
PREP[parse,dlpg]=""
PREP[ingest,dlpg]="TRUNCATE dlpg.benchmarks, dlpg.rejects RESTART IDENTITY; CHECKPOINT;"
ROWQ[parse,dlpg]=""
ROWQ[ingest,dlpg]="SELECT count(*) AS rows FROM dlpg.benchmarks \\gset"

{
    bench_emit_session
    for c in parse ingest; do
        for r in $(seq 0 "$REPS"); do      # rep 0 is the warm-up
            for i in 0 1 2; do             # rotate who goes first
                bench_emit_run "$c" "${SIDES[$(((r + i) % 3))]}" "$r"
            done
        done
    done
} >"$WORK/runs.sql"

echo "ingest_bench: timing (warm-up + $REPS runs per side and case)"
psql_bench -f "$WORK/runs.sql"

# Every run must have handled exactly the corpus's records, on every side.
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
         (SELECT round(sum(octet_length(js)) / 1048576.0, 1) FROM corpus_json_lo),
         (SELECT round(avg((SELECT count(*) FROM jsonb_object_keys(dlpg.parse_log(log))))) FROM bench_src)
    FROM corpus")
read -r log_mb json_mb json_lo_mb nkeys <<<"$info"
params_comp=$(psql_bench -At -c "SELECT CASE attcompression WHEN 'l' THEN 'lz4' WHEN 'p' THEN 'pglz'
                                        ELSE 'default (' || current_setting('default_toast_compression') || ')' END
                                   FROM pg_attribute
                                  WHERE attrelid = 'dlpg.benchmarks'::regclass AND attname = 'params'")

runs=$(bench_all_runs "bcase = 'ingest', array_position(ARRAY['canonical', 'logorder', 'dlpg'], side)" 7 10)

TARGET=1.0
{
    bench_title "dlpg ingest benchmark"
    echo "corpus: $COPIES H200 DLBS logs (the 8 fixtures cycled, each copy its own exp.id), ${log_mb} MB of log text,"
    echo "        ~${nkeys} keys per log; as the baseline's JSON text: ${json_mb} MB canonical, ${json_lo_mb} MB log-order"
    echo "parse : dlpg SELECT count(dlpg.parse_log(log)) FROM corpus  vs  SELECT count(js::jsonb) FROM <JSON text>"
    echo "ingest: dlpg SELECT count(dlpg.ingest(log, 'bench')) FROM corpus  vs  INSERT INTO plain(doc) SELECT js::jsonb"
    echo "        (plain.doc compression: $PLAIN_COMPRESSION; dlpg.benchmarks.params: $params_comp)"
    echo "JSON text: canonical = dlpg.parse_log(log)::text (keys already in jsonb order);"
    echo "           log-order = the log's key/value lines in log order, values as written (::jsonb checked = parse_log)"
    echo "median wall time of $REPS runs after a warm-up (server clock_timestamp around each statement, commit included)"
    echo
    printf '%-8s %-10s %12s %12s %7s %8s  %s\n' case "JSON text" "baseline ms" "dlpg ms" ratio target result
    for c in parse ingest; do
        d=$(bench_median "$c" dlpg)
        for side in canonical logorder; do
            b=$(bench_median "$c" "$side")
            printf '%-8s %-10s %12.1f %12.1f %7s %8s  %s\n' "$c" "$side" "$b" "$d" \
                "$(bench_ratio "$d" "$b")" "<= $TARGET" "$(bench_verdict "$d" "$b" "$TARGET")"
        done
    done
    echo
    echo "all measured runs (ms, in order):"
    printf '%s\n' "$runs"
} | tee "$OUT"
echo "ingest_bench: written to ${OUT#"$ROOT"/}"
