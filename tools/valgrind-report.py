#!/usr/bin/env python3
"""tools/valgrind-report.py -- scan memcheck logs (one per process, vg.PID.log) of a server run
under valgrind by tools/run-tests-valgrind.sh.

    valgrind-report.py [--root DIR] [--copy-to DIR] LOGDIR

An error is dlpg's ("a finding") when any frame of any of its stacks (where it happened, where
the block was allocated or freed, where an uninitialised value was created) is in dlpg: in
dlpg.so, or in a source file under ROOT (the project root; valgrind runs with --fullpath-after=
so that frames with debug information show full paths). Other errors (PostgreSQL's own, system
libraries) are listed, grouped by kind and top frames, and do not fail the scan. A process that
valgrind saw die of a signal (SIGSEGV, SIGABRT, ...) is a crash and fails the scan.

Prints the report; with --copy-to, copies there the logs that have errors or crashes.
Exit status: 0 no finding and no crash; 1 findings or crashes; 2 no log to scan.
"""

import argparse
import collections
import glob
import os
import re
import shutil
import sys

PREFIX = re.compile(r"^==(\d+)== ?(.*)$")
FRAME = re.compile(r"^\s+(?:at|by) 0x[0-9A-Fa-f]+: (.*)$")
SUMMARY = re.compile(r"^ERROR SUMMARY: (\d+) errors? from (\d+) contexts? \(suppressed: (\d+) from (\d+)\)")
TERMINATING = re.compile(r"^Process terminating with default action of signal (\d+)")


def paragraphs(path):
    """The log's paragraphs (lists of lines, prefix removed), split at empty lines. Lines
    without the ==PID== prefix (the suppressions --gen-suppressions=all prints after an error)
    end a paragraph and are left out."""
    paras, cur = [], []
    with open(path, errors="replace") as f:
        for raw in f:
            m = PREFIX.match(raw.rstrip("\n"))
            if not m or m.group(2).strip() == "":
                if cur:
                    paras.append(cur)
                cur = []
            else:
                cur.append(m.group(2))
    if cur:
        paras.append(cur)
    return paras


def substacks(para):
    """[(heading, frames)]: the error's own stack (heading: its first line), then each further
    stack (' Address ... alloc'd', ' Uninitialised value was created by ...', ...)."""
    out, heading, fr = [], para[0].strip(), []
    for line in para[1:]:
        m = FRAME.match(line)
        if m:
            fr.append(m.group(1))
        else:
            out.append((heading, fr))
            heading, fr = line.strip(), []
    out.append((heading, fr))
    return [(h, f) for h, f in out if f]


def frames(para):
    return [m.group(1) for m in (FRAME.match(l) for l in para) if m]


def short(frame):
    """'func (/path/file.c:12)' -> 'func (file.c:12)'; 'func (in /path/lib.so)' -> 'func (lib.so)'"""
    m = re.match(r"^(.*?) \((?:in )?(.*)\)$", frame)
    if not m:
        return frame
    return "%s (%s)" % (m.group(1), os.path.basename(m.group(2)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.getcwd())
    ap.add_argument("--copy-to")
    ap.add_argument("logdir")
    args = ap.parse_args()
    root = os.path.realpath(args.root).rstrip("/") + "/"

    def is_dlpg(frame):
        return "/dlpg.so" in frame or root in frame

    logs = sorted(glob.glob(os.path.join(args.logdir, "vg.*.log")),
                  key=lambda p: int(re.sub(r"\D", "", os.path.basename(p)) or 0))
    if not logs:
        print("valgrind-report: no vg.*.log in %s: nothing ran under valgrind" % args.logdir)
        return 2

    n_errors = n_suppressed = 0
    no_summary = []
    with_errors = []
    crashes = []
    findings = collections.OrderedDict()   # key -> [count, paragraph, set(logs)]
    others = collections.OrderedDict()     # key -> [count, kind, top frames, set(logs)]
    for path in logs:
        name = os.path.basename(path)
        paras = paragraphs(path)
        summary = None
        errs_here = 0
        for para in paras:
            first = para[0].strip()
            for line in para:
                m = SUMMARY.match(line.strip())
                if m:
                    summary = m
            if summary is not None and SUMMARY.match(para[-1].strip()):
                continue
            fr = frames(para)
            if TERMINATING.match(first):
                crashes.append((name, para))
                continue
            if not fr or first.startswith(("Memcheck,", "HEAP SUMMARY", "Command:", "Parent PID")):
                continue
            errs_here += 1
            if any(is_dlpg(f) for f in fr):
                key = (first, tuple(short(f) for f in fr[:8]))
                entry = findings.setdefault(key, [0, para, set()])
                entry[0] += 1
                entry[2].add(name)
            else:
                # grouped by kind and the top frames of each stack (where, and where from)
                stacks = tuple((h, tuple(short(f) for f in fs[:4])) for h, fs in substacks(para))
                key = (first, stacks)
                entry = others.setdefault(key, [0, first, stacks, set()])
                entry[0] += 1
                entry[3].add(name)
        if summary:
            n_errors += int(summary.group(1))
            n_suppressed += int(summary.group(3))
            if int(summary.group(1)) > 0:
                with_errors.append(name)
        else:
            no_summary.append(name)
            if errs_here:
                with_errors.append(name)

    print("valgrind logs: %d processes; ERROR SUMMARY total: %d errors (%d suppressed); "
          "%d processes with errors; %d logs without a summary (process still running or killed)"
          % (len(logs), n_errors, n_suppressed, len(with_errors), len(no_summary)))
    for name in no_summary[:10]:
        with open(os.path.join(args.logdir, name), errors="replace") as f:
            lines = [l.rstrip("\n") for l in f]
        command = next((l for l in lines if "Command:" in l), "(no Command line)")
        print("  without a summary: %s: %s ... last line: %s"
              % (name, command.split("Command:", 1)[-1].strip()[:80], lines[-1] if lines else "(empty)"))
    n_find = sum(e[0] for e in findings.values())
    n_other = sum(e[0] for e in others.values())
    print("error contexts with a frame in dlpg: %d (%d distinct); error contexts elsewhere only: "
          "%d (%d distinct); crashes: %d" % (n_find, len(findings), n_other, len(others), len(crashes)))

    if findings:
        print("\n==== FINDINGS: errors in dlpg ====")
        for (first, _), (count, para, names) in findings.items():
            print("\n-- %dx, in %s --" % (count, ", ".join(sorted(names)[:5]) + (" ..." if len(names) > 5 else "")))
            print("\n".join(para))
    if crashes:
        print("\n==== CRASHES: processes killed by a signal ====")
        for name, para in crashes:
            print("\n-- %s --" % name)
            print("\n".join(para[:30]))
    if others:
        print("\n==== errors outside dlpg (PostgreSQL, system libraries): listed, not failures ====")
        for (first, stacks), (count, _, _, names) in others.items():
            print("\n-- %dx in %d process(es): %s" % (count, len(names), first))
            for i, (heading, top) in enumerate(stacks):
                if i > 0:
                    print("   " + heading)
                for f in top:
                    print("     " + f)

    if args.copy_to:
        os.makedirs(args.copy_to, exist_ok=True)
        for name in sorted(set(with_errors) | {n for n, _ in crashes}):
            shutil.copy(os.path.join(args.logdir, name), args.copy_to)

    return 1 if findings or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
