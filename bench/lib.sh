# shellcheck shell=bash
# bench/lib.sh -- what the benchmarks (bench/*_bench.sh) share. SOURCE it, after
# `set -euo pipefail`, with BENCH set to the script's name (the prefix of its messages):
#
#   BENCH=ingest_bench
#   . "$(dirname "$0")/lib.sh"
#
# Sourcing it goes to the project root and sets ROOT (its path) and OUTDIR (bench/out). Then:
#   bench_count KNOB VALUE [non-negative]  exit 2 unless VALUE is a positive (non-negative) integer
#   bench_workdir PREFIX          make OUTDIR; WORK = a new temp dir PREFIX.XXXXXX, removed on exit
#   bench_install                 make install into the private tree $OUTDIR/tree, quietly (its
#                                 log shown on failure; BENCH_SKIP_INSTALL=1 reuses the tree), and
#                                 PGCLUSTER_POSTGRES set to it for bench_cluster
#   bench_cluster [PSQL_OPT...]   a private cluster (tools/pgcluster.sh; stopped on exit, WORK
#                                 removed) with a new, empty database BENCHDB; PSQL_OPTs go to the
#                                 psql that creates it
#   psql_bench ARG...             psql on BENCHDB
#   bench_fixture_logs            logs = the 8 H200 fixture logs of data/dlbs/h200 (exit 1 unless 8)
#   bench_src_sql                 SQL: CREATE EXTENSION dlpg and a table bench_src(k, name, log) of
#                                 those logs
# Timed runs, in one psql session, go to a table bench_run(bcase, side, rep, ms, rows), rep 0 being
# the warm-up:
#   bench_emit_timed LINE...      psql lines: LINE... with the server's clock_timestamp() taken
#                                 right before and after; psql variable ms = the milliseconds between
#   bench_emit_record CASE SIDE REP  psql line: the run into bench_run, from :ms and :rows
#   bench_emit_session            psql lines that start the timed session: no parallel workers, no
#                                 JIT (the same plan shape for every side), the table bench_run
#   bench_emit_run CASE SIDE REP  psql lines of one run from the caller's associative arrays, keyed
#                                 "CASE,SIDE": PREP (before the clock, may be empty), STMT (timed),
#                                 ROWQ (after it, sets :rows; may be empty), then bench_emit_record
#   bench_median CASE SIDE        the median ms of the measured runs (rep > 0)
#   bench_all_runs ORDER CW SW    one line per case and side: its measured runs (ms, in order);
#                                 ORDER: the SQL ORDER BY of the lines, CW / SW: case / side widths
# The report:
#   bench_title NAME [MORE]       "NAME, <date, UTC>, PostgreSQL <server version>MORE"
#   bench_ratio A B               A / B with 3 decimals
#   bench_verdict A B TARGET      met when A / B <= TARGET, else MISSED

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$(pwd -P)
OUTDIR="$ROOT/bench/out"

bench_count() {
    if [ "${3:-}" = non-negative ]; then
        case "$2" in ''|*[!0-9]*) echo "$BENCH: $1 must be a non-negative integer" >&2; exit 2 ;; esac
    else
        case "$2" in ''|*[!0-9]*|0) echo "$BENCH: $1 must be a positive integer" >&2; exit 2 ;; esac
    fi
}

bench_workdir() {
    mkdir -p "$OUTDIR"
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
}

# --- build and install, quietly (the log is shown only on failure) ---------------------------
# Into a private tree, $OUTDIR/tree (tools/private-tree.sh), never the system's PostgreSQL: the
# clusters of every bench run from that tree. BENCH_SKIP_INSTALL=1 reuses the tree as it is.
BENCH_TREE="$OUTDIR/tree"
bench_install() {
    if [ "${BENCH_SKIP_INSTALL:-0}" != 1 ] || [ ! -d "$BENCH_TREE" ]; then
        echo "$BENCH: make install into $BENCH_TREE (private)"
        rm -rf "$BENCH_TREE"
        if ! make -s install DESTDIR="$BENCH_TREE" >"$WORK/install.log" 2>&1; then
            echo "$BENCH: make install failed:" >&2
            cat "$WORK/install.log" >&2
            exit 1
        fi
    fi
    # shellcheck source=tools/private-tree.sh
    . "$ROOT/tools/private-tree.sh"
    private_tree_complete "$BENCH_TREE" || exit 1
    PGCLUSTER_POSTGRES=$(private_tree_postgres "$BENCH_TREE") || exit 1
    export PGCLUSTER_POSTGRES
}

# --- private cluster ---------------------------------------------------------------------------
bench_cleanup() {
    pgcluster_stop
    rm -rf "$WORK"
}

bench_cluster() {
    # shellcheck source=tools/pgcluster.sh
    . "$ROOT/tools/pgcluster.sh"
    trap bench_cleanup EXIT
    pgcluster_start
    pgcluster_psql -d postgres "$@" -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $BENCHDB" -c "CREATE DATABASE $BENCHDB"
}

psql_bench() {
    pgcluster_psql -d "$BENCHDB" "$@"
}

# --- the fixture logs --------------------------------------------------------------------------
bench_fixture_logs() {
    local dir="$ROOT/data/dlbs/h200"
    shopt -s nullglob
    logs=("$dir"/*.log)
    shopt -u nullglob
    if [ "${#logs[@]}" -ne 8 ]; then
        echo "$BENCH: expected 8 logs in $dir, found ${#logs[@]}" >&2
        exit 1
    fi
}

# Each fixture goes through base64, so the text reaches the server byte for byte (backslashes,
# tabs, quotes and the final newline included); copies of them are then made in SQL.
bench_src_sql() {
    local f k=0
    cat <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION dlpg;
CREATE TABLE bench_src (k int PRIMARY KEY, name text NOT NULL, log text NOT NULL);
SQL
    for f in "${logs[@]}"; do
        k=$((k + 1))
        # shellcheck disable=SC2016  # psql backticks, run by psql
        printf '\\set b64 `base64 -w0 %q`\n' "$f"
        printf "INSERT INTO bench_src VALUES (%d, '%s', convert_from(decode(:'b64', 'base64'), 'UTF8'));\n" \
            "$k" "$(basename "$f")"
    done
}

# --- timed runs --------------------------------------------------------------------------------
bench_emit_timed() {
    printf 'SELECT clock_timestamp() AS t0 \\gset\n'
    printf '%s\n' "$@"
    printf 'SELECT extract(epoch FROM clock_timestamp() - :'"'"'t0'"'"'::timestamptz) * 1000 AS ms \\gset\n'
}

bench_emit_record() {
    printf "INSERT INTO bench_run VALUES ('%s', '%s', %d, :ms, :rows);\n" "$1" "$2" "$3"
}

bench_emit_session() {
    echo "SET client_min_messages = warning;"
    echo "SET max_parallel_workers_per_gather = 0;"
    echo "SET jit = off;"
    echo "CREATE TABLE bench_run (bcase text, side text, rep int, ms float8, rows bigint);"
}

# PREP, STMT and ROWQ are the caller's (bash's dynamic scope).
bench_emit_run() {
    local c=$1 s=$2 r=$3
    if [ -n "${PREP[$c,$s]}" ]; then printf '%s\n' "${PREP[$c,$s]}"; fi
    bench_emit_timed "${STMT[$c,$s]}"
    if [ -n "${ROWQ[$c,$s]}" ]; then printf '%s\n' "${ROWQ[$c,$s]}"; fi
    bench_emit_record "$c" "$s" "$r"
}

bench_median() {
    psql_bench -At -c "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM bench_run
                        WHERE rep > 0 AND bcase = '$1' AND side = '$2'"
}

bench_all_runs() {
    psql_bench -At -F '|' -c "
  SELECT bcase, side, string_agg(round(ms::numeric, 1)::text, ' ' ORDER BY rep)
    FROM bench_run WHERE rep > 0
   GROUP BY bcase, side
   ORDER BY $1" |
        awk -F'|' -v fmt="  %-$2s %-$3s %s\n" '{ printf fmt, $1, $2, $3 }'
}

# --- report ------------------------------------------------------------------------------------
bench_title() {
    echo "$1, $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $(psql_bench -At -c 'SHOW server_version')${2:-}"
}

bench_ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}

bench_verdict() {
    awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { print (a / b <= t) ? "met" : "MISSED" }'
}
