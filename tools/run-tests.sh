#!/usr/bin/env bash
# tools/run-tests.sh -- what `make test` runs (and `make test-private`, `make test-asan`, with
# another install tree): the one runner of every test of the project.
#
# Layout: what runs where (steps below)
#   sql/<name>.sql, expected/<name>.out  pg_regress, exact output: step 4, `make installcheck`
#                        (REGRESS = every sql/*.sql), database contrib_regression
#   sql/install/         not tests: the install and update scripts dlpg--*.sql (DATA)
#   test/<name>.sql      pgTAP, behaviour: step 5, pg_prove, database dlpg_test
#   test/lib/*.sql       shared by the pgTAP files (\ir), never run on their own
#   test/clients/*.t     real clients (JDBC, psycopg, ODBC, pandas, charts as files): step 6, prove, database
#                        dlpg_clients
#   test/web/*.t         the web Guide (web/app.py): its API and the page in headless Chromium
#                        (Selenium): step 6b, prove, databases of their own
#   test/loader/*.t      dlpg-load, the bulk loader: step 7, prove, databases of their own
#   test/backup/*.t      pg_dump / pg_restore: step 7b, prove, databases of their own
#   tools/run-sqlsmith.sh  random SQL: step 7c
#   fuzz/regressions/, fuzz/corpus/  libFuzzer replays: step 8 (`make fuzz-regress`), no database
# A name is either a pg_regress test or a pgTAP test, never both (sql/x.sql and test/x.sql):
# step 4b counts one pg_regress failure for each name found in both.
#
# Steps, in this order:
#   1. install missing Debian packages (tools/install-deps.sh)
#   2. clean build with warnings as errors (make WERROR=1), make install
#   3. start a private PostgreSQL 15 cluster (tools/pgcluster.sh)
#   4. pg_regress: make installcheck (sql/<t>.sql vs expected/<t>.out, REGRESS in the Makefile)
#   4b. layout: no name both in sql/ and in test/ (each one found: one pg_regress failure)
#   5. pgTAP: database dlpg_test with pgtap + dlpg, pg_prove test/*.sql (from the project root,
#      the tests read data/ files through psql backticks)
#   6. real clients: database dlpg_clients with dlpg, prove test/clients/*.t (TAP scripts that
#      query it through the JDBC driver and psycopg and compare with psql; JDBC over TCP on
#      127.0.0.1, which the private cluster also listens on)
#   6b. the web Guide: prove test/web/*.t (api.t: every /api endpoint against its dlpg function,
#      errors, injection, limits, roles; browser.t: the page in headless chromium through
#      Selenium, screenshots in results/web/); without chromium, chromium-driver or
#      python3-selenium browser.t prints SKIPPED and counts as skipped, not failed
#   7. the bulk loader: prove test/loader/*.t (TAP scripts that run loader/dlpg-load on folders
#      of logs, JSON files and archives, each test in databases of its own, which it creates)
#   7b. backups: prove test/backup/*.t (pg_dump plain and custom of loaded databases, restored
#      with psql / pg_restore into new databases: every row and column kept, ids go on)
#   7b2. the docs' examples: prove test/docs/*.t (each ```sql block of docs/reference.md and
#       README.md followed by a ```text block is run with psql and its output compared)
#   7b3. Citus: tools/run-tests-citus.sh, prove test/citus/*.t against a coordinator and two
#       workers of its own (Citus built once from ../shared/vendor/citus-13.2.2.tar.gz into a cache
#       outside the tree, run from a private tree: nothing goes into the system); without the
#       tarball or an installed Citus it prints SKIPPED and counts as skipped, not failed
#   7c. random SQL: tools/run-sqlsmith.sh, a short fixed-seed SQLsmith run against this cluster
#      (SQLSMITH_SEEDS, SQLSMITH_QUERIES); each seed is one check
#   8. fuzz regressions: make fuzz-regress (fuzz/fuzz.mk; no database) replays every input of
#      fuzz/regressions/<harness>/ and fuzz/corpus/<harness>/ once through its libFuzzer harness
#   9. stop the cluster; the last line printed is exactly "N passed, M failed" where N and M
#      count individual checks (pg_regress tests + pgTAP assertions + client-test assertions +
#      web-test assertions + loader-test assertions + backup-test assertions + docs examples + SQLsmith seeds + replayed fuzz inputs).
#
# Exit status: 0 when everything passed, 1 otherwise (build failure included).
# Kept after the run (git-ignored): regression.{out,diffs} and results/*.out from pg_regress,
# results/postgres.log (server log of the private cluster), results/pg_prove.out,
# results/clients.out, results/loader.out, results/backup.out, results/docs.out, results/sqlsmith/,
# results/fuzz-regress.out.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 1

: "${MAKE:=make}"
RESULTS="$ROOT/results"
REGRESS_PASSED=0 REGRESS_FAILED=0 TAP_PASSED=0 TAP_FAILED=0 CLIENT_PASSED=0 CLIENT_FAILED=0
LOADER_PASSED=0 LOADER_FAILED=0 FUZZ_PASSED=0 FUZZ_FAILED=0
BACKUP_PASSED=0 BACKUP_FAILED=0 SQLSMITH_PASSED=0 SQLSMITH_FAILED=0 DOCS_PASSED=0 DOCS_FAILED=0
CITUS_PASSED=0 CITUS_FAILED=0 CITUS_SKIPPED=""
WEB_PASSED=0 WEB_FAILED=0 WEB_SKIPPED=""

section() { printf '\n==== %s ====\n' "$*"; }

finish() {
    # $1: extra failures (e.g. a build failure) not counted elsewhere
    local extra=${1:-0} passed failed
    if [ -n "${PGCLUSTER_DIR:-}" ]; then
        mkdir -p "$RESULTS" && cp "$PGCLUSTER_LOG" "$RESULTS/postgres.log" 2>/dev/null || true
        pgcluster_stop
    fi
    passed=$((REGRESS_PASSED + TAP_PASSED + CLIENT_PASSED + LOADER_PASSED + FUZZ_PASSED))
    failed=$((REGRESS_FAILED + TAP_FAILED + CLIENT_FAILED + LOADER_FAILED + FUZZ_FAILED + extra))
    passed=$((passed + BACKUP_PASSED + SQLSMITH_PASSED + DOCS_PASSED))
    failed=$((failed + BACKUP_FAILED + SQLSMITH_FAILED + DOCS_FAILED))
    passed=$((passed + CITUS_PASSED + WEB_PASSED))
    failed=$((failed + CITUS_FAILED + WEB_FAILED))
    echo
    printf 'pg_regress: %d passed, %d failed; pgTAP: %d passed, %d failed; clients: %d passed, %d failed; loader: %d passed, %d failed; fuzz regressions: %d passed, %d failed' \
        "$REGRESS_PASSED" "$REGRESS_FAILED" "$TAP_PASSED" "$TAP_FAILED" "$CLIENT_PASSED" "$CLIENT_FAILED" \
        "$LOADER_PASSED" "$LOADER_FAILED" "$FUZZ_PASSED" "$FUZZ_FAILED"
    printf '; backups: %d passed, %d failed; sqlsmith: %d passed, %d failed' \
        "$BACKUP_PASSED" "$BACKUP_FAILED" "$SQLSMITH_PASSED" "$SQLSMITH_FAILED"
    printf '; docs examples: %d passed, %d failed' "$DOCS_PASSED" "$DOCS_FAILED"
    printf '; web: %d passed, %d failed' "$WEB_PASSED" "$WEB_FAILED"
    [ -n "$WEB_SKIPPED" ] && printf ' (browser: SKIPPED (%s))' "$WEB_SKIPPED"
    if [ -n "$CITUS_SKIPPED" ]; then
        printf '; citus: SKIPPED (%s)' "$CITUS_SKIPPED"
    else
        printf '; citus: %d passed, %d failed' "$CITUS_PASSED" "$CITUS_FAILED"
    fi
    [ "$extra" -gt 0 ] && printf '; setup/build failures: %d' "$extra"
    printf '\n'
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && exit 0
    exit 1
}

# Passed and failed assertions from the output of prove / pg_prove (file $1), from the harness
# summary:
#   "Files=N, Tests=M, ..."                           M = assertions run (passed + failed)
#   "test/x.sql (Wstat: W ... Tests: T Failed: F)"   F failed assertions in that file
#   "  Parse errors: Bad plan.  You planned P tests but ran R."  P-R never ran: failed
#   a file that died or had no plan, with nothing else counted, counts as 1 failure
prove_counts() {
    awk '
    function flush() {
        if (!infile) return
        n = cf + extra
        if (n == 0 && (cw != 0 || bad)) n = 1
        failed += n; sumf += cf; infile = 0
    }
    /^Test Summary Report/ { summary = 1; next }
    summary && /\(Wstat: [0-9]+.* Tests: [0-9]+ Failed: [0-9]+\)/ {
        flush()
        infile = 1; extra = 0; bad = 0
        s = $0; sub(/.*\(Wstat: /, "", s); cw = s + 0
        s = $0; sub(/.* Failed: /, "", s); cf = s + 0
        next
    }
    summary && /You planned [0-9]+ tests? but ran [0-9]+/ {
        s = $0; sub(/.*You planned /, "", s); planned = s + 0
        s = $0; sub(/.* but ran /, "", s); ran = s + 0
        if (planned > ran) extra += planned - ran
        bad = 1; next
    }
    summary && /(Parse errors|Non-zero exit status|Non-zero wait status|No plan found)/ { bad = 1; next }
    /^Files=[0-9]+, Tests=[0-9]+/ {
        flush()
        s = $0; sub(/.*Tests=/, "", s); tests = s + 0
    }
    END { flush(); print tests - sumf, failed + 0 }' "$1"
}

# files_matching PATTERN: the files PATTERN matches, one a line (none: nothing)
files_matching() {
    local -a files
    shopt -s nullglob
    # shellcheck disable=SC2206  # the pattern is meant to expand
    files=($1)
    shopt -u nullglob
    [ ${#files[@]} -eq 0 ] || printf '%s\n' "${files[@]}"
}

# run_prove PASSED_VAR FAILED_VAR OUT HARNESS...: run a TAP harness (prove, pg_prove), its output
# shown and kept in $RESULTS/OUT, and set the two variables from its counts (prove_counts); a
# harness that exits non-zero with no failed assertion counts one failure. The environment of
# the call (VAR=value run_prove ...) reaches the harness.
run_prove() {
    local pvar=$1 fvar=$2 out="$RESULTS/$3" rc passed failed
    shift 3
    mkdir -p "$RESULTS"
    "$@" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    read -r passed failed < <(prove_counts "$out")
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        echo "run-tests: $1 exited with status $rc" >&2
        failed=1
    fi
    [ "$passed" -lt 0 ] && passed=0
    printf -v "$pvar" '%d' "$passed"
    printf -v "$fvar" '%d' "$failed"
}

# ---------------------------------------------------------------- 1. dependencies
if ! "$ROOT/tools/install-deps.sh"; then
    echo "run-tests: installing the Debian packages failed" >&2
    finish 1
fi

if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else SUDO=(); fi

# ---------------------------------------------------------------- 2. build
section "build (WERROR=1)"
# clean first, so objects built earlier without -Werror are recompiled and their warnings fail
"$MAKE" clean >/dev/null 2>&1 || true
if ! "$MAKE" WERROR=1; then
    echo "run-tests: build failed (warnings are errors)" >&2
    finish 1
fi
if ! "${SUDO[@]}" "$MAKE" install; then
    echo "run-tests: make install failed" >&2
    finish 1
fi

# ---------------------------------------------------------------- 3. cluster
# shellcheck source=tools/pgcluster.sh
source "$ROOT/tools/pgcluster.sh"
trap 'pgcluster_stop' EXIT
trap 'exit 130' INT TERM
section "private cluster"
if ! pgcluster_start; then
    echo "run-tests: could not start a private PostgreSQL cluster" >&2
    finish 1
fi
PSQL=("$PGCLUSTER_BINDIR/psql" -X -q -v ON_ERROR_STOP=1)

# ---------------------------------------------------------------- 4. pg_regress
section "pg_regress (make installcheck)"
regress_out=$(mktemp)
"$MAKE" installcheck 2>&1 | tee "$regress_out"
regress_rc=${PIPESTATUS[0]}
# PG15 lines: "test parse_log                ... ok           12 ms"; inside parallel groups the
# "test" word is replaced by blanks; "failed (ignored)" does not fail the run.
read -r REGRESS_PASSED REGRESS_FAILED < <(awk '
    /^(test +| +)[^ ]+ +\.\.\. +ok( |$)/            { p++; next }
    /^(test +| +)[^ ]+ +\.\.\. +failed \(ignored\)/ { p++; next }
    /^(test +| +)[^ ]+ +\.\.\. +FAILED/             { f++; next }
    END { print p+0, f+0 }' "$regress_out")
rm -f "$regress_out"
if [ "$regress_rc" -ne 0 ]; then
    # regression.diffs is in the project root, or in results/ when REGRESS_OPTS has
    # --outputdir=results; take the newer one
    diffs=""
    for d in regression.diffs results/regression.diffs; do
        if [ -s "$d" ] && { [ -z "$diffs" ] || [ "$d" -nt "$diffs" ]; }; then diffs=$d; fi
    done
    if [ -n "$diffs" ]; then
        section "$diffs"
        head -n 2000 "$diffs"
        n=$(wc -l < "$diffs")
        [ "$n" -gt 2000 ] && echo "... ($n lines, see $diffs)"
    fi
    # pg_regress stops at the first test whose files are missing, and can fail before any test
    # (could not connect, ...): every listed test that did not pass counts as failed, and at
    # least one failure is counted.
    regress_list=$(printf 'dlpg_print_regress:\n\t@echo $(REGRESS)\n' |
        "$MAKE" -s --no-print-directory -f Makefile -f - dlpg_print_regress 2>/dev/null) || regress_list=""
    # shellcheck disable=SC2086
    regress_total=$(set -- $regress_list; echo $#)
    if [ $((regress_total - REGRESS_PASSED)) -gt "$REGRESS_FAILED" ]; then
        REGRESS_FAILED=$((regress_total - REGRESS_PASSED))
    fi
    [ "$REGRESS_FAILED" -eq 0 ] && REGRESS_FAILED=1
fi

# ---------------------------------------------------------------- 4b. layout
# sql/x.sql (pg_regress) and test/x.sql (pgTAP) would be two different tests of one name
mapfile -t regress_files < <(files_matching 'sql/*.sql')
for f in "${regress_files[@]}"; do
    if [ -e "test/${f#sql/}" ]; then
        echo "run-tests: $f (pg_regress) and test/${f#sql/} (pgTAP) share a name: rename one" >&2
        REGRESS_FAILED=$((REGRESS_FAILED + 1))
    fi
done

# ---------------------------------------------------------------- 5. pgTAP
section "pgTAP (pg_prove test/*.sql)"
mapfile -t tap_files < <(files_matching 'test/*.sql')
if [ ${#tap_files[@]} -eq 0 ]; then
    echo "no pgTAP files in test/: 0 tests"
elif ! "${PSQL[@]}" -d postgres -c 'CREATE DATABASE dlpg_test' ||
     ! "${PSQL[@]}" -d dlpg_test -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION dlpg'; then
    echo "run-tests: could not create database dlpg_test with extensions pgtap and dlpg" >&2
    TAP_FAILED=1
else
    run_prove TAP_PASSED TAP_FAILED pg_prove.out \
        pg_prove --psql-bin "$PGCLUSTER_BINDIR/psql" -d dlpg_test "${tap_files[@]}"
fi

# ---------------------------------------------------------------- 6. real clients
section "real clients (prove test/clients/*.t)"
mapfile -t client_files < <(files_matching 'test/clients/*.t')
if [ ${#client_files[@]} -eq 0 ]; then
    echo "no client tests in test/clients/: 0 tests"
elif ! "${PSQL[@]}" -d postgres -c 'CREATE DATABASE dlpg_clients' ||
     ! "${PSQL[@]}" -d dlpg_clients -c 'CREATE EXTENSION dlpg'; then
    echo "run-tests: could not create database dlpg_clients with extension dlpg" >&2
    CLIENT_FAILED=1
else
    PGDATABASE=dlpg_clients run_prove CLIENT_PASSED CLIENT_FAILED clients.out prove -v "${client_files[@]}"
fi

# run_tap_scripts PASSED_VAR FAILED_VAR OUT DIR: prove -v DIR/*.t (0 tests when there are none),
# with DLPG_LOAD set to the loader built here
run_tap_scripts() {
    local -a files
    mapfile -t files < <(files_matching "$4/*.t")
    if [ ${#files[@]} -eq 0 ]; then
        echo "no tests in $4/: 0 tests"
        return
    fi
    DLPG_LOAD="$ROOT/loader/dlpg-load" run_prove "$1" "$2" "$3" prove -v "${files[@]}"
}

# ---------------------------------------------------------------- 6b. the web Guide
# Each test file makes its own database with the demo data and starts web/app.py on it; a
# browser test without chromium, chromium-driver or selenium prints a SKIPPED banner and counts
# as skipped (not passed, not failed).
section "web Guide (prove test/web/*.t)"
DLPG_WEB_SCREENSHOTS="$RESULTS/web" run_tap_scripts WEB_PASSED WEB_FAILED web.out test/web
WEB_SKIPPED=$(sed -n 's/^##  web browser suite: SKIPPED -- //p' "$RESULTS/web.out" 2>/dev/null | head -n 1)

# ---------------------------------------------------------------- 7. the bulk loader
section "dlpg-load (prove test/loader/*.t)"
run_tap_scripts LOADER_PASSED LOADER_FAILED loader.out test/loader

# ---------------------------------------------------------------- 7b. backups
section "backups (prove test/backup/*.t)"
run_tap_scripts BACKUP_PASSED BACKUP_FAILED backup.out test/backup

# ---------------------------------------------------------------- 7b2. the docs' SQL examples
section "docs examples (prove test/docs/*.t)"
run_tap_scripts DOCS_PASSED DOCS_FAILED docs.out test/docs

# ---------------------------------------------------------------- 7b3. Citus
# A coordinator and two workers of the suite's own (tools/run-tests-citus.sh); a loud SKIPPED
# (no Citus tarball, no installed Citus) counts as skipped, not failed.
section "Citus (tools/run-tests-citus.sh: prove test/citus/*.t on a 3-node cluster)"
run_prove CITUS_PASSED CITUS_FAILED citus.out env -u PGHOST -u PGPORT -u PGDATABASE \
    -u PGCLUSTER_DIR "$ROOT/tools/run-tests-citus.sh"
CITUS_SKIPPED=$(sed -n 's/^##  citus suite: SKIPPED -- //p' "$RESULTS/citus.out" | head -n 1)

# run_counted PASSED_VAR FAILED_VAR OUT CMD...: run CMD, its output shown and kept in $RESULTS/OUT,
# and set the two variables from its last "N passed, M failed" line; a non-zero exit with no
# failure counted (nothing printed: a build or setup failure) counts one failure.
run_counted() {
    local pvar=$1 fvar=$2 out="$RESULTS/$3" rc passed failed
    shift 3
    mkdir -p "$RESULTS"
    "$@" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    read -r passed failed < <(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' "$out" | tail -n 1)
    : "${passed:=0}" "${failed:=0}"
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        echo "run-tests: $1 exited with status $rc" >&2
        failed=1
    fi
    printf -v "$pvar" '%d' "$passed"
    printf -v "$fvar" '%d' "$failed"
}

# ---------------------------------------------------------------- 7c. random SQL (SQLsmith)
# A short fixed-seed run against this cluster: one check per seed.
section "random SQL (tools/run-sqlsmith.sh, short run)"
SQLSMITH_SEEDS=${SQLSMITH_SEEDS:-"1 2"} SQLSMITH_QUERIES=${SQLSMITH_QUERIES:-300} \
    SQLSMITH_RESULTS="$RESULTS/sqlsmith" DLPG_LOAD="$ROOT/loader/dlpg-load" \
    run_counted SQLSMITH_PASSED SQLSMITH_FAILED sqlsmith.out "$ROOT/tools/run-sqlsmith.sh"

# ---------------------------------------------------------------- 8. fuzz regressions
# Each replayed input is one check (no clang-14: the build fails, one failure).
section "fuzz regressions (make fuzz-regress)"
run_counted FUZZ_PASSED FUZZ_FAILED fuzz-regress.out "$MAKE" --no-print-directory WERROR=1 fuzz-regress

# ---------------------------------------------------------------- 9. stop, summary
finish 0
