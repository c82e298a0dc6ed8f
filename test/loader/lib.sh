# shellcheck shell=bash
# test/loader/lib.sh -- shared by the dlpg-load tests (test/loader/*.t), SOURCED by them.
#
# The tests run the loader built in loader/ (DLPG_LOAD overrides: another dlpg-load binary)
# against an already running server, through the libpq environment (PGHOST, PGPORT, PGUSER,
# PGDATABASE, as tools/pgcluster.sh exports them). PGUSER must be able to create databases:
# every test makes its own fresh databases (new_db), with extension dlpg, so that row counts are
# exact, and drops them at the end.
#
# Output is TAP: tap_plan N first, then ok / not_ok / is / like; diag for comments.

LOADER_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$LOADER_TEST_DIR/../.." && pwd -P)
DLPG_LOAD=${DLPG_LOAD:-$ROOT/loader/dlpg-load}
H200="$ROOT/data/dlbs/h200"
RTX="$ROOT/data/dlbs/rtx2080"
FAILED_LOG="$ROOT/data/dlbs/failed/googlenet_8_noresults.log"

# psql: the cluster's own (PGCLUSTER_BINDIR) when set, else the one on PATH
PSQL_BIN=${PGCLUSTER_BINDIR:+$PGCLUSTER_BINDIR/psql}
[ -n "$PSQL_BIN" ] && [ -x "$PSQL_BIN" ] || PSQL_BIN=psql
PSQL=("$PSQL_BIN" -X -q -v ON_ERROR_STOP=1)

TAP_N=0
TAP_FAILS=0
# as root, the work dir must be reachable by another user for the permission tests
TAP_WORK=$(mktemp -d /tmp/dlpg-loader-test.XXXXXX) || exit 1
chmod 755 "$TAP_WORK"
TEST_DBS=()
DB_PREFIX="dlpg_loader_$(basename "$0" .t)_$$"

cleanup() {
    local db
    for db in "${TEST_DBS[@]}"; do
        "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    done
    rm -rf "$TAP_WORK"
}
trap cleanup EXIT

tap_plan() { echo "1..$1"; }
diag() { local l; while IFS= read -r l; do echo "# $l"; done <<<"$*"; }
diag_file() { [ -s "$1" ] && sed 's/^/# /' "$1"; return 0; }
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILS=$((TAP_FAILS + 1)); echo "not ok $TAP_N - $*"; }
skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # skip $*"; }
# is GOT WANT DESC
is() {
    if [ "$1" = "$2" ]; then ok "$3"; else
        not_ok "$3"
        diag "     got: $(printf '%s' "$1" | head -c 2000)"
        diag "expected: $(printf '%s' "$2" | head -c 2000)"
        return 1
    fi
}
# like FILE ERE DESC: some line of FILE matches
like() {
    if grep -Eq -- "$2" "$1"; then ok "$3"; else
        not_ok "$3"
        diag "no line matches /$2/ in:"
        diag_file "$1"
        return 1
    fi
}
# unlike FILE ERE DESC: no line of FILE matches
unlike() {
    if ! grep -Eq -- "$2" "$1"; then ok "$3"; else
        not_ok "$3"
        diag "a line matches /$2/:"
        grep -E -- "$2" "$1" | head -n 5 | sed 's/^/# /'
        return 1
    fi
}

# new_db VAR [CREATE DATABASE options]: a fresh database with extension dlpg; its name goes into
# the variable VAR (not printed: a $(...) subshell would lose the bookkeeping below)
DB_SEQ=0
new_db() {
    local __var=$1 db
    DB_SEQ=$((DB_SEQ + 1))
    db="${DB_PREFIX}_$DB_SEQ"
    TEST_DBS+=("$db")
    if ! "${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $db" \
            -c "CREATE DATABASE $db ${2:-}" >/dev/null ||
       ! "${PSQL[@]}" -d "$db" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION dlpg' >/dev/null; then
        echo "new_db: could not create database $db with extension dlpg" >&2
        return 1
    fi
    printf -v "$__var" '%s' "$db"
}

# q DB SQL: one value (or rows, '|'-separated), unaligned
q() { "${PSQL[@]}" -d "$1" -A -t -F '|' -c "$2"; }

# load NAME ARGS...: run dlpg-load (stderr to $TAP_WORK/NAME.err, stdout to NAME.out);
# LOAD_RC is its exit status, LOAD_ERR the stderr file
load() {
    local name=$1
    shift
    LOAD_ERR="$TAP_WORK/$name.err"
    "$DLPG_LOAD" "$@" >"$TAP_WORK/$name.out" 2>"$LOAD_ERR"
    LOAD_RC=$?
}

# summary LABEL [FILE]: the number on the summary line "  LABEL: N" (default file: $LOAD_ERR)
summary() {
    awk -v l="  $1:" 'index($0, l) == 1 { sub(/^[^:]*: */, ""); print $1 + 0; exit }' "${2:-$LOAD_ERR}"
}

# summary_is FILE "files read=18 rejected=5 ..." DESC: every LABEL=N of the summary
summary_is() {
    local file=$1 want=$2 desc=$3 got="" pair label
    for pair in $want; do
        label=${pair%=*}
        label=${label//_/ }
        got+="${pair%=*}=$(summary "$label" "$file") "
    done
    is "${got% }" "$want" "$desc"
}

# rc_is WANT DESC: LOAD_RC is WANT (stderr shown when not)
rc_is() {
    if [ "$LOAD_RC" = "$1" ]; then ok "$2"; else
        not_ok "$2"
        diag "exit status $LOAD_RC, expected $1; stderr:"
        diag_file "$LOAD_ERR"
        return 1
    fi
}

# log_with_id SRC ID DEST: a copy of log SRC whose __exp.id__ is ID
log_with_id() {
    sed -E 's/^([ \t]*__exp\.id__[ \t]*=).*$/\1"'"$2"'"/' "$1" >"$3"
}

# tiny_log ID DEST: the smallest ok benchmark log
tiny_log() {
    printf 'Starting a benchmark\n__exp.id__="%s"\n__exp.model__="tiny"\n__exp.replica_batch__=1\n__exp.effective_batch__=1\n__results.time__=2.5\n__results.throughput__=400\n' \
        "$1" >"$2"
}

# Background processes a test started (BG_PIDS+=("$!")), killed by pid with kill_bg (its EXIT
# trap calls it) should the test end early
BG_PIDS=()
kill_bg() {
    local p
    for p in "${BG_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    return 0
}

# slow_inserts DB: every insert into DB's dlpg.benchmarks takes 5 ms more (a trigger), so that a
# run of a few hundred logs lasts long enough to be stopped in the middle
slow_inserts() {
    "${PSQL[@]}" -d "$1" -c "CREATE FUNCTION public.slow() RETURNS trigger LANGUAGE plpgsql AS
        \$\$BEGIN PERFORM pg_sleep(0.005); RETURN NEW; END\$\$" \
        -c 'CREATE TRIGGER slow BEFORE INSERT ON dlpg.benchmarks FOR EACH ROW EXECUTE FUNCTION public.slow()' >/dev/null
}

need_loader() {
    if [ ! -x "$DLPG_LOAD" ]; then
        echo "Bail out! no dlpg-load at $DLPG_LOAD (run make)"
        exit 1
    fi
}
