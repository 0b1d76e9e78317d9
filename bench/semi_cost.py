#!/usr/bin/env python
"""The cost of a training step with each recipe (issue #13): supervised, augmented, self-training, FixMatch.

For MNIST (`cnn`) and CIFAR-10 (`cifar_cnn`), trains one round of `--steps` optimizer steps on 60 (MNIST) or 1,000
(CIFAR-10) random labelled images with each recipe through `FastRoute.fit`, and reports the CPU time of the process per
100 steps (and the wall time), the ratio to the supervised recipe, and what each step sees (`FastRoute.round_budget`).
CPU time is less sensitive than wall time to other processes on a shared machine, but not immune (shared caches and
hyper-threads): compare the ratios, and the load average, which is written with the table.

    python bench/semi_cost.py --threads 1
"""
import argparse, os, time
from pathlib import Path
import torch
from fastai.data.external import untar_data, URLs
from dalmax.all import *

RECIPES = {'supervised': {}, 'augmented': dict(aug='auto'), 'self-training': dict(aug='auto', semi='self_training'),
           'FixMatch': dict(aug='auto', semi='fixmatch')}

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--steps', type=int, default=100)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'semi_cost.md'))
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    rows = ['| data | recipe | labelled + unlabelled images per step | CPU s / 100 steps | × supervised | wall s / 100 steps |', '|---|---|---|---|---|---|']
    loads = [os.getloadavg()[0]]
    for name, url, arch, n in (('MNIST', URLs.MNIST, 'cnn', 60), ('CIFAR-10', URLs.CIFAR, 'cifar_cnn', 1000)):
        data = ImageData.from_root(untar_data(url))
        idxs = torch.randperm(len(data.train), generator=torch_generator(0))[:n]
        labels = torch.full((len(data.train),), -1); labels[idxs] = data.train.y[idxs]
        base = None
        for recipe, kw in RECIPES.items():
            route = FastRoute(data, arch=arch, min_steps=a.steps, max_steps=a.steps, **kw)
            b = route.round_budget(n)
            c0, t0 = time.process_time(), time.perf_counter()
            route.fit(idxs, labels, seed=0, rnd=0)
            cpu, wall = (time.process_time() - c0) * 100 / a.steps, (time.perf_counter() - t0) * 100 / a.steps
            base = base or cpu
            rows.append(f"| {name} | {recipe} | {b['labelled']} + {b['unlabelled']} | {cpu:.2f} | {cpu/base:.2f} | {wall:.2f} |")
            print(rows[-1], flush=True); loads.append(os.getloadavg()[0])
    text = (f"Cost of 100 optimizer steps per recipe, one process at {a.threads} torch thread(s), batch size 64 "
            f"(`python bench/semi_cost.py --threads {a.threads}`); load average (1 min) during the run: "
            f"{min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} CPUs.\n\n" + '\n'.join(rows) + '\n')
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(text)
    print(text)

if __name__ == '__main__': main()
