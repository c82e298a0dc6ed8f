"""test/clients/dlpg_psycopg.py -- dlpg.series through psycopg 3, as a Python client uses it.

Run by psycopg.t with Debian's python3 (package python3-psycopg):

    /usr/bin/python3 dlpg_psycopg.py QUERIES.tsv EXPECTED_DIR

Connects with the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE). Prints one
"ok - ..." / "not ok - ..." line per check (psycopg.t numbers them) and "# ..." diagnostics:
  - the connection;
  - pg_float8(): Python floats printed the way psql prints float8 (shortest round-trip digits,
    PostgreSQL's fixed / exponent layout), checked against the server's own float8 text for
    edge cases and thousands of random doubles;
  - each query of QUERIES.tsv with %s placeholders: filters bound as psycopg's Jsonb(dict), as a
    JSON string cast with %s::jsonb, and through a binary cursor; its rows, printed as
    psql -A -t -F '|' does, equal psql's answer in EXPECTED_DIR/<name>.out, text for text.
"""
import decimal
from fractions import Fraction
import json
import math
import os
import random
import struct
import sys

import psycopg
from psycopg.types.json import Jsonb

SERIES_SQL = "SELECT series, x, x_rank, y, n FROM dlpg.series(%s, %s, {filters}, %s, %s, %s)"


def ok(passed, desc):
    print(("ok - " if passed else "not ok - ") + desc, flush=True)


def diag(text):
    for line in str(text).split("\n"):
        print("# " + line, flush=True)


def _shortest_digits(v):
    """(digits, exp10) with v ~ int(digits) * 10**exp10, v > 0: the fewest significant digits
    that lie STRICTLY inside v's rounding interval (PostgreSQL's Ryu does not accept the
    bounds, so where Python's repr picks a decimal exactly halfway to a neighbouring double,
    e.g. 1e+23, the server prints 9.999999999999999e+22); among those, the closest to v."""
    x = Fraction(v)
    below = math.nextafter(v, 0.0)
    above = math.nextafter(v, math.inf)
    lo = (x + Fraction(below)) / 2
    hi = (x + Fraction(above)) / 2 if not math.isinf(above) else x + (x - Fraction(below)) / 2
    t = decimal.Decimal(repr(v)).as_tuple()
    cand = Fraction(int("".join(map(str, t.digits)))) * Fraction(10) ** t.exponent
    if lo < cand < hi:                      # the usual case: repr's shortest digits
        return "".join(map(str, t.digits)), t.exponent
    lead = decimal.Decimal(v).adjusted()    # exact: decimal exponent of v's leading digit
    for k in range(len(t.digits), 18):
        unit = Fraction(10) ** (lead - k + 1)
        q = math.floor(x / unit)
        inside = [c for c in (q, q + 1) if lo < c * unit < hi]
        if inside:
            best = min(inside, key=lambda c: (abs(c * unit - x), c % 2))
            return str(best), lead - k + 1
    raise AssertionError("no 17-digit representation of %r" % v)


def pg_float8(v):
    """float8 as PostgreSQL prints it with extra_float_digits > 0 (the default, 1): the
    shortest digits that read back as the same double, laid out as PostgreSQL's float8out
    does: fixed notation for decimal exponents -4..14, else d.ddde+XX."""
    if v is None:
        return ""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    sign = "-" if v < 0 else ""
    digits, exp10 = _shortest_digits(abs(v))  # value = int(digits) * 10**exp10
    digits = digits.lstrip("0")
    stripped = digits.rstrip("0")
    exp10 += len(digits) - len(stripped)
    digits = stripped
    olength = len(digits)
    e = exp10 + olength - 1                 # decimal exponent of the leading digit
    if -4 <= e < 15:
        if exp10 >= 0:
            body = digits + "0" * exp10
        else:
            point = olength + exp10
            if point > 0:
                body = digits[:point] + "." + digits[point:]
            else:
                body = "0." + "0" * (-point) + digits
    else:
        body = digits[0] + ("." + digits[1:] if olength > 1 else "")
        body += "e" + ("+" if e >= 0 else "-") + "%02d" % abs(e)
    return sign + body


def psql_row(row):
    series, x, x_rank, y, n = row
    cells = [
        "" if series is None else series,
        "" if x is None else x,
        "" if x_rank is None else str(x_rank),
        pg_float8(y),
        "" if n is None else str(n),
    ]
    return "|".join(cells)


def float_samples():
    rnd = random.Random(20240601)
    vals = [0.0, -0.0, 1.0, -1.0, 100.0, 0.1, 0.5, 1e14, 1e15, 1e16, 123456789012345.6,
            999999999999999.9, 1234567890123456.0, 1e-4, 1e-5, 0.00012345, 0.000012345,
            2.5e-5, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e22, 1e23,
            9007199254740993.0, 3.0e-10, 1.5, 2316.4771964461107, 0.30000000000000004,
            float("nan"), float("inf"), float("-inf")]
    for _ in range(3000):                   # any bit pattern: subnormals, huge, tiny
        v = struct.unpack("<d", rnd.getrandbits(64).to_bytes(8, "little"))[0]
        if not math.isnan(v):
            vals.append(v)
    for _ in range(3000):                   # the sizes measures have, some rounded
        v = rnd.uniform(0, 10) * 10 ** rnd.randint(-6, 18)
        vals.append(round(v, rnd.randint(0, 6)) if rnd.random() < 0.5 else v)
    return vals


def main():
    queries_file, expected_dir = sys.argv[1], sys.argv[2]
    try:
        conn = psycopg.connect("", autocommit=True, application_name="dlpg psycopg test")
    except psycopg.Error as e:
        ok(False, "psycopg %s connects (libpq environment)" % psycopg.__version__)
        diag(e)
        return 1
    ok(True, "psycopg %s connects (libpq environment, server %s)"
       % (psycopg.__version__, conn.info.parameter_status("server_version")))

    # ---- float formatting, against the server's float8 text
    vals = float_samples()
    with conn.cursor() as cur:
        cur.execute("SELECT v::text FROM unnest(%s::float8[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
                    (vals,))
        server = [r[0] for r in cur.fetchall()]
    bad = [(repr(v), pg_float8(v), s) for v, s in zip(vals, server) if pg_float8(v) != s]
    ok(len(server) == len(vals) and not bad,
       "floats printed as psql prints float8 (%d values, extra_float_digits %s)"
       % (len(vals), conn.execute("SHOW extra_float_digits").fetchone()[0]))
    for b in bad[:20]:
        diag("python %s -> %s, server %s" % b)

    # ---- series
    with open(queries_file, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    for line in lines:
        name, *args = line.split("\t")
        args = [None if a == "\\N" else a for a in (args + ["\\N"] * 6)[:6]]
        path = os.path.join(expected_dir, name + ".out")
        expected = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                expected = [l for l in f.read().split("\n") if l]
        filters_text = args[2]
        filters_obj = None if filters_text is None else json.loads(filters_text)
        variants = [
            ("filters as Jsonb(dict)", SERIES_SQL.format(filters="%s"),
             args[:2] + [None if filters_obj is None else Jsonb(filters_obj)] + args[3:], False),
            ("filters as a JSON string, %s::jsonb", SERIES_SQL.format(filters="%s::jsonb"),
             args, False),
            ("binary cursor", SERIES_SQL.format(filters="%s"),
             args[:2] + [None if filters_obj is None else Jsonb(filters_obj)] + args[3:], True),
        ]
        for desc, sql, params, binary in variants:
            got, err = None, None
            try:
                with conn.cursor(binary=binary) as cur:
                    cur.execute(sql, params)
                    got = [psql_row(r) for r in cur.fetchall()]
            except psycopg.Error as e:
                err = e
            passed = err is None and got == expected
            ok(passed, "%s: rows equal psql's, %s (%d rows)" % (name, desc, len(expected)))
            if err is not None:
                diag(err)
            if not passed and got is not None:
                diag("psql:")
                for l in expected:
                    diag("  " + l)
                diag("psycopg:")
                for l in got:
                    diag("  " + l)
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
