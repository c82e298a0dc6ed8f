#!/usr/bin/env bash
# test/clients/encoding.t -- charts are valid in the encoding they declare, whatever the
# database's (issue 8, item 12). In a SQL_ASCII database, a model holding byte 0xFF (no UTF-8)
# and one holding the UTF-8 bytes of 'é'; in a LATIN1 database, 'é' as LATIN1. The SVG must
# parse as UTF-8 XML (xmllint) and the Vega-Lite as UTF-8 JSON (Python, strict decoding), with
# 0xFF shown as U+FFFD and 'é' as 'é'. Each database is created and dropped here.
# TAP output: prove test/clients/encoding.t
set -uo pipefail
# shellcheck source=test/clients/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=${DLPG_PYTHON:-/usr/bin/python3}
ENCODINGS=(SQL_ASCII LATIN1)
tap_plan $((${#ENCODINGS[@]} * 6))

# a minimal DLBS log for model $2 (an E'' literal body: octal escapes give raw bytes), id $1
log_sql() {
    local nl='\n'
    printf "dlpg.ingest(E'__exp.id__=\"%s\"${nl}__exp.model__=%s${nl}__exp.phase__=\"training\"${nl}__exp.dtype__=\"float32\"${nl}__exp.replica_batch__=32${nl}__exp.effective_batch__=32${nl}__exp.num_gpus__=1${nl}__exp.device_type__=\"gpu\"${nl}__results.time__=100.0${nl}__results.throughput__=320')" "$1" "$2"
}

for enc in "${ENCODINGS[@]}"; do
    db="dlpg_enc_$(echo "$enc" | tr 'A-Z' 'a-z')_$$"
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    if ! "${PSQL[@]}" -d postgres -c "CREATE DATABASE $db ENCODING '$enc' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" \
            >"$TAP_WORK/create.out" 2>&1 ||
       ! "${PSQL[@]}" -d "$db" -c 'CREATE EXTENSION dlpg' >>"$TAP_WORK/create.out" 2>&1; then
        for _ in 1 2 3 4 5 6; do not_ok "$enc: database with dlpg"; done
        diag_file "$TAP_WORK/create.out"
        continue
    fi
    # the client sends and receives the database's own bytes
    export PGCLIENTENCODING=$enc
    if [ "$enc" = SQL_ASCII ]; then
        # 0xFF: no UTF-8; then the two UTF-8 bytes of 'é'
        models=('bad\377byte' 'caf\303\251')
        want=("bad$(printf '\xef\xbf\xbd')byte" "café")
    else
        # 'é' in LATIN1 is the one byte 0xE9
        models=('caf\351')
        want=("café")
    fi
    for i in "${!models[@]}"; do
        "${PSQL[@]}" -d "$db" -A -t -c "SELECT $(log_sql "enc-$i" "${models[$i]}")" >/dev/null 2>>"$TAP_WORK/ingest.out"
    done
    ids=$("${PSQL[@]}" -d "$db" -A -t -c "SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'" 2>>"$TAP_WORK/ingest.out")
    check "$enc: the benchmarks are ingested, status ok (${#models[@]})" test "$ids" = "${#models[@]}" || diag_file "$TAP_WORK/ingest.out"
    svg="$TAP_WORK/$enc.svg"
    vl="$TAP_WORK/$enc.vl.json"
    "${PSQL[@]}" -d "$db" -A -t -c "SELECT dlpg.chart('model', 'throughput', '{}', 'best', 'model')" >"$svg" 2>"$svg.err"
    "${PSQL[@]}" -d "$db" -A -t -c "SELECT dlpg.chart('model', 'throughput', '{}', 'best', 'model', NULL, 'vega-lite')" \
        >"$vl" 2>"$vl.err"
    check "$enc: the SVG declares UTF-8" grep -q '^<?xml version="1.0" encoding="UTF-8"?>' "$svg" || diag_file "$svg.err"
    check "$enc: the SVG is well-formed UTF-8 XML (xmllint)" xmllint --noout --encode UTF-8 "$svg"
    check "$enc: the SVG's legend shows the models (invalid bytes as U+FFFD)" "$PYTHON" - "$svg" "${want[@]}" <<'PY'
import sys, xml.etree.ElementTree as ET
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")                      # strict: raises on any invalid byte
root = ET.fromstring(raw)
ns = "{http://www.w3.org/2000/svg}"
legend = [t.text for g in root.iter(ns + "g") if g.get("class") == "legend" for t in g.iter(ns + "text")]
for w in sys.argv[2:]:
    assert w in legend, (w, legend)
PY
    check "$enc: the Vega-Lite spec is valid UTF-8 JSON with the models" "$PYTHON" - "$vl" "${want[@]}" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
spec = json.loads(raw.decode("utf-8"))   # strict UTF-8, then JSON
series = {v["series"] for v in spec["data"]["values"]}
assert series == set(sys.argv[2:]), (series, sys.argv[2:])
PY
    check "$enc: both are pure ASCII (any client encoding reads them unchanged)" \
        "$PYTHON" -c 'import sys; [open(f, "rb").read().decode("ascii") for f in sys.argv[1:]]' "$svg" "$vl"
    unset PGCLIENTENCODING
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
done
