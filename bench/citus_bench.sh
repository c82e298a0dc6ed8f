#!/usr/bin/env bash
# bench/citus_bench.sh -- dlpg.series on a three-node Citus cluster against one node, on the same
# 1,000,000 benchmarks (issue 11 item 5). `make bench-citus`, or bench/citus_bench.sh.
#
# Where it runs: never in the system's PostgreSQL. Started without a cluster, the script runs
# itself again through tools/run-tests-citus.sh, which makes a private tree (this checkout's
# dlpg, the cached Citus 13.2.2 build) and starts a coordinator and two workers on loopback
# ports (database dlpg_citus, citus and dlpg created, the workers added), all three with
# shared_buffers = BENCH_SHARED_BUFFERS (1GB) and jit = off; everything is stopped and removed
# at the end. Without Citus, run-tests-citus.sh prints its SKIPPED banner and nothing is timed.
# Run inside `tools/run-tests-citus.sh bash`, it uses that cluster (dlpg_citus must not be
# distributed with rows in it yet).
#
# Data: bench/series_data.sql (the rows of bench/series_bench.sh, BENCH_ROWS of them) generated
# in a plain database dlpg_citus_bench_single on the coordinator's server (no Citus in it), then
# copied with COPY into dlpg_citus after SELECT dlpg.distribute() (dlpg.benchmarks hash on
# dedup_key, 32 shards, 16 on each worker); VACUUM ANALYZE and pg_prewarm on both.
#
# 1. Answers: each case's SELECT * FROM dlpg.series(...) gives the same rows on both (y within
#    1e-12 relative: a sum in another order; every other column exactly), checked first.
# 2. Times: the cases below; Citus at its defaults (citus) and with citus.max_cached_conns_per_worker
#    = 16 (citus16: the session keeps its connections to the workers instead of opening up to 16
#    a worker anew for every query) against the single node with no parallel workers (single0, as
#    series_bench) and with 2 (single2: max_parallel_workers_per_gather; the workers at
#    PostgreSQL's defaults otherwise). Each run in a psql session of its own, after an
#    untimed run of the same statement in that session (caches and Citus's connections warm); the
#    server's clock_timestamp() around the statement; rep 0 is a warm-up, then BENCH_REPS (5)
#    measured runs, the sides rotated; medians; ratio = Citus / single node.
#      series-max     dlpg.series('replica_batch', 'throughput', '{"phase": "training",
#                     "precision": "fp32"}', 'max', 'model')  (series_bench's)
#      series-avg     dlpg.series('num_devices', 'throughput', '{"model": "resnet50",
#                     "scaling": "weak", "batch_size": 64}', 'avg', 'framework')  (series_bench's)
#      series-median  series-max's arguments with 'median' (trial_median ships its values)
# 3. Bytes from the workers: EXPLAIN (ANALYZE) cannot run these plans on Citus 13.2.2 (citus
#    issue #4043: "column has pseudo-type cstring"), so the tasks are replayed: EXPLAIN (VERBOSE,
#    FORMAT JSON) with citus.explain_all_tasks = on gives each task's SQL and node; each task runs
#    again on its worker, wrapped so that the worker counts its rows and the bytes of its values
#    as Citus receives them: binary (the type's send function) when every column's type allows
#    it and citus.enable_binary_protocol is on (Citus's CanUseBinaryCopyFormat: a send and a
#    receive function, not a row type, recursively for elements), else text. That is what Citus
#    itself counts as "Tuple data received from nodes" (the sum of PQgetlength); the wire adds
#    about 7 + 4 x columns bytes per row (the DataRow message). Three plans per case:
#      pushed down   dlpg.series_query(...) as dlpg.series runs it: one partial state per group
#                    and shard (worker_partial_agg), combined on the coordinator
#      row-gather    the same query with the trial aggregate written with an ORDER BY (same
#                    answer), which Citus cannot push down: it pulls the rows and aggregates
#                    on the coordinator -- what dlpg 0.3.0's internal states cost
#      raw columns   only the columns the aggregates read (group, x, y, the 12 configuration
#                    columns) under the same WHERE: the least any row-pulling plan ships
#    The replay is checked against Citus's own count where Citus can give one: EXPLAIN (ANALYZE)
#    of the raw-columns query ("Tuple data received from nodes", pg_size_pretty'd).
# 4. Per-node rates: the 16 pushed-down tasks of worker 1 run one after the other in one session
#    on worker 1 (a warm-up, then the median of 3): rows of its shards per second on one core, as
#    Citus sends them (worker_partial_agg) and with the dlpg aggregates called directly in their
#    place; and the single node's rows per second (ROWS / its serial median).
# 5. The coordinator's part: the pushed-down tasks' partial states copied into a table on the
#    coordinator, and the plan's combine step (coord_combine_agg ... GROUP BY) timed over it alone.
#    docs/scale-out.md computes 100 M benchmarks on 8 and 32 workers from 4 and 5.
#
# All three servers share this machine's cores: the loopback cluster cannot be faster than one
# node here; the ratios show what distribution costs, not what it gains. The load average is
# printed. Report: bench/out/citus.txt.
# Knobs: BENCH_REPS (5), BENCH_ROWS (1000000), BENCH_SHARED_BUFFERS (1GB); the Citus suite's
# DLPG_CITUS_TARBALL, DLPG_CITUS_CACHE, PGCLUSTER_KEEP.
set -euo pipefail
shopt -s inherit_errexit

BENCH=citus_bench
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)

# --- a cluster of its own ---------------------------------------------------------------------
if [ -z "${CITUS_COORD_PORT:-}" ]; then
    cd "$HERE/.."
    echo "$BENCH: make"
    make -s >/dev/null
    export PGCLUSTER_EXTRA_CONF="shared_buffers = '${BENCH_SHARED_BUFFERS:-1GB}'
jit = off${PGCLUSTER_EXTRA_CONF:+
$PGCLUSTER_EXTRA_CONF}"
    exec tools/run-tests-citus.sh "$HERE/citus_bench.sh"
fi

# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
REPS=${BENCH_REPS:-5}
ROWS=${BENCH_ROWS:-1000000}
bench_count BENCH_REPS "$REPS"
bench_count BENCH_ROWS "$ROWS"
OUT="$OUTDIR/citus.txt"
CDB=${CITUS_DB:-dlpg_citus}
SDB=dlpg_citus_bench_single
W1=$CITUS_WORKER1_PORT
bench_workdir dlpg-citus-bench

# pn PORT DB ARG...: psql on a node; pc = the coordinator's dlpg_citus, p1 = the single node
pn() { local port=$1 db=$2; shift 2; "$PGCLUSTER_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -d "$db" "$@"; }
pc() { pn "$CITUS_COORD_PORT" "$CDB" "$@"; }
p1() { pn "$CITUS_COORD_PORT" "$SDB" "$@"; }
die() { echo "$BENCH: $*" >&2; exit 1; }

# --- data --------------------------------------------------------------------------------------
pn "$CITUS_COORD_PORT" postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $SDB" -c "CREATE DATABASE $SDB"
p1 -c "SET client_min_messages = warning" -c "CREATE EXTENSION dlpg"
echo "$BENCH: generating $ROWS rows (bench/series_data.sql) in the single-node database"
p1 -v ROWS="$ROWS" -f "$ROOT/bench/series_data.sql"
[ "$(p1 -At -c "SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'")" = "$ROWS" ] ||
    die "the single node holds $(p1 -At -c 'SELECT count(*) FROM dlpg.benchmarks') rows, want $ROWS"

if [ "$(pc -At -c "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'dlpg.benchmarks'::regclass")" = 0 ]; then
    pc -At -c "SET client_min_messages = warning" -c "SELECT * FROM dlpg.distribute()" >/dev/null
fi
[ "$(pc -At -c 'SELECT count(*) FROM dlpg.benchmarks')" = 0 ] || die "dlpg.benchmarks of $CDB is not empty"
echo "$BENCH: copying them into the distributed dlpg.benchmarks"
p1 -c "COPY dlpg.benchmarks TO STDOUT" | pc -c "COPY dlpg.benchmarks FROM STDIN"
pc -c "VACUUM ANALYZE dlpg.benchmarks"
[ "$(pc -At -c 'SELECT count(*) FROM dlpg.benchmarks')" = "$ROWS" ] || die "the cluster did not get $ROWS rows"
# every row in the shards' heap in shared buffers, as on the single node (pg_prewarm: contrib)
PREWARM="pg_prewarm'ed"
if p1 -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" 2>/dev/null; then
    p1 -c "SELECT pg_prewarm('dlpg.benchmarks')" >/dev/null
    # created on the coordinator: Citus creates it on the workers (and refuses it there)
    pc -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm"
    for port in "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do
        pn "$port" "$CDB" -c "SET citus.override_table_visibility = off" \
            -c "SELECT sum(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'dlpg' AND c.relkind = 'r' AND c.relname ~ '^benchmarks_[0-9]+\$'" >/dev/null
    done
else
    PREWARM="not prewarmed (no pg_prewarm)"
fi

# --- the cases ---------------------------------------------------------------------------------
CASES=(series-max series-avg series-median)
declare -A ARGS
ARGS[series-max]="'replica_batch', 'throughput', '{\"phase\": \"training\", \"precision\": \"fp32\"}', 'max', 'model'"
ARGS[series-avg]="'num_devices', 'throughput', '{\"model\": \"resnet50\", \"scaling\": \"weak\", \"batch_size\": 64}', 'avg', 'framework'"
ARGS[series-median]="'replica_batch', 'throughput', '{\"phase\": \"training\", \"precision\": \"fp32\"}', 'median', 'model'"

# --- 1. the same answers -----------------------------------------------------------------------
declare -A NROWS CONFIGS
for c in "${CASES[@]}"; do
    q="SELECT * FROM dlpg.series(${ARGS[$c]})"
    p1 -At -F '|' -c "SET client_min_messages = warning" -c "$q" >"$WORK/single.out"
    pc -At -F '|' -c "SET client_min_messages = warning" -c "$q" >"$WORK/citus.out"
    # series|x|x_rank|y|n|x_value|configs|mixed: y within 1e-12 relative, the rest exactly
    if ! awk -F'|' 'NR == FNR { want[FNR] = $0; n = FNR; next }
          { split(want[FNR], w, "|")
            for (i = 1; i <= NF; i++) {
                if (i == 4) { d = $i - w[i]; if (d < 0) d = -d; m = (w[i] < 0 ? -w[i] : w[i])
                              if (d > 1e-12 * m) { print "row " FNR ": y " $i " vs " w[i]; bad = 1 } }
                else if ($i != w[i]) { print "row " FNR ": column " i ": " $i " vs " w[i]; bad = 1 } } }
          END { if (FNR != n || n == 0) { print n " rows on one node, " FNR " on Citus"; bad = 1 }; exit bad }' \
            "$WORK/single.out" "$WORK/citus.out" >"$WORK/diff.out"; then
        head -n 5 "$WORK/diff.out" >&2
        die "$c: Citus and the single node differ"
    fi
    NROWS[$c]=$(wc -l <"$WORK/single.out")
    # configurations per point (dlpg.series's configs column): what a point's configuration state holds
    CONFIGS[$c]=$(awk -F'|' '{ s += $7; if ($7 > m) m = $7 } END { printf "%.0f %d", s / NR, m }' "$WORK/single.out")
    echo "$BENCH: $c: the same ${NROWS[$c]} rows on Citus and on one node"
done

# --- 2. times ----------------------------------------------------------------------------------
SIDES=(citus citus16 single0 single2)
# run_once SIDE CASE: "ms rows" of one timed run, in a session of its own after an untimed run
run_once() {
    local side=$1 c=$2 q out
    q="SELECT * FROM dlpg.series(${ARGS[$c]})"
    {
        echo "SET client_min_messages = warning;"
        case $side in
            citus16) echo "SET citus.max_cached_conns_per_worker = 16;" ;;
            single0) echo "SET max_parallel_workers_per_gather = 0;" ;;
            single2) echo "SET max_parallel_workers_per_gather = 2;" ;;
        esac
        echo "$q \\g /dev/null"
        bench_emit_timed "$q \\g /dev/null" '\set rows :ROW_COUNT'
        printf '%s\n' '\echo :ms :rows'
    } >"$WORK/run.sql"
    if [ "${side#citus}" != "$side" ]; then out=$(pc -At -f "$WORK/run.sql"); else out=$(p1 -At -f "$WORK/run.sql"); fi
    echo "$out"
}
echo "$BENCH: timing (warm-up + $REPS runs per side and case)"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/runs"
for c in "${CASES[@]}"; do
    for r in $(seq 0 "$REPS"); do
        for i in 0 1 2 3; do
            s=${SIDES[$(((r + i) % 4))]}
            read -r ms rows <<<"$(run_once "$s" "$c")"
            [ "$rows" = "${NROWS[$c]}" ] || die "$c on $s returned $rows rows, want ${NROWS[$c]}"
            echo "$c $s $r $ms" >>"$WORK/runs"
        done
    done
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
# median CASE SIDE: of the measured runs (rep > 0)
median() {
    awk -v c="$1" -v s="$2" '$1 == c && $2 == s && $3 > 0 { print $4 }' "$WORK/runs" | sort -g |
        awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# --- 3. bytes from the workers -----------------------------------------------------------------
# The three statements of a case (see the header); a pattern that does not match fails loudly.
variant() { # variant pushed|rowgather|raw CASE
    local q
    q=$(pc -At -c "SELECT dlpg.series_query(${ARGS[$2]})")
    case $1 in
        pushed) printf '%s' "$q" ;;
        rowgather) perl -0777 -pe 's/dlpg\.trial_(\w+)\(b\.(\w+)\)/dlpg.trial_$1(b.$2 ORDER BY b.$2)/ or die "no trial aggregate in the query\n"' <<<"$q" ;;
        raw) perl -0777 -ne '/FROM \(SELECT (.*?) AS grp, (.*?) AS x, dlpg\.trial_\w+\((.*?)\) AS y,.*?dlpg\.point_summary\(ARRAY\[.*?\]::pg_catalog\.text\[\], ROW\((.*?)\)\) AS summary.*?\n\s*(FROM dlpg\.benchmarks b\n.*?)\n\s*GROUP BY/s
                              or die "unexpected series_query\n"; print "SELECT $1, $2, $3, $4 $5"' <<<"$q" ;;
    esac
}
# the tasks of a statement, "port<TAB>base64 of the SQL" a line, the coordinator's own left out
tasks() {
    pc -At -F $'\t' -v q="$1" -v coord="$CITUS_COORD_PORT" <<'SQL'
SET citus.explain_all_tasks = on;
SET citus.enable_ddl_propagation = off;
CREATE FUNCTION pg_temp.plan(q text) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE p jsonb;
BEGIN
    EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) ' || q INTO p;
    RETURN p;
END $f$;
SELECT substring(t->>'Node' FROM 'port=([0-9]+)'), translate(encode(convert_to(t->>'Query', 'UTF8'), 'base64'), E'\n', '')
  FROM jsonb_path_query(pg_temp.plan(:'q'), 'strict $.**."Tasks"') AS ts, jsonb_array_elements(ts) AS t
 WHERE substring(t->>'Node' FROM 'port=([0-9]+)') <> :'coord';
SQL
}
# The functions each worker session defines: bin_ok(type) mirrors Citus's CanUseBinaryCopyFormat;
# value_bytes(sql, types) runs the task wrapped and returns "rows|bytes of each column|binary".
cat >"$WORK/bytes_prelude.sql" <<'SQL'
SET client_min_messages = warning;
SET citus.enable_ddl_propagation = off;  -- a temporary function, on a worker
SET check_function_bodies = off;
CREATE FUNCTION pg_temp.bin_ok(t oid) RETURNS boolean LANGUAGE sql STABLE AS $f$
  SELECT p.typsend <> 0 AND p.typreceive <> 0 AND p.typtype <> 'c' AND p.oid <> 'record'::regtype
         AND (p.typelem = 0 OR pg_temp.bin_ok(p.typelem))
         AND (p.typbasetype = 0 OR pg_temp.bin_ok(p.typbasetype))
    FROM pg_type p WHERE p.oid = t $f$;
CREATE FUNCTION pg_temp.value_bytes(q text, types text[]) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    bin boolean;
    expr text;
    res text;
BEGIN
    SELECT bool_and(pg_temp.bin_ok(t::regtype)) AND current_setting('citus.enable_binary_protocol')::boolean
      INTO bin FROM unnest(types) AS t;
    SELECT string_agg(format('coalesce(sum(octet_length(%s)), 0)',
                             CASE WHEN bin THEN format('%s(t.c%s)', p.typsend::regproc, i) ELSE format('t.c%s::text', i) END),
                      ', ' ORDER BY i)
      INTO expr
      FROM unnest(types) WITH ORDINALITY AS u(t, i) JOIN pg_type p ON p.oid = u.t::regtype;
    -- rows|bytes of each column, ','-separated
    EXECUTE format('SELECT count(*) || ''|'' || array_to_string(ARRAY[%s], '','') FROM (%s) AS t(%s)', expr, q,
                   (SELECT string_agg('c' || i, ', ') FROM generate_series(1, cardinality(types)) AS i))
       INTO res;
    RETURN res || '|' || bin;
END
$f$;
SQL
# bytes STATEMENT: over all its tasks (see the awk at the end)
bytes() {
    local port p b64 q types ports first=1
    tasks "$1" >"$WORK/tasks"
    [ -s "$WORK/tasks" ] || die "no worker tasks in the plan of: $1"
    : >"$WORK/bytes.out"
    mapfile -t ports < <(cut -f1 "$WORK/tasks" | sort -u)
    for port in "${ports[@]}"; do
        {
            cat "$WORK/bytes_prelude.sql"
            while IFS=$'\t' read -r p b64; do
                [ "$p" = "$port" ] || continue
                q=$(base64 -d <<<"$b64")
                if [ "$first" = 1 ]; then   # the columns' names and types, the same for every task
                    printf '%s \\gdesc\n' "$q" | pn "$port" "$CDB" -At -F '|' >"$WORK/desc"
                    types=$(cut -d'|' -f2 "$WORK/desc" | paste -sd, - | sed 's/^/{"/; s/,/","/g; s/$/"}/')
                    first=0
                fi
                # shellcheck disable=SC2016
                printf 'SELECT pg_temp.value_bytes($bq$%s$bq$, %s);\n' "$q" "'$types'"
            done <"$WORK/tasks"
        } | pn "$port" "$CDB" -At >>"$WORK/bytes.out"
    done
    [ "$(wc -l <"$WORK/bytes.out")" = "$(wc -l <"$WORK/tasks")" ] || die "replaying the tasks of: $1"
    # "tasks rows bytes format name:bytes,name:bytes,..."
    awk -F'|' -v names="$(cut -d'|' -f1 "$WORK/desc" | paste -sd, -)" '
        { r += $1; n = split($2, c, ","); for (i = 1; i <= n; i++) { col[i] += c[i]; b += c[i] }; bin = $3 }
        END { split(names, nm, ","); per = ""
              for (i = 1; i <= n; i++) per = per (i > 1 ? "," : "") nm[i] ":" col[i]
              printf "%d %d %d %s %s\n", NR, r, b, (bin == "true" ? "binary" : "text"), per }' "$WORK/bytes.out"
}
echo "$BENCH: bytes from the workers (tasks replayed on their workers)"
declare -A BYTES
for c in "${CASES[@]}"; do
    for v in pushed rowgather raw; do
        BYTES[$c,$v]=$(bytes "$(variant "$v" "$c")")
    done
done
# Citus's own count for the raw-columns statements (EXPLAIN ANALYZE works there)
declare -A CITUS_SAYS
for c in "${CASES[@]}"; do
    CITUS_SAYS[$c]=$(pc -At -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $(variant raw "$c")" |
                     sed -n 's/^ *Tuple data received from nodes: //p' | head -n 1)
done

# --- 4. per-node rates -------------------------------------------------------------------------
# worker 1's pushed-down tasks of a case, one after another in one session: ms (median of 3 after
# a warm-up); as Citus sends them (worker_partial_agg) and with the dlpg aggregates called
# directly (what the wrapper costs: it looks the aggregate up and unpacks a ROW of its
# arguments for every row)
direct() { # the task's SQL with worker_partial_agg('dlpg.f(..)'::regprocedure, args) -> dlpg.f(args)
    perl -pe 's/(?:pg_catalog\.)?worker_partial_agg\('"'"'dlpg\.(\w+)\([^)]*\)'"'"'::regprocedure, ROW\(('"'"'[^'"'"']*'"'"'::text\[\]), (ROW\([^()]*\))\)\)/dlpg.$1($2, $3)/g;
              s/(?:pg_catalog\.)?worker_partial_agg\('"'"'dlpg\.(\w+)\([^)]*\)'"'"'::regprocedure, (\w+)\)/dlpg.$1($2)/g;
              /worker_partial_agg/ and die "worker_partial_agg left in: $_"'
}
w1_ms() { # w1_ms pushed|direct CASE
    tasks "$(variant pushed "$2")" | awk -F'\t' -v p="$W1" '$1 == p { print $2 }' >"$WORK/w1tasks"
    while read -r b64; do base64 -d <<<"$b64"; echo; done <"$WORK/w1tasks" >"$WORK/w1tasks.sql"
    [ "$1" = direct ] && { direct <"$WORK/w1tasks.sql" >"$WORK/w1direct.sql"; mv "$WORK/w1direct.sql" "$WORK/w1tasks.sql"; }
    {
        echo "SET client_min_messages = warning;"
        for r in 0 1 2 3; do
            printf 'SELECT clock_timestamp() AS t0 \\gset\n'
            while read -r q; do printf '%s \\g /dev/null\n' "$q"; done <"$WORK/w1tasks.sql"
            printf 'SELECT extract(epoch FROM clock_timestamp() - :'"'"'t0'"'"'::timestamptz) * 1000 AS ms \\gset\n'
            [ "$r" -gt 0 ] && printf '%s\n' '\echo :ms'
        done
    } >"$WORK/w1.sql"
    pn "$W1" "$CDB" -At -f "$WORK/w1.sql" | sort -g | sed -n 2p
}
echo "$BENCH: worker 1's tasks alone"
declare -A W1MS
for c in "${CASES[@]}"; do
    W1MS[$c,pushed]=$(w1_ms pushed "$c")
    W1MS[$c,direct]=$(w1_ms direct "$c")
done
W1ROWS=$(pn "$W1" "$CDB" -At -c "SET citus.override_table_visibility = off" -c "
  SELECT sum(c.reltuples)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'dlpg' AND c.relkind = 'r' AND c.relname ~ '^benchmarks_[0-9]+\$'")

# --- 5. the coordinator's part ------------------------------------------------------------------
# The pushed-down tasks' results (the partial states, as their text) copied into a plain table on
# the coordinator, and the combine step of the plan (its "Output: ... coord_combine_agg" and "Group
# Key" lines, over that table instead of the remote scan) timed alone: median of 3 after a warm-up.
combine_ms() { # combine_ms CASE: "states ms"
    local q plan out key port b64 cols ms col typ
    q=$(variant pushed "$1")
    plan=$(pc -At -c "EXPLAIN (VERBOSE, COSTS OFF) $q")
    out=$(grep -m1 -E '^ *Output: .*coord_combine_agg\(' <<<"$plan" | sed 's/^ *Output: //')
    key=$(grep -A1 -m1 -E '^ *Output: .*coord_combine_agg\(' <<<"$plan" | sed -n 's/^ *Group Key: //p')
    if [ -z "$out" ] || [ -z "$key" ]; then die "$1: no coord_combine_agg step in the plan"; fi
    tasks "$q" >"$WORK/ctasks"
    IFS=$'\t' read -r port b64 <"$WORK/ctasks"
    printf '%s \\gdesc\n' "$(base64 -d <<<"$b64")" | pn "$port" "$CDB" -At -F '|' >"$WORK/cdesc"
    cols=$(awk -F'|' '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, ($2 == "cstring" ? "text" : $2) }' "$WORK/cdesc")
    pc -c "SET client_min_messages = warning" -c "SET citus.enable_ddl_propagation = off" \
       -c "DROP TABLE IF EXISTS public.citus_bench_states" -c "CREATE TABLE public.citus_bench_states ($cols)"
    while IFS=$'\t' read -r port b64; do
        pn "$port" "$CDB" -c "COPY ($(base64 -d <<<"$b64")) TO STDOUT" | pc -c "COPY public.citus_bench_states FROM STDIN"
    done <"$WORK/ctasks"
    # remote_scan.c -> s.c, cast back to cstring where the worker sent one
    while IFS='|' read -r col typ; do
        if [ "$typ" = cstring ]; then out=${out//remote_scan.$col/s.$col::cstring}; fi
        out=${out//remote_scan.$col/s.$col}
    done <"$WORK/cdesc"
    key=${key//remote_scan./s.}
    {
        echo "SET client_min_messages = warning;"
        echo "SET max_parallel_workers_per_gather = 0;"
        for r in 0 1 2 3; do
            bench_emit_timed "SELECT $out FROM public.citus_bench_states s GROUP BY $key \\g /dev/null"
            [ "$r" -gt 0 ] && printf '%s\n' '\echo :ms'
        done
    } >"$WORK/combine.sql"
    ms=$(pc -At -f "$WORK/combine.sql" | sort -g | sed -n 2p)
    pc -At -F ' ' -c "SELECT count(*), $ms FROM public.citus_bench_states s" \
        -c "DROP TABLE public.citus_bench_states"
}
echo "$BENCH: the coordinator's combine step alone"
declare -A COMBINE
for c in "${CASES[@]}"; do
    COMBINE[$c]=$(combine_ms "$c")
done

# --- report ------------------------------------------------------------------------------------
info=$(p1 -At -F '|' -c "SELECT pg_size_pretty(pg_relation_size('dlpg.benchmarks')), pg_relation_size('dlpg.benchmarks') / $ROWS")
IFS='|' read -r heap_size row_bytes <<<"$info"
rate() { awk -v r="$1" -v ms="$2" 'BEGIN { printf "%.2f", r / ms / 1000 }'; }   # M rows/s
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
{
    echo "dlpg on Citus benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $(p1 -At -c 'SHOW server_version'), Citus $(pc -At -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'"), $(nproc) CPUs shared by the 3 nodes"
    echo "data: $ROWS rows (bench/series_data.sql), $heap_size heap on the single node (~$row_bytes bytes a row);"
    echo "      Citus: dlpg.distribute(), 32 shards, 16 on each of 2 workers, coordinator + workers on 127.0.0.1;"
    echo "      single node: a plain database on the coordinator's server; shared_buffers $(p1 -At -c 'SHOW shared_buffers') each, heaps $PREWARM, jit off"
    echo "every case's rows checked equal on both first (y within 1e-12 relative)"
    echo "median of $REPS runs after a warm-up, each in a fresh session after an untimed run; load average before/after: $load0 / $load1"
    echo "citus: Citus's defaults (a query opens its connections to the workers anew, but one per worker);"
    echo "citus16: citus.max_cached_conns_per_worker = 16 (the session keeps them); single0: the single node with no"
    echo "parallel workers, single2: max_parallel_workers_per_gather = 2; c/s0 = citus / single0, and so on"
    echo "NOTE: the three servers share these $(nproc) cores over loopback: Citus cannot be faster than one node here."
    echo
    printf '%-14s %5s %9s %10s %11s %11s %9s %9s %9s\n' case rows "citus ms" "citus16 ms" "single0 ms" "single2 ms" \
        "c/s0" "c16/s0" "c16/s2"
    for c in "${CASES[@]}"; do
        m=$(median "$c" citus); m16=$(median "$c" citus16); s0=$(median "$c" single0); s2=$(median "$c" single2)
        printf '%-14s %5s %9s %10s %11s %11s %9s %9s %9s\n' "$c" "${NROWS[$c]}" "$m" "$m16" "$s0" "$s2" \
            "$(bench_ratio "$m" "$s0")" "$(bench_ratio "$m16" "$s0")" "$(bench_ratio "$m16" "$s2")"
    done
    echo
    echo "bytes from the workers (tasks replayed on their workers; value bytes as Citus counts them, the wire adds ~7 + 4 x columns a row):"
    printf '%-14s %-12s %6s %10s %12s %7s\n' case plan tasks rows kB format
    for c in "${CASES[@]}"; do
        for v in pushed rowgather raw; do
            read -r nt nr nb fmt _ <<<"${BYTES[$c,$v]}"
            printf '%-14s %-12s %6s %10s %12s %7s\n' "$c" "$v" "$nt" "$nr" "$(kb "$nb")" "$fmt"
        done
    done
    echo "the pushed-down states by column (kB): "
    for c in "${CASES[@]}"; do
        read -r _ _ _ _ per <<<"${BYTES[$c,pushed]}"
        echo "  $c: $(tr ',' '\n' <<<"$per" | awk -F: '{ printf "%s%s %.1f", (NR > 1 ? ", " : ""), $1, $2 / 1024 }')"
    done
    echo "configurations per point (dlpg.series's configs; the configuration state (point_summary) carries 8 bytes, 16 in hex, a configuration):"
    for c in "${CASES[@]}"; do
        read -r avg max <<<"${CONFIGS[$c]}"
        echo "  $c: $avg on average, at most $max"
    done
    echo "check of the replay against Citus's own count (EXPLAIN ANALYZE of the raw-columns statement, \"Tuple data received from nodes\"):"
    for c in "${CASES[@]}"; do
        read -r _ _ nb _ <<<"${BYTES[$c,raw]}"
        echo "  $c: replay $(pc -At -c "SELECT pg_size_pretty($nb::bigint)"), Citus ${CITUS_SAYS[$c]:-(none)}"
    done
    echo
    echo "per-node rates: worker 1's 16 pushed-down tasks one after another in one session ($W1ROWS rows; median of 3), as Citus"
    echo "sends them (worker_partial_agg) and with the dlpg aggregates called directly; the single node, no parallel workers:"
    printf '%-14s %10s %9s %10s %9s %12s %9s\n' case "w1 ms" "Mrows/s" "direct ms" "Mrows/s" "single0 ms" "Mrows/s"
    for c in "${CASES[@]}"; do
        s0=$(median "$c" single0)
        printf '%-14s %10.1f %9s %10.1f %9s %12s %9s\n' "$c" "${W1MS[$c,pushed]}" "$(rate "$W1ROWS" "${W1MS[$c,pushed]}")" \
            "${W1MS[$c,direct]}" "$(rate "$W1ROWS" "${W1MS[$c,direct]}")" "$s0" "$(rate "$ROWS" "$s0")"
    done
    echo "(Mrows/s: rows of the table, scanned and filtered, per second on one core)"
    echo
    echo "the coordinator's part: the partial states of the pushed-down tasks in a table on the coordinator, the plan's"
    echo "combine step (coord_combine_agg ... GROUP BY) over it alone, median of 3:"
    printf '%-14s %8s %10s %10s %9s\n' case states "kB" "combine ms" "MB/s"
    for c in "${CASES[@]}"; do
        read -r n m <<<"${COMBINE[$c]}"
        read -r _ _ nb _ <<<"${BYTES[$c,pushed]}"
        printf '%-14s %8s %10s %10.1f %9s\n' "$c" "$n" "$(kb "$nb")" "$m" "$(awk -v b="$nb" -v m="$m" 'BEGIN { printf "%.0f", b / 1048576 / (m / 1000) }')"
    done
    echo
    echo "all measured runs (ms, in order):"
    for c in "${CASES[@]}"; do
        for s in "${SIDES[@]}"; do
            printf '  %-14s %-8s %s\n' "$c" "$s" "$(awk -v c="$c" -v s="$s" '$1 == c && $2 == s && $3 > 0 { printf "%.1f ", $4 }' "$WORK/runs")"
        done
    done
    echo
    echo "EXPLAIN (VERBOSE, COSTS OFF) of dlpg.series_query(series-max) on Citus, the aggregates' lines:"
    pc -At -c "EXPLAIN (VERBOSE, COSTS OFF) $(variant pushed series-max)" |
        grep -E 'coord_combine_agg|Task Count|Query: SELECT .*worker_partial_agg|Node: host' | head -n 5 | cut -c1-400 | sed 's/^/  /'
} | tee "$OUT"
echo "$BENCH: written to ${OUT#"$ROOT"/}"
