"""Torch threads for training: a round's fit, and scoring, at 1 and at 2 threads for dalmax's models (issue #14).

    python bench/threads.py                                   # every case; results in bench/results/threads/
    python bench/threads.py --cases digits mnist --repeats 5

Each case fits a round through the command line's route (`FastRoute.fit`: a fastai `Learner`, one-cycle Adam, batches
of 64) on 20 labelled images for `steps` steps, at 1 and at 2 torch threads, alternating which count goes first from
one repeat to the next, and keeps the median; then it scores 2,000 test images (`FastRoute.evaluate`, batch size
measured by `inference_bs` for each count). Cases: dalmax's CNNs on digits, MNIST and CIFAR-10, resnet18 on CIFAR-10
(32 px) and on 64×64 random images (`resnet18_64`: only the speed of a larger input matters). The work of a training batch is `forward_macs(model) × 64`, the quantity
`choose_threads` reads: the results set `THREAD_MACS` (dalmax/learner.py). Every row has the load average before and
after it; the machine is shared, so a 2-thread figure taken under a load above 1 measures contention as much as the
model. Run without OMP_NUM_THREADS in the environment (the script sets the counts itself) and with
OMP_WAIT_POLICY=PASSIVE, as the `dalmax` command does.
"""
import argparse, json, os, statistics, sys, platform
from pathlib import Path
import torch
from fastai.data.external import untar_data, URLs
from dalmax.core import Timer
from dalmax.data import ImageData, ImageSet
from dalmax.learner import forward_macs, choose_threads, THREAD_MACS
from dalmax.route import FastRoute

CASES = {'digits': ('digits', 'auto', 300), 'mnist': ('mnist', 'auto', 300), 'cifar10': ('cifar10', 'auto', 100),
         'resnet18_32': ('cifar10', 'resnet18', 30), 'resnet18_64': ('random64', 'resnet18', 15)} # name: (data, arch, steps timed)

def load(name):
    if name == 'digits': return ImageData.digits(0)
    if name == 'random64': # 64×64 colour noise, 10 classes: only the speed of a larger input matters here
        g = torch.Generator().manual_seed(0)
        split = lambda n: ImageSet(torch.randint(0, 256, (n, 3, 64, 64), dtype=torch.uint8, generator=g), torch.arange(n) % 10, [str(i) for i in range(10)])
        return ImageData(split(2000), split(2000), name='random64')
    return ImageData.from_root(untar_data(URLs.MNIST if name == 'mnist' else URLs.CIFAR))

def run_case(name, repeats, printer=print):
    data_name, arch, steps = CASES[name]
    data = load(data_name)
    route = FastRoute(data, arch=arch, min_steps=steps, max_steps=steps)
    lab, y = torch.arange(20), data.train.y
    shape = tuple(data.train.x.shape[1:])
    macs = forward_macs(route.new_model(), shape) * route.bs
    test = torch.arange(min(2000, len(data.test)))
    fits, evals, losses = {1: [], 2: []}, {1: [], 2: []}, {}
    warm = FastRoute(data, arch=arch, min_steps=5, max_steps=5)
    for n in (1, 2): # warm-up: allocations, oneDNN primitives, the measured scoring batch size of each count
        torch.set_num_threads(n); m = warm.fit(lab, y, 0, 0).model; route.evaluate(m, test)
    load0 = os.getloadavg()[0]
    for r in range(repeats):
        for n in ((1, 2) if r % 2 == 0 else (2, 1)):
            torch.set_num_threads(n)
            with Timer() as t: learn = route.fit(lab, y, 0, 0)
            fits[n].append(t.elapsed)
            losses[n] = [float(o) for o in learn.recorder.losses]
            with Timer() as t: route.evaluate(learn.model, test)
            evals[n].append(t.elapsed)
    load1 = os.getloadavg()[0]
    med = {n: statistics.median(fits[n]) for n in (1, 2)}
    emed = {n: statistics.median(evals[n]) for n in (1, 2)}
    row = dict(case=name, data=data_name, arch=arch, img=f"{shape[1]}x{shape[2]}x{shape[0]}", macs_per_batch=macs, steps=steps,
               fit_1t_s=round(med[1], 3), fit_2t_s=round(med[2], 3), step_1t_ms=round(1000*med[1]/steps, 2), step_2t_ms=round(1000*med[2]/steps, 2),
               fit_ratio_2t_over_1t=round(med[2]/med[1], 3), eval2000_1t_s=round(emed[1], 3), eval2000_2t_s=round(emed[2], 3),
               eval_ratio_2t_over_1t=round(emed[2]/emed[1], 3), same_losses=losses[1] == losses[2],
               chosen_threads=choose_threads(route.new_model(), route.bs, shape, n_cpus=2), repeats=repeats,
               load1_before=round(load0, 2), load1_after=round(load1, 2), fits_1t=[round(o, 3) for o in fits[1]], fits_2t=[round(o, 3) for o in fits[2]])
    printer(f"{name:12} {macs/1e6:9.1f}M MACs/batch  fit {med[1]:7.2f}s @1t {med[2]:7.2f}s @2t (2t/1t {med[2]/med[1]:.2f})  "
            f"eval2000 {emed[1]:.2f}s @1t {emed[2]:.2f}s @2t  same losses {row['same_losses']}  load {load0:.2f}->{load1:.2f}")
    return row

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--cases', nargs='+', default=list(CASES), choices=list(CASES))
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'threads'))
    a = p.parse_args(argv)
    if os.environ.get('OMP_NUM_THREADS'): print(f"note: OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']} is set; the script sets the counts itself")
    rows = [run_case(c, a.repeats) for c in a.cases]
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    import pandas as pd
    df = pd.DataFrame(rows)
    df.to_csv(out/'results.csv', index=False)
    meta = dict(command='python bench/threads.py ' + ' '.join(sys.argv[1:] if argv is None else argv), THREAD_MACS=THREAD_MACS,
                cpus=os.cpu_count(), torch=torch.__version__, python=platform.python_version(),
                OMP_WAIT_POLICY=os.environ.get('OMP_WAIT_POLICY'), loadavg_end=os.getloadavg())
    (out/'meta.json').write_text(json.dumps(meta, indent=1))
    print(df.drop(columns=['fits_1t', 'fits_2t']).to_string(index=False))

if __name__ == '__main__': main()
