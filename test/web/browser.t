#!/usr/bin/python3
# test/web/browser.t -- the web Guide in a real browser: Selenium (python3-selenium) driving
# Debian's chromium + chromium-driver, headless. The Guide's steps as a user takes them: X =
# model, Y = throughput, filter phase = training, group by precision, draw. Checked against
# dlpg.series asked directly: one role="graphics-symbol" bar per row, each with an accessible
# label naming its X value; the table's values; the NOTICE of mixed points. Then the page's
# address in a fresh browser draws the same chart (same marks and labels) at once; a bad
# filter (from the address, and scaling without a batch size from the controls) shows dlpg's
# SQLSTATE and message next to the control at fault; a numeric X axis draws a point per row.
# Screenshots go to $DLPG_WEB_SCREENSHOTS (default results/web/; docs/web-*.png are copies).
# Without chromium, chromium-driver or selenium the file is skipped, loudly (a banner
# "web browser suite: SKIPPED -- why", counted as skipped by tools/run-tests.sh).
# TAP output: prove test/web/browser.t
import json
import os
import shutil
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib  # noqa: E402

CHROMIUM = os.environ.get("DLPG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = os.environ.get("DLPG_CHROMEDRIVER") or shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
SHOTS = os.environ.get("DLPG_WEB_SCREENSHOTS", os.path.join(weblib.ROOT, "results", "web"))
DATA_MARKS = ("bar", "point")        # aria-roledescription of Vega's data marks (not axis, legend, title)


def skip_all(why):
    print("##  web browser suite: SKIPPED -- %s" % why, file=sys.stderr, flush=True)
    print("1..0 # SKIP %s" % why)
    sys.exit(0)


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
except ImportError as e:
    skip_all("no python3-selenium (%s)" % e)
if not CHROMIUM or not os.access(CHROMIUM, os.X_OK):
    skip_all("no chromium (%s)" % CHROMIUM)
if not DRIVER or not os.access(DRIVER, os.X_OK):
    skip_all("no chromedriver (chromium-driver) (%s)" % DRIVER)


class Browser:
    def __init__(self, tmp):
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1280,1000", "--user-data-dir=" + tmp, "--lang=en-US"):
            o.add_argument(a)
        self.d = webdriver.Chrome(service=Service(DRIVER), options=o)

    def open(self, url):
        self.d.get(url)
        return self.settle()

    def settle(self, draws=0, timeout=60):
        """Wait until the page has drawn (or failed to) more than `draws` times, or is ready:
        body's data-state and data-draws."""
        end = time.time() + timeout
        while time.time() < end:
            state, n = self.d.execute_script(
                "return [document.body.dataset.state, Number(document.body.dataset.draws || 0)]")
            if (state == "ready" and draws == 0) or (state in ("drawn", "error") and n > draws):
                return state
            time.sleep(0.05)
        return "timeout"

    def draw(self):
        """Press Draw; the state it ends in."""
        n = self.d.execute_script("return Number(document.body.dataset.draws || 0)")
        self.d.find_element(By.ID, "draw").click()
        return self.settle(n)

    def marks(self):
        """(aria-roledescription, aria-label) of each data mark of the chart, in document order."""
        return self.d.execute_script("""
            return [...document.querySelectorAll('#chart [role="graphics-symbol"]')]
              .map(e => [e.getAttribute('aria-roledescription'), e.getAttribute('aria-label')]);""")

    def table(self):
        return self.d.execute_script("""
            return [...document.querySelectorAll('#points tbody tr')]
              .map(tr => [...tr.children].map(td => td.textContent));""")

    def error_slot(self, param):
        """The text of the error slot of a control, whether it is shown, and the control it sits in."""
        return self.d.execute_script("""
            const s = document.querySelector(`[data-error-for="${arguments[0]}"]`);
            if (!s) return null;
            const c = s.closest('.control, .draw-row');
            return [s.textContent, s.offsetParent !== null, c ? (c.dataset.param || c.className) : null,
                    c ? c.classList.contains('invalid') : false];""", param)

    def shot(self, name):
        """A screenshot of the whole page."""
        os.makedirs(SHOTS, exist_ok=True)
        h = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1280, "height": h, "deviceScaleFactor": 1, "mobile": False})
        path = os.path.join(SHOTS, name)
        self.d.save_screenshot(path)
        self.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return path

    def quit(self):
        self.d.quit()


def data_marks(marks):
    return [m for m in marks if m[0] in DATA_MARKS]


def main(tap):
    g = weblib.Guide(tap)
    tmp = os.path.join("/tmp", "dlpg-web-chromium-%d" % os.getpid())
    b = Browser(tmp + "-1")
    try:
        run(tap, g, b, tmp)
    finally:
        b.quit()
        shutil.rmtree(tmp + "-1", ignore_errors=True)
        shutil.rmtree(tmp + "-2", ignore_errors=True)


def run(tap, g, b, tmp):
    d = b.d
    tap.eq(b.open(g.url), "ready", "the page opens and fills its controls")
    logs = [e for e in d.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    tap.eq(logs, [], "no errors in the browser's console")

    # ---- the Guide's steps: X model, Y throughput, phase training, group by precision -------
    Select(d.find_element(By.ID, "x_axis")).select_by_value("model")
    Select(d.find_element(By.ID, "y_axis")).select_by_value("throughput")
    d.find_element(By.CSS_SELECTOR, 'input[data-axis="phase"][value="training"]').click()
    Select(d.find_element(By.ID, "group_by")).select_by_value("precision")
    tap.eq(d.find_element(By.ID, "filters").get_attribute("value"), '{"phase":"training"}',
           "ticking phase = training writes the filters argument")
    tap.eq(b.draw(), "drawn", "Draw: the chart is drawn")
    rows, notices = g.series("model", "throughput", '{"phase": "training"}', group_by="precision")
    marks = b.marks()
    bars = data_marks(marks)
    tap.ok(len(bars) == len(rows) and len(rows) > 0,
           "one role=graphics-symbol bar per row of dlpg.series (%d bars, %d rows)" % (len(bars), len(rows)), repr(marks))
    tap.ok(all(label and label.startswith("Model: ") for _, label in bars),
           "each bar has an accessible label naming its X value", repr(bars))
    tap.eq(sorted(label.split(";")[0][len("Model: "):] for _, label in bars), sorted(r["x"] for r in rows),
           "the bars' labels name the rows' X values")
    tap.eq(sorted(float(label.split("; ")[1].split(": ")[1]) for _, label in bars), sorted(r["y"] for r in rows),
           "the bars' labels carry the rows' Y values")
    table = b.table()
    want = [[r["series"], r["x"], repr(r["y"]) if r["y"] != int(r["y"]) else str(int(r["y"])), str(r["n"]),
             str(r["configs"]), ", ".join(r["mixed"])] for r in rows]
    tap.eq(table, want, "the table's values are dlpg.series' (series, x, y, n, configs, mixed)")
    shown = d.find_element(By.ID, "notices").text
    tap.ok(notices and all(n in shown for n in notices), "the NOTICE of mixed points is shown: " + shown[:80], shown)
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(d.current_url).query)
    tap.eq({k: v for k, v in q.items()}, {"x_axis": ["model"], "y_axis": ["throughput"],
                                          "filters": ['{"phase":"training"}'], "group_by": ["precision"]},
           "the address holds exactly dlpg.chart's arguments")
    sql = d.execute_script("return document.querySelector('#sql pre').textContent")
    tap.ok("dlpg.trial_max(" in sql, "the SQL of dlpg.series_query is on the page")
    hrefs = {i: d.find_element(By.ID, i).get_attribute("href") for i in ("dl-svg", "dl-vl", "dl-csv")}
    tap.ok("format=svg" in hrefs["dl-svg"] and "format=vega-lite" in hrefs["dl-vl"] and "series.csv" in hrefs["dl-csv"],
           "download links: SVG, Vega-Lite, CSV", repr(hrefs))
    status, _, svg = g.get(hrefs["dl-svg"][len(g.url) - 1:])
    tap.ok(status == 200 and svg.decode().count('class="mark"') == len(rows), "the SVG download has one mark per row")
    title = d.execute_script(
        """return [...document.querySelectorAll('#chart [aria-roledescription="title"], #chart [aria-roledescription="subtitle"]')]
             .map(e => e.getAttribute('aria-label'))""")
    b.shot("web-guide.png")
    url = d.current_url

    # ---- the shared address, in a fresh browser: the same chart at once ---------------------
    b2 = Browser(tmp + "-2")
    try:
        tap.eq(b2.open(url), "drawn", "the shared address draws at once in a fresh browser")
        tap.eq(b2.marks(), marks, "  the same marks with the same labels (%d)" % len(marks))
        tap.eq(b2.table(), table, "  the same table")
        tap.eq(b2.d.execute_script("""return [document.getElementById('x_axis').value, document.getElementById('group_by').value,
                   document.querySelector('input[data-axis="phase"][value="training"]').checked]"""),
               ["model", "precision", True], "  the controls show the address's arguments")
        tap.ok(len(title) == 2 and title[0].startswith("Title text 'Throughput (samples/s) by Model'")
               and "Phase: training" in title[1], "  with dlpg's title and subtitle", repr(title))
    finally:
        b2.quit()

    # ---- a bad filter from the address: dlpg's message next to the filters ----------------
    bad = '{"phase": "training", "gpu": "H200"}'
    sqlstate, message = g.error_of("SELECT * FROM dlpg.series('model', 'throughput', %s::jsonb)", (bad,))
    tap.eq(b.open(g.url + "?" + urllib.parse.urlencode({"x_axis": "model", "filters": bad})), "error",
           "an address with an unknown filter key: no chart")
    slot = b.error_slot("filters")
    tap.ok(slot and slot[0].startswith(sqlstate + ": " + message) and slot[1] and slot[2] == "filters" and slot[3],
           "dlpg's %s and message are shown next to the filters argument, marked invalid" % sqlstate, repr(slot))
    tap.eq(d.find_element(By.ID, "filters").get_attribute("value"), bad, "  the filters argument keeps the address's text")
    tap.eq(data_marks(b.marks()), [], "  no marks are left of the last chart")

    # ---- scaling without a batch size, from the controls: next to the scaling control --------
    d.find_element(By.ID, "filters").clear()
    d.find_element(By.ID, "filters").send_keys('{"phase":"training"}')
    Select(d.find_element(By.ID, "scaling")).select_by_value("weak")
    tap.eq(b.draw(), "error", "scaling weak without a batch size: no chart")
    sqlstate, message = g.error_of("SELECT * FROM dlpg.series('model', 'throughput', %s::jsonb)",
                                   ('{"phase": "training", "scaling": "weak"}',))
    slot = b.error_slot("filters.scaling")
    tap.ok(slot and slot[0].startswith(sqlstate + ": " + message) and slot[1] and slot[2] == "filters.scaling",
           "dlpg's message is shown in the scaling fieldset: %s" % (slot[0][:70] if slot else None), repr(slot))
    b.shot("web-error.png")
    d.find_element(By.ID, "batch_size").send_keys("64")
    tap.eq(b.draw(), "drawn", "with a batch size the chart is drawn, the message gone")
    tap.eq(b.error_slot("filters.scaling")[0], "", "  the scaling message is cleared")
    rows, _ = g.series("model", "throughput", '{"phase": "training", "scaling": "weak", "batch_size": 64}')
    tap.eq(len(data_marks(b.marks())), len(rows), "  one bar per row (%d)" % len(rows))

    # ---- a numeric X axis: lines with a point per row; back restores the chart before ------
    tap.eq(b.open(g.url + "?" + urllib.parse.urlencode(
        {"x_axis": "replica_batch", "y_axis": "throughput", "filters": '{"phase":"training"}',
         "group_by": "precision"})), "drawn", "X = replica batch: drawn")
    rows, _ = g.series("replica_batch", "throughput", '{"phase": "training"}', group_by="precision")
    points = [m for m in b.marks() if m[0] == "point"]
    tap.ok(len(points) == len(rows) and all(label for _, label in points),
           "one labelled point per row (%d points, %d rows)" % (len(points), len(rows)))
    b.shot("web-lines.png")
    d.back()
    tap.eq(b.settle(0), "drawn", "Back: the previous address draws again")
    tap.eq(urllib.parse.parse_qs(urllib.parse.urlsplit(d.current_url).query).get("x_axis"), ["model"],
           "  its x_axis is model again")

    # ---- names from the database are text, never markup ---------------------------------
    hostile = '<img src=x onerror="document.body.dataset.pwned=1">&amp;"\'<b>'
    g.conn.execute("SELECT dlpg.ingest_json(jsonb_build_object('exp.id', 'web-hostile', 'exp.model', %s::text,"
                   " 'exp.phase', 'training', 'exp.dtype', 'float32', 'exp.replica_batch', 8, 'exp.num_gpus', 1,"
                   " 'results.time', 10, 'results.throughput', 800))", (hostile,))
    tap.eq(b.open(g.url + "?" + urllib.parse.urlencode({"x_axis": "model", "filters": '{"phase":"training"}'})),
           "drawn", "a model named with HTML: drawn")
    got = d.execute_script("""return [document.body.dataset.pwned || null,
        document.querySelectorAll('#points img, #points b, #filter-list img, #filter-list b, #chart img').length,
        [...document.querySelectorAll('#points tbody td:nth-child(2)')].map(td => td.textContent),
        [...document.querySelectorAll('#filter-list label')].map(l => l.firstChild.textContent)]""")
    tap.ok(got[0] is None and got[1] == 0 and hostile in got[2] and hostile in got[3],
           "  its name is shown as text in the table and the filters, no element made of it", repr(got))


weblib.run(main)
