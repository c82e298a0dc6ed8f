#!/usr/bin/env bash
# bench/mlperf_bench.sh -- MLPerf ingestion speed against t::jsonb of the same MLLOG records
# (issue 13; run by `make bench` from the project root, after bench/ingest_bench.sh).
#
# Corpus: the bundled MLPerf files (data/mlperf/) as dlpg.load's inputs, built as dlpg-load builds
# them (test/lib/mlperf_inputs.py: path, the files' text, system description, scaling.json), each
# multiplied $BENCH_MLPERF_COPIES times (default 60, about 100 MB of result and detail text).
# Copy g of an input has its system folder renamed "<system>-c<g>" in its path: the dedup
# identity (format, path from the submitter folder, texts) differs, so no copy is a duplicate.
#   training   every result_*.txt (one run each)
#   inference  every performance/run_1 folder (summary + detail log)
#
# The baseline's input, per file: the JSON text of each ":::MLLOG" line (what follows the token,
# stripped), in the file's order, as one JSON array, '[' || string_agg(json, ',') || ']': what one
# would store without dlpg.  Checked before timing, for every distinct file: as jsonb it equals
# the records dlpg.parse_mllog finds (jsonb_agg of their "record"), none of which is invalid, so
# both sides see the same records; the record counts are printed.
#
# Cases, each a ratio dlpg / baseline (lower is better for dlpg; no target, a figure):
#   training    dlpg      SELECT count(*) FROM corpus_training AS c, dlpg.load('mlperf_training', c.input, 'bench') AS l
#                         into an empty dlpg.benchmarks (every input one benchmark, checked)
#               baseline  INSERT INTO plain(doc) SELECT js::jsonb FROM training_json   into an
#                         empty plain(id bigserial primary key, doc jsonb), doc lz4 like
#                         dlpg.benchmarks.params
#   inference   the same with mlperf_inference (summary and detail parsed; the baseline casts the
#               detail log's records)
#   parse-training   dlpg      SELECT count(dlpg.parse_mllog(result)) FROM corpus_training
#                    baseline  SELECT count(js::jsonb) FROM training_json
#   parse-inference  the same over the detail logs
# dlpg.load does more than the cast: it reads the input object, the system description, the
# summary (inference), derives the typed columns, computes the dedup identity (SHA-256 of the
# texts) and keeps every record in params; parse_mllog wraps every record as {"line", "record"}.
#
# Each case: one warm-up run of each side, then $BENCH_REPS (default 5) measured runs, alternating
# which side goes first; before every load/insert run that side's table is TRUNCATEd and a
# CHECKPOINT taken, after it its row count is checked. Times: server clock_timestamp() around the
# statement (bench/lib.sh). Medians in the table; all runs go to bench/out/mlperf.txt too.
#
# Knobs: BENCH_REPS (5), BENCH_MLPERF_COPIES (60), BENCH_SKIP_INSTALL=1 (do not run `make install`).
set -euo pipefail

BENCH=mlperf_bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
REPS=${BENCH_REPS:-5}
COPIES=${BENCH_MLPERF_COPIES:-60}
OUT="$OUTDIR/mlperf.txt"
BENCHDB=dlpg_mlperf_bench

bench_count BENCH_REPS "$REPS"
bench_count BENCH_MLPERF_COPIES "$COPIES"

bench_workdir dlpg-mlperf-bench
bench_install

# --- the inputs, as dlpg-load builds them ------------------------------------------------------
python3 test/lib/mlperf_inputs.py training >"$WORK/training.json"
python3 test/lib/mlperf_inputs.py inference >"$WORK/inference.json"

# shellcheck disable=SC2119  # no psql options
bench_cluster

{
    cat <<SQL
SET client_min_messages = warning;
CREATE EXTENSION dlpg;
\\set tj \`cat $WORK/training.json\`
\\set ij \`cat $WORK/inference.json\`
-- One row per bundled file: its input object, and the text that holds the MLLOG records.
CREATE TABLE src_training AS
SELECT row_number() OVER (ORDER BY key)::int AS k, key AS file, value AS input, value->>'result' AS log
  FROM jsonb_each(:'tj'::jsonb);
CREATE TABLE src_inference AS
SELECT row_number() OVER (ORDER BY key)::int AS k, key AS file, value AS input, value->>'detail' AS log
  FROM jsonb_each(:'ij'::jsonb);
DO \$\$
BEGIN
    IF (SELECT count(*) FROM src_training) = 0 OR (SELECT count(*) FROM src_inference) = 0
       OR EXISTS (SELECT FROM src_inference WHERE log IS NULL) THEN
        RAISE EXCEPTION 'no bundled MLPerf inputs, or an inference run without its detail log';
    END IF;
END
\$\$;

-- The baseline's JSON text of a file: its MLLOG lines' JSON, in order, as one array.
CREATE FUNCTION bench_mllog_json(log text) RETURNS text LANGUAGE sql IMMUTABLE AS \$f\$
SELECT '[' || coalesce(string_agg(btrim(substr(line, strpos(line, ':::MLLOG') + 8), E' \\t\\x0b\\x0c\\x1c\\x1d\\x1e\\x1f'), ','
                                  ORDER BY i), '') || ']'
  FROM regexp_split_to_table(log, E'\\r\\n|\\r|\\n') WITH ORDINALITY AS l(line, i)
 WHERE strpos(line, ':::MLLOG') > 0
\$f\$;
-- Both sides see the same records: checked per distinct file.
DO \$\$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(file, ', ') INTO bad
      FROM (SELECT file, log FROM src_training UNION ALL SELECT file, log FROM src_inference) AS s
     WHERE bench_mllog_json(log)::jsonb IS DISTINCT FROM
           (SELECT coalesce(jsonb_agg(r->'record' ORDER BY i), '[]')
              FROM jsonb_array_elements(dlpg.parse_mllog(log)) WITH ORDINALITY AS e(r, i))
        OR jsonb_path_exists(dlpg.parse_mllog(log), '\$[*].invalid');
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'the MLLOG records as JSON text differ from dlpg.parse_mllog: %', bad;
    END IF;
END
\$\$;

-- Copy g of input k: its system folder renamed <system>-c<g> (a path of its own, so no dedup).
CREATE FUNCTION bench_copy(input jsonb, g int) RETURNS text LANGUAGE sql IMMUTABLE AS \$f\$
SELECT jsonb_set(input, '{path}',
                 to_jsonb(regexp_replace(input->>'path', '/results/([^/]+)/', '/results/\\1-c' || g || '/')))::text
\$f\$;
CREATE TABLE corpus_training AS
SELECT row_number() OVER (ORDER BY g, s.k)::int AS n, bench_copy(s.input, g) AS input, s.log
  FROM generate_series(1, $COPIES) AS g CROSS JOIN src_training AS s;
CREATE TABLE corpus_inference AS
SELECT row_number() OVER (ORDER BY g, s.k)::int AS n, bench_copy(s.input, g) AS input, s.log
  FROM generate_series(1, $COPIES) AS g CROSS JOIN src_inference AS s;
CREATE TABLE training_json AS SELECT n, bench_mllog_json(log) AS js FROM corpus_training;
CREATE TABLE inference_json AS SELECT n, bench_mllog_json(log) AS js FROM corpus_inference;
DO \$\$
BEGIN
    IF (SELECT count(DISTINCT input::jsonb->>'path') FROM corpus_training) <> (SELECT count(*) FROM corpus_training)
       OR (SELECT count(DISTINCT input::jsonb->>'path') FROM corpus_inference) <> (SELECT count(*) FROM corpus_inference) THEN
        RAISE EXCEPTION 'corpus check: two copies share a path';
    END IF;
END
\$\$;
CREATE TABLE plain (id bigserial PRIMARY KEY, doc jsonb);
-- dlpg.benchmarks.params is lz4 (set by the extension): compress the baseline's jsonb the same way.
ALTER TABLE plain ALTER COLUMN doc SET COMPRESSION lz4;
ALTER TABLE plain SET (autovacuum_enabled = false);
ALTER TABLE dlpg.benchmarks SET (autovacuum_enabled = false);
ALTER TABLE dlpg.rejects SET (autovacuum_enabled = false);
VACUUM ANALYZE corpus_training, corpus_inference, training_json, inference_json;
SQL
} >"$WORK/setup.sql"

echo "mlperf_bench: building the corpus ($COPIES copies of the bundled inputs)"
psql_bench -q -f "$WORK/setup.sql"

ntrain=$(psql_bench -At -c "SELECT count(*) FROM corpus_training")
ninfer=$(psql_bench -At -c "SELECT count(*) FROM corpus_inference")

# --- timed runs --------------------------------------------------------------------------------
CASES=(training inference parse-training parse-inference)
declare -A STMT PREP ROWQ
STMT[training,dlpg]="SELECT count(*) FROM corpus_training AS c, dlpg.load('mlperf_training', c.input, 'bench') AS l \\g /dev/null"
STMT[training,baseline]="INSERT INTO plain(doc) SELECT js::jsonb FROM training_json;"
STMT[inference,dlpg]="SELECT count(*) FROM corpus_inference AS c, dlpg.load('mlperf_inference', c.input, 'bench') AS l \\g /dev/null"
STMT[inference,baseline]="INSERT INTO plain(doc) SELECT js::jsonb FROM inference_json;"
STMT[parse-training,dlpg]="SELECT count(dlpg.parse_mllog(log)) AS rows FROM corpus_training \\gset"
STMT[parse-training,baseline]="SELECT count(js::jsonb) AS rows FROM training_json \\gset"
STMT[parse-inference,dlpg]="SELECT count(dlpg.parse_mllog(log)) AS rows FROM corpus_inference \\gset"
STMT[parse-inference,baseline]="SELECT count(js::jsonb) AS rows FROM inference_json \\gset"
for c in training inference; do
    PREP[$c,dlpg]="TRUNCATE dlpg.benchmarks, dlpg.rejects RESTART IDENTITY; CHECKPOINT;"
    PREP[$c,baseline]="TRUNCATE plain RESTART IDENTITY; CHECKPOINT;"
    # dlpg: every input one benchmark and no reject
    ROWQ[$c,dlpg]="SELECT CASE WHEN (SELECT count(*) FROM dlpg.rejects) = 0 THEN count(*) END AS rows FROM dlpg.benchmarks \\gset"
    ROWQ[$c,baseline]="SELECT count(*) AS rows FROM plain \\gset"
done
for c in parse-training parse-inference; do
    for s in dlpg baseline; do PREP[$c,$s]=""; ROWQ[$c,$s]=""; done
done

{
    bench_emit_session
    for c in "${CASES[@]}"; do
        for r in $(seq 0 "$REPS"); do      # rep 0 is the warm-up
            if [ $((r % 2)) -eq 0 ]; then order=(dlpg baseline); else order=(baseline dlpg); fi
            for s in "${order[@]}"; do bench_emit_run "$c" "$s" "$r"; done
        done
    done
} >"$WORK/runs.sql"

echo "mlperf_bench: timing (warm-up + $REPS runs per side and case)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
psql_bench -q -f "$WORK/runs.sql"

bad=$(psql_bench -At -c "SELECT string_agg(format('%s/%s run %s: %s records', bcase, side, rep, rows), '; ')
                           FROM bench_run
                          WHERE rows IS DISTINCT FROM CASE WHEN bcase LIKE '%training' THEN $ntrain ELSE $ninfer END")
if [ -n "$bad" ]; then
    echo "mlperf_bench: wrong counts (want $ntrain training, $ninfer inference inputs): $bad" >&2
    exit 1
fi

# --- report ------------------------------------------------------------------------------------
info=$(psql_bench -At -F ' ' -c "
  SELECT (SELECT count(*) FROM src_training), (SELECT count(*) FROM src_inference),
         (SELECT round(sum(octet_length(log)) / 1048576.0, 1) FROM corpus_training),
         (SELECT round(sum(octet_length(log)) / 1048576.0, 1) FROM corpus_inference),
         (SELECT round(sum(octet_length(input)) / 1048576.0, 1) FROM corpus_training),
         (SELECT round(sum(octet_length(input)) / 1048576.0, 1) FROM corpus_inference),
         (SELECT sum(jsonb_array_length(js::jsonb)) FROM training_json),
         (SELECT sum(jsonb_array_length(js::jsonb)) FROM inference_json),
         (SELECT round(sum(octet_length(js)) / 1048576.0, 1) FROM training_json),
         (SELECT round(sum(octet_length(js)) / 1048576.0, 1) FROM inference_json)")
read -r ftrain finfer tlog_mb ilog_mb tin_mb iin_mb trec irec tjs_mb ijs_mb <<<"$info"
runs=$(bench_all_runs "array_position(ARRAY['training', 'inference', 'parse-training', 'parse-inference'], bcase), side" 15 8)
load=$(cut -d' ' -f1-3 /proc/loadavg)

{
    bench_title "dlpg MLPerf ingest benchmark"
    echo "corpus: $COPIES copies (each its own system folder) of the bundled MLPerf inputs (data/mlperf/):"
    echo "        training  $ntrain inputs ($COPIES x $ftrain result files), ${tlog_mb} MB of result text, ${tin_mb} MB of input JSON, $trec MLLOG records"
    echo "        inference $ninfer inputs ($COPIES x $finfer runs), ${ilog_mb} MB of detail logs, ${iin_mb} MB of input JSON, $irec MLLOG records"
    echo "        baseline JSON text (the MLLOG lines' JSON as one array per file): ${tjs_mb} MB training, ${ijs_mb} MB inference"
    echo "training/inference: dlpg SELECT count(*) FROM corpus, dlpg.load(format, input, 'bench')  vs  INSERT INTO plain(doc) SELECT js::jsonb"
    echo "parse-*:            dlpg SELECT count(dlpg.parse_mllog(log))  vs  SELECT count(js::jsonb)"
    echo "median wall time of $REPS runs after a warm-up (server clock_timestamp around each statement, commit included)"
    echo "load average (1, 5, 15 min) before timing: $load_before, when done: $load ($(nproc) cores)"
    echo
    printf '%-16s %12s %12s %7s\n' case "baseline ms" "dlpg ms" ratio
    for c in "${CASES[@]}"; do
        d=$(bench_median "$c" dlpg)
        b=$(bench_median "$c" baseline)
        printf '%-16s %12.1f %12.1f %7s\n' "$c" "$b" "$d" "$(bench_ratio "$d" "$b")"
    done
    echo
    echo "all measured runs (ms, in order):"
    printf '%s\n' "$runs"
} | tee "$OUT"
echo "mlperf_bench: written to ${OUT#"$ROOT"/}"
