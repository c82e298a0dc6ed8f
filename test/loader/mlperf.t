#!/usr/bin/env bash
# test/loader/mlperf.t -- dlpg-load over MLPerf result trees (issue 13 item 3).
#
# (a) the JSON input built for every result of data/mlperf (and of a hostile tree: every control
#     character, quotes and backslashes in names, a system description that is not JSON, a missing
#     one, scaling.json, inference runs without detail or without summary, accuracy/, TEST01,
#     run_2), written by DLPG_LOAD_DUMP_INPUTS and checked against the files by
#     test/loader/mlperf_inputs.py (python's strict json);
# (b) no systems/<x>.json, scaling.json or code file becomes a benchmark; a folder mixing DLBS
#     logs and MLPerf trees loads the DLBS part; a file named on the command line inside a tree is
#     read as part of it; a file of no known format named on the command line is a reject;
# (c) a .tar.gz of the trees (in archive order, and in an order with summaries before details and
#     systems/ after results/) gives the same inputs byte for byte;
# (d) with a server that has the formats (dlpg.sources() lists mlperf_training), data/mlperf
#     loads: 33 training runs and 7 inference runs, and a second load adds nothing (the hostile
#     tree's results are then the server's to judge: only the client's own rejects are checked); without them,
#     MLPerf results are skipped with one message and DLBS files still load (the other half is a
#     TAP skip saying why);
# (e) a batch that fails on an MLPerf input and is replayed (a LATIN1 database cannot hold a
#     character of one result; a stand-in dlpg.load records every MLPerf input it gets as a reject
#     row, so this runs on any server): every input arrives exactly once, from a folder and from a
#     .tar.gz whose summaries come before their details.
#
# Needs: a running server (libpq environment, see lib.sh), python3, tar, gzip.
# TAP output: prove test/loader/mlperf.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 47

CHECK="$LOADER_TEST_DIR/mlperf_inputs.py"
ML="$ROOT/data/mlperf"
W=$TAP_WORK
new_db DB || { echo "Bail out! cannot create a database"; exit 1; }
HAS_ML=$(q "$DB" "SELECT count(*) FROM dlpg.sources() WHERE name IN ('mlperf_training', 'mlperf_inference')")

# dump NAME ARGS...: dlpg-load with DLPG_LOAD_DUMP_INPUTS=$W/NAME.dump
dump() {
    local name=$1
    shift
    rm -rf "$W/$name.dump" && mkdir -p "$W/$name.dump"
    DLPG_LOAD_DUMP_INPUTS="$W/$name.dump" load "$name" "$@"
}
# formats NAME: "format=count ..." of the inputs dumped
formats() { cut -f2 "$W/$1.dump/index.tsv" | sort | uniq -c | awk '{ print $2 "=" $1 }' | paste -sd ' '; }
# inputs NAME: "path<TAB>sha" of every MLPerf input dumped, sorted (to compare runs)
inputs() {
    python3 - "$W/$1.dump" <<'EOF'
import hashlib, json, os, sys
d = sys.argv[1]
out = []
for line in open(os.path.join(d, "index.tsv"), "rb").read().decode("utf-8", "surrogateescape").splitlines():
    _, fmt, _, name = line.split("\t")
    if fmt.startswith("mlperf_"):
        b = open(os.path.join(d, name), "rb").read()
        out.append("%s\t%s\t%s" % (fmt, json.loads(b)["path"], hashlib.sha256(b).hexdigest()))
print("\n".join(sorted(out)))
EOF
}

# ---------------------------------------------------------------- (a) the bundled trees
cd "$ROOT" || exit 1
dump bundled -d "$DB" data/mlperf/training data/mlperf/inference
is "$(formats bundled)" "mlperf_inference=7 mlperf_training=33" \
    "data/mlperf: 33 training runs (result_*.txt) and 7 inference runs (performance/run_1) built"
out=$(python3 "$CHECK" "$W/bundled.dump")
is "$out" "training=33 inference=7" "each input is strict JSON holding its files exactly (result, summary, detail, system, scaling, path)"
is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"])' \
      "$W/bundled.dump/$(grep -m1 'dgxh100_ngc23.04_pytorch/ssd/result_0.txt' "$W/bundled.dump/index.tsv" | cut -f4)")" \
    "training_results_v3.0/NVIDIA/results/dgxh100_ngc23.04_pytorch/ssd/result_0.txt" \
    "a training path starts at the repository folder"
is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"])' \
      "$W/bundled.dump/$(grep -m1 'Lenovo_2xL4_TRT/resnet50/Offline' "$W/bundled.dump/index.tsv" | cut -f4)")" \
    "inference_results_v4.1/closed/Lenovo/results/Lenovo_2xL4_TRT/resnet50/Offline/performance/run_1" \
    "an inference path starts at the repository folder, division included, and names the run_1 folder"
is "$(cut -f3 "$W/bundled.dump/index.tsv" | grep -c 'performance/run_1$')" 7 \
    "an inference run's source is its run_1 folder as walked"
unlike "$W/bundled.dump/index.tsv" 'systems/|scaling\.json|dlbs_json' "no systems/*.json or scaling.json is an input, none goes as DLBS JSON"
if [ "$HAS_ML" = 2 ]; then
    summary_is "$LOAD_ERR" "skipped=10 ignored=0" "summary: 10 skipped (9 system descriptions, 1 scaling.json), none ignored"
else
    summary_is "$LOAD_ERR" "skipped=50 ignored=0" "summary: 50 skipped (9 system descriptions, 1 scaling.json, and the 40 results the server has no format for)"
fi

# ---------------------------------------------------------------- (a) a hostile tree
H=$W/hostile
T=$H/repo_x/Sub
mkdir -p "$T/systems" "$T/results/sysA/bench" "$T/results/sys\"q\\b/bench" "$T/results/sysB/bench" \
    "$T/results/sysA/bad" "$T/code/x" "$T/results/sysA/bench/logs"
# every byte 0x01..0x7f, UTF-8 of 2, 3 and 4 bytes, U+2028, CRLF, no final newline
python3 - "$T/results/sysA/bench/result_0.txt" <<'EOF'
import sys
b = bytes(range(1, 128)) + "\r\n:::MLLOG {\"key\": \"é€𝄞\u2028\\\"\"}\r\n\\".encode("utf-8") + b"\x7f end"
open(sys.argv[1], "wb").write(b)
EOF
printf ':::MLLOG {"key": "run_start"}\n' >"$T/results/sysA/bench/result_1.txt"
printf '{"system_name": "A", "note": "not closed"' >"$T/systems/sysA.json"            # not JSON: a string
printf '{"system_name": "Q\\"\\\\", "n": 1e400}\n' >"$T/systems/sys\"q\\b.json"  # JSON, a huge number
printf ':::MLLOG {"key": "run_stop"}\n' >"$T/results/sys\"q\\b/bench/result_3.txt"
printf ':::MLLOG {}\n' >"$T/results/sysB/bench/result_0.txt"                         # no systems/sysB.json
printf '{"scaling_factor": 1.5}\n' >"$T/results/sysA/bench/scaling.json"
printf ':::MLLOG {}\n\xff\xfe\n' >"$T/results/sysA/bad/result_0.txt"                  # not UTF-8: rejected
mkdir -p "$T/results/sysA/scal"
printf ':::MLLOG {}\n' >"$T/results/sysA/scal/result_0.txt"
printf '{"f": "\xff"}' >"$T/results/sysA/scal/scaling.json"                          # not UTF-8: its run rejected
printf 'notes\n' >"$T/results/sysA/bench/logs/result_9.txt"                          # too deep: skipped
printf '{"a": 1}\n' >"$T/code/x/config.json"
printf 'read me\n' >"$T/README.md"
# inference: a run with summary and detail, one without detail, one without summary (a reject);
# accuracy/, a TEST01 compliance run and run_2 are skipped
I=$H/repo_i/closed/SubI
R=$I/results/sysI/m1
mkdir -p "$I/systems" "$R/Offline/performance/run_1" "$R/Server/performance/run_1" \
    "$R/SingleStream/performance/run_1" "$R/Offline/accuracy" "$R/Offline/TEST01/performance/run_1" \
    "$R/Offline/performance/run_2"
printf '{"system_name": "I"}' >"$I/systems/sysI.json"
printf 'SUT name : X\tY\nScenario : Offline\n' >"$R/Offline/performance/run_1/mlperf_log_summary.txt"
printf ':::MLLOG {"key": "result_validity", "value": "VALID"}\n' >"$R/Offline/performance/run_1/mlperf_log_detail.txt"
printf '{}' >"$R/Offline/performance/run_1/mlperf_log_accuracy.json"
printf 'Scenario : SingleStream\n' >"$R/SingleStream/performance/run_1/mlperf_log_summary.txt"
printf ':::MLLOG {}\n' >"$R/Server/performance/run_1/mlperf_log_detail.txt"
for d in accuracy TEST01/performance/run_1 performance/run_2; do
    printf 'Scenario : Offline\n' >"$R/Offline/$d/mlperf_log_summary.txt"
done
cd "$W" || exit 1
dump hostile -d "$DB" hostile
rc_is 1 "hostile tree: exit 1 (the result that is not UTF-8, the run without summary)"
is "$(formats hostile)" "mlperf_inference=2 mlperf_training=4" \
    "hostile tree: 4 training runs and 2 inference runs built (nothing from logs/, code/, accuracy/, TEST01, run_2)"
out=$(python3 "$CHECK" "$W/hostile.dump")
is "$out" "training=4 inference=2" \
    "hostile inputs hold their files exactly: control characters, quotes and backslashes escaped, a system description that is not JSON as a string"
is "$(python3 - "$W/hostile.dump" <<'EOF'
import json, os, sys
d = sys.argv[1]
for line in open(os.path.join(d, "index.tsv")):
    _, fmt, src, name = line.rstrip("\n").split("\t")
    j = json.load(open(os.path.join(d, name)))
    if src.endswith("sysA/bench/result_0.txt"):
        print(type(j["system"]).__name__, j["scaling"])
    if src.endswith("sysB/bench/result_0.txt"):
        print(j["system"], j["scaling"])
    if "SingleStream" in src:
        print(j["detail"])
EOF
)" "None
str {'scaling_factor': 1.5}
None None" "(in walk order) a run without detail -> null; system not JSON -> a string; scaling.json parsed; missing system and scaling -> null; a run without detail -> null"
is "$(q "$DB" "SELECT source || '|' || sqlstate || '|' || reason || '|' || coalesce(substr(detail, 1, 12), '') FROM dlpg.rejects WHERE source LIKE 'hostile/%' AND source ~ '/(bad|scal|Server)/' ORDER BY source")" \
"hostile/repo_i/closed/SubI/results/sysI/m1/Server/performance/run_1|22023|an MLPerf inference run without mlperf_log_summary.txt|performance/
hostile/repo_x/Sub/results/sysA/bad/result_0.txt|22021|invalid byte sequence for encoding \"UTF8\": 0xff 0xfe 0x0a|line 2, byte
hostile/repo_x/Sub/results/sysA/scal/result_0.txt|22021|invalid byte sequence for encoding \"UTF8\": 0xff 0x22 0x7d|scaling.json" \
    "rejects: a result that is not UTF-8 (22021, as for DLBS files), a scaling.json that is not (22021, the detail names it), a run_1 without its summary (22023)"
like "$LOAD_ERR" '^dlpg-load: warning: no system description systems/sysB.json: its results are sent with system null$' \
    "a missing system description is a warning on stderr"
is "$(grep -c 'warning: no system description' "$LOAD_ERR")" 1 "... said once"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE 'hostile/%' AND source !~ '/(result_[^/]*\.txt|performance/run_1)$'")" 0 \
    "no file of the hostile tree became a benchmark by itself (systems, scaling, code, README)"
# names that are not UTF-8: written \xNN in the path, as in source names
N=$W/badname/repo/Sub
mkdir -p "$N/systems" "$N/results/s$(printf '\xff')x/b"
printf ':::MLLOG {}\n' >"$N/results/s$(printf '\xff')x/b/result_0.txt"
dump badname -d "$DB" badname
is "$(python3 -c 'import json,sys,glob; print(json.load(open(glob.glob(sys.argv[1] + "/*.mlperf_training")[0]))["path"])' "$W/badname.dump")" \
    'repo/Sub/results/s\xffx/b/result_0.txt' "a file name byte that is not UTF-8 is written \\xNN in the path"

# ---------------------------------------------------------------- (b) mixed folders, named files
M=$W/mixed
mkdir -p "$M/dlbs"
cp -r "$ML/training/training_results_v3.0" "$M/"
cp -r "$ML/inference/inference_results_v4.1" "$M/"
h200=("$H200"/*.log)
cp "${h200[0]}" "${h200[1]}" "$M/dlbs/"
cp "${h200[2]}" "$M/training_results_v3.0/"
new_db MIX || exit 1
dump mixed -d "$MIX" mixed
is "$(formats mixed)" "dlbs_log=3 mlperf_inference=5 mlperf_training=13" \
    "a folder of DLBS logs and MLPerf trees: 3 DLBS logs (one beside the submitter folders), 13 training and 5 inference runs"
is "$(q "$MIX" "SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE '%.log'")" 3 "the DLBS logs are loaded"
is "$(q "$MIX" "SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE '%.json' OR source LIKE '%/systems/%'")" 0 \
    "no systems/*.json became a benchmark"
is "$(q "$MIX" "SELECT count(*) FROM dlpg.rejects")" 0 "nothing rejected"
# inside a tree, named on the command line: read as part of it
T3=mixed/training_results_v3.0/NVIDIA
dump named -d "$MIX" "$T3/results/dgxh100_ngc23.04_pytorch/ssd/result_2.txt" "$T3/systems/dgxh100_ngc23.04_pytorch.json" \
    "$T3/results/dgxh100_n8_ngc23.04_mxnet" "mixed/inference_results_v4.1/closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99/Offline/performance/run_1"
is "$(formats named)" "mlperf_inference=1 mlperf_training=6" \
    "a result file, a results/<system> folder and a run_1 folder named: read as parts of their trees"
is "$(inputs named)" "$(inputs mixed | grep -E 'ssd/result_2.txt|dgxh100_n8_ngc23.04_mxnet|llama2-70b-99/Offline')" \
    "... giving the same inputs as the whole tree"
like "$LOAD_ERR" '^dlpg-load: skipped mixed/training_results_v3.0/NVIDIA/systems/dgxh100_ngc23.04_pytorch.json: a file of the MLPerf submitter folder .*, not a result$' \
    "a systems/*.json named on the command line: skipped, and said"
is "$(q "$MIX" "SELECT count(*) FROM dlpg.rejects")" 0 "... not rejected"
load unknown -d "$MIX" "$ML/README.md"
rc_is 1 "a file of no known format named on the command line: exit 1"
is "$(q "$MIX" "SELECT reason || '|' || sqlstate FROM dlpg.rejects WHERE source LIKE '%/data/mlperf/README.md'")" \
    "not a known format|22023" "... rejected: not a known format (22023)"

# ---------------------------------------------------------------- (c) tar.gz
tar -czf "$W/mixed.tgz" -C "$W" mixed
dump tgz -d "$MIX" mixed.tgz
is "$(formats tgz)" "dlbs_log=3 mlperf_inference=5 mlperf_training=13" "mixed.tgz: the same 3 DLBS logs, 13 training and 5 inference runs"
is "$(inputs tgz)" "$(inputs mixed)" "mixed.tgz: every MLPerf input byte for byte as from the folder"
out=$(python3 "$CHECK" "$W/tgz.dump" --tar-root "$W")
is "$out" "training=13 inference=5" "mixed.tgz: inputs hold the files exactly"
is "$(cut -f3 "$W/tgz.dump/index.tsv" | grep -c '^mixed\.tgz!mixed/inference_results_v4.1/.*/performance/run_1$')" 5 \
    "an inference run in an archive: source <archive>!<run_1 folder>"
# reversed order: results before systems/, summary before detail, ./ names
(cd "$W/mixed" && find . -type f | sort -r >"$W/reversed.list")
tar -czf "$W/reversed.tgz" -C "$W/mixed" -T "$W/reversed.list"
dump reversed -d "$MIX" reversed.tgz
is "$(inputs reversed | sed 's/\t[^\t]*$//')" "$(inputs mixed | sed 's/\t[^\t]*$//')" \
    "reversed.tgz (systems/ after results/, summaries before details): the same runs"
is "$(inputs reversed)" "$(inputs mixed | sed 's#\tmixed/#\t#')" "... byte for byte (paths from the submitter folder up: same repository names)"
out=$(python3 "$CHECK" "$W/reversed.dump" --tar-root "$W/mixed")
is "$out" "training=13 inference=5" "reversed.tgz: inputs hold the files exactly"
(cd "$H" && tar -czf "$W/hostile.tgz" repo_x repo_i)
dump hostiletgz -d "$DB" hostile.tgz
is "$(inputs hostiletgz)" "$(inputs hostile)" "the hostile tree as a .tar.gz: the same inputs"
is "$(q "$DB" "SELECT sqlstate || '|' || reason FROM dlpg.rejects WHERE source LIKE 'hostile.tgz!%' AND source ~ '/(bad|scal|Server)/' ORDER BY source")" \
"22023|an MLPerf inference run without mlperf_log_summary.txt
22021|invalid byte sequence for encoding \"UTF8\": 0xff 0xfe 0x0a
22021|invalid byte sequence for encoding \"UTF8\": 0xff 0x22 0x7d" "... and the same rejects"

# ---------------------------------------------------------------- (d) the server's formats
new_db LOADDB || exit 1
cd "$ROOT" || exit 1
if [ "$HAS_ML" = 2 ]; then
    load ml1 -d "$LOADDB" data/mlperf/training data/mlperf/inference data/dlbs/h200
    rc_is 0 "the server has the MLPerf formats: data/mlperf and data/dlbs/h200 load, exit 0"
    is "$(q "$LOADDB" "SELECT count(*) FILTER (WHERE source LIKE '%/result\\_%.txt'), count(*) FILTER (WHERE source LIKE '%/performance/run\\_1'), count(*) FILTER (WHERE source LIKE '%.log') FROM dlpg.benchmarks")" \
        "33|7|8" "33 training runs, 7 inference runs, 8 DLBS logs"
    is "$(q "$LOADDB" "SELECT count(*) FROM dlpg.rejects")" 0 "nothing rejected"
    summary_is "$LOAD_ERR" "benchmarks_ingested=48 skipped=10" "summary: 48 ingested, 10 skipped (system descriptions, scaling.json)"
    load ml2 -d "$LOADDB" data/mlperf/training data/mlperf/inference data/dlbs/h200
    summary_is "$LOAD_ERR" "benchmarks_ingested=0 duplicates=48" "a second load adds nothing: 48 duplicates"
    for i in 1 2 3; do skip "the server has the MLPerf formats: the no-format path is not exercised"; done
else
    for i in 1 2 3 4 5; do
        skip "the server has no mlperf_training/mlperf_inference format (dlpg.sources()): the MLPerf sources are not built into this dlpg yet; data/mlperf is not loaded"
    done
    load noml -d "$LOADDB" data/mlperf/training data/mlperf/inference data/dlbs/h200
    rc_is 0 "a server without the MLPerf formats: exit 0, DLBS loaded"
    is "$(grep -c "has no format mlperf_training nor mlperf_inference" "$LOAD_ERR")" 1 \
        "... said once: no format mlperf_training nor mlperf_inference"
    summary_is "$LOAD_ERR" "benchmarks_ingested=8 skipped=50 rejected=0" \
        "... the 8 DLBS logs ingested, the 40 MLPerf results skipped with the 10 other files of the trees"
fi

# ---------------------------------------------------------------- (e) a replayed batch
# A stand-in for the server's MLPerf formats: dlpg.sources() lists them, dlpg.load parses the
# input as jsonb and records it as a reject row (reason "stand-in"), DLBS goes to the real one.
STANDIN=$(cat <<'EOF'
CREATE OR REPLACE FUNCTION dlpg.sources() RETURNS TABLE (name text, description text) LANGUAGE sql
    AS $$ VALUES ('dlbs_log', ''), ('dlbs_json', ''), ('mlperf_training', ''), ('mlperf_inference', '') $$;
ALTER FUNCTION dlpg.load(text, text, text, text) RENAME TO load_real;
CREATE FUNCTION dlpg.load(format text, input text, source text DEFAULT NULL, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text) LANGUAGE plpgsql AS $$
BEGIN
    IF format LIKE 'mlperf%' THEN
        PERFORM input::jsonb;
        INSERT INTO dlpg.rejects (source, reason, sqlstate) VALUES (source, 'stand-in ' || format, '00000');
        RETURN QUERY SELECT NULL::integer, NULL::bigint, 'rejected'::text, NULL::text;
    ELSE
        RETURN QUERY SELECT * FROM dlpg.load_real(format, input, source, on_conflict);
    END IF;
END $$;
EOF
)
E=$W/replay
mkdir -p "$E"
cp -r "$ML/training/training_results_v3.0" "$ML/inference/inference_results_v4.1" "$E/"
cp "${h200[0]}" "${h200[1]}" "$E/"
printf ':::MLLOG {"key": "x", "value": "\xe2\x82\xac"}\n' \
    >"$E/training_results_v3.0/NVIDIA/results/dgxh100_n8_ngc23.04_mxnet/resnet/result_2.txt"
printf 'euro \xe2\x82\xac\n' \
    >>"$E/inference_results_v4.1/closed/Lenovo/results/Lenovo_2xL4_TRT/resnet50/MultiStream/performance/run_1/mlperf_log_summary.txt"
(cd "$E" && find . -type f | sort -r >"$W/replay.list" && tar -czf "$W/replay.tgz" -T "$W/replay.list")
cd "$W" || exit 1
for what in replay replay.tgz; do
    new_db LAT "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" || exit 1
    "${PSQL[@]}" -d "$LAT" -c "$STANDIN" >/dev/null
    load "latin1-$what" -d "$LAT" --batch 3 "$what"
    is "$(q "$LAT" "SELECT count(*) || '/' || count(DISTINCT source) || '/' || count(*) FILTER (WHERE reason LIKE 'stand-in%') FROM dlpg.rejects")|$(q "$LAT" "SELECT count(*) FROM dlpg.benchmarks")" \
        "18/18/16|2" "$what, LATIN1, --batch 3: 18 MLPerf inputs each once (16 through dlpg.load), 2 DLBS logs"
    is "$(q "$LAT" "SELECT sqlstate || ' ' || regexp_replace(source, '^.*(resnet/result_2.txt|MultiStream).*$', '\\1') FROM dlpg.rejects WHERE reason NOT LIKE 'stand-in%' ORDER BY 1")" \
"22P05 MultiStream
22P05 resnet/result_2.txt" "... the two the database cannot hold are rejected by the client (22P05) after the replay"
done
