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
from protocols import run_protocol

STRATEGIES = ['random', 'entropy', 'margin']

def main(argv=None):
    run_protocol(__doc__, 'B', 'mnist', STRATEGIES, seeds=[0, 1, 2], max_labels=5300, subsample=0,
                 targets=[0.97, 0.98], init=dict(init=300), n_query=1000, arch='cnn', argv=argv)

if __name__ == '__main__': main()
