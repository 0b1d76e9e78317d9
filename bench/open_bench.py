#!/usr/bin/env python
"""Opening a dataset (issue 14): dalmax's cold and warm open of MNIST and CIFAR-10 against a plain decode floor.

For each dataset (fastai's `untar_data(URLs.MNIST)` / `untar_data(URLs.CIFAR)`, train and test splits together):
  floor  a plain script: list the files (os.walk, sorted), decode every file with PIL in `multiprocessing.Pool(2)`
         into numpy arrays, stack them; no cache.
  cold   `ImageData.from_root(root, cache_dir=<empty folder>, n_workers=2)`: scan, decode, write the cache.
  warm   the same call again on the same cache folder: scan, stat, memory map (no image is read).
The three run interleaved, --repeats times (best kept), after one untimed floor pass that puts the files in the OS page
cache. Ratios are best-of / best-of measured in the same run; the load average is recorded before and after.
Everything else stays at one thread (OMP_NUM_THREADS=1).

    nice python bench/open_bench.py                        # both datasets, best of 3: writes bench/results/open/
    python bench/open_bench.py --datasets mnist --repeats 1 --out /tmp/open_smoke
"""
import argparse, csv, os, shutil, sys, tempfile, time, warnings
os.environ.setdefault('OMP_NUM_THREADS', '1'); os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
from multiprocessing import Pool
from pathlib import Path
import numpy as np
from PIL import Image

def _decode(f):
    with Image.open(f) as im: return np.asarray(im)

def floor(root, procs=2):
    "The plain floor: list, decode in a process pool, stack; return the number of images"
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
    with Pool(procs) as p: arrs = p.map(_decode, files, chunksize=256)
    return len(np.stack(arrs))

def dalmax_open(root, cache_dir, procs=2):
    from dalmax.data import ImageData
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        d = ImageData.from_root(root, cache_dir=cache_dir, n_workers=procs)
    return len(d.train) + len(d.test)

def timed(fn, *args):
    t = time.perf_counter(); n = fn(*args); return time.perf_counter() - t, n

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--datasets', nargs='+', default=['mnist', 'cifar10'], choices=['mnist', 'cifar10'])
    p.add_argument('--repeats', type=int, default=3, help='timed runs of each method (best kept)')
    p.add_argument('--procs', type=int, default=2, help='processes for the floor and for dalmax')
    p.add_argument('--out', default='bench/results/open', help='results folder')
    a = p.parse_args(argv)
    from fastai.data.external import untar_data, URLs
    import dalmax
    roots = {'mnist': untar_data(URLs.MNIST), 'cifar10': untar_data(URLs.CIFAR)}
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg(); rows, summary = [], []
    for name in a.datasets:
        root = roots[name]
        n_floor = floor(root, a.procs)                     # untimed: files into the page cache
        best = {}
        for r in range(a.repeats):
            cache = Path(tempfile.mkdtemp(prefix='dalmax_open_bench_'))
            try:
                for method, fn, args in (('floor', floor, (root, a.procs)), ('cold', dalmax_open, (root, cache, a.procs)),
                                         ('warm', dalmax_open, (root, cache, a.procs))):
                    s, n = timed(fn, *args)
                    assert n == n_floor, (method, n, n_floor)
                    rows.append(dict(dataset=name, method=method, run=r, seconds=round(s, 4), images=n, load1=round(os.getloadavg()[0], 2)))
                    best[method] = min(best.get(method, float('inf')), s)
                    print(f'{name:8s} {method:5s} run {r}: {s:6.3f} s  ({n} images, load {os.getloadavg()[0]:.2f})', flush=True)
            finally: shutil.rmtree(cache, ignore_errors=True)
        summary.append(dict(dataset=name, images=n_floor, floor=best['floor'], cold=best['cold'], warm=best['warm'],
                            cold_ratio=best['cold']/best['floor'], warm_ratio=best['warm']/best['floor']))
    load_after = os.getloadavg()
    with open(out/'results.csv', 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0])); w.writeheader(); w.writerows(rows)
    lines = ['# Opening a dataset: dalmax cold and warm against a plain decode floor', '',
             f'`{" ".join(["python bench/open_bench.py"] + (argv if argv is not None else sys.argv[1:]))}` '
             f'(dalmax {dalmax.__version__}, {os.cpu_count()} cores, {a.procs} processes, best of {a.repeats}).', '',
             f'Load average (1, 5, 15 min) before: {", ".join(f"{v:.2f}" for v in load_before)}; '
             f'after: {", ".join(f"{v:.2f}" for v in load_after)}.', '',
             '| dataset | images | floor (s) | dalmax cold (s) | dalmax warm (s) | cold / floor | warm / floor |',
             '|---|---|---|---|---|---|---|']
    lines += [f"| {s['dataset']} | {s['images']:,} | {s['floor']:.3f} | {s['cold']:.3f} | {s['warm']:.3f} | "
              f"{s['cold_ratio']:.2f}× | {s['warm_ratio']:.3f}× |" for s in summary]
    lines += ['', 'Targets (issue 14): warm ≤ 0.2×, cold ≤ 1.2× the floor.', '',
              '- floor: list the files, decode each with PIL in `multiprocessing.Pool(2)` into numpy, stack; no cache.',
              '- cold: `ImageData.from_root(root, cache_dir=<empty folder>, n_workers=2)` (train and test splits).',
              '- warm: the same call on the same cache folder.',
              '', 'Every run is in `results.csv` (seconds, and the 1-minute load average right after it).']
    (out/'results.md').write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))

if __name__ == '__main__': main()
