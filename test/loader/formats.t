#!/usr/bin/env bash
# test/loader/formats.t -- dlpg-load over a folder holding every accepted format (.log, .log.gz,
# .json, .json.gz, a .tgz with logs in a subfolder) and bad files (a corrupt .gz, a truncated
# .tgz, an empty .log, a .log that is not a log, a JSON element that is not an object), plus
# files it ignores. Exact rows in dlpg.benchmarks and dlpg.rejects, the summary, the exit status;
# a second run adds nothing, says so, and records the same bad files again (exit 1 again).
#
# Needs: a running server (libpq environment, see lib.sh), gzip, tar.
# TAP output: prove test/loader/formats.t
set -uo pipefail
# shellcheck source=test/loader/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 27

new_db DB || { echo "Bail out! cannot create a database"; exit 1; }

# ---------------------------------------------------------------- the folder
W=$TAP_WORK
C=$W/corpus
mkdir -p "$C/logs" "$C/gz" "$C/failed" "$C/bad" "$W/tarsrc/sub" "$W/cutsrc/sub"
h200=("$H200"/*.log)
cp "${h200[0]}" "${h200[1]}" "${h200[2]}" "$RTX/resnet50_4.log" "$RTX/resnet50_8.log" "$C/logs/"
gzip -c "${h200[3]}" >"$C/gz/$(basename "${h200[3]}").gz"
gzip -c "${h200[4]}" >"$C/gz/$(basename "${h200[4]}").gz"
cp "$FAILED_LOG" "$C/failed/"
json_obj() { # id time
    printf '{"exp.id": "%s", "exp.framework": "tensorflow", "exp.model": "resnet50", "exp.phase": "training", "exp.dtype": "float32", "exp.device_type": "gpu", "exp.num_gpus": 1, "exp.num_local_gpus": 1, "exp.replica_batch": 32, "exp.effective_batch": 32, "results.time": %s}' "$1" "$2"
}
# a DLBS bench-data file: three benchmarks (the third failed: no positive time) and a scalar
printf '{"data": [%s, %s, %s, 42]}\n' "$(json_obj json-1 30.5)" "$(json_obj json-2 31.25)" \
    "$(json_obj json-3 0)" >"$C/export.json"
printf '{"data": [%s, %s]}\n' "$(json_obj json-4 28.0)" "$(json_obj json-5 29.0)" | gzip -c >"$C/export2.json.gz"
# an archive: three logs and a gzipped one in sub/, and a README entry that is ignored
cp "$RTX/alexnet_owt_4.log" "$RTX/alexnet_owt_8.log" "$RTX/alexnet_owt_16.log" "$W/tarsrc/sub/"
gzip -c "$RTX/alexnet_owt_32.log" >"$W/tarsrc/sub/alexnet_owt_32.log.gz"
echo "logs of the RTX 2080 runs" >"$W/tarsrc/sub/README"
tar --sort=name -czf "$C/archive.tgz" -C "$W/tarsrc" sub
# bad: a corrupt .gz (bytes in the middle of the deflate data overwritten)
gzip -c "${h200[5]}" >"$C/bad/corrupt.log.gz"
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
    dd of="$C/bad/corrupt.log.gz" bs=1 seek=3000 conv=notrunc status=none
# bad: a valid .tgz cut in half: two logs, then incompressible padding (an entry that is ignored),
# so the cut falls in the padding and both logs are complete before the damage
cp "${h200[6]}" "${h200[7]}" "$W/cutsrc/sub/"
head -c 400000 /dev/urandom >"$W/cutsrc/sub/zz-padding.bin"
tar --sort=name -czf "$W/whole.tgz" -C "$W/cutsrc" sub
size=$(stat -c %s "$W/whole.tgz")
head -c $((size / 2)) "$W/whole.tgz" >"$C/bad/truncated.tgz"
: >"$C/bad/empty.log"
printf 'Notes on the H200 runs.\nRerun resnet50 with batch 512.\n' >"$C/bad/notes.log"
echo "read me" >"$C/README.txt"

# ---------------------------------------------------------------- first run
cd "$W" || exit 1
load run1 -d "$DB" corpus
rc_is 1 "first run: exit status 1 (some inputs rejected)"

# 5 logs + 2 .log.gz + 1 failed + 3 (export.json) + 2 (export2.json.gz) + 4 (archive) + 2 (truncated)
is "$(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" 19 "19 benchmarks in dlpg.benchmarks"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks WHERE status = 'failed'")" 2 \
    "2 of them failed (the googlenet log without results, json-3)"
is "$(q "$DB" "SELECT source || '|' || sqlstate FROM dlpg.rejects ORDER BY source")" \
"corpus/bad/corrupt.log.gz|22000
corpus/bad/empty.log|22P02
corpus/bad/notes.log|22P02
corpus/bad/truncated.tgz|22000
corpus/export.json|22023" "dlpg.rejects: corrupt .gz and truncated .tgz (client, 22000), empty and non-log .log (22P02), the scalar element (22023)"
is "$(q "$DB" "SELECT reason FROM dlpg.rejects WHERE source = 'corpus/bad/corrupt.log.gz'" | cut -c1-18)" \
    "corrupt gzip data:" "the corrupt .gz: reason is zlib's message"
like "$TAP_WORK/run1.err" 'rejected corpus/bad/truncated.tgz: ' "the truncated .tgz is reported"
is "$(q "$DB" "SELECT detail ~ 'entries before it were read' FROM dlpg.rejects WHERE source = 'corpus/bad/truncated.tgz'")" \
    t "the truncated .tgz: detail says where the damage is"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE 'corpus/bad/truncated.tgz!sub/%.log'")" 2 \
    "the truncated .tgz: the two entries before the damage were loaded"
is "$(q "$DB" "SELECT string_agg(source, ',' ORDER BY source) FROM dlpg.benchmarks WHERE source LIKE 'corpus/archive.tgz!%'")" \
    "corpus/archive.tgz!sub/alexnet_owt_16.log,corpus/archive.tgz!sub/alexnet_owt_32.log.gz,corpus/archive.tgz!sub/alexnet_owt_4.log,corpus/archive.tgz!sub/alexnet_owt_8.log" \
    "archive entries (a .log.gz among them): source is <archive>!<entry>"
is "$(q "$DB" "SELECT count(*) FROM dlpg.benchmarks WHERE source = 'corpus/gz/$(basename "${h200[3]}").gz'")" 1 \
    ".log.gz: loaded, source is the path as walked"
is "$(q "$DB" "SELECT string_agg(exp_id || ':' || source, ',' ORDER BY exp_id) FROM dlpg.benchmarks WHERE exp_id LIKE 'json-%'")" \
    "json-1:corpus/export.json,json-2:corpus/export.json,json-3:corpus/export.json,json-4:corpus/export2.json.gz,json-5:corpus/export2.json.gz" \
    ".json and .json.gz: one row per element"
is "$(q "$DB" "SELECT params = dlpg.parse_log(pg_read_file('${h200[0]}')) FROM dlpg.benchmarks WHERE source = 'corpus/logs/$(basename "${h200[0]}")'")" \
    t "a .log arrives byte for byte (its params = dlpg.parse_log of the file)"
summary_is "$TAP_WORK/run1.err" \
    "files_read=18 benchmarks_ingested=19 failed_benchmarks=2 duplicates=0 rejected=5 ignored=3" \
    "summary: 18 files read, 19 ingested, 2 failed, 0 duplicates, 5 rejected, 3 ignored (README.txt, two archive entries)"
like "$TAP_WORK/run1.err" '^  files read: +18 \(6 of them entries of 2 archives\)' "summary: 6 archive entries in 2 archives"
like "$TAP_WORK/run1.err" '^  benchmarks ingested: +19 \(19 inserted, 0 replaced\)' "summary: inserted and replaced"
unlike "$TAP_WORK/run1.err" 'nothing new' "first run: no 'nothing new'"

# ---------------------------------------------------------------- second run
load run2 -d "$DB" corpus
rc_is 1 "second run: exit status 1 again (the same bad files are rejected again)"
is "$(q "$DB" 'SELECT count(*) FROM dlpg.benchmarks')" 19 "second run: still 19 benchmarks"
summary_is "$TAP_WORK/run2.err" \
    "files_read=18 benchmarks_ingested=0 duplicates=19 rejected=5 ignored=3" \
    "second run summary: 0 ingested, 19 duplicates, 5 rejected"
like "$TAP_WORK/run2.err" '^dlpg-load: nothing new: 19 duplicates$' "second run says: nothing new: 19 duplicates"
is "$(q "$DB" "SELECT count(*) || '/' || count(DISTINCT source) FROM dlpg.rejects")" "10/5" \
    "second run: each bad file recorded again (10 rejects, 5 sources)"

# ---------------------------------------------------------------- single files
load explicit -d "$DB" corpus/README.txt
rc_is 1 "a file with another extension named on the command line: exit 1"
is "$(q "$DB" "SELECT reason || '|' || sqlstate FROM dlpg.rejects WHERE source = 'corpus/README.txt'")" \
    "not a known format|22023" "... rejected: not a known format (22023)"
load missing -d "$DB" corpus/no-such-file.log
rc_is 1 "a path that does not exist: exit 1"
is "$(q "$DB" "SELECT reason || '|' || sqlstate FROM dlpg.rejects WHERE source = 'corpus/no-such-file.log'")" \
    "No such file or directory|58030" "... rejected with the OS error (58030)"

new_db DB2 || exit 1
load prefix -d "$DB2" --source-prefix 'lab1:' corpus/logs/resnet50_4.log corpus/export2.json.gz
rc_is 0 "two files named on the command line, --source-prefix: exit 0"
is "$(q "$DB2" "SELECT string_agg(DISTINCT source, ',' ORDER BY source) FROM dlpg.benchmarks")" \
    "lab1:corpus/export2.json.gz,lab1:corpus/logs/resnet50_4.log" "--source-prefix is prepended to the source"
