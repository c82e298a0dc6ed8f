#!/usr/bin/env bash
# test/clients/chart.t -- dlpg.chart as the files people open: the SVG is well-formed XML
# (xmllint) with one mark per point of dlpg.series, and the Vega-Lite spec has the right
# schema, encodings and data values (parsed with Python's json).
# TAP output: prove test/clients/chart.t
set -uo pipefail
# shellcheck source=test/clients/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=${DLPG_PYTHON:-/usr/bin/python3}
# x_axis | y_axis | filters | agg | group_by   (a bar chart and a line chart)
CHARTS=("model|throughput|{\"phase\": \"training\"}|best|precision"
        "replica_batch|batch_time|{}|avg|model")
tap_plan $((2 + 6 * ${#CHARTS[@]} + 1))

setup_db || exit 1
ingest_logs

sql_args() {
    local x y f a g
    IFS='|' read -r x y f a g <<<"$1"
    printf "'%s', '%s', '%s', '%s', '%s'" "$x" "$y" "$f" "$a" "$g"
}

i=0
for c in "${CHARTS[@]}"; do
    i=$((i + 1))
    args=$(sql_args "$c")
    svg="$TAP_WORK/chart$i.svg"
    "${PSQL[@]}" -A -t -c "SELECT dlpg.chart($args)" >"$svg" 2>"$svg.err"
    check "chart $i ($c): SVG is well-formed XML" xmllint --noout "$svg"
    points=$("${PSQL[@]}" -A -t -c "SELECT count(*) FROM dlpg.series($args)")
    marks=$(xmllint --xpath 'count(//*[@class="mark"])' "$svg" 2>/dev/null)
    check "chart $i: one mark per point ($marks marks, $points points)" test "$marks" = "$points" -a "$points" -gt 0
    series=$("${PSQL[@]}" -A -t -c "SELECT count(DISTINCT series) FROM dlpg.series($args)")
    legend=$(xmllint --xpath 'count(//*[@class="legend"]/*[local-name()="rect"])' "$svg" 2>/dev/null)
    check "chart $i: a legend entry per series ($legend for $series)" test "$legend" = "$series"
    x=${c%%|*}
    xlabel=$("${PSQL[@]}" -A -t -c "SELECT label FROM dlpg.x_axes WHERE name = '$x'")
    check "chart $i: the X axis is titled '$xlabel'" \
        test "$(xmllint --xpath 'string(//*[@class="x-title"])' "$svg")" = "$xlabel"

    vl="$TAP_WORK/chart$i.vl.json"
    "${PSQL[@]}" -A -t -c "SELECT dlpg.chart($args, NULL, 'vega-lite')" >"$vl" 2>"$vl.err"
    "${PSQL[@]}" -A -t -F '|' -c "SELECT series, x, x_rank, y, n FROM dlpg.series($args)" >"$vl.rows"
    check "chart $i: Vega-Lite v5 spec with x, y, color encodings" "$PYTHON" - "$vl" "$x" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
enc = spec["encoding"]
assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json", spec["$schema"]
assert enc["x"]["field"] == "x" and enc["y"]["field"] == "y" and enc["color"]["field"] == "series"
assert enc["y"]["type"] == "quantitative"
mark = spec["mark"]["type"]
assert mark == ("line" if sys.argv[2] in ("replica_batch", "effective_batch", "num_devices") else "bar"), mark
PY
    check "chart $i: Vega-Lite data values are the series rows" "$PYTHON" - "$vl" "$vl.rows" <<'PY'
import json, sys
values = json.load(open(sys.argv[1]))["data"]["values"]
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[2]) if l.strip()]
assert len(values) == len(rows), (len(values), len(rows))
for v, r in zip(values, rows):
    assert [v["series"], v["x"], str(v["x_rank"]), v["n"]] == [r[0], r[1], r[2], int(r[4])], (v, r)
    assert v["y"] == float(r[3]), (v, r)
PY
done

if "${PSQL[@]}" -c "SELECT dlpg.chart('model', format => 'png')" >"$TAP_WORK/bad.out" 2>&1; then
    not_ok "an unknown format is refused"
else
    check "an unknown format is refused with the valid ones listed" grep -q 'valid: svg, vega-lite' "$TAP_WORK/bad.out"
fi
