#!/usr/bin/env python3
"""fuzz/make-seeds.py -- (re)write the seed corpora fuzz/corpus/<harness>/ from the fixtures.

    python3 fuzz/make-seeds.py        (from the project root; deterministic, idempotent)

fuzz_log          byte 0 = options (fuzz/fuzz_log.c), then a piece of a fixture log
                  (data/dlbs/**/*.log, cut at line ends into pieces of <= 3000 bytes), a
                  hand-made log (line ends, key and blank tricks), or one JSON value (escapes,
                  surrogates, deep nesting, numbers at numeric's limits, invalid ones)
fuzz_trial_state  encoded trial states (valid and damaged) made with struct, from the format
                  in src/core/trial_wire.h
fuzz_config_state configuration aggregate states (valid and damaged), from the format in
                  src/core/config_wire.h
fuzz_mann_whitney byte 0 = where x ends, then float8s (fuzz/fuzz_mann_whitney.c): small samples
                  with and without ties (exact and asymptotic paths), NaN, infinities (dropped), -0
fuzz_reader       byte 0 = mode (fuzz/fuzz_reader.c), then .gz, .tar.gz, tar, plain text, or an
                  archive recipe
fuzz_mlperf       byte 0 = mode (fuzz/fuzz_mlperf.c), then a string, a result and a system, a
                  path or an archive
fuzz_summary      an MLPerf inference summary: each data/mlperf/**/mlperf_log_summary.txt whole,
                  and hand-made ones (line ends, rules, titles with and without colons, blanks)
The files are named by content (sha1), so rerunning changes nothing unless the inputs did.
"""
import gzip
import hashlib
import io
import os
import struct
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

# fuzz_log options
UTF8, RAW, SPACE, UESC = 0x01, 0x10, 0x20, 0x40


def write(harness, data):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gz(data, level=6):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=level, mtime=0, filename="") as g:
        g.write(data)
    return buf.getvalue()


def pieces(text, size=3000):
    """Cut at line ends into pieces of at most size bytes (a longer line is cut anyway)."""
    out, cur = [], b""
    for line in text.splitlines(keepends=True):
        if len(cur) + len(line) > size and cur:
            out.append(cur)
            cur = b""
        while len(line) > size:
            out.append(line[:size])
            line = line[size:]
        cur += line
    if cur:
        out.append(cur)
    return out


def fixture(rel):
    with open(os.path.join(ROOT, "data", "dlbs", rel), "rb") as f:
        return f.read()


# Fixtures used: one of each kind (the others are the same shape).
FIXTURES = [
    "h200/resnet50_float16_training_64.log",
    "rtx2080/alexnet_owt_4.log",
    "failed/googlenet_8_noresults.log",
    "rtx2080/run.log",
]


def log_seeds():
    opts_cycle = [UTF8, 0x00, UTF8 | SPACE, UTF8 | UESC | 0x06, 0x0E, UTF8 | SPACE | UESC]
    k = 0
    for rel in FIXTURES:
        for piece in pieces(fixture(rel)):
            write("fuzz_log", bytes([opts_cycle[k % len(opts_cycle)]]) + piece)
            k += 1

    logs = [
        b"__a__=1\n__b__ = [1, 2]\r\n__c__=\"x\"\r__d__={\"k\": null}",
        b"  \t__key__\t =  value with blanks \t\n__empty__=\n__blank__= \n__e__=",
        b"__a___=1\n___a__=2\n__a__b__=3\n__ __=4\n__a__=__b__=5\n____=6\n__x__ \t= 7",
        b"__\xc3\xa9__=\"\xc3\xa9\"\n__k__=\x1c 1 \x1f\n__v__=\x0b\"s\"\x0c",
        b"no parameters here\n_a__=1\n__a_=1\n__a__ 1\n__a__=\n",
        b"__a__=1\r\n\r\n__b__=2\r\r__c__=3\n\n__d__=4",
        b"__exp.model__=\"resnet50\"\n__results.time__=12.5\n__results.time_data__=[12.1, 12.9, 12.5]\n"
        b"__exp.status__=\"ok\"\n__exp.model__=\"alexnet\"",
        b"__a__=[1, \"two\", {\"three\": [true, false, null]}, -4.5e-3]\n__b__={\"a\":{\"b\":{\"c\":{\"d\":[]}}}}",
        b"__a__=1 2\n__b__=[1,]\n__c__={\"a\" 1}\n__d__=tru\n__e__=\"unterminated\n__f__=01",
    ]
    for i, log in enumerate(logs):
        write("fuzz_log", bytes([UTF8 if i % 2 == 0 else 0x00]) + log)

    values = [
        b'"plain"', b'""', b'"\\"\\\\\\/\\b\\f\\n\\r\\t"', b'"\\u0041\\u00e9\\u20ac"',
        b'"\\ud83d\\ude00"', b'"\\uD83D\\uDE00 \\uDBFF\\uDFFF"', b'"\\ud800"', b'"\\udc00"',
        b'"\\ud800\\u0041"', b'"\\ud800x"', b'"\\u0000"', b'"\\u00"', b'"\\x41"', b'"a\tb"',
        b'"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"', b'"\xff\xfe"', b'"12345678\\n12345678"',
        b'0', b'-0', b'-0.0e+0', b'1.5E10', b'123456789012345678901234567890', b'1e-16383',
        b'1e-16384', b'1e131071', b'1e131072', b'0e1073741822', b'0e1073741823', b'1e-16000',
        b'1e130000', b'0.' + b'0' * 16001 + b'1', b'-', b'1.', b'.5', b'1e', b'+1', b'01', b'NaN',
        b'true', b'false', b'null', b'truex', b'nul', b' \t\r\n{ "a" : [ 1 , 2 ] }\n ',
        b'{"a":1,"a":2}', b'{"":""}', b'{"a":}', b'{,}', b'[1 2]', b'{"a":1,}', b'[[]]',
        b'{"\\u00e9": {"k": [null]}}', b'[' * 1000 + b']' * 1000, b'[' * 1001 + b']' * 1001,
        b'[{"a":' * 500 + b'0' + b'}]' * 500, b'[' * 9 + b'1' + b']' * 9,
    ]
    for i, v in enumerate(values):
        write("fuzz_log", bytes([RAW | UTF8 | (i % 8) << 1]) + v)
        if b"\\u" in v and i % 3 == 0:
            write("fuzz_log", bytes([RAW | (i % 8) << 1]) + v)
        if i % 5 == 0:
            write("fuzz_log", bytes([RAW | UTF8 | SPACE | UESC]) + v)


def state(version=2, flags=0, n=0, sums=(0.0, 0.0, 0.0, 0.0, 0.0), nvalues=None, values=(), raw_n=None):
    """version, flags, n, sum, comp, scaled, min, max, nvalues, values (src/core/trial_wire.h)"""
    if nvalues is None:
        nvalues = len(values)
    b = struct.pack(">BB", version, flags)
    b += struct.pack(">Q", raw_n) if raw_n is not None else struct.pack(">q", n)
    b += struct.pack(">ddddd", *sums)
    b += struct.pack(">I", nvalues)
    b += b"".join(struct.pack(">d", v) for v in values)
    return b


def trial_seeds():
    inf, nan = float("inf"), float("nan")
    vals = [12.5, 12.1, 12.9]
    seeds = [
        state(),
        state(n=3, sums=(37.5, 0.0, 37.5 * 2.0**-64, 12.1, 12.9)),
        state(flags=1, n=3, sums=(37.5, 1e-16, 37.5 * 2.0**-64, 12.1, 12.9), values=vals),
        state(flags=1, n=0),
        state(n=2**63 - 1, sums=(inf, -inf, 1e300, nan, -0.0)),
        state(flags=1, n=5, sums=(nan, 0.0, nan, -inf, inf), values=[nan, inf, -inf, -0.0, 5e-324]),
        state(flags=1, n=40, sums=(820.0, 0.0, 820.0 * 2.0**-64, 1.0, 40.0), values=[float(i) for i in range(1, 41)]),
        # damaged
        state(version=1),
        state(flags=2),
        state(flags=1, n=3, values=vals[:2]),
        state(flags=1, n=3, nvalues=3, values=vals)[:-1],
        state(n=3, values=vals),
        state(raw_n=2**63),
        state(flags=1, raw_n=2**64 - 1, nvalues=0xFFFFFFFF),
        state(flags=1, n=2**31, nvalues=2**31),
        state()[:53],
        b"",
    ]
    for s in seeds:
        write("fuzz_trial_state", s)


def config_seeds():
    """dlpg.point_configs states (src/core/config_wire.h, version 2), valid and damaged."""
    def item(b):
        return struct.pack(">I", len(b)) + b

    def tup(values):
        out = b""
        for v in values:
            out += b"\x00" if v is None else b"\x01" + item(v)
        return out

    def state(names, first=None, differs=None, hashes=(), version=2):
        out = bytes([version]) + struct.pack(">H", len(names))
        out += b"".join(item(n) for n in names)
        if first is None:
            out += b"\x00"
        else:
            out += b"\x01" + item(tup(first))
        out += bytes(differs if differs is not None else [0] * len(names))
        out += struct.pack(">I", len(hashes)) + b"".join(struct.pack(">Q", h) for h in hashes)
        return out

    names = [b"framework", b"model", b"num_devices"]
    seeds = [
        state([]),
        state([], first=[], hashes=[7]),
        state(names, first=[b"PyTorch", None, b"\x00\x00\x00\x08"], differs=[0, 1, 0], hashes=[1, 2**64 - 1, 0]),
        state(names, first=[b"", b"ResNet50", None], hashes=list(range(1, 50))),
        # damaged
        state(names, version=1),
        state(names, first=[b"x", b"y"]),
        state(names, differs=[0, 2, 0]),
        state(names, hashes=[5]),
        state(names, first=[b"a", b"b", b"c"], hashes=[1, 2])[:-3],
        state(names) + b"\x00",
        b"\x02\xff\xff",
        b"",
    ]
    for s in seeds:
        write("fuzz_config_state", s)


def tar_bytes(entries, gzip_it):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data, kind in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == "link":
                info.type = tarfile.LNKTYPE
                info.linkname = data.decode()
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    # tarfile pads the archive to 10 kB records: keep only the two zero blocks that end it
    raw = buf.getvalue().rstrip(b"\0")
    raw += b"\0" * ((-len(raw)) % 512 + 1024)
    return gz(raw) if gzip_it else raw


def tar_claiming(name, size, data):
    """One ustar header that claims size bytes, followed by data (shorter: a forged archive)."""
    raw = bytearray(tar_bytes([(name, b"", "file")], False)[:512])
    raw[124:136] = ("%011o\0" % size).encode()
    raw[148:156] = b" " * 8
    raw[148:156] = ("%06o\0 " % sum(raw)).encode()
    return bytes(raw) + data


def reader_seeds():
    small_log = pieces(fixture("rtx2080/resnet50_8.log"), 1500)[4]
    run_log = fixture("rtx2080/run.log")
    json_doc = b'{"exp.model": "resnet50", "results.time": 12.5, "exp.status": "ok"}\n'
    entries = [
        ("logs/", b"", "dir"),
        ("logs/resnet50_8.log", small_log, "file"),
        ("logs/bench.json", json_doc, "file"),
        ("logs/run.log.gz", gz(run_log), "file"),
        ("logs/notes.txt", b"not loaded\n", "file"),
        ("logs/again.log", b"logs/resnet50_8.log", "link"),
        ("logs/" + "d" * 90 + "/long-name.LOG", b"__a__=1\n", "file"),
    ]
    seeds = [
        b"\x00" + gz(run_log),
        b"\x00" + gz(b"__a__=1\n", 1) + gz(b"__b__=2\n", 9),
        b"\x00" + gz(b"__a__=1\n") + b"\x00trailing",
        b"\x00" + gz(b"__a__=1\n")[:-5],
        b"\x00" + gz(b""),
        b"\x00" + gz(b"bad utf-8 \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 and a NUL \x00"),
        b"\x00",
        b"\x01" + tar_bytes(entries, True),
        b"\x01" + tar_bytes([("x.log", b"__a__=1\n", "file")], True)[:60],
        b"\x0a" + tar_bytes(entries[:4] + entries[5:], False),
        b"\x0a" + tar_bytes([("e.json", b"[1]", "file"), ("f.log.gz", b"not gzip", "file")], False),
        # an entry that claims 2 GiB: refused as too large (TAR_DATA_BAD_ENTRY), not read
        b"\x0a" + tar_claiming("huge.log", 2 << 30, b"__a__=1\n" + b"\0" * 1528),
        b"\x03" + run_log[:1500],
        b"\x1b" + b"\xc3\xa9 text \xe2\x82\xac\n" * 20,
        b"\x04" + bytes([0, 8]) + b"__a__=1\n" + bytes([1, 3]) + b"[1]" + bytes([2, 8]) + b"__b__=2\n"
        + bytes([3, 4]) + b"null" + bytes([4, 2]) + b"hi" + bytes([5, 0]) + bytes([6, 0]) + bytes([7, 1]) + b"x",
        b"\x0c" + bytes([0x30, 8]) + b"__c__=3\n" + bytes([0x12, 5]) + b"[2,3]" + bytes([0xC8, 9]) + b"__d__=4\n\n",
    ]
    for s in seeds:
        write("fuzz_reader", s)


def mw_value(v):
    """A float8 in fuzz_mann_whitney's recipe: 1..9 special, a quarter-step in [-32, 32), or raw bits."""
    special = {"-0": 1, "inf": 2, "-inf": 3, "nan": 4}
    if isinstance(v, str):
        return bytes([special[v]])
    if v * 4 == int(v * 4) and -128 <= v * 4 < 128:
        return bytes([100, (int(v * 4)) & 0xFF])
    return bytes([255]) + struct.pack(">d", v)


def mw_seeds():
    cases = [
        ([1, 2, 3], [4, 5, 6]),                       # exact, no ties
        ([19, 22, 16, 29, 24], [20, 11, 17, 12]),     # scipy's docstring example
        ([1, 2, 2, 3], [2, 3, 4]),                    # ties: asymptotic
        ([float(i) + 0.1 for i in range(12)], [float(i) + 0.3 for i in range(10)]),  # both > 8
        ([1.5] * 6, [1.5] * 5),                       # all tied
        ([0.25, "nan", 1], ["-0", 0, "inf"]),         # NaN dropped, -0 ties 0
        (["inf", "-inf"], [1e300, -1e-300]),
        ([], [1, 2]),
        ([3.0], []),
        ([(i * 37 % 256 - 128) / 4 for i in range(300)], [(i * 53 % 200 - 100) / 4 for i in range(300)]),  # radix sort
    ]
    for x, y in cases:
        write("fuzz_mann_whitney", bytes([len(x) % 256]) + b"".join(mw_value(v) for v in list(x) + list(y)))


def mlperf_seeds():
    """fuzz_mlperf: byte 0 the mode (0 escaper, 1 builders, 2 paths), then the data"""
    ml = os.path.join(ROOT, "data", "mlperf")
    tr = os.path.join(ml, "training", "training_results_v4.0", "NVIDIA")
    result = open(os.path.join(tr, "results", "eos_n8_ngc24.04_nemo", "llama2_70b_lora", "result_0.txt"), "rb").read()[:3000]
    system = open(os.path.join(tr, "systems", "eos_n8_ngc24.04_nemo.json"), "rb").read()
    write("fuzz_mlperf", b"\x00" + bytes(range(1, 128)) + "é€𝄞\u2028".encode("utf-8") + b"\xff\xc0\x80")
    write("fuzz_mlperf", b"\x00" + result)
    cut = 200
    write("fuzz_mlperf", b"\x01" + bytes([cut]) + result[:cut - 1] + system)
    write("fuzz_mlperf", b"\x01" + bytes([3]) + b"ab" + b"[" * 999 + b"]" * 999)
    write("fuzz_mlperf", b"\x01" + bytes([5]) + b"abcd" + b'{"a": "not closed"')
    for p in ("training_results_v4.0/NVIDIA/results/eos_n8_ngc24.04_nemo/llama2_70b_lora/result_0.txt",
              "inference_results_v4.1/closed/NVIDIA/results/S/llama2-70b-99/Offline/performance/run_1/mlperf_log_summary.txt",
              "results/s//b/./result_1.txt", "/a/b/closed/Sub"):
        write("fuzz_mlperf", b"\x02" + p.encode())
    write("fuzz_mlperf", b"\x06" + p.encode())
    # mode 3: archives of a small tree, plain tar and gzipped, entries in two orders
    entries = [("training_results_v4.0/NVIDIA/systems/s.json", system[:400]),
               ("training_results_v4.0/NVIDIA/results/s/b/result_0.txt", result[:300]),
               ("training_results_v4.0/NVIDIA/results/s/b/scaling.json", b'{"scaling_factor": 1.1}'),
               ("./inf/closed/X/results/s/m/Offline/performance/run_1/mlperf_log_summary.txt", b"Scenario : Offline\n"),
               ("./inf/closed/X/results/s/m/Offline/performance/run_1/mlperf_log_detail.txt", b":::MLLOG {}\n"),
               ("./inf/closed/X/systems/s.json", b"{}"),
               ("inf/closed/X/code/config.json", b"{}")]
    for order in (entries, entries[::-1]):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
            for name, data in order:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = 0
                t.addfile(info, io.BytesIO(data))
        write("fuzz_mlperf", b"\x03" + buf.getvalue())
        write("fuzz_mlperf", b"\x03" + gz(buf.getvalue()))


def summary_seeds():
    """fuzz_summary: the bundled summaries byte for byte, and hand-made edge cases"""
    inf = os.path.join(ROOT, "data", "mlperf", "inference")
    for dirpath, _, files in sorted(os.walk(inf)):
        for f in sorted(files):
            if f == "mlperf_log_summary.txt":
                write("fuzz_summary", open(os.path.join(dirpath, f), "rb").read())
    for s in (b"", b"===", b"==\nA : b\n", b"===\nTitle\nlabel : value\n===\nT: not a title\ntext\n",
              b"================================================\r\nMLPerf Results Summary\r\n"
              b"===========\r\nSUT name : PySUT\r\nScenario : Offline\r\n\r\n",
              b"a\rb : c\r\r\n\t\f\v \n   ===   \n \t Sec tion \t\n: \n x :: y : z \n=== =\n",
              b"===\n\n\n===\nA\nB\n===\n====x\n", b"\x00:\x00\n===\n\x00\n\xff\xfe : \xc3\xa9\n",
              b"\n" * 4100 + b"last : line"):
        write("fuzz_summary", s)


def main():
    for h in ("fuzz_log", "fuzz_trial_state", "fuzz_config_state", "fuzz_mann_whitney", "fuzz_reader", "fuzz_mlperf",
              "fuzz_summary"):
        d = os.path.join(CORPUS, h)
        if os.path.isdir(d):
            for f in os.listdir(d):
                os.remove(os.path.join(d, f))
    log_seeds()
    trial_seeds()
    config_seeds()
    mw_seeds()
    reader_seeds()
    mlperf_seeds()
    summary_seeds()
    total = 0
    for h in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, h))
        size = sum(os.path.getsize(os.path.join(CORPUS, h, f)) for f in files)
        total += size
        print(f"fuzz/corpus/{h}: {len(files)} files, {size} bytes")
    print(f"total {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
