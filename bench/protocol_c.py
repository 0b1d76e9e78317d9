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
from protocols import run_protocol

STRATEGIES = ['random', 'entropy', 'margin', 'bald', 'coreset', 'badge', 'typiclust']

def main(argv=None):
    run_protocol(__doc__, 'C', 'cifar10', STRATEGIES, seeds=[0, 1, 2], max_labels=5000, subsample=10000,
                 targets=[0.6, 0.65], init=dict(init=1000), n_query=1000, arch='cifar_cnn', epochs=20, ratio=True,
                 argv=argv)

if __name__ == '__main__': main()
