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

Training recipe (issue #13): `--aug auto` augments the training batches (shifts, rotations and zooms for digits),
`--semi self_training` (or `fixmatch`) adds the unlabelled pool to every round (`--semi_threshold`, `--semi_ratio`,
`--semi_warmup`, `--semi_weight`), `--min_steps` and `--bs` set each round's optimizer steps and labelled batch size.
The route's settings and the round's budget go into `route.json`; each sitting's wall and CPU time into `sittings.csv`.

    python bench/protocol_a.py                                   # the full protocol: 5 seeds x 9 strategies
    python bench/protocol_a.py --seeds 0 --strategies random entropy --max_labels 60 --out /tmp/protocol_a_smoke
    python bench/protocol_a.py --threads 1 --strategies random margin --max_labels 150 --aug auto \
        --semi self_training --min_steps 200 --out bench/results/protocol_a_semi   # augmented self-training rounds
"""
from protocols import run_protocol

STRATEGIES = ['random', 'entropy', 'margin', 'bald', 'batchbald', 'coreset', 'badge', 'typiclust', 'albl']

def main(argv=None):
    run_protocol(__doc__, 'A', 'mnist', STRATEGIES, seeds=[0, 1, 2, 3, 4], max_labels=300, subsample=10000,
                 targets=[0.9, 0.95], init=dict(init_per_class=2), n_query=10, arch='cnn', argv=argv)

if __name__ == '__main__': main()
