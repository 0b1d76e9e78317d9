#!/usr/bin/env python
"""ProbCover against TypiClust (and random) below 100 labels on protocol A (issue 13): the table of the comparison.

Reads the `results.csv` that `bench/protocol_a.py` wrote, e.g. after

    python bench/protocol_a.py --strategies random typiclust probcover --seeds 0 1 2 3 4 --max_labels 100 \\
        --threads 1 --out bench/results/probcover_vs_typiclust

and writes `accuracy_by_labels.md` next to it: test accuracy (mean ± std over seeds) at each labelled-set size,
AUBC with its 95% bootstrap interval over seeds, and the paired difference of each strategy to `--versus`
(per seed, then a bootstrap over seeds), at every size and in AUBC. Only seeds that every strategy finished count.

    python bench/probcover_table.py bench/results/probcover_vs_typiclust
"""
import argparse
from pathlib import Path
import numpy as np, pandas as pd
from dalmax.experiments import read_results
from dalmax.metrics import run_metrics, bootstrap_ci

def paired_ci(a, b, n_boot=2000, ci=0.95, seed=0):
    "Mean of `a - b` (paired by position) and its percentile bootstrap interval"
    d = np.asarray(a, float) - np.asarray(b, float)
    return float(d.mean()), *bootstrap_ci(d, n_boot, ci, seed)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('out', help='results folder of the protocol run')
    p.add_argument('--versus', default='typiclust', help='strategy the differences are taken to')
    a = p.parse_args(argv)
    t = read_results(a.out)
    last = t.groupby(['strategy', 'seed']).n_labelled.max()
    budget = last.max()
    done = last[last == budget].reset_index()
    seeds = sorted(set.intersection(*[set(g.seed) for _, g in done.groupby('strategy')]))
    t = t[t.seed.isin(seeds) & t.strategy.isin(done.strategy.unique())]
    strategies = list(dict.fromkeys(t.strategy))
    acc = t.pivot_table(index=['strategy', 'seed'], columns='n_labelled', values='test_acc')
    sizes = list(acc.columns)
    runs = run_metrics(t).set_index(['strategy', 'seed'])
    lines = [f"# Protocol A below {budget} labels: {', '.join(strategies)}",
             '', f"Seeds {', '.join(map(str, seeds))} (every strategy finished them). Test accuracy in %, mean ± std over seeds; "
             "AUBC with a 95% percentile bootstrap interval over seeds; Δ: paired difference to "
             f"{a.versus} (per seed, bootstrap over seeds), in accuracy points.", '',
             '| strategy | ' + ' | '.join(str(n) for n in sizes) + ' | AUBC [95% CI] |', '|---|' + '---|' * (len(sizes) + 1)]
    for s in strategies:
        cells = [f"{100*acc.loc[s][n].mean():.1f} ± {100*acc.loc[s][n].std():.1f}" for n in sizes]
        au = runs.loc[s].aubc
        lo, hi = bootstrap_ci(au)
        lines.append(f"| {s} | " + ' | '.join(cells) + f" | {au.mean():.3f} [{lo:.3f}, {hi:.3f}] |")
    if a.versus in strategies:
        for s in strategies:
            if s == a.versus: continue
            cells = []
            for n in sizes:
                m, lo, hi = paired_ci(acc.loc[s][n][seeds], acc.loc[a.versus][n][seeds])
                cells.append(f"{100*m:+.1f} [{100*lo:+.1f}, {100*hi:+.1f}]")
            m, lo, hi = paired_ci(runs.loc[s].aubc[seeds], runs.loc[a.versus].aubc[seeds])
            lines.append(f"| Δ {s} − {a.versus} | " + ' | '.join(cells) + f" | {m:+.3f} [{lo:+.3f}, {hi:+.3f}] |")
    text = '\n'.join(lines) + '\n'
    (Path(a.out)/'accuracy_by_labels.md').write_text(text)
    print(text)

if __name__ == '__main__': main()
