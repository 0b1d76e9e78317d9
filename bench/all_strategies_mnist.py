#!/usr/bin/env python
"""Every registered strategy through the Python API on MNIST: one short run each, timed (issue #3's real-data check).

Each run: 100 random initial labels, 2 query rounds of 100, the small CNN; the pool is scored in full (59,900 images)
unless --subsample is given. Prints a table (strategy, final labels, test accuracy, query seconds per round) and writes
it to bench/results/all_strategies_mnist.md.

    python bench/all_strategies_mnist.py                 # all strategies
    python bench/all_strategies_mnist.py --strategies bald badge
"""
import argparse, os
from pathlib import Path
import torch
from fastai.data.external import untar_data, URLs
from dalmax.all import *

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--strategies', nargs='+', default=None, help='names (default: every registered strategy)')
    p.add_argument('--subsample', type=int, default=None, help='unlabelled images scored per round (default: all)')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'all_strategies_mnist.md'))
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    data = ImageData.from_root(untar_data(URLs.MNIST))
    names = a.strategies or [n for n in list_strategies() if n not in ('random',)]
    rows = ['| strategy | labels | test accuracy | query s/round (mean) | fit s/round (mean) |', '|---|---|---|---|---|']
    for name in names:
        loop = ActiveLoop(data, name, n_query=100, n_rounds=2, init=100, seed=0, subsample=a.subsample)
        with Timer() as t: h = loop.run()
        q = [o['query_time'] for o in h if o['query_time'] is not None]
        row = f"| {name} | {h[-1]['n_labelled']} | {h[-1]['test_acc']:.4f} | {sum(q)/len(q):.2f} | {sum(o['fit_time'] for o in h)/len(h):.2f} |"
        assert all(len(set(o['selected'])) == 100 for o in h[:-1]), name
        print(row, f'({t.elapsed:.0f}s)', flush=True); rows.append(row)
    text = f"MNIST (60,000 train / 10,000 test), small CNN, 100 random initial labels, 2 rounds of 100, torch threads {a.threads}, subsample {a.subsample}.\n\n" + '\n'.join(rows) + '\n'
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(text)
    print(f'written to {a.out}')

if __name__ == '__main__': main()
