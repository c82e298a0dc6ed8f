#!/usr/bin/env bash
# bench/load_bench.sh -- benchmark of dlpg-load, the bulk loader (run by `make bench` from the
# project root, after bench/ingest_bench.sh).
#
# Corpus: $BENCH_COPIES (default 1000) DLBS logs written to a temp folder, copy n being H200
# fixture ((n-1) % 8) + 1 of data/dlbs/h200/ (~64 KB each) with its __exp.id__ value replaced by
# "load-bench-<n>", so that ingest's dedup does not skip it. The same logs also go into a table
# corpus(name, log) of the database, name being the path the loader gives as the source; before
# timing, the files are checked byte for byte against the table (md5 of each).
#
# One case, a ratio dlpg-load / baseline (target <= 1.2), each side into an empty
# dlpg.benchmarks (TRUNCATE ... RESTART IDENTITY and CHECKPOINT before every run):
#   dlpg-load  dlpg-load --quiet <folder>: reads the files from disk (warm page cache), sends each
#              to dlpg.load, 200 files per transaction
#   baseline   psql -c "SELECT count(dlpg.ingest(log, name)) FROM corpus": the same logs already
#              inside the database, ingested in one statement
# and a figure without a target, dlpg-load --jobs 2 / dlpg-load (--jobs 1): two connections
# sharing out the files, how much of a second core the loader and the server get (1.0: none,
# 0.5: all of it; with fewer than 2 free cores it cannot go below 1.0)
#   jobs 2     dlpg-load --quiet --jobs 2 <folder>
# A run's time is the wall time of the client process (date before and after: connection,
# work, commit and exit, for both sides alike). One warm-up run of each side, then $BENCH_REPS
# (default 5) measured runs, alternating which side goes first; the table shows medians.
#
# Memory: the loader's peak RSS (its --stats line, getrusage ru_maxrss) loading $BENCH_COPIES logs
# and loading $BENCH_RSS_COPIES (default 10000) logs, each into an empty table: one file in memory
# at a time, so the two should be about the same.
#
# Knobs: BENCH_REPS (5), BENCH_COPIES (1000), BENCH_RSS_COPIES (10000, 0 = skip),
#        BENCH_SKIP_INSTALL=1 (do not run `make install`; the loader is still built).
# Output: the table on stdout and in bench/out/load.txt.
set -euo pipefail
export LC_ALL=C

BENCH=load_bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
REPS=${BENCH_REPS:-5}
COPIES=${BENCH_COPIES:-1000}
RSS_COPIES=${BENCH_RSS_COPIES:-10000}
OUT="$OUTDIR/load.txt"
BENCHDB=dlpg_load_bench
LOADER="$ROOT/loader/dlpg-load"
TARGET=1.2

bench_count BENCH_REPS "$REPS"
bench_count BENCH_COPIES "$COPIES"
bench_count BENCH_RSS_COPIES "$RSS_COPIES" non-negative

# as root the server (user postgres) reads nothing here, but the loader runs as us: any temp dir
bench_workdir dlpg-load-bench

# --- build (and install) -------------------------------------------------------------------
bench_install
if ! make -s loader >"$WORK/build.log" 2>&1 || [ ! -x "$LOADER" ]; then
    echo "load_bench: building loader/dlpg-load failed:" >&2
    cat "$WORK/build.log" >&2
    exit 1
fi

# --- private cluster -----------------------------------------------------------------------
bench_cluster -q

# --- corpus: files ---------------------------------------------------------------------------
bench_fixture_logs

# make_corpus DIR N: N copies as DIR/00001.log ..., the line rule of the SQL below
make_corpus() {
    mkdir -p "$1"
    awk -v outdir="$1" -v copies="$2" '
        FNR == 1 { k++ }
        { line[k, FNR] = $0; nl[k] = FNR }
        END {
            for (n = 1; n <= copies; n++) {
                f = (n - 1) % k + 1
                out = sprintf("%s/%05d.log", outdir, n)
                for (i = 1; i <= nl[f]; i++) {
                    l = line[f, i]
                    if (match(l, /^[ \t]*__exp\.id__[ \t]*=/))
                        l = substr(l, 1, RLENGTH) "\"load-bench-" n "\""
                    print l > out
                }
                close(out)
            }
        }' "${logs[@]}"
}

CORPUS="$WORK/logs"
echo "load_bench: writing $COPIES logs to $CORPUS"
make_corpus "$CORPUS" "$COPIES"

# --- corpus: the same logs in the database ---------------------------------------------------
{
    bench_src_sql
    cat <<SQL
-- copy n: fixture ((n-1) % 8) + 1, every __exp.id__ line's value replaced by "load-bench-<n>"
-- (the fixtures end with a newline, as awk writes every line)
CREATE TABLE corpus (n int PRIMARY KEY, name text NOT NULL, log text NOT NULL);
INSERT INTO corpus
SELECT g, format('%s/%s.log', '$CORPUS', lpad(g::text, 5, '0')),
       regexp_replace(s.log, '^([ \t]*__exp\.id__[ \t]*=).*\$', '\1"load-bench-' || g || '"', 'gn')
  FROM generate_series(1, $COPIES) AS g
  JOIN bench_src AS s ON s.k = (g - 1) % 8 + 1;
ALTER TABLE dlpg.benchmarks SET (autovacuum_enabled = false);
ALTER TABLE dlpg.rejects SET (autovacuum_enabled = false);
VACUUM ANALYZE bench_src, corpus;
SQL
} >"$WORK/setup.sql"
echo "load_bench: building the table corpus"
psql_bench -q -f "$WORK/setup.sql"

# byte for byte: md5 of every file = md5 of its row
(cd "$CORPUS" && md5sum -- *.log) | awk -v d="$CORPUS" '{ print d "/" $2 " " $1 }' | sort >"$WORK/files.md5"
psql_bench -At -F ' ' -c "SELECT name, md5(log) FROM corpus ORDER BY name" | sort >"$WORK/table.md5"
if ! cmp -s "$WORK/files.md5" "$WORK/table.md5"; then
    echo "load_bench: the files differ from the table corpus:" >&2
    diff "$WORK/files.md5" "$WORK/table.md5" | head -n 10 >&2
    exit 1
fi

# --- timed runs ------------------------------------------------------------------------------
export PGDATABASE=$BENCHDB
# same settings for both sides: no parallel workers, no JIT
export PGOPTIONS="-c max_parallel_workers_per_gather=0 -c jit=off"

empty_tables() {
    psql_bench -q -c "TRUNCATE dlpg.benchmarks, dlpg.rejects RESTART IDENTITY" -c "CHECKPOINT"
}

rows_ok() { # side rep
    local n r
    n=$(psql_bench -At -c "SELECT count(*) FROM dlpg.benchmarks")
    r=$(psql_bench -At -c "SELECT count(*) FROM dlpg.rejects")
    if [ "$n" != "$COPIES" ] || [ "$r" != 0 ]; then
        echo "load_bench: $1 run $2 stored $n benchmarks and $r rejects (want $COPIES and 0)" >&2
        exit 1
    fi
}

ms_since() { # t0 in ns
    echo $(( ($(date +%s%N) - $1) / 1000 ))
}

run_side() { # side rep -> appends "side rep µs" to runs
    local side=$1 rep=$2 t0 us
    empty_tables
    t0=$(date +%s%N)
    if [ "$side" = loader ] || [ "$side" = jobs2 ]; then
        if ! "$LOADER" --quiet --jobs "$([ "$side" = jobs2 ] && echo 2 || echo 1)" "$CORPUS" 2>"$WORK/loader.err"; then
            echo "load_bench: dlpg-load failed:" >&2
            cat "$WORK/loader.err" >&2
            exit 1
        fi
    else
        psql_bench -q -c "SELECT count(dlpg.ingest(log, name)) FROM corpus" >/dev/null
    fi
    us=$(ms_since "$t0")
    rows_ok "$side" "$rep"
    echo "$side $rep $us" >>"$WORK/runs"
}

echo "load_bench: timing (warm-up + $REPS runs per side)"
: >"$WORK/runs"
for r in $(seq 0 "$REPS"); do       # rep 0 is the warm-up
    case $((r % 3)) in
        0) run_side loader "$r"; run_side baseline "$r"; run_side jobs2 "$r" ;;
        1) run_side baseline "$r"; run_side jobs2 "$r"; run_side loader "$r" ;;
        *) run_side jobs2 "$r"; run_side loader "$r"; run_side baseline "$r" ;;
    esac
done

median() { # side -> median in ms
    awk -v s="$1" '$1 == s && $2 > 0 { print $3 / 1000 }' "$WORK/runs" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
all_runs() {
    awk -v s="$1" '$1 == s && $2 > 0 { printf "%s%.1f", (n++ ? " " : ""), $3 / 1000 } END { print "" }' "$WORK/runs"
}
loader_ms=$(median loader)
baseline_ms=$(median baseline)
ratio=$(bench_ratio "$loader_ms" "$baseline_ms")
verdict=$(bench_verdict "$ratio" 1 "$TARGET")   # the ratio as printed, to 3 decimals
jobs2_ms=$(median jobs2)
jobs_ratio=$(bench_ratio "$jobs2_ms" "$loader_ms")

# --- memory: peak RSS for COPIES vs RSS_COPIES logs ------------------------------------------
rss_of() { # dir -> kB from --stats
    empty_tables
    if ! "$LOADER" --quiet --stats "$1" 2>"$WORK/rss.err"; then
        echo "load_bench: dlpg-load failed:" >&2
        cat "$WORK/rss.err" >&2
        exit 1
    fi
    awk '/^  peak RSS:/ { print $3 }' "$WORK/rss.err"
}
rss_small=$(rss_of "$CORPUS")
rss_line=""
if [ "$RSS_COPIES" -gt 0 ]; then
    BIG="$WORK/logs-big"
    echo "load_bench: writing $RSS_COPIES logs to $BIG"
    make_corpus "$BIG" "$RSS_COPIES"
    t0=$(date +%s%N)
    rss_big=$(rss_of "$BIG")
    big_ms=$(( $(ms_since "$t0") / 1000 ))
    n=$(psql_bench -At -c "SELECT count(*) FROM dlpg.benchmarks")
    if [ "$n" != "$RSS_COPIES" ]; then
        echo "load_bench: $RSS_COPIES logs gave $n benchmarks" >&2
        exit 1
    fi
    rss_line=$(printf '%-22s %6d logs: %8d kB   (%d ms, %.0f files/s)' "peak RSS of dlpg-load," "$RSS_COPIES" \
        "$rss_big" "$big_ms" "$(awk -v n="$RSS_COPIES" -v ms="$big_ms" 'BEGIN { print n * 1000 / ms }')")
    rm -rf "$BIG"
fi

log_mb=$(du -sm "$CORPUS" | cut -f1)
{
    bench_title "dlpg-load benchmark" ", $(nproc) CPUs"
    echo "corpus: $COPIES H200 DLBS logs (the 8 fixtures cycled, each copy its own exp.id), ${log_mb} MB, as files"
    echo "        in a folder and as rows of a table (checked identical, md5 of each)"
    echo "dlpg-load: dlpg-load --quiet <folder>  (files from disk, warm page cache; dlpg.load per file,"
    echo "           200 files per transaction, pipelined)"
    echo "baseline : psql -c \"SELECT count(dlpg.ingest(log, name)) FROM corpus\"  (the logs already in the database)"
    echo "jobs 2   : dlpg-load --quiet --jobs 2 <folder>, against dlpg-load (--jobs 1) as the baseline"
    echo "each run into an empty dlpg.benchmarks; median wall time of $REPS runs of the client process after a warm-up"
    echo
    printf '%-10s %12s %12s %7s %8s  %s\n' case "baseline ms" "loader ms" ratio target result
    printf '%-10s %12.1f %12.1f %7s %8s  %s\n' load "$baseline_ms" "$loader_ms" "$ratio" "<= $TARGET" "$verdict"
    printf '%-10s %12.1f %12.1f %7s %8s  %s\n' "jobs 2" "$loader_ms" "$jobs2_ms" "$jobs_ratio" "-" \
        "(0.5 = two cores' worth)"
    echo
    echo "all measured runs (ms, in order):"
    printf '  %-9s %s\n' baseline "$(all_runs baseline)" loader "$(all_runs loader)" "jobs 2" "$(all_runs jobs2)"
    echo
    printf '%-22s %6d logs: %8d kB\n' "peak RSS of dlpg-load," "$COPIES" "$rss_small"
    [ -n "$rss_line" ] && echo "$rss_line"
} | tee "$OUT"
echo "load_bench: written to ${OUT#"$ROOT"/}"
