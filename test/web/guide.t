#!/usr/bin/python3
# test/web/guide.t -- `make guide` (tools/guide.sh) as a user runs it: it builds, starts a
# private cluster with the demo data from a private tree, starts the app, prints the URL; the
# page answers as dlpg does on the same data; Ctrl-C (SIGINT to the process group, as a
# terminal sends it) stops the app and the cluster and leaves nothing behind. Then the same with
# DLPG_WEB_DSN naming an existing database: no cluster of its own, the app serves that database.
# DLPG_WEB_PORT=0 takes any free port. TAP output: prove test/web/guide.t
import json
import os
import re
import signal
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib  # noqa: E402

ARGS = "x_axis=model&filters=%7B%22phase%22%3A%22training%22%7D&group_by=precision"


def start(env):
    """tools/guide.sh in a session of its own with SIGINT as a terminal leaves it; (process,
    its output up to the URL, the URL or None)."""
    p = subprocess.Popen([os.path.join(weblib.ROOT, "tools", "guide.sh")], env=env, cwd=weblib.ROOT,
                         start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = []
    for line in p.stdout:
        out.append(line)
        m = re.match(r"dlpg-web: serving (http://\S+/)", line)
        if m:
            return p, "".join(out), m.group(1)
    p.wait()
    return p, "".join(out), None


def stop(p):
    os.killpg(p.pid, signal.SIGINT)             # Ctrl-C
    try:
        rest = p.stdout.read()
        p.wait(timeout=60)
        return rest
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        return "(did not stop in 60 s: killed)"


def answers(url):
    try:
        with urllib.request.urlopen(url + "api/series?" + ARGS, timeout=30) as r:
            return json.loads(r.read())["rows"]
    except Exception as e:                      # noqa: BLE001 -- not answering is the answer
        return "no answer: %s" % e


def main(tap):
    g = weblib.Guide(tap)
    want, _ = g.series("model", "throughput", '{"phase": "training"}', group_by="precision")

    # ---- make guide: its own private cluster with the demo data --------------------------
    # none of the running cluster's connection or identity, but how servers are started here
    # (make test-asan preloads the sanitizer runtimes through PGCLUSTER_SERVER_ENV)
    keep = ("PGCLUSTER_SERVER_ENV", "PGCLUSTER_EXTRA_CONF", "PGCLUSTER_TIMEOUT")
    env = {k: v for k, v in os.environ.items() if k in keep or not k.startswith(("PG", "DLPG_WEB_"))}
    env["DLPG_WEB_PORT"] = "0"
    p, out, url = start(env)
    tap.ok(url is not None and url.startswith("http://127.0.0.1:"), "tools/guide.sh prints the URL: %s" % url, out)
    if url:
        tap.eq(answers(url), want, "  the page answers as dlpg.series does on the demo data")
    rest = stop(p)
    tap.ok(p.returncode is not None and p.returncode != 0 and "stopping the cluster" in rest,
           "  Ctrl-C stops it (status %s)" % p.returncode, rest)
    if url:
        tap.ok(answers(url).startswith("no answer"), "  the app is gone")
    leftovers = [d for d in os.listdir("/tmp") if d.startswith("dlpg-guide.") and
                 os.path.exists(os.path.join("/tmp", d, "tree")) and
                 os.stat(os.path.join("/tmp", d)).st_mtime > START]
    tap.eq(leftovers, [], "  its private tree is removed")

    # ---- DLPG_WEB_DSN: an existing database ------------------------------------------------
    env = dict(os.environ, DLPG_WEB_DSN=g.dsn(weblib.READER), DLPG_WEB_PORT="0")
    p, out, url = start(env)
    tap.ok(url is not None and "== dlpg guide: installing" not in out and "on DLPG_WEB_DSN" in out,
           "DLPG_WEB_DSN: no build, no cluster, the app serves that database: %s" % url, out)
    if url:
        tap.eq(answers(url), want, "  the page answers as dlpg.series does on it")
    rest = stop(p)
    tap.ok(p.returncode is not None and "stopping the cluster" not in rest, "  Ctrl-C stops the app alone", rest)
    if url:
        tap.ok(answers(url).startswith("no answer"), "  the app is gone")


START = __import__("time").time()
weblib.run(main)
