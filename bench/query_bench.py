#!/usr/bin/env python
"""Query benchmark (issue #5): query time and peak memory per strategy versus pool size, against one inference pass
and side by side with the peers. Writes bench/results/query_bench/ unless --out says otherwise. Same as `dalmax bench`.

Pools: synthetic embeddings (10k, 50k, 200k, 1M rows × 512, 10 classes; the 1M pool is a memory-mapped, column-major
.npy file, and k-center and entropy also run on a row-major copy), and real pools: MNIST 60k and CIFAR-10 50k with
dalmax's small CNN, trained briefly on 1,000 random labelled images. Strategies: entropy, BALD (20 MC-dropout samples),
k-center (coreset, from 100 labelled centres), BADGE, query-by-committee scoring (vote entropy of 3 heads), DeepFool
(on a random 500-item subset of each real pool).

Each case runs in a fresh process (multiprocessing spawn); memory is the peak RSS during the query above the RSS at its
start (Linux: peak reset through /proc/self/clear_refs and read from VmHWM), time the best of up to --repeats runs
(one run for pools over 100k). Peers (baal 2.1.0, modAL-python 0.4.2.1, scikit-activeml 1.0.1) come from
bench/requirements.txt, installed into the environment or into `.bench_site/`
(pip install --no-deps --target .bench_site -r bench/requirements.txt); naive references are in bench/peers.py.
Everything runs on the CPU with --threads torch threads.

    python bench/query_bench.py                                   # the full benchmark (an hour or more on 2 cores)
    python bench/query_bench.py --sizes 10000 50000 --real mnist  # a subset
    python bench/query_bench.py --sizes 2000 --real digits --n 10 --out /tmp/qb_smoke   # a smoke test, a minute
"""
import argparse, os, sys
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")   # before torch starts OpenMP: no spinning threads on a shared machine
from dalmax.bench.run import run_bench
from dalmax.bench.query import BENCH_STRATEGIES

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--sizes', type=int, nargs='*', default=[10_000, 50_000, 200_000, 1_000_000], help='synthetic pool sizes')
    p.add_argument('--real', nargs='*', default=['mnist', 'cifar10'], help='real pools: mnist, cifar10, digits')
    p.add_argument('--strategies', nargs='+', default=list(BENCH_STRATEGIES), help='strategies to time')
    p.add_argument('--n', type=int, default=100, help='items per query (k-center and BADGE: picks)')
    p.add_argument('--d', type=int, default=512, help='embedding size of the synthetic pools')
    p.add_argument('--no-peers', action='store_true', help='time dalmax only')
    p.add_argument('--peers', nargs='+', default=None, help='only these peers (name prefixes, e.g. naive baal)')
    p.add_argument('--peer-max-n', type=int, default=200_000, help='largest pool the peers run on')
    p.add_argument('--mem-cap-gb', type=float, default=None, help='skip cases estimated to need more (default: half the free memory)')
    p.add_argument('--deepfool-items', type=int, default=500, help='items DeepFool attacks on each real pool')
    p.add_argument('--threads', type=int, default=2, help='torch threads')
    p.add_argument('--repeats', type=int, default=3, help='timed runs per case at most (best kept)')
    p.add_argument('--timeout', type=float, default=1800, help='seconds before a case is stopped')
    p.add_argument('--out', default='bench/results/query_bench', help='results folder')
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args(argv)
    peers = False if a.no_peers else (a.peers or True)
    run_bench(sizes=a.sizes, real=a.real, strategies=a.strategies, n=a.n, d=a.d, peers=peers, peer_max_n=a.peer_max_n,
              mem_cap_gb=a.mem_cap_gb, deepfool_items=a.deepfool_items, threads=a.threads, repeats=a.repeats,
              timeout=a.timeout, out=a.out, seed=a.seed)

if __name__ == '__main__': main()
