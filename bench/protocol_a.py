#!/usr/bin/env python
"""Protocol A (issue #4): MNIST, small budgets. Writes bench/results/protocol_a/ unless --out says otherwise.

Every run starts from 20 labelled images (2 per class, drawn by the seed), trains a fresh small CNN (`cnn`) each
round, queries 10 images per round, and stops at 300 labels (28 query rounds, 29 fits). All strategies share the
seed's initial set, so they are compared paired by seed.

Each round scores a random subset of the unlabelled pool (`--subsample`, default 10,000 of the ~59,980 images),
redrawn every round from the run's seed. Scoring a random pool subset is standard practice in deep active learning
on MNIST (the reference code of Gal et al. 2017, "Deep Bayesian Active Learning with Image Data", scores a random
2,000-image subset per acquisition); it keeps the cost of scoring independent of the pool size, and random sampling
is unaffected (uniform over a uniform subset is uniform over the pool). `--subsample 0` scores the whole pool.

Reported: labels to 90% and 95% test accuracy (median and quartiles over seeds), AUBC with a 95% bootstrap interval
and its paired difference to random, final accuracy, and training and query (scoring + selection) time per round,
timed separately. Strategies that are not registered (yet) are skipped with a message.

Resumable: run the same command again after an interruption; finished runs are read back, an interrupted run
continues from its last completed round to the same result.

    python bench/protocol_a.py                                   # the full protocol: 5 seeds x 9 strategies
    python bench/protocol_a.py --seeds 0 --strategies random entropy --max_labels 60 --out /tmp/protocol_a_smoke
"""
import argparse, os, sys
from pathlib import Path
import torch
from dalmax.core import Timer
from dalmax.data import ImageData, extract_archive
from dalmax.experiments import compare, registered_strategies, rounds_for_budget

STRATEGIES = ['random', 'entropy', 'margin', 'bald', 'batchbald', 'coreset', 'badge', 'typiclust', 'albl']
INIT_PER_CLASS, N_QUERY = 2, 10

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2, 3, 4], help='run seeds')
    p.add_argument('--strategies', nargs='+', default=STRATEGIES, help='strategy names (unregistered ones are skipped)')
    p.add_argument('--max_labels', type=int, default=300, help='labelled-set size to stop at')
    p.add_argument('--subsample', type=int, default=10000, help='unlabelled images scored per round (0: all)')
    p.add_argument('--targets', type=float, nargs='+', default=[0.9, 0.95], help='accuracies for labels-to-target')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'protocol_a'), help='results folder')
    p.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    p.add_argument('--device', default=None, help='torch device (default: a GPU when present)')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    strategies = registered_strategies(a.strategies)
    n_rounds = rounds_for_budget(INIT_PER_CLASS*10, N_QUERY, a.max_labels)
    with Timer() as t: data = ImageData.from_root(extract_archive('mnist_png'))
    print(f'{data} loaded in {t.elapsed:.1f}s; {n_rounds} rounds of {N_QUERY} from {INIT_PER_CLASS*10} labels')
    with Timer() as t:
        compare(strategies, data, a.seeds, a.out, baseline='random', targets=a.targets,
                init_per_class=INIT_PER_CLASS, n_query=N_QUERY, n_rounds=n_rounds, arch='cnn', warm_start=False,
                subsample=a.subsample or None, device=a.device)
    print(f'protocol A done in {t.elapsed:.1f}s; results in {a.out}')

if __name__ == '__main__': main()
