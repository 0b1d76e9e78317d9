#!/usr/bin/env python
"""Protocol B (issue #4): MNIST, large batches. Writes bench/results/protocol_b/ unless --out says otherwise.

Every run starts from 300 random labelled images (drawn by the seed), trains a fresh small CNN (`cnn`) each round,
queries 1,000 images per round and stops at 5,300 labels (5 query rounds, 6 fits); 3 seeds, random against the
uncertainty strategies entropy and margin. The whole unlabelled pool is scored each round (`--subsample` to change).

Reported: AUBC with a 95% bootstrap interval and its paired difference to random, labels to 97% and 98% test
accuracy, final accuracy, training and query time per round. Resumable: run the same command again.

    python bench/protocol_b.py
    python bench/protocol_b.py --seeds 0 --max_labels 1300 --out /tmp/protocol_b_smoke
"""
import argparse
from pathlib import Path
import torch
from dalmax.core import Timer
from dalmax.data import ImageData, extract_archive
from dalmax.experiments import compare, registered_strategies, rounds_for_budget

STRATEGIES = ['random', 'entropy', 'margin']
INIT, N_QUERY = 300, 1000

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='run seeds')
    p.add_argument('--strategies', nargs='+', default=STRATEGIES, help='strategy names (unregistered ones are skipped)')
    p.add_argument('--max_labels', type=int, default=5300, help='labelled-set size to stop at')
    p.add_argument('--subsample', type=int, default=0, help='unlabelled images scored per round (0: all)')
    p.add_argument('--targets', type=float, nargs='+', default=[0.97, 0.98], help='accuracies for labels-to-target')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'protocol_b'), help='results folder')
    p.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    p.add_argument('--device', default=None, help='torch device (default: a GPU when present)')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    strategies = registered_strategies(a.strategies)
    n_rounds = rounds_for_budget(INIT, N_QUERY, a.max_labels)
    with Timer() as t: data = ImageData.from_root(extract_archive('mnist_png'))
    print(f'{data} loaded in {t.elapsed:.1f}s; {n_rounds} rounds of {N_QUERY} from {INIT} labels')
    with Timer() as t:
        compare(strategies, data, a.seeds, a.out, baseline='random', targets=a.targets,
                init=INIT, n_query=N_QUERY, n_rounds=n_rounds, arch='cnn', warm_start=False,
                subsample=a.subsample or None, device=a.device)
    print(f'protocol B done in {t.elapsed:.1f}s; results in {a.out}')

if __name__ == '__main__': main()
