#!/usr/bin/env python
"""Training recipes side by side (issue #13): one table and one figure from the results folders of protocol grids.

Each `--runs` entry is `LABEL=FOLDER`, a folder written by a protocol script (`results.csv`, and `sittings.csv` /
`route.json` when it has them). The table has one row per recipe and strategy: AUBC with its 95% bootstrap interval,
its paired difference to random *trained with the same recipe*, labels to each target accuracy (median [quartiles]
over seeds), final test and training accuracy, and the wall time per round (each run's mean, median over seeds) split into fit, inference (scoring
the pool) and selection. The figure shows the learning curves (mean over seeds) of the plotted strategies under each
recipe, and the time per round, split the same way. Writes `<out>.md`, `<out>.csv`, `<out>.png` and `<out>.pdf`.

    python bench/semi_report.py --runs supervised=bench/results/protocol_a semi=bench/results/protocol_a_semi \\
        --targets 0.9 0.95 --plot random margin --out bench/results/protocol_a_semi/comparison
"""
import argparse
from pathlib import Path
import numpy as np, pandas as pd
from dalmax.experiments import read_results
from dalmax.metrics import summarise, learning_curves
from dalmax.reports import save_figure
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg

def _labels(r, t, budget):
    c = f'labels_to_{t:g}'
    if r[c + '_reached'] == 0: return f'>{budget:g}'
    f = lambda v: f'>{budget:g}' if np.isinf(v) else f'{v:g}'
    s = f"{f(r[c+'_median'])} [{f(r[c+'_q1'])}, {f(r[c+'_q3'])}]"
    return s if r[c + '_reached'] == r.n_seeds else f"{s} ({int(r[c+'_reached'])}/{int(r.n_seeds)})"

def _cost(folder):
    p = Path(folder)/'sittings.csv'
    if not p.exists(): return None
    s = pd.read_csv(p)
    return dict(sittings=len(s), wall_h=s.wall_s.sum()/3600, cpu_h=s.cpu_s.sum()/3600, load=f"{s.load1_start.min():.1f}-{s.load1_end.max():.1f}")

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--runs', nargs='+', required=True, help='LABEL=FOLDER, one per recipe')
    p.add_argument('--targets', type=float, nargs='+', default=[0.9, 0.95])
    p.add_argument('--plot', nargs='+', default=['random', 'margin'], help='strategies drawn in the figure')
    p.add_argument('--out', required=True, help='output path without suffix')
    p.add_argument('--title', default=None)
    p.add_argument('--max_labels', type=int, default=None, help='compare on the rounds up to this many labels (grids of different lengths)')
    p.add_argument('--strategies', nargs='+', default=None, help='strategies in the table (default: all)')
    a = p.parse_args(argv)
    rows, curves, times = [], [], []
    for spec in a.runs:
        label, folder = spec.split('=', 1)
        t = read_results(folder)
        if a.max_labels: t = t[t.n_labelled <= a.max_labels]
        if a.strategies: t = t[t.strategy.isin(a.strategies)]
        s = summarise(t, 'random', a.targets)
        last = t.sort_values('round').groupby(['strategy', 'seed']).tail(1).groupby('strategy').train_acc.mean()
        tcols = ['fit_time', 'infer_time', 'strategy_time']
        # seconds per round: each run's mean, then the median over seeds (one run on a loaded machine does not move it)
        med = t.groupby(['strategy', 'seed'], sort=False)[tcols].mean().groupby('strategy', sort=False).median()
        for _, r in s.iterrows():
            row = {'recipe': label, 'strategy': r.strategy, 'seeds': int(r.n_seeds),
                   'AUBC [95% CI]': f'{r.aubc:.3f} [{r.aubc_lo:.3f}, {r.aubc_hi:.3f}]',
                   'Δ AUBC vs random, same recipe [95% CI]': f'{r.d_aubc:+.3f} [{r.d_aubc_lo:+.3f}, {r.d_aubc_hi:+.3f}]'}
            row.update({f'labels to {100*x:g}%': _labels(r, x, r.budget) for x in a.targets})
            row.update({'final acc': f'{r.final_acc:.4f} ± {r.final_acc_std:.4f}', 'final train acc': f'{last[r.strategy]:.3f}',
                        'fit s/round': f'{med.fit_time[r.strategy]:.2f}',
                        'inference s/round': f'{med.infer_time[r.strategy]:.2f}' if not np.isnan(med.infer_time[r.strategy]) else '–',
                        'selection s/round': f'{med.strategy_time[r.strategy]:.3f}' if not np.isnan(med.strategy_time[r.strategy]) else '–'})
            rows.append(row)
        c = learning_curves(t); c['recipe'] = label; curves.append(c)
        m = med.reset_index(); m['recipe'] = label
        times.append(m)
    table = pd.DataFrame(rows)
    cols = list(table.columns)
    md = ['| ' + ' | '.join(cols) + ' |', '|' + '---|'*len(cols)] + ['| ' + ' | '.join(str(v) for v in r) + ' |' for r in table.values]
    costs = [(spec.split('=', 1)[0], _cost(spec.split('=', 1)[1])) for spec in a.runs]
    notes = [f"- {l}: {c['sittings']} sitting(s), {c['wall_h']:.2f} h wall, {c['cpu_h']:.2f} h CPU (load average {c['load']})" for l, c in costs if c]
    out = Path(a.out); out.parent.mkdir(parents=True, exist_ok=True)
    scope = f" Rounds up to {a.max_labels} labels." if a.max_labels else ''
    text = (f"# {a.title or 'Training recipes side by side'}\n\nRecipes: " + ', '.join(f'`{s}`' for s in a.runs) + f".{scope}\n\n" + '\n'.join(md) + '\n'
            + ('\nGrid cost (from `sittings.csv`):\n\n' + '\n'.join(notes) + '\n' if notes else ''))
    out.with_suffix('.md').write_text(text); table.to_csv(out.with_suffix('.csv'), index=False)
    fig = Figure(figsize=(13, 4.5)); FigureCanvasAgg(fig)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    styles = ['--', '-', ':', '-.']
    for k, c in enumerate(curves):
        for j, s in enumerate(a.plot):
            g = c[c.strategy == s]
            if len(g): ax1.plot(g.n_labelled, g['mean'], styles[k % 4], color=f'C{j}', marker='o', ms=2.5, label=f"{s}, {g.recipe.iloc[0]}")
    for t_ in a.targets: ax1.axhline(t_, color='grey', lw=.6)
    ax1.set(xlabel='labelled images', ylabel='test accuracy (mean over seeds)', title='learning curves'); ax1.grid(alpha=.3); ax1.legend(fontsize=7, handlelength=4)
    tm = pd.concat(times); tm = tm[tm.strategy.isin(a.plot)]
    x = np.arange(len(tm)); bottom = np.zeros(len(tm))
    for k, (col, lab) in enumerate((('fit_time', 'fit'), ('infer_time', 'inference'), ('strategy_time', 'selection'))):
        v = tm[col].fillna(0).to_numpy(); ax2.bar(x, v, bottom=bottom, label=lab, color=f'C{k+4}'); bottom += v
    ax2.set_xticks(x, [f'{s}\n{r}' for s, r in zip(tm.strategy, tm.recipe)], fontsize=7)
    ax2.set(ylabel='seconds per round (median over seeds)', title='time per round (wall: depends on the machine load)'); ax2.legend(fontsize=8); ax2.grid(axis='y', alpha=.3)
    if a.title: fig.suptitle(a.title)
    fig.tight_layout(); save_figure(fig, out)
    print(text)

if __name__ == '__main__': main()
