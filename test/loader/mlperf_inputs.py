#!/usr/bin/env python3
"""Check the MLPerf inputs dlpg-load wrote with DLPG_LOAD_DUMP_INPUTS against the files they came from.

    mlperf_inputs.py DUMP_DIR [--tar-root DIR]

Reads DUMP_DIR/index.tsv (ordinal, format, source, file). For every mlperf_training and
mlperf_inference input: the file is one strict JSON object (python's json, which refuses raw
control characters in strings) with exactly the contract's keys; "result", "summary" and "detail"
are the files' texts, exactly; "system" is systems/<system>.json parsed, a JSON string holding its
text when it is not JSON, or null when there is none; "scaling" the same for scaling.json; "path"
starts at the folder above the submitter folder (the repository) and, for inference, at the one
above the division. The files are found from the source (the path as walked; for an archive entry
"<archive>!<entry>", DIR/<entry>), independently of the loader's own rules.

Prints "training=N inference=M" and one "ERROR: ..." line per mismatch (exit status 1).
"""
import json
import os
import sys

DIVISIONS = {"closed", "open", "network"}


def text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def aux(path):
    if not os.path.exists(path):
        return None
    t = text(path)
    try:
        return json.loads(t)
    except ValueError:
        return t


def submitter_of(path):
    """the submitter folder above path: the nearest folder with results/ and systems/"""
    d = os.path.dirname(os.path.abspath(path))
    while d != "/":
        if os.path.isdir(os.path.join(d, "results")) and os.path.isdir(os.path.join(d, "systems")):
            return d
        d = os.path.dirname(d)
    raise ValueError("no submitter folder above " + path)


def expected_path(disk, sub, inference):
    keep = [os.path.basename(os.path.dirname(sub)), os.path.basename(sub)]
    if inference and os.path.basename(os.path.dirname(sub)).lower() in DIVISIONS:
        keep.insert(0, os.path.basename(os.path.dirname(os.path.dirname(sub))))
    rel = os.path.relpath(os.path.abspath(disk), sub)
    return "/".join(keep + [rel])


def main():
    dump = sys.argv[1]
    tar_root = sys.argv[sys.argv.index("--tar-root") + 1] if "--tar-root" in sys.argv else None
    errors = []
    counts = {"mlperf_training": 0, "mlperf_inference": 0}
    with open(os.path.join(dump, "index.tsv"), "rb") as f:
        lines = f.read().decode("utf-8", "surrogateescape").splitlines()
    for line in lines:
        _, fmt, source, name = line.split("\t")
        if fmt not in counts:
            continue
        counts[fmt] += 1
        disk = source
        if "!" in source and tar_root:
            disk = os.path.join(tar_root, source.split("!", 1)[1])
        try:
            with open(os.path.join(dump, name), "rb") as f:
                d = json.loads(f.read().decode("utf-8"))
        except ValueError as e:
            errors.append("%s: not strict JSON: %s" % (source, e))
            continue
        sub = submitter_of(disk)
        if fmt == "mlperf_training":
            want_keys = ["path", "result", "system", "scaling"]
            system = os.path.basename(os.path.dirname(os.path.dirname(disk)))
            want = {"path": expected_path(disk, sub, False), "result": text(disk),
                    "system": aux(os.path.join(sub, "systems", system + ".json")),
                    "scaling": aux(os.path.join(os.path.dirname(disk), "scaling.json"))}
        else:
            want_keys = ["path", "summary", "detail", "system"]
            system = os.path.relpath(disk, os.path.join(sub, "results")).split("/")[0]
            detail = os.path.join(disk, "mlperf_log_detail.txt")
            want = {"path": expected_path(disk, sub, True),
                    "summary": text(os.path.join(disk, "mlperf_log_summary.txt")),
                    "detail": text(detail) if os.path.exists(detail) else None,
                    "system": aux(os.path.join(sub, "systems", system + ".json"))}
        if list(d.keys()) != want_keys:
            errors.append("%s: keys %s, expected %s" % (source, list(d.keys()), want_keys))
        for k in want_keys:
            if d.get(k) != want[k]:
                errors.append("%s: %s is %.200r, expected %.200r" % (source, k, d.get(k), want[k]))
    print("training=%d inference=%d" % (counts["mlperf_training"], counts["mlperf_inference"]))
    for e in errors:
        print("ERROR: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
