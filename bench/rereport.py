#!/usr/bin/env python
"""Rebuild a grid's report from the `results.csv` rows its sittings wrote (when a sitting's `runs/` folders are gone).

A protocol script writes `results.csv` (one row per round) from the runs of *its own* sitting, and the report from the
same rows. When a grid was run in several sittings on different machines, or when the ignored `runs/` folders of a
sitting were lost, this script concatenates the rows (one `results.csv` per sitting, e.g. the committed one and a
later one; a run given twice must be identical, or the script stops), and writes `results.csv`, `summary.md`,
`summary.csv`, `runs.csv` and the plots into `--out` with `dalmax.reports.report`, exactly as the protocol script
would have. `protocol.json` in `--out` is updated to list the strategies and seeds of the merged table.

    git show ef250b7:bench/results/protocol_c_aug/results.csv > /tmp/c_seeds_0_2.csv    # seeds 0 and 2
    python bench/rereport.py --tables /tmp/c_seeds_0_2.csv /tmp/c_seed_1.csv \\
        --out bench/results/protocol_c_aug --targets 0.6 0.65 --ratio
"""
import argparse, json
from pathlib import Path
import numpy as np, pandas as pd
from dalmax.reports import report
from dalmax.core import atomic_write_text

def merge(paths):
    "Concatenate the round tables in `paths`; a (strategy, seed) run present in several must be identical in all"
    runs = {}
    for p in paths:
        t = pd.read_csv(p)
        for key, g in t.groupby(['strategy', 'seed'], sort=False):
            g = g.sort_values('round').reset_index(drop=True)
            if key in runs:
                a, cols = runs[key], ['round', 'n_labelled', 'test_acc']
                if len(a) != len(g) or not np.allclose(a[cols].values, g[cols].values):
                    raise SystemExit(f'{key[0]} seed {key[1]} differs between the tables: keep one of them')
            else: runs[key] = g
    order = list(dict.fromkeys(s for s, _ in runs))
    return pd.concat([runs[k] for k in sorted(runs, key=lambda k: (order.index(k[0]), k[1]))], ignore_index=True)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--tables', nargs='+', required=True, help='results.csv files, one per sitting')
    p.add_argument('--out', required=True, help='results folder (its protocol.json gives the protocol)')
    p.add_argument('--targets', type=float, nargs='+', default=[0.9, 0.95])
    p.add_argument('--baseline', default='random')
    p.add_argument('--ratio', action='store_true', help='add ratios to the baseline')
    a = p.parse_args(argv)
    table, out = merge(a.tables), Path(a.out)
    info = json.loads((out/'protocol.json').read_text())
    info.update(strategies=list(dict.fromkeys(table.strategy)), seeds=sorted(set(int(s) for s in table.seed)))
    atomic_write_text(table.to_csv(index=False), out/'results.csv')
    atomic_write_text(json.dumps(info, indent=1), out/'protocol.json')
    report(table, out, a.baseline, a.targets, a.ratio, title=info.get('data'), protocol=info.get('protocol'))
    print(f"{table.groupby(['strategy', 'seed']).ngroups} runs, {len(table)} rounds; report in {out}")

if __name__ == '__main__': main()
