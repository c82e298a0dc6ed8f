#!/usr/bin/env bash
# test/clients/chart_render.t -- dlpg.chart's SVG as a browser draws it (issue 10, item 5).
# Headless Chromium (Debian `chromium`) lays out each chart inline in a page, with the fonts
# of this machine, and a script writes every <text>'s box (getBoundingClientRect) into the
# page, which --dump-dom prints. Checked, with the real glyphs rather than chart.c's width
# estimate (test/chart_layout.sql checks that one): every text inside the SVG, no two level
# texts overlapping, slanted X labels under the plot and above the X title. Charts: 30 models
# x 25 GPUs with long names (bars), 50 models' lines with a "+ N more" legend, an empty chart
# and the bundled logs' bars. Own database (the synthetic names would change the other client
# tests' answers). DLPG_CHART_PNG_DIR=dir keeps a PNG of each chart there (for looking at).
# TAP output: prove test/clients/chart_render.t
set -uo pipefail
# shellcheck source=test/clients/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=${DLPG_PYTHON:-/usr/bin/python3}
CHROMIUM=${DLPG_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
# name | arguments of dlpg.chart
CHARTS=("many-series|'model', 'throughput', '{\"phase\": \"training\", \"precision\": \"fp32\"}', 'best', 'processing_unit'"
        "legend-more|'replica_batch', 'throughput', '{}', 'avg', 'model'"
        "empty|'model', 'throughput', '{\"phase\": \"inference\", \"model\": \"nothing\"}'"
        "bundled|'model', 'throughput', '{}', 'best', 'processing_unit'")
tap_plan $((3 + 3 * ${#CHARTS[@]}))

if [ -z "$CHROMIUM" ]; then
    for _ in $(seq $((3 + 3 * ${#CHARTS[@]}))); do ok "# SKIP no chromium"; done
    exit 0
fi

db="dlpg_render_$$"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $db" >/dev/null || exit 1
trap '"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$TAP_WORK"' EXIT
export PGDATABASE=$db
setup_db || exit 1
ingest_logs
"${PSQL[@]}" -A -t >"$TAP_WORK/synth.out" 2>&1 <<'SQL'
SELECT count(*) FROM dlpg.ingest_json((
    SELECT jsonb_agg(jsonb_build_object(
               'exp.id', format('render-%s-%s', m, g),
               'exp.model_title', format('%s-%s Large Patch16 v%s', (ARRAY['VisionTransformer', 'ResNet', 'Inception',
                                         'EfficientNet', 'DenseNet', 'MobileNet'])[1 + m % 6], 10 + m, m),
               'exp.device_title', format('NVIDIA %s %s with Max-Q Design %sGB',
                                          (ARRAY['GeForce RTX', 'Tesla', 'A100-SXM4', 'H200 SXM5', 'Quadro RTX'])[1 + g % 5],
                                          1000 + 37 * g, 8 * (1 + g % 10)),
               'exp.phase', 'training', 'exp.dtype', 'float32', 'exp.effective_batch', 32 * (1 + g % 4),
               'exp.replica_batch', 32 * (1 + g % 4), 'exp.num_gpus', 1, 'exp.framework_title', 'SynthFW',
               'results.time', 10 + (m * g) % 40, 'results.throughput', 64000.0 / (10 + (m * g) % 40)))
      FROM generate_series(1, 30) AS m, generate_series(1, 25) AS g));
SELECT count(*) FROM dlpg.ingest_json((
    SELECT jsonb_agg(jsonb_build_object('exp.id', 'render-more-' || k, 'exp.model', 'Extra model number ' || k,
                                        'exp.phase', 'training', 'exp.dtype', 'float16', 'exp.effective_batch', 64,
                                        'exp.replica_batch', 64, 'exp.num_gpus', 1, 'exp.framework_title', 'SynthFW',
                                        'results.time', 10, 'results.throughput', 6400))
      FROM generate_series(1, 20) AS k));
SQL
check "750 + 20 synthetic benchmarks with long names" test "$(tr '\n' ' ' <"$TAP_WORK/synth.out")" = "750 20 " ||
    diag_file "$TAP_WORK/synth.out"

for c in "${CHARTS[@]}"; do
    name=${c%%|*}
    args=${c#*|}
    svg="$TAP_WORK/$name.svg"
    page="$TAP_WORK/$name.html"
    "${PSQL[@]}" -A -t -c "SELECT dlpg.chart($args)" >"$svg" 2>"$svg.err"
    check "$name: SVG is well-formed XML" xmllint --noout "$svg" || diag_file "$svg.err"
    {
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        sed 1d "$svg"          # the XML declaration has no place in HTML
        cat <<'JS'
<script>
const svg = document.querySelector('svg');
const r = svg.getBoundingClientRect();
const boxes = [];
for (const t of svg.querySelectorAll('text')) {
  const b = t.getBoundingClientRect();
  const own = Array.from(t.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join('');
  boxes.push({cls: t.getAttribute('class') || '', text: own, angle: t.hasAttribute('transform') ? t.getAttribute('transform') : '',
              x0: b.left - r.left, y0: b.top - r.top, x1: b.right - r.left, y1: b.bottom - r.top});
}
const plot = svg.querySelector('line[stroke="#333"]');
const out = document.createElement('pre');
out.id = 'boxes';
out.textContent = JSON.stringify({width: r.width, height: r.height, bottom: plot ? plot.getBBox().y : null, boxes: boxes});
document.body.appendChild(out);
</script></body></html>
JS
    } >"$page"
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$TAP_WORK/chromium" \
        --dump-dom "file://$page" >"$page.dom" 2>"$page.err"
    check "$name: Chromium draws it: every text inside the SVG, level texts apart, slanted X labels between the plot and the X title" \
        "$PYTHON" - "$page.dom" <<'PY'
import html, json, re, sys
m = re.search(r'<pre id="boxes">(.*?)</pre>', open(sys.argv[1], encoding="utf-8").read(), re.S)
assert m, "no boxes in the page"
d = json.loads(html.unescape(m.group(1)))
boxes, bad = d["boxes"], []
assert len(boxes) > 3, boxes
E = 0.5                                         # sub-pixel rounding
for b in boxes:
    if b["x0"] < -E or b["y0"] < -E or b["x1"] > d["width"] + E or b["y1"] > d["height"] + E:
        bad.append(("outside %gx%g" % (d["width"], d["height"]), b))
level = [b for b in boxes if "rotate(-45" not in b["angle"]]
for i, a in enumerate(level):
    for b in level[i + 1:]:
        if a["x0"] < b["x1"] - E and b["x0"] < a["x1"] - E and a["y0"] < b["y1"] - E and b["y0"] < a["y1"] - E:
            bad.append(("overlap", a, b))
xtitle = [b for b in boxes if b["cls"] == "x-title"][0]
for b in boxes:
    if b["cls"] == "x-label" and (b["y0"] < d["bottom"] - E or b["y1"] > xtitle["y0"] + E):
        bad.append(("x label not between the plot and the X title", b))
for x in bad[:10]:
    print("#", x)
sys.exit(1 if bad else 0)
PY
    png="$TAP_WORK/$name.png"
    height=$(xmllint --xpath 'string(/*/@height)' "$svg" 2>/dev/null)
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$TAP_WORK/chromium" \
        --screenshot="$png" --window-size="880,${height:-480}" "file://$svg" >/dev/null 2>"$png.err"
    check "$name: rendered to PNG (880x$height)" test -s "$png" || diag_file "$png.err"
    if [ -n "${DLPG_CHART_PNG_DIR:-}" ] && [ -s "$png" ]; then
        mkdir -p "$DLPG_CHART_PNG_DIR" && cp "$png" "$svg" "$DLPG_CHART_PNG_DIR/"
    fi
done
