#!/usr/bin/python3
"""test/lib/mannwhitney_cases.py -- the expected values of test/compare.sql, computed by scipy.

    /usr/bin/python3 test/lib/mannwhitney_cases.py > test/lib/mannwhitney_cases.sql

(from the project root; Debian 12's python3-scipy, 1.10.1, which tools/install-deps.sh installs).
Deterministic: rerunning writes the same file.  It writes two temp tables for test/compare.sql:

  pg_temp.mw_cases(id, category, x, y, u, p, method)
      generated samples and what scipy.stats.mannwhitneyu(x, y, alternative='two-sided',
      method='auto') returns for them (u = the statistic of x, p), with the method 'auto' chose
      (scipy's own _mwu_choose_method): every n from 1 to 30 against several sizes, ties, no
      ties, identical sides, all values equal, -0 and 0, float8's extremes, the exact path with a
      small side against large ones, p-values down to 1e-40.
  pg_temp.mw_fixture(precision, replica_batch, y_axis, median, u, p, n)
      the H200 fixture logs (data/dlbs/h200): for each training batch size, fp32 (baseline) and
      fp16 (candidate) per-iteration samples from results.time_data (batch times, and throughput
      effective_batch * 1000 / t): scipy's U and p for baseline vs candidate, and each side's
      median with percentile_cont's arithmetic.
"""
import glob
import json
import os
import random
import re
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.stats import _mannwhitneyu

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def f8(v):
    """A float8 as PostgreSQL reads it back exactly: repr is the shortest round trip."""
    v = float(v)
    if v == float("inf"):
        return "Infinity"
    if v == float("-inf"):
        return "-Infinity"
    return repr(v)


def arr(vals):
    return "'{" + ",".join(f8(v) for v in vals) + "}'"


def method_of(x, y):
    xy = np.concatenate((np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
    return _mannwhitneyu._mwu_choose_method(len(x), len(y), xy, "auto")


def cases():
    rnd = random.Random(20261130)
    out = []

    def add(category, x, y):
        out.append((category, [float(v) for v in x], [float(v) for v in y]))

    # every n from 1 to 30, against a few sizes; continuous values (no ties) and small integers (ties)
    for n1 in range(1, 31):
        for n2 in sorted({1, 3, 8, 9, 17, 30, 31 - n1}):
            add("no ties", [rnd.random() for _ in range(n1)], [rnd.random() + 0.3 for _ in range(n2)])
            add("ties", [rnd.randint(0, 6) for _ in range(n1)], [rnd.randint(1, 7) for _ in range(n2)])
    # identical sides, all values equal
    for n in (1, 2, 3, 5, 8, 9, 20, 30):
        x = [rnd.randint(0, 4) * 0.5 for _ in range(n)]
        add("identical sides", x, list(x))
        x = [rnd.random() for _ in range(n)]
        add("identical sides", x, list(x))
        add("all equal", [2.5] * n, [2.5] * (n + 1))
    # the exact path: a small side (no ties) against larger ones, and full separation (tiny p)
    for m in range(1, 9):
        for n in (9, 30, 100, 300):
            add("exact, large side", [rnd.random() * 10 for _ in range(m)], [rnd.random() * 10 + 1 for _ in range(n)])
        add("exact, separated", [100.0 + i for i in range(m)], [i * 0.25 for i in range(30)])
    # the asymptotic path with large samples, tiny p
    add("asymptotic, separated", range(30), [100 + i for i in range(30)])
    add("asymptotic, separated", range(200), [1000 + i for i in range(300)])
    add("asymptotic, large", [rnd.gauss(0, 1) for _ in range(300)], [rnd.gauss(0.1, 1) for _ in range(250)])
    add("asymptotic, large", [round(rnd.gauss(0, 1), 1) for _ in range(300)], [round(rnd.gauss(0, 1), 1) for _ in range(300)])
    # special values: -0 ties 0, the extremes of float8, scipy's docstring example.  (No
    # infinities: scipy 1.10's rankdata makes every rank NaN then; dlpg drops them, and
    # test/compare.sql checks that they change nothing.)
    add("special", [-0.0, 1, 2, 3], [0.0, 5, 6])
    add("special", [19, 22, 16, 29, 24], [20, 11, 17, 12])
    add("special", [1e300, -1e300, 5e-324], [1.7976931348623157e308, -5e-324])
    return out


def median(vals):
    s = sorted(vals)
    n = len(s)
    if n % 2:
        return s[n // 2]
    lo, hi = s[n // 2 - 1], s[n // 2]
    return lo if lo == hi else lo + (hi - lo) * 0.5


def fixture_samples():
    """{(precision, batch): {"batch_time": [...], "throughput": [...]}} of the H200 training logs."""
    out = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "dlbs", "h200", "resnet50_*_training_*.log"))):
        text = open(path).read()
        times = json.loads(re.search(r"__results\.time_data__=(\[.*?\])", text).group(1))
        batch = int(re.search(r"__exp\.effective_batch__=(\d+)", text).group(1))
        prec = "fp16" if "float16" in path else "fp32"
        out[(prec, batch)] = {
            "batch_time": [float(t) for t in times],
            "throughput": [(batch * 1000.0) / float(t) for t in times],
        }
    return out


def main():
    w = sys.stdout.write
    w("-- test/lib/mannwhitney_cases.sql: GENERATED by test/lib/mannwhitney_cases.py (scipy %s); do not edit.\n" % scipy.__version__)
    w("-- Expected values of scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='auto').\n")
    w("CREATE TEMP TABLE mw_cases (id int PRIMARY KEY, category text, x float8[], y float8[], u float8, p float8, method text);\n")
    w("INSERT INTO pg_temp.mw_cases VALUES\n")
    rows = []
    for i, (cat, x, y) in enumerate(cases(), 1):
        r = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
        rows.append("(%d, '%s', %s, %s, %s, %s, '%s')" % (i, cat, arr(x), arr(y), f8(r.statistic), f8(r.pvalue), method_of(x, y)))
    w(",\n".join(rows) + ";\n\n")

    w("CREATE TEMP TABLE mw_fixture (replica_batch int, y_axis text, baseline float8, candidate float8,\n"
      "                              u float8, p float8, n_baseline int, n_candidate int);\n")
    w("INSERT INTO pg_temp.mw_fixture VALUES\n")
    s = fixture_samples()
    rows = []
    for batch in sorted({b for _, b in s}):
        for y in ("batch_time", "throughput"):
            base, cand = s[("fp32", batch)][y], s[("fp16", batch)][y]
            r = stats.mannwhitneyu(base, cand, alternative="two-sided", method="auto")
            rows.append("(%d, '%s', %s, %s, %s, %s, %d, %d)" % (batch, y, f8(median(base)), f8(median(cand)),
                                                               f8(r.statistic), f8(r.pvalue), len(base), len(cand)))
    w(",\n".join(rows) + ";\n")


if __name__ == "__main__":
    main()
