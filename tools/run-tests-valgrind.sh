#!/usr/bin/env bash
# tools/run-tests-valgrind.sh -- what `make test-valgrind` runs: the pg_regress suite and pgTAP
# files against a private cluster whose server runs under valgrind's memcheck, then a scan of
# valgrind's logs that fails on any error in dlpg's code.
#
#   tools/run-tests-valgrind.sh [test/FILE.sql ...]      (default: every test/*.sql)
#   make test-valgrind [VALGRIND_TESTS="test/parse_log.sql test/series.sql"]
#
#   1. build dlpg with the normal flags (make clean; make WERROR=1) and install it into a private
#      tree (make install DESTDIR=..., completed by tools/private-tree.sh): the system's
#      PostgreSQL is never touched
#   2. start a private cluster (tools/pgcluster.sh) whose postgres is a script that execs
#         valgrind --tool=memcheck --trace-children=yes --leak-check=no --track-origins=yes
#                  --suppressions=tools/valgrind.supp --log-file=<dir>/vg.%p.log postgres ...
#      The postmaster forks its backends (and parallel workers) without exec, so every server
#      process runs under memcheck, each with its own log. jit = off, so that dlpg's code runs
#      from dlpg.so and not as JIT-compiled bitcode.
#   3. pg_regress (make installcheck), then pg_prove over the pgTAP files (database
#      dlpg_valgrind with pgtap and dlpg), from the project root
#   4. stop the cluster (every process writes its ERROR SUMMARY when it exits) and scan the logs
#      (tools/valgrind-report.py): an error with a frame in dlpg (dlpg.so or dlpg's sources) in
#      any of its stacks is a finding and fails the run; errors only in PostgreSQL or system
#      libraries are listed, grouped, and do not fail it. A server process killed by a signal
#      also fails it.
#
# Kept after the run (git-ignored): results/valgrind/ with report.txt (the scan), the logs of the
# processes that reported errors, postgres.log, pg_prove.out; regression.diffs on a pg_regress
# failure.
#
# Limits: Debian's PostgreSQL is not built with USE_VALGRIND, so memcheck sees each palloc()
# block (8 kB and up, carved into many chunks) as one allocation: reading past the end of a
# palloc'd chunk into its neighbour, or a use after pfree, is not seen. What is seen: reads and
# writes outside any malloc()ed block, on the stack or in freed malloc() memory, and jumps,
# syscalls or pointer uses that depend on uninitialised values (e.g. a struct field dlpg
# forgets to set before PostgreSQL uses it, a datum built from uninitialised padding that is
# hashed, compared or written to disk).
#
# Knobs (environment): VALGRIND (the valgrind binary), DLPG_VALGRIND_OPTS (more valgrind
# options, e.g. --gen-suppressions=all to write suppressions for new noise, or
# --track-origins=no to go faster), DLPG_VALGRIND_COPT (compiler flags for dlpg, e.g. -O0 for
# exact lines), DLPG_VALGRIND_KEEP=1 (keep the work dir with every log under /tmp).
#
# Exit status: 0 when the tests passed and no error was found in dlpg, 1 otherwise.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 1

: "${MAKE:=make}"
VALGRIND=${VALGRIND:-valgrind}
RESULTS="$ROOT/results"
OUT="$RESULTS/valgrind"
started=$(date +%s)

section() { printf '\n==== %s ====\n' "$*"; }

if [ $# -gt 0 ]; then
    TAP_FILES=("$@")
else
    shopt -s nullglob
    TAP_FILES=(test/*.sql)
    shopt -u nullglob
fi
for f in "${TAP_FILES[@]}"; do
    [ -f "$f" ] || { echo "run-tests-valgrind: no such pgTAP file: $f" >&2; exit 1; }
done

# ---------------------------------------------------------------- 1. dependencies, build
if ! "$ROOT/tools/install-deps.sh"; then
    echo "run-tests-valgrind: installing the Debian packages failed" >&2
    exit 1
fi
if ! command -v "$VALGRIND" >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
    echo "run-tests-valgrind: installing valgrind" >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valgrind ||
        { "${SUDO[@]}" apt-get update && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends valgrind; } ||
        { echo "run-tests-valgrind: could not install valgrind" >&2; exit 1; }
fi
VALGRIND=$(command -v "$VALGRIND")
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=$(command -v python3) || { echo "run-tests-valgrind: python3 missing" >&2; exit 1; }

WORK=$(mktemp -d /tmp/dlpg-valgrind.XXXXXX) || exit 1
chmod 755 "$WORK"
TREE="$WORK/tree"
VGDIR="$WORK/logs"
mkdir -p "$VGDIR"
chmod 1777 "$VGDIR"          # written by the server (user postgres)

# shellcheck source=tools/pgcluster.sh
source "$ROOT/tools/pgcluster.sh"
# shellcheck source=tools/private-tree.sh
source "$ROOT/tools/private-tree.sh"
cleanup() {
    pgcluster_stop
    if [ "${DLPG_VALGRIND_KEEP:-0}" = 1 ]; then echo "run-tests-valgrind: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

section "build (WERROR=1${DLPG_VALGRIND_COPT:+, COPT=$DLPG_VALGRIND_COPT}), install into a private tree"
"$MAKE" clean >/dev/null 2>&1 || true
copt=()
[ -n "${DLPG_VALGRIND_COPT:-}" ] && copt=("COPT=$DLPG_VALGRIND_COPT")
if ! "$MAKE" WERROR=1 "${copt[@]}" >/dev/null; then
    echo "run-tests-valgrind: build failed" >&2
    exit 1
fi
if ! "$MAKE" install "${copt[@]}" DESTDIR="$TREE" >/dev/null || ! private_tree_complete "$TREE"; then
    echo "run-tests-valgrind: install into $TREE failed" >&2
    exit 1
fi
SERVER_POSTGRES=$(private_tree_postgres "$TREE") || exit 1
echo "installed into $TREE"

# ---------------------------------------------------------------- 2. cluster under valgrind
# shellcheck disable=SC2206
extra_opts=(${DLPG_VALGRIND_OPTS:-})
{
    echo '#!/bin/sh'
    echo '# generated by tools/run-tests-valgrind.sh: postgres under memcheck'
    printf 'exec %q' "$VALGRIND"
    printf ' %q' --tool=memcheck --trace-children=yes --leak-check=no --track-origins=yes \
        --error-limit=no --num-callers=40 --vgdb=no --fullpath-after= --read-var-info=no \
        --suppressions="$ROOT/tools/valgrind.supp" --log-file="$VGDIR/vg.%p.log" \
        "${extra_opts[@]}" "$SERVER_POSTGRES"
    printf ' "$@"\n'
} >"$WORK/postgres-valgrind"
chmod 755 "$WORK/postgres-valgrind"

section "private cluster, postgres under valgrind"
export PGCLUSTER_POSTGRES="$WORK/postgres-valgrind"
export PGCLUSTER_TIMEOUT=${PGCLUSTER_TIMEOUT:-600}
export PGCLUSTER_EXTRA_CONF="${PGCLUSTER_EXTRA_CONF:-}
jit = off"
if ! pgcluster_start "$WORK/cluster"; then
    echo "run-tests-valgrind: could not start the cluster under valgrind" >&2
    exit 1
fi
PSQL=("$PGCLUSTER_BINDIR/psql" -X -q -v ON_ERROR_STOP=1)
tests_failed=0

# ---------------------------------------------------------------- 3. tests
section "pg_regress (make installcheck)"
regress_start=$(date +%s)
if "$MAKE" installcheck; then regress_rc=0; else regress_rc=$?; tests_failed=$((tests_failed + 1)); fi
regress_s=$(( $(date +%s) - regress_start ))

section "pgTAP (pg_prove ${TAP_FILES[*]})"
tap_start=$(date +%s)
mkdir -p "$OUT.tmp"
tap_rc=0
if [ ${#TAP_FILES[@]} -eq 0 ]; then
    echo "no pgTAP files"
elif ! "${PSQL[@]}" -d postgres -c 'CREATE DATABASE dlpg_valgrind' ||
     ! "${PSQL[@]}" -d dlpg_valgrind -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION dlpg'; then
    echo "run-tests-valgrind: could not create database dlpg_valgrind with pgtap and dlpg" >&2
    tap_rc=1
else
    pg_prove --timer --psql-bin "$PGCLUSTER_BINDIR/psql" -d dlpg_valgrind "${TAP_FILES[@]}" 2>&1 |
        tee "$OUT.tmp/pg_prove.out"
    tap_rc=${PIPESTATUS[0]}
fi
[ "$tap_rc" -ne 0 ] && tests_failed=$((tests_failed + 1))
tap_s=$(( $(date +%s) - tap_start ))

# ---------------------------------------------------------------- 4. stop, scan
section "stop the cluster (each process writes its summary)"
stop_start=$(date +%s)
pm_pid=$(head -n 1 "$PGCLUSTER_DIR/data/postmaster.pid" 2>/dev/null) || pm_pid=""
PGCLUSTER_KEEP=1 PGCLUSTER_QUIET=1 pgcluster_stop      # the dir goes with $WORK
# pg_ctl returns when postmaster.pid is gone, which the postmaster removes just before it exits;
# valgrind writes the postmaster's summary after that: wait for the process itself (its
# children, the other server processes, have all exited before it)
case "$pm_pid" in
    ''|*[!0-9]*) ;;
    *) for _ in $(seq 1 120); do kill -0 "$pm_pid" 2>/dev/null || break; sleep 0.5; done ;;
esac
cp "$WORK/cluster/postgres.log" "$OUT.tmp/postgres.log" 2>/dev/null || true
echo "stopped in $(( $(date +%s) - stop_start )) s"

section "valgrind logs"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
"$PYTHON" "$ROOT/tools/valgrind-report.py" --root "$ROOT" --copy-to "$OUT" "$VGDIR" | tee "$OUT/report.txt"
scan_rc=${PIPESTATUS[0]}
crashes=0
if [ -f "$OUT/postgres.log" ]; then
    crashes=$(grep -c -E 'was terminated by signal|terminating any other active server processes' "$OUT/postgres.log") || crashes=0
    if [ "$crashes" -gt 0 ]; then
        echo "---- server processes killed by a signal (results/valgrind/postgres.log) ----"
        grep -E -B1 -A2 'was terminated by signal|terminating any other active server processes' "$OUT/postgres.log" | head -n 40
    fi
fi

end=$(date +%s)
echo
printf 'test-valgrind: pg_regress %s (%d s), pgTAP %s on %d files (%d s); valgrind scan: %s; %d crash line(s); %d s in all\n' \
    "$([ "$regress_rc" -eq 0 ] && echo passed || echo FAILED)" "$regress_s" \
    "$([ "$tap_rc" -eq 0 ] && echo passed || echo FAILED)" "${#TAP_FILES[@]}" "$tap_s" \
    "$(case $scan_rc in 0) echo 'no error in dlpg';; 1) echo 'ERRORS IN DLPG';; *) echo "failed (status $scan_rc)";; esac)" \
    "$crashes" "$((end - started))"
if [ "$tests_failed" -gt 0 ] || [ "$scan_rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    echo "test-valgrind: FAILED"
    exit 1
fi
echo "test-valgrind: passed"
exit 0
