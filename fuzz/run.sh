#!/usr/bin/env bash
# fuzz/run.sh -- what `make fuzz` and `make fuzz-regress` run (the binaries are built by make).
#
#   fuzz/run.sh fuzz HARNESS...     fuzz each harness in turn (one after the other, never in
#                                   parallel) for FUZZ_SECONDS seconds (default 60), or for
#                                   FUZZ_RUNS executions when that is set; new inputs go to
#                                   fuzz/build/corpus/<h>/ (the seeds in fuzz/corpus/<h>/ and
#                                   fuzz/regressions/<h>/ are read, never written); a crashing
#                                   input goes to fuzz/crashes/<h>/.  Prints executions, speed,
#                                   coverage and findings per harness; exit 1 if one crashed.
#   fuzz/run.sh regress HARNESS...  run every file of fuzz/regressions/<h>/ and fuzz/corpus/<h>/
#                                   once through the harness; each file is one check.  The last
#                                   line is exactly "N passed, M failed"; exit 1 if M > 0.
#
# Environment: FUZZ_BUILD (default fuzz/build), FUZZ_SECONDS, FUZZ_RUNS, FUZZ_ARGS (extra
# libFuzzer flags for `fuzz`, e.g. FUZZ_ARGS=-jobs=2 -- the lead's choice, not the default).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 1

BUILD=${FUZZ_BUILD:-fuzz/build}
SECONDS_EACH=${FUZZ_SECONDS:-60}
RUNS=${FUZZ_RUNS:-}

# Per-harness libFuzzer flags: inputs longer than this are not tried.
max_len() {
    case $1 in
        fuzz_log) echo 8192 ;;
        fuzz_trial_state) echo 4096 ;;
        fuzz_config_state) echo 4096 ;;
        fuzz_reader) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

# Leak checks stay on; a slow input (an endless loop) is a finding after 10 s.
COMMON=(-timeout=10 -rss_limit_mb=4096 -print_final_stats=1)

cmd=${1:-}
shift || true
[ $# -gt 0 ] || { echo "usage: fuzz/run.sh fuzz|regress HARNESS..." >&2; exit 2; }

case $cmd in
fuzz)
    any_crash=0
    summary=()
    for h in "$@"; do
        bin=$BUILD/$h
        [ -x "$bin" ] || { echo "fuzz: $bin not built" >&2; exit 2; }
        corpus=$BUILD/corpus/$h
        crashes=fuzz/crashes/$h
        mkdir -p "$corpus" "$crashes"
        args=("${COMMON[@]}" -max_len="$(max_len "$h")" -artifact_prefix="$crashes/")
        [ -f "fuzz/$h.dict" ] && args+=(-dict="fuzz/$h.dict")
        if [ -n "$RUNS" ]; then
            args+=(-runs="$RUNS")
            what="$RUNS executions"
        else
            args+=(-max_total_time="$SECONDS_EACH")
            what="$SECONDS_EACH s"
        fi
        dirs=("$corpus")
        for d in "fuzz/corpus/$h" "fuzz/regressions/$h"; do
            [ -d "$d" ] && dirs+=("$d")
        done
        log=$BUILD/$h.log
        before=$(ls "$crashes" 2>/dev/null | wc -l)
        printf '\n==== fuzz %s (%s) ====\n' "$h" "$what"
        # shellcheck disable=SC2086
        "$bin" "${args[@]}" ${FUZZ_ARGS:-} "${dirs[@]}" > "$log" 2>&1
        rc=$?
        # progress lines every so often, and the end
        grep -E '^#[0-9]+[[:space:]]+(pulse|DONE)|INITED' "$log" | tail -n 5
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
        covline=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -n 1)
        cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$covline")
        ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$covline")
        corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$covline")
        after=$(ls "$crashes" 2>/dev/null | wc -l)
        if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
            any_crash=1
            found="CRASH (exit $rc): $(ls -t "$crashes" | head -n 1 | sed "s|^|$crashes/|")"
            echo "---- $log (the finding):"
            grep -n -E 'invariant violated|ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | head -n 10
            grep -E '^ +#[0-9]+ 0x' "$log" |
                grep -v -E 'libFuzzer|fuzzer::|__sanitizer|libc\.so|__asan|abort| in main |_start|libc_start|nptl' | head -n 12
        else
            found="no crash"
        fi
        line=$(printf '%-17s %12s executions  %8s exec/s  cov %-5s ft %-6s corpus %-14s %s' \
            "$h" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found")
        echo "$line"
        summary+=("$line")
    done
    printf '\n==== fuzz summary ====\n'
    printf '%s\n' "${summary[@]}"
    exit "$any_crash"
    ;;
regress)
    passed=0 failed=0
    for h in "$@"; do
        bin=$BUILD/$h
        files=()
        for d in "fuzz/regressions/$h" "fuzz/corpus/$h"; do
            [ -d "$d" ] || continue
            while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f ! -name '.*' -print0 | sort -z)
        done
        if [ ! -x "$bin" ]; then
            echo "fuzz-regress: $bin not built: ${#files[@]} inputs not run" >&2
            failed=$((failed + (${#files[@]} > 0 ? ${#files[@]} : 1)))
            continue
        fi
        hp=0 hf=0
        # One process for all the files; after a crash, go on with the files after it.
        rest=("${files[@]}")
        log=$BUILD/$h.regress.log
        while [ ${#rest[@]} -gt 0 ]; do
            "$bin" -timeout=25 -rss_limit_mb=4096 "${rest[@]}" > "$log" 2>&1
            rc=$?
            n=$(grep -c '^Executed ' "$log")
            hp=$((hp + n))
            [ "$rc" -eq 0 ] && break
            bad=$(grep '^Running: ' "$log" | tail -n 1 | sed 's/^Running: //')
            hf=$((hf + 1))
            echo "FAILED: $h $bad"
            grep -E 'invariant violated|ERROR: |runtime error|SUMMARY' "$log" | head -n 5 | sed 's/^/    /'
            # the files after the one that crashed
            i=0
            while [ $i -lt ${#rest[@]} ] && [ "${rest[$i]}" != "$bad" ]; do i=$((i + 1)); done
            if [ $i -ge ${#rest[@]} ]; then
                # could not tell which one: the files not run count as failed
                left=$((${#rest[@]} - n - 1))
                [ "$left" -gt 0 ] && hf=$((hf + left))
                break
            fi
            rest=("${rest[@]:$((i + 1))}")
        done
        printf 'fuzz-regress %-17s %4d passed, %d failed\n' "$h" "$hp" "$hf"
        passed=$((passed + hp))
        failed=$((failed + hf))
    done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
    ;;
*)
    echo "usage: fuzz/run.sh fuzz|regress HARNESS..." >&2
    exit 2
    ;;
esac
