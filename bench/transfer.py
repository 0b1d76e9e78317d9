"""Transfer benchmark (issue 12): a backbone trained on MNIST digits 0-4, saved, then used for active learning on 5-9.

    python bench/transfer.py pretrain   # train `cnn` on digits 0-4 (all labels), save its weights
    python bench/transfer.py run        # `dalmax train-al` on digits 5-9: from scratch vs frozen pretrained, random vs margin
    python bench/transfer.py report     # table and plot from the runs' history.json files

Data comes from fastai's MNIST archive (`untar_data(URLs.MNIST)`); the two halves are folders of symlinks to its class
folders under --work. Results (tables, plot, the commands run, the load average) go to bench/results/transfer/.
"""
import argparse, json, os, sys, time, subprocess
from pathlib import Path
import torch

HERE = Path(__file__).parent
OUT = HERE/'results'/'transfer'
FIRST, SECOND = [str(i) for i in range(5)], [str(i) for i in range(5, 10)]

def split_folder(root, work, name, classes):
    "A folder `work/name/{training,testing}/<class>` of symlinks to `root`'s class folders"
    d = Path(work)/name
    for split in ('training', 'testing'):
        for c in classes:
            link = d/split/c
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists(): link.symlink_to(Path(root)/split/c, target_is_directory=True)
    return d

def mnist_root():
    from fastai.data.external import untar_data, URLs
    return untar_data(URLs.MNIST)

def pretrain(a):
    from dalmax.all import ImageData, make_model, labelled_learner, fit_round, accuracy_of, seed_everything, Timer
    d = ImageData.from_root(split_folder(mnist_root(), a.work, 'mnist_0-4', FIRST))
    seed_everything(0)
    m = make_model('cnn', d)
    learn = labelled_learner(d, torch.arange(len(d.train)), d.train.y, m, steps=a.steps, bs=128)
    with Timer() as t: fit_round(learn, 3e-3)
    acc = accuracy_of(m, d.test.x, d.test.y)
    Path(a.weights).parent.mkdir(parents=True, exist_ok=True)
    torch.save(m.state_dict(), a.weights)
    res = dict(data=str(d), arch='cnn', steps=a.steps, bs=128, train_s=round(t.elapsed, 1), test_acc_0_4=round(acc, 4),
               weights=str(a.weights), loadavg=os.getloadavg(), command=' '.join(['python'] + sys.argv))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT/'pretrain.json').write_text(json.dumps(res, indent=1))
    print(res)

VARIANTS = {'scratch': [], 'frozen': ['--weights', '{weights}'], 'fine_tune': ['--weights', '{weights}', '--fine_tune']}

def run(a):
    "`dalmax train-al` on digits 5-9 for each variant × strategy × seed; each run's stdout and wall time kept"
    data = split_folder(mnist_root(), a.work, 'mnist_5-9', SECOND)
    OUT.mkdir(parents=True, exist_ok=True)
    rf = OUT/a.runs
    runs = json.loads(rf.read_text()) if rf.exists() else {}
    for seed in a.seeds:
        for variant in a.variants:
            for strat in a.strategies:
                key = f'{variant}-{strat}-{seed}'
                dest = Path(a.work)/'runs'/key
                if key in runs and (dest/'history.json').exists(): continue
                if dest.exists(): import shutil; shutil.rmtree(dest)
                cmd = ['dalmax', 'train-al', '--data', str(data), '--arch', 'cnn', '--type', strat, '--seed', str(seed),
                       '--batch_size', str(a.batch_size), '--iterations', str(a.iterations), '--dir_results', str(dest), '--quiet',
                       *[o.format(weights=a.weights) for o in VARIANTS[variant]]]
                load0, t = os.getloadavg(), time.perf_counter()
                r = subprocess.run(cmd, capture_output=True, text=True)
                wall = time.perf_counter() - t
                if r.returncode: print(r.stderr); sys.exit(r.returncode)
                hist = json.loads((dest/'history.json').read_text())['rounds']
                runs[key] = dict(variant=variant, strategy=strat, seed=seed, command=' '.join(cmd), wall_s=round(wall, 1),
                                 loadavg=[load0, os.getloadavg()], stdout=r.stdout.splitlines(),
                                 rounds=[dict(n_labelled=h['n_labelled'], test_acc=h['test_acc'], fit_s=h['fit_time'],
                                              query_s=h['query_time'] or 0.) for h in hist])
                rf.write_text(json.dumps(runs, indent=1))
                print(key, f'{wall:.0f}s', [round(h['test_acc'], 3) for h in hist], flush=True)

def report(a):
    "results.md (accuracy vs labels, seconds per round) and accuracy_vs_labels.png from runs.json"
    import pandas as pd, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
    runs = {k: v for f in sorted(OUT.glob('runs*.json')) for k, v in json.loads(f.read_text()).items()}
    rows = [dict(variant=r['variant'], strategy=r['strategy'], seed=r['seed'], **h) for r in runs.values() for h in r['rounds']]
    df = pd.DataFrame(rows)
    acc = df.pivot_table(index='n_labelled', columns=['variant', 'strategy'], values='test_acc', aggfunc='mean')
    df['round_s'] = df.fit_s + df.query_s
    per = df.groupby(['variant', 'strategy']).agg(fit_s=('fit_s', 'mean'), query_s=('query_s', 'mean'), round_s=('round_s', 'mean'),
                                                  first_round_s=('round_s', 'first'), seeds=('seed', 'nunique'))
    wall = pd.DataFrame([dict(variant=r['variant'], strategy=r['strategy'], wall_s=r['wall_s']) for r in runs.values()]).groupby(['variant', 'strategy']).wall_s.mean()
    per['run_wall_s'] = wall
    pre = json.loads((OUT/'pretrain.json').read_text())
    fig, ax = plt.subplots(figsize=(6, 4))
    for (v, s), col in acc.items(): ax.plot(acc.index, col.values, marker='o', ms=3, ls={'frozen': '-', 'fine_tune': '-.'}.get(v, '--'), label=f'{v} {s}')
    ax.set_xlabel('labels'); ax.set_ylabel('test accuracy (digits 5-9)'); ax.grid(alpha=.3); ax.legend()
    ax.set_title('MNIST 5-9: cnn backbone pretrained on 0-4 (frozen) vs from scratch')
    fig.tight_layout(); fig.savefig(OUT/'accuracy_vs_labels.png', dpi=120)
    cmds = sorted({r['command'].replace(str(Path(a.work)), 'WORK').replace(a.weights.replace(str(Path(a.work)), 'WORK'), 'WEIGHTS') for r in runs.values()})
    md = [f"# Transfer benchmark: MNIST digits 0-4 → 5-9\n",
          f"Backbone: `cnn` trained on digits 0-4 ({pre['steps']} steps of {pre['bs']}, {pre['train_s']}s, test accuracy {pre['test_acc_0_4']} on 0-4), "
          f"saved with `torch.save(model.state_dict())`, then `dalmax train-al --weights` on digits 5-9 (pool {29404}, test {4861}): "
          "the body frozen, each round trains the head on cached embeddings (`frozen`), or with `--fine_tune` the whole network from the saved weights "
          "(`fine_tune`, the body at a 100× lower learning rate). `scratch`: the same `cnn` from a random init, trained whole every round.\n",
          f"Commands: `{' '.join(['python'] + ['bench/transfer.py', 'pretrain', '--steps', str(pre['steps'])])}`, `python bench/transfer.py run`, "
          "`python bench/transfer.py report`; each run is:\n", *[f"    {c}" for c in cmds], '',
          "## Test accuracy vs labels (mean over seeds)\n", acc.round(4).to_markdown(), '',
          "## Seconds per round (fit + query, mean over rounds; wall time of the whole run)\n", per.round(2).to_markdown(), '',
          f"Load average during the runs: {min(min(r['loadavg'][0]) for r in runs.values()):.1f}..{max(max(r['loadavg'][1]) for r in runs.values()):.1f} "
          f"on {len(os.sched_getaffinity(0))} cores shared with other jobs (timings are inflated accordingly, frozen vs scratch measured under the same load).\n",
          "![accuracy vs labels](accuracy_vs_labels.png)\n"]
    (OUT/'results.md').write_text('\n'.join(md))
    print('\n'.join(md))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('step', choices=['pretrain', 'run', 'report'])
    p.add_argument('--work', default=str(Path.home()/'.cache'/'dalmax-bench'/'transfer'), help='data links and weights')
    p.add_argument('--weights', default=None, help='backbone file (default: WORK/cnn_mnist_0-4.pth)')
    p.add_argument('--steps', type=int, default=600, help='pretraining steps (batches of 128)')
    p.add_argument('--seeds', type=int, nargs='+', default=[0], help='run seeds')
    p.add_argument('--variants', nargs='+', default=['frozen', 'scratch'], help='frozen (pretrained backbone, head trained), fine_tune (pretrained, all trained), scratch')
    p.add_argument('--strategies', nargs='+', default=['random', 'margin'], help='strategies')
    p.add_argument('--runs', default='runs.json', help='file of the runs in bench/results/transfer (runs*.json are reported together)')
    p.add_argument('--batch_size', type=int, default=10, help='labels per round')
    p.add_argument('--iterations', type=int, default=10, help='rounds')
    a = p.parse_args()
    a.weights = a.weights or str(Path(a.work)/'cnn_mnist_0-4.pth')
    torch.set_num_threads(1)
    {'pretrain': pretrain, 'run': run, 'report': report}[a.step](a)
