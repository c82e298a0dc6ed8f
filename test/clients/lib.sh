# shellcheck shell=bash
# test/clients/lib.sh -- shared by the real-client tests (test/clients/*.t), SOURCED by them.
#
# The tests talk to an already running server, through the libpq environment (PGHOST, PGPORT,
# PGUSER, PGDATABASE, as tools/pgcluster.sh exports them); clients that cannot use a unix socket
# (JDBC) connect over TCP to $PGCLUSTER_TCPHOST (default 127.0.0.1) on the same $PGPORT.
# The database must exist; the tests create the extension dlpg in it when missing and ingest
# the bundled logs (data/dlbs/rtx2080, data/dlbs/h200) with on_conflict 'skip', so several
# tests can share one database, and their answers are compared with psql's on the same data.
#
# Output is TAP: call tap_plan N first, then ok/not_ok/is_file; diag for comments.

CLIENTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$CLIENTS_DIR/../.." && pwd -P)
QUERIES_FILE="$CLIENTS_DIR/queries.tsv"

# psql: the cluster's own (PGCLUSTER_BINDIR) when set, else the one on PATH
PSQL_BIN=${PGCLUSTER_BINDIR:+$PGCLUSTER_BINDIR/psql}
[ -n "$PSQL_BIN" ] && [ -x "$PSQL_BIN" ] || PSQL_BIN=psql
PSQL=("$PSQL_BIN" -X -q -v ON_ERROR_STOP=1)

TAP_N=0
TAP_WORK=$(mktemp -d "${TMPDIR:-/tmp}/dlpg-clients.XXXXXX") || exit 1
TAP_ROLES=() TAP_DBS=()
tap_cleanup() {
    local x
    for x in "${TAP_DBS[@]}"; do "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $x" >/dev/null 2>&1; done
    for x in "${TAP_ROLES[@]}"; do "${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS $x" >/dev/null 2>&1; done
    rm -rf "$TAP_WORK"
}
trap tap_cleanup EXIT

tap_plan() { echo "1..$1"; }
diag() { local l; while IFS= read -r l; do echo "# $l"; done <<<"$*"; }
diag_file() { [ -s "$1" ] && sed 's/^/# /' "$1"; return 0; }
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); echo "not ok $TAP_N - $*"; }
# check DESC CMD...: ok when CMD succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; return 1; fi; }

# Pass through the lines of a client program: "ok - desc" / "not ok - desc" (unnumbered) become
# numbered TAP lines, every other line a diagnostic. Use with a redirection, not a pipe, so the
# count stays in this shell: tap_relay < <(client ...)
tap_relay() {
    local line
    while IFS= read -r line; do
        case "$line" in
            'ok - '*) ok "${line#ok - }" ;;
            'not ok - '*) not_ok "${line#not ok - }" ;;
            '#'*) echo "$line" ;;
            *) echo "# $line" ;;
        esac
    done
}

# The database is reachable and has dlpg.
setup_db() {
    if "${PSQL[@]}" -c 'CREATE EXTENSION IF NOT EXISTS dlpg' >"$TAP_WORK/setup.out" 2>&1; then
        ok "database ${PGDATABASE:-(default)} reachable, extension dlpg present"
    else
        not_ok "database ${PGDATABASE:-(default)} reachable, extension dlpg present"
        diag_file "$TAP_WORK/setup.out"
        return 1
    fi
}

# reader_login NAME: a role that can log in and is a member of dlpg_reader, nothing more (a user
# of the charts, not a superuser); dropped when the test exits. Owns nothing, so DROP ROLE works.
reader_login() {
    if "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS $1" \
           -c "CREATE ROLE $1 LOGIN IN ROLE dlpg_reader" >"$TAP_WORK/role.out" 2>&1; then
        TAP_ROLES+=("$1")
        ok "login role $1, a member of dlpg_reader only"
    else
        not_ok "login role $1, a member of dlpg_reader only"
        diag_file "$TAP_WORK/role.out"
        return 1
    fi
}

# parallel_db NAME: a database NAME (dropped when the test exits) with dlpg and 30,000 ok
# benchmarks written as the superuser (3 models x 4 replica batches, spread doubles), enough
# for PostgreSQL to aggregate partially in parallel workers when parallel costs are zero
parallel_db() {
    if "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" \
           -c "CREATE DATABASE $1" >"$TAP_WORK/pardb.out" 2>&1 &&
       TAP_DBS+=("$1") &&
       "${PSQL[@]}" -d "$1" >>"$TAP_WORK/pardb.out" 2>&1 <<'SQL'
CREATE EXTENSION dlpg;
INSERT INTO dlpg.benchmarks (status, model, precision, phase, framework, data_type, device_type,
                             replica_batch, effective_batch, num_devices, devices_per_node, num_nodes,
                             batch_time_ms, throughput, params, dedup_key)
SELECT 'ok', (ARRAY['ParNetA', 'ParNetB', 'ParNetC'])[1 + g % 3], 'fp32', 'training', 'ParFW', 'synthetic', 'gpu',
       (ARRAY[1, 2, 4, 8])[1 + (g / 3) % 4], 8, 1, 1, 1,
       1 + (g::bigint * 7919 % 1003) / 7.0, 1 + (g::bigint * 104729 % 10007) / 3.0, '{}', 'par-' || g
  FROM generate_series(1, 30000) AS g;
ANALYZE dlpg.benchmarks;
SQL
    then
        ok "database $1: dlpg with 30,000 benchmarks"
    else
        not_ok "database $1: dlpg with 30,000 benchmarks"
        diag_file "$TAP_WORK/pardb.out"
        return 1
    fi
}

# Ingest the bundled logs that hold benchmark parameters (rtx2080/run.log is the DLBS driver's
# console output, not a benchmark log) with psql \set x `cat file`; all must give an id.
ingest_logs() {
    local f n=0 script="$TAP_WORK/ingest.sql" got
    : >"$script"
    for f in "$ROOT"/data/dlbs/rtx2080/*.log "$ROOT"/data/dlbs/h200/*.log; do
        grep -q '^[[:space:]]*__exp\.' "$f" || continue
        n=$((n + 1))
        # shellcheck disable=SC2016  # psql backticks, run by psql
        printf '\\set x `cat %q`\n' "$f" >>"$script"
        printf "SELECT dlpg.ingest(:'x', '%s') IS NOT NULL;\n" "${f#"$ROOT"/data/dlbs/}" >>"$script"
    done
    got=$("${PSQL[@]}" -A -t -f "$script" 2>"$TAP_WORK/ingest.err" | grep -c '^t$')
    if [ "$n" -gt 0 ] && [ "$got" -eq "$n" ]; then
        ok "ingested the $n bundled benchmark logs"
    else
        not_ok "ingested the $n bundled benchmark logs (got $got ids)"
        diag_file "$TAP_WORK/ingest.err"
        return 1
    fi
}

# The series queries: queries.tsv, one a line, tab-separated name and the six arguments of
# dlpg.series (\N = NULL); '#' lines are comments.
query_names() { grep -v '^#' "$QUERIES_FILE" | grep -v '^[[:space:]]*$' | cut -f1; }
QUERY_COLUMNS='series, x, x_rank, y, n'

# psql_series NAME OUTFILE: the query's rows as psql -A -t -F '|' prints them
psql_series() {
    local name=$1 out=$2 line fields i args=() vars=()
    line=$(grep -v '^#' "$QUERIES_FILE" | awk -F'\t' -v n="$name" '$1 == n' | head -n 1)
    IFS=$'\t' read -r -a fields <<<"$line"
    for ((i = 1; i < ${#fields[@]}; i++)); do
        if [ "${fields[i]}" = '\N' ]; then
            args+=(NULL)
        else
            vars+=(-v "a$i=${fields[i]}")
            if [ "$i" -eq 3 ]; then args+=(":'a$i'::jsonb"); else args+=(":'a$i'"); fi
        fi
    done
    local IFS=,
    echo "SELECT $QUERY_COLUMNS FROM dlpg.series(${args[*]})" |
        "${PSQL[@]}" -A -t -F '|' "${vars[@]}" >"$out" 2>"$out.err"
}

# psql_answers NAME...: one test per series query, that psql answers it; its rows (psql_series)
# go to $TAP_WORK/expected/NAME.out, for a client's answers to be compared with.
psql_answers() {
    local q out
    mkdir -p "$TAP_WORK/expected"
    for q in "$@"; do
        out="$TAP_WORK/expected/$q.out"
        if psql_series "$q" "$out"; then
            check "psql answers $q ($(wc -l <"$out") rows)" test -s "$out"
        else
            not_ok "psql answers $q"
            diag_file "$out.err"
        fi
    done
}
