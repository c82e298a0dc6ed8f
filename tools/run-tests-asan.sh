#!/usr/bin/env bash
# tools/run-tests-asan.sh -- what `make test-asan` runs: the whole test suite (tools/run-tests.sh,
# unchanged: pg_regress, pgTAP, the client and loader tests) with dlpg.so and loader/dlpg-load
# built under AddressSanitizer and UndefinedBehaviorSanitizer (gcc).
#
#   1. tools/run-tests.sh runs with MAKE set to a generated wrapper, so that its clean build
#      (make WERROR=1) adds COPT=$SAN_FLAGS (PGXS adds COPT to CFLAGS and LDFLAGS: dlpg.so is
#      instrumented and linked against libasan and libubsan) and LOADER_CC="gcc $SAN_FLAGS"
#      (dlpg-load), and its `make install` goes to a private tree (DESTDIR) that
#      tools/private-tree.sh completes into a PostgreSQL installation of its own: the system's
#      PostgreSQL is never touched, other runs on the machine keep loading the normal dlpg.so.
#   2. The private cluster (tools/pgcluster.sh) runs the tree's copy of postgres, which is not
#      instrumented: the runtimes are preloaded into the server only (PGCLUSTER_SERVER_ENV, for
#      `pg_ctl start`; initdb and clients such as psql do not get them):
#        LD_PRELOAD=libasan.so:asan_preload_fix.so:libubsan.so (the middle one built here, below)
#        ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=<reports>/asan
#            (PostgreSQL frees memory by memory context: leaks are not meaningful)
#        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1
#      and jit = off, so that no dlpg code runs as uninstrumented JIT-inlined bitcode.
#      dlpg-load is instrumented itself; the loader tests run it through DLPG_LOAD, a wrapper
#      that gives it the same preload (for the report files) and options (leaks: see below).
#   3. Any report file (asan.PID, ubsan.PID: a backend, or dlpg-load) is a failure: printed and
#      kept in results/sanitizers/. So is a sanitizer message or a crashed server process in
#      the server log (results/postgres.log).
#   4. The build dir is rebuilt without sanitizers (make -B), so that a later `make install`
#      does not install the instrumented dlpg.so.
#
# asan_preload_fix.so, preloaded between the runtimes, works around three problems of gcc 12's
# runtimes preloaded into an uninstrumented server:
#   - it defines swift_demangle (returning NULL, "not a Swift name": ASan then demangles as
#     usual). ASan initialises lazily, at the first malloc(), which in postgres happens inside
#     libp11-kit's constructor (postgres -> libldap -> libgnutls -> libp11-kit), in newlocale(),
#     with glibc's locale lock held; the initialisation looks swift_demangle up with dlsym()
#     and, when it is missing, calls dlerror(), whose message translation takes that same lock:
#     the server hangs before main(). With the symbol present nothing is translated.
#   - libubsan reads UBSAN_OPTIONS only at its first report, from /proc/self/environ, which
#     postgres has overwritten by then (its process title): the options were lost (no stack,
#     exit(1) instead of abort). The library's constructor copies UBSAN_OPTIONS at load time
#     and hands it back through UBSan's __ubsan_default_options hook.
#   - with both runtimes loaded, libubsan ignores UBSAN_OPTIONS' log_path (its call to set the
#     report path binds to libasan's copy) and writes to stderr; the constructor sets
#     libubsan's own report path to $DLPG_UBSAN_LOG_PATH instead.
#
# What it catches: UBSan checks all of dlpg's C (misaligned or null pointers, shifts, bounds
# of arrays of known size, out-of-range float to integer casts, ...). ASan checks dlpg's stack
# and global buffers fully, and heap buffers only at the bounds of each malloc()ed block: palloc
# carves many chunks out of one block, so an overrun from one palloc chunk into the next is
# not seen (PostgreSQL's memory contexts are not ASan-aware); valgrind has the same limit.
#
# Knobs (environment):
#   DLPG_SAN_FLAGS     compiler flags (default below)
#   DLPG_ASAN_LEAKS=1  LeakSanitizer on for dlpg-load (a client, where leaks mean something);
#                      never for the server
#   DLPG_SAN_KEEP=1    keep the work dir (private tree, reports) under /tmp
#
# Exit status: 0 when the tests passed and no sanitizer reported anything, 1 otherwise.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 1

REAL_MAKE=${MAKE:-make}
SAN_FLAGS=${DLPG_SAN_FLAGS:--fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer}
RESULTS="$ROOT/results"
started=$(date +%s)

section() { printf '\n==== %s ====\n' "$*"; }

# ---------------------------------------------------------------- runtimes, work dir
LIBASAN=$(gcc -print-file-name=libasan.so 2>/dev/null) || LIBASAN=""
LIBUBSAN=$(gcc -print-file-name=libubsan.so 2>/dev/null) || LIBUBSAN=""
for lib in "$LIBASAN" "$LIBUBSAN"; do
    if [ -z "$lib" ] || [ "${lib#/}" = "$lib" ] || [ ! -e "$lib" ]; then
        echo "run-tests-asan: gcc's sanitizer runtimes not found (libasan8, libubsan1: apt-get install gcc)" >&2
        exit 1
    fi
done
LIBASAN=$(readlink -f "$LIBASAN") LIBUBSAN=$(readlink -f "$LIBUBSAN")

WORK=$(mktemp -d /tmp/dlpg-asan.XXXXXX) || exit 1
chmod 755 "$WORK"
cleanup() {
    if [ "${DLPG_SAN_KEEP:-0}" = 1 ]; then echo "run-tests-asan: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
TREE="$WORK/tree"
REPORTS="$WORK/reports"
mkdir -p "$REPORTS"
chmod 1777 "$REPORTS"        # the server (user postgres) and dlpg-load (us, or another user) write there

# shellcheck source=tools/private-tree.sh
source "$ROOT/tools/private-tree.sh"
SERVER_POSTGRES=$(private_tree_postgres "$TREE") || exit 1

# asan_preload_fix.so (see the top of this file)
cat >"$WORK/asan_preload_fix.c" <<'CSRC'
/* generated by tools/run-tests-asan.sh; preloaded after libasan, before libubsan */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

char       *swift_demangle(const char *name, size_t name_len, char *out, size_t *out_len, uint32_t flags);
const char *__ubsan_default_options(void);

static char ubsan_options[4096];

char *
swift_demangle(const char *name, size_t name_len, char *out, size_t *out_len, uint32_t flags)
{
    (void) name; (void) name_len; (void) out; (void) out_len; (void) flags;
    return NULL;
}

const char *
__ubsan_default_options(void)
{
    return ubsan_options;
}

__attribute__((constructor)) static void
asan_preload_fix_init(void)
{
    const char *options = getenv("UBSAN_OPTIONS");
    const char *path = getenv("DLPG_UBSAN_LOG_PATH");
    void       *ubsan;
    void      (*set_path)(const char *);

    if (options != NULL)
        snprintf(ubsan_options, sizeof ubsan_options, "%s", options);
    if (path == NULL || *path == '\0')
        return;
    ubsan = dlopen("libubsan.so.1", RTLD_NOW | RTLD_NOLOAD);
    if (ubsan == NULL)
        return;
    /* looked up in libubsan itself: a plain call would bind to libasan's copy */
    set_path = (void (*)(const char *)) dlsym(ubsan, "__sanitizer_set_report_path");
    if (set_path != NULL)
        set_path(path);
}
CSRC
if ! gcc -shared -fPIC -O2 -Wall -o "$WORK/asan_preload_fix.so" "$WORK/asan_preload_fix.c" -ldl; then
    echo "run-tests-asan: could not build $WORK/asan_preload_fix.so" >&2
    exit 1
fi
chmod 755 "$WORK/asan_preload_fix.so"
PRELOAD="$LIBASAN:$WORK/asan_preload_fix.so:$LIBUBSAN"   # libasan must come first
# fail fast (rather than time out starting a cluster) if the runtimes cannot start postgres
SYSTEM_POSTGRES="${SERVER_POSTGRES#"$TREE"}"
if ! LD_PRELOAD=$PRELOAD ASAN_OPTIONS=detect_leaks=0 timeout 60 "$SYSTEM_POSTGRES" --version >/dev/null; then
    echo "run-tests-asan: $SYSTEM_POSTGRES does not start with LD_PRELOAD=$PRELOAD" >&2
    exit 1
fi

# the make that run-tests.sh runs: instrumented build, install into the private tree
MAKE=$REAL_MAKE private_tree_make_wrapper "$WORK/make" "$TREE" run-tests-asan \
    "COPT=$SAN_FLAGS" "LOADER_CC=gcc $SAN_FLAGS"

# ---------------------------------------------------------------- the run
if [ "${DLPG_ASAN_LEAKS:-0}" = 1 ]; then leaks=1; else leaks=0; fi
UBSAN_ALL="print_stacktrace=1:halt_on_error=1:abort_on_error=1"
# the loader (the only instrumented client; psql, pg_prove, ... ignore these)
export ASAN_OPTIONS="detect_leaks=$leaks:abort_on_error=1:log_path=$REPORTS/asan"
export UBSAN_OPTIONS="$UBSAN_ALL"
export DLPG_UBSAN_LOG_PATH="$REPORTS/ubsan"
cat >"$WORK/dlpg-load" <<EOF
#!/bin/sh
# generated by tools/run-tests-asan.sh: the instrumented dlpg-load with the runtimes preloaded
# (so that its UBSan reports go to files too)
LD_PRELOAD=$(printf '%q' "$PRELOAD") exec $(printf '%q' "$ROOT/loader/dlpg-load") "\$@"
EOF
chmod 755 "$WORK/dlpg-load"
export DLPG_LOAD="$WORK/dlpg-load"
# the server
export PGCLUSTER_POSTGRES="$SERVER_POSTGRES"
export PGCLUSTER_SERVER_ENV="LD_PRELOAD=$PRELOAD
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$REPORTS/asan
UBSAN_OPTIONS=$UBSAN_ALL
DLPG_UBSAN_LOG_PATH=$REPORTS/ubsan"
export PGCLUSTER_EXTRA_CONF="${PGCLUSTER_EXTRA_CONF:-}
jit = off"
export PGCLUSTER_TIMEOUT=${PGCLUSTER_TIMEOUT:-120}

section "test-asan: tools/run-tests.sh with $SAN_FLAGS"
MAKE="$WORK/make" "$ROOT/tools/run-tests.sh"
tests_rc=$?
tests_end=$(date +%s)

# ---------------------------------------------------------------- reports
section "sanitizer reports"
shopt -s nullglob
reports=("$REPORTS"/asan.* "$REPORTS"/ubsan.*)
shopt -u nullglob
rm -rf "$RESULTS/sanitizers"
mkdir -p "$RESULTS/sanitizers"
for f in "${reports[@]}"; do
    cp "$f" "$RESULTS/sanitizers/"
    echo "---- ${f##*/} ----"
    head -n 200 "$f"
done
# the server log: sanitizer output that missed the files, and crashed server processes (a
# runtime that aborts a backend makes the postmaster restart all of them)
LOG_MARKS='runtime error:|AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|was terminated by signal|terminating any other active server processes'
log_hits=0
if [ -f "$RESULTS/postgres.log" ]; then
    log_hits=$(grep -c -E "$LOG_MARKS" "$RESULTS/postgres.log") || log_hits=0
    if [ "$log_hits" -gt 0 ]; then
        echo "---- results/postgres.log: sanitizer messages, crashed server processes ----"
        grep -E -B1 -A3 "$LOG_MARKS" "$RESULTS/postgres.log" | head -n 100
        grep -E -B1 -A3 "$LOG_MARKS" "$RESULTS/postgres.log" >"$RESULTS/sanitizers/postgres.log.hits"
    fi
else
    echo "(no results/postgres.log: the cluster did not start?)"
fi

# the run proves something only if what it ran was instrumented (an instrumented dlpg.so cannot
# even be loaded by a server without the runtimes, so a passing run also proves the preload)
not_instrumented=0
for bin in "$TREE$("${PG_CONFIG:-pg_config}" --pkglibdir)/dlpg.so" "$ROOT/loader/dlpg-load"; do
    [ -e "$bin" ] || continue         # not built (the build failed: the tests failed)
    syms=$(nm -D "$bin" 2>/dev/null) || syms=""
    if [[ "$syms" == *__asan_report* && "$syms" == *__ubsan_handle* ]]; then
        echo "instrumented (ASan + UBSan): ${bin#"$TREE"}"
    else
        echo "run-tests-asan: NOT instrumented: $bin" >&2
        not_instrumented=$((not_instrumented + 1))
    fi
done
echo "${#reports[@]} sanitizer report file(s), $log_hits server log line(s) about sanitizers or crashes"

# ---------------------------------------------------------------- normal build again
section "rebuild without sanitizers (make -B)"
if "$REAL_MAKE" -B >/dev/null 2>&1; then
    echo "rebuilt: the build dir holds the normal dlpg.so and dlpg-load again (nothing was installed)"
else
    echo "run-tests-asan: the normal rebuild failed: run 'make clean && make' before 'make install'" >&2
fi

end=$(date +%s)
echo
printf 'test-asan: tests %s; %d sanitizer report(s), %d server log line(s) about sanitizers or crashes, %d uninstrumented binaries; %d s for the tests, %d s in all\n' \
    "$([ "$tests_rc" -eq 0 ] && echo passed || echo FAILED)" "${#reports[@]}" "$log_hits" \
    "$not_instrumented" "$((tests_end - started))" "$((end - started))"
if [ "$tests_rc" -ne 0 ] || [ "${#reports[@]}" -gt 0 ] || [ "$log_hits" -gt 0 ] || [ "$not_instrumented" -gt 0 ]; then
    echo "test-asan: FAILED"
    exit 1
fi
echo "test-asan: passed"
exit 0
