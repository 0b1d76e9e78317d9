#!/usr/bin/env python
"""Protocol C (issue #4): CIFAR-10 with a small CNN. Writes bench/results/protocol_c/ unless --out says otherwise.

Every run starts from 1,000 random labelled images (drawn by the seed), trains a fresh `cifar_cnn` (three conv-BN-pool
blocks, 256-d embedding) for 20 epochs each round, queries 1,000 images per round and stops at 5,000 labels (4 query
rounds, 5 fits); 3 seeds. With 10 epochs the CNN underfits (training accuracy 0.74-0.78 from 2,000 labels on), which
handicaps the uncertainty strategies, so the default is 20. Each round scores a random 10,000-image subset of the
unlabelled pool (redrawn every round from the run's seed; `--subsample 0` scores all ~45,000-49,000 images).

Reported: each strategy's ratio to random — AUBC ÷ random and final accuracy ÷ random, with paired 95% bootstrap
intervals over seeds — next to AUBC, its difference to random, labels to the target accuracies, final accuracy,
and training and query time per round. Unregistered strategies are skipped with a message. Resumable: run the
same command again.

    python bench/protocol_c.py
    python bench/protocol_c.py --seeds 0 --strategies random entropy --max_labels 2000 --out /tmp/protocol_c_smoke
"""
import argparse
from pathlib import Path
import torch
from dalmax.core import Timer
from dalmax.data import ImageData, extract_archive
from dalmax.experiments import compare, registered_strategies, rounds_for_budget

STRATEGIES = ['random', 'entropy', 'margin', 'bald', 'coreset', 'badge', 'typiclust']
INIT, N_QUERY = 1000, 1000

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='run seeds')
    p.add_argument('--strategies', nargs='+', default=STRATEGIES, help='strategy names (unregistered ones are skipped)')
    p.add_argument('--max_labels', type=int, default=5000, help='labelled-set size to stop at')
    p.add_argument('--subsample', type=int, default=10000, help='unlabelled images scored per round (0: all)')
    p.add_argument('--targets', type=float, nargs='+', default=[0.6, 0.65], help='accuracies for labels-to-target')
    p.add_argument('--epochs', type=int, default=20, help='passes over the labelled set per round (at least 300 steps)')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'protocol_c'), help='results folder')
    p.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    p.add_argument('--device', default=None, help='torch device (default: a GPU when present)')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    strategies = registered_strategies(a.strategies)
    n_rounds = rounds_for_budget(INIT, N_QUERY, a.max_labels)
    with Timer() as t: data = ImageData.from_root(extract_archive('cifar10'))
    print(f'{data} loaded in {t.elapsed:.1f}s; {n_rounds} rounds of {N_QUERY} from {INIT} labels')
    with Timer() as t:
        compare(strategies, data, a.seeds, a.out, baseline='random', targets=a.targets, ratio=True,
                init=INIT, n_query=N_QUERY, n_rounds=n_rounds, arch='cifar_cnn', epochs=a.epochs, warm_start=False,
                subsample=a.subsample or None, device=a.device)
    print(f'protocol C done in {t.elapsed:.1f}s; results in {a.out}')

if __name__ == '__main__': main()
