#!/usr/bin/env python3
"""The bundled MLPerf fixtures (data/mlperf/) as inputs of dlpg.load's MLPerf formats.

    python3 test/lib/mlperf_inputs.py training   -> {"<path>": <mlperf_training input>, ...}
    python3 test/lib/mlperf_inputs.py inference  -> {"<path>": <mlperf_inference input>, ...}

Each input is built as dlpg-load builds it from a repository: "path" from the repository folder
(training_results_v3.0/NVIDIA/results/...), the files' text byte for byte (newline=''), the
system description (systems/<system>.json) and, for training, the scaling.json beside the result
files (null when absent).  The keys are the fixture paths relative to data/mlperf/, as in
expected.json.  Run from the project root.
"""
import glob
import json
import os
import sys

ROOT = 'data/mlperf/'


def text(path):
    with open(path, encoding='utf-8', newline='') as f:
        return f.read()


def load_json(path):
    return json.loads(text(path)) if os.path.exists(path) else None


def training():
    out = {}
    for p in sorted(glob.glob(ROOT + 'training/**/result_*.txt', recursive=True)):
        rel = p[len(ROOT + 'training/'):]            # training_results_v3.0/NVIDIA/results/sys/bench/result_0.txt
        repo, submitter, _, system, _, _ = rel.split('/')
        out[p[len(ROOT):]] = {
            'path': rel,
            'result': text(p),
            'system': load_json(os.path.join(ROOT, 'training', repo, submitter, 'systems', system + '.json')),
            'scaling': load_json(os.path.join(os.path.dirname(p), 'scaling.json')),
        }
    return out


def inference():
    out = {}
    for p in sorted(glob.glob(ROOT + 'inference/**/mlperf_log_summary.txt', recursive=True)):
        run = os.path.dirname(p)
        rel = run[len(ROOT + 'inference/'):]         # inference_results_v4.1/closed/NVIDIA/results/sys/model/scenario/performance/run_1
        repo, division, submitter, _, system = rel.split('/')[:5]
        detail = os.path.join(run, 'mlperf_log_detail.txt')
        out[p[len(ROOT):]] = {
            'path': rel,
            'summary': text(p),
            'detail': text(detail) if os.path.exists(detail) else None,
            'system': load_json(os.path.join(ROOT, 'inference', repo, division, submitter, 'systems', system + '.json')),
        }
    return out


if __name__ == '__main__':
    print(json.dumps(training() if sys.argv[1:] == ['training'] else inference()))
