"""One process against two under `torchrun`: seconds and items of every phase (fit, evaluation, inference, selection) per rank.

Runs `dalmax train-al` (through `python -m dalmax._entry`, as `torchrun ... -m dalmax._entry train-al` does) once in one
process and once under `torchrun --nproc_per_node 2` (gloo, CPU), on digits and on MNIST, and reads the `per_rank`
table that every round of the history keeps. Writes `results.csv` (one row per data set, processes, round and rank),
`summary.md` and `meta.json` (commands, wall times, load averages, whether the selections are identical) into `--out`.

    python bench/distributed.py --threads 1                # both data sets
    python bench/distributed.py --threads 1 --data digits  # digits only
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
import pandas as pd

JOBS = {
    'digits': ['--type', 'bald', '--iterations', '3', '--batch_size', '10', '--seed', '0'],
    'mnist': ['--type', 'bald', '--iterations', '2', '--batch_size', '100', '--seed', '0'],
}

def mnist_root():
    "fastai's MNIST (`untar_data(URLs.MNIST)`: no download when `FASTAI_HOME` holds it)"
    from fastai.data.external import untar_data, URLs
    return str(untar_data(URLs.MNIST))

def command(world:int, args):
    "The `train-al` command line for `world` processes"
    entry = ['-m', 'dalmax._entry', 'train-al', *args]
    if world == 1: return [sys.executable, *entry]
    return [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(world), *entry]

def run(world, args, out, env):
    "Run one job; its history rounds, wall seconds and the load averages before and after"
    cmd = command(world, [*args, '--dir_results', str(out), '--quiet'])
    load0 = os.getloadavg()
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if r.returncode != 0: sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-3000:]}")
    rounds = json.loads((out/'history.json').read_text())['rounds']
    return rounds, wall, load0, os.getloadavg(), cmd

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', nargs='+', default=list(JOBS), choices=list(JOBS))
    p.add_argument('--threads', type=int, default=1, help='torch threads per process')
    p.add_argument('--out', default='bench/results/distributed')
    p.add_argument('--work', default=None, help='folder for the runs (default: a temporary one)')
    p.add_argument('--rounding', action='store_true', help='also: weight drift from one process over a 300-step round (two processes, and a one-ulp nudge)')
    a = p.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    import tempfile
    work = Path(a.work or tempfile.mkdtemp(prefix='dalmax-dist-'))
    env = {**os.environ, 'OMP_NUM_THREADS': str(a.threads), 'OMP_WAIT_POLICY': 'PASSIVE'}
    rows, meta = [], dict(threads=a.threads, cpus=os.cpu_count(), jobs={})
    for name in a.data:
        args = list(JOBS[name])
        if name == 'mnist':
            args = ['--data', mnist_root(), *args]
            # decode once before timing: both ranks then open the same cache
            subprocess.run([sys.executable, '-c', f"from dalmax.data import ImageData; ImageData.from_root({args[1]!r}, max_size=32)"], env=env, check=True)
        sel = {}
        for world in (1, 2):
            d = work/f'{name}_{world}'
            if d.exists(): import shutil; shutil.rmtree(d)
            rounds, wall, l0, l1, cmd = run(world, args, d, env)
            sel[world] = [r['selected'] for r in rounds]
            shown = ' '.join(cmd[1:]).replace(str(d), 'DIR').replace(args[1] if name == 'mnist' else str(d), '$(untar_data(URLs.MNIST))')
            meta['jobs'][f'{name}_{world}'] = dict(command=shown, wall_s=round(wall, 1),
                                                   load_before=[round(x, 2) for x in l0], load_after=[round(x, 2) for x in l1],
                                                   test_acc=[r['test_acc'] for r in rounds])
            for r in rounds:
                for pr in r['per_rank']: rows.append(dict(data=name, processes=world, round=r['round'], **pr))
            print(f"{name}, {world} process(es): {wall:.1f}s, load {l0[0]:.2f} -> {l1[0]:.2f}", flush=True)
        meta['jobs'][name + '_selections_identical'] = sel[1] == sel[2]
        meta['jobs'][name + '_picks_in_common'] = [f'{len(set(x) & set(y))}/{len(x)}' for x, y in zip(sel[1], sel[2]) if x]
        meta['jobs'][name + '_test_acc_identical'] = meta['jobs'][f'{name}_1']['test_acc'] == meta['jobs'][f'{name}_2']['test_acc']
    df = pd.DataFrame(rows)
    df.to_csv(out/'results.csv', index=False)
    if a.rounding:
        load0 = os.getloadavg()
        rd = rounding(work/'rounding', env)
        rd.to_csv(out/'rounding.csv', index=False)
        meta['rounding'] = dict(load_before=[round(x, 2) for x in load0], load_after=[round(x, 2) for x in os.getloadavg()])
    (out/'meta.json').write_text(json.dumps(meta, indent=1))
    text = summary(df, meta)
    if a.rounding:
        text += ('\n## Rounding: one digits round of 300 steps (100 labelled items), weights against one process\n\n'
                 '`two`: two processes; `nudge`: one process whose initial weights are moved up by one ulp. '
                 f"Load average {meta['rounding']['load_before'][0]} before, {meta['rounding']['load_after'][0]} after.\n\n" + rd.to_markdown(index=False) + '\n')
    (out/'summary.md').write_text(text)
    print((out/'summary.md').read_text())

PHASES = ('fit', 'eval', 'infer', 'select')

def summary(df, meta):
    "Markdown: per data set, the seconds and items of each phase summed over the rounds, one row per (processes, rank)"
    lines = [f"Torch threads per process: {meta['threads']}; CPU cores: {meta['cpus']}.", '']
    for name, g in df.groupby('data', sort=False):
        t = g.groupby(['processes', 'rank'])[[f'{p}_{k}' for p in PHASES for k in ('s', 'n')]].sum()
        lines += [f"## {name}", '', '| processes | rank | ' + ' | '.join(f'{p} s | {p} items' for p in PHASES) + ' |',
                  '|---|---|' + '---|---|' * len(PHASES)]
        for (w, r), row in t.iterrows():
            lines.append(f'| {w} | {r} | ' + ' | '.join(f"{row[f'{p}_s']:.2f} | {int(row[f'{p}_n'])}" for p in PHASES) + ' |')
        j1, j2 = meta['jobs'][f'{name}_1'], meta['jobs'][f'{name}_2']
        one = t.loc[1].sum()
        share = {p: t.loc[2][f'{p}_n'].max() / max(one[f'{p}_n'], 1) for p in PHASES if one[f'{p}_n']}
        lines += ['', f"Largest share of one process's items done by a rank of two: " +
                  ', '.join(f'{p} {v:.2f}' for p, v in share.items()) + '.',
                  f"Selections identical to one process (same items in the same order): {meta['jobs'][name + '_selections_identical']}; "
                  f"picks in common with one process, per query round: {', '.join(meta['jobs'][name + '_picks_in_common'])}; "
                  f"test accuracies identical: {meta['jobs'][name + '_test_acc_identical']}.",
                  f"Wall time of the whole command: 1 process {j1['wall_s']} s (load average {j1['load_before'][0]} before, {j1['load_after'][0]} after), "
                  f"2 processes {j2['wall_s']} s (load average {j2['load_before'][0]} before, {j2['load_after'][0]} after).", '']
    return '\n'.join(lines)

# --- how far two processes' weights drift from one process's over a round, against a one-ulp nudge of the initial weights

STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 300)

def rounding_worker(out, variant):
    "Train one digits round (300 steps); save the weights after `STEPS` and the test predictions ('nudge': initial weights one ulp up)"
    import torch
    from fastai.callback.core import Callback
    from dalmax.core import seed_everything
    from dalmax.distributed import init_distributed
    from dalmax.data import ImageData
    from dalmax.learner import make_model, labelled_learner, fit_round
    from dalmax.inference import evaluate
    rank, world = init_distributed()
    data = ImageData.digits()
    seed_everything(0)
    m = make_model('auto', data)
    if variant == 'nudge':
        with torch.no_grad():
            for p in m.parameters(): p.copy_(torch.nextafter(p, torch.full_like(p, float('inf'))))
    class Keep(Callback):
        def before_fit(self): self.w = {}
        def after_step(self):
            if self.iter + 1 in STEPS: self.w[self.iter + 1] = torch.cat([p.detach().flatten().clone() for p in self.learn.model.parameters()])
    keep = Keep()
    learn = labelled_learner(data, torch.arange(100), data.train.y, m, steps=300, seed=1, cbs=[keep])
    fit_round(learn)
    preds = evaluate(m, data.test.x, data.test.y)[1]
    if rank == 0: torch.save(dict(w=keep.w, preds=preds), Path(out)/f'{variant}.pt')

def rounding(work, env):
    "Max |weight difference| from the one-process run after each step, for two processes and for the nudged start"
    import torch
    work.mkdir(parents=True, exist_ok=True)
    me = [Path(__file__).resolve(), '--worker', str(work)]
    subprocess.run([sys.executable, *me, 'one'], env=env, check=True)
    subprocess.run([sys.executable, *me, 'nudge'], env=env, check=True)
    subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', *me, 'two'], env=env, check=True)
    r = {v: torch.load(work/f'{v}.pt') for v in ('one', 'two', 'nudge')}
    rows = []
    for v in ('two', 'nudge'):
        for s in STEPS:
            d = (r[v]['w'][s] - r['one']['w'][s]).abs()
            rows.append(dict(variant=v, step=s, max_abs_diff=float(d.max()), median_abs_diff=float(d.median()),
                             weights_off_by_over_1e_4=int((d > 1e-4).sum()), weights=len(d)))
        rows.append(dict(variant=v, step='test predictions that differ', max_abs_diff=int((r[v]['preds'] != r['one']['preds']).sum()),
                         weights=len(r['one']['preds'])))
    return pd.DataFrame(rows)

if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--worker': rounding_worker(sys.argv[2], sys.argv[3])
    else: main()
