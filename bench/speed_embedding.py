"""Speed of the embedding-based strategies against the memory-bandwidth floor.

An exact k-center greedy or BADGE must read the N×d embeddings once per pick. The floor is the time of `picks`
matrix-vector products with the N×d matrix, measured in the same run: NumPy (`X @ v`, the reference), torch
(`torch.mv(X, v)`), torch on the transposed d×N copy the strategies use (`v @ X.T`), and, as the true bandwidth
bound, `picks` plain reads of the matrix (`X.sum()`). Ratios are to the NumPy floor.
Each timing is run `--repeats` times, interleaved so that all share the machine's load; best and median are shown.
OMP_WAIT_POLICY defaults to PASSIVE here: on a machine shared with other jobs, OpenMP threads that spin between
parallel regions steal the cores the work needs (set OMP_WAIT_POLICY=ACTIVE to measure without it).

    python bench/speed_embedding.py                 # 50,000 × 512, 1000 picks, 2 threads
    python bench/speed_embedding.py --n 20000       # the size of scikit-activeml's CoreSet figure
"""
import os, argparse, time
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE") # before torch starts OpenMP
import numpy as np, torch
from dalmax.core import torch_generator
from dalmax.strategies.diversity import kmeans_picks, typiclust_picks
from dalmax.strategies.coreset import kcenter_greedy
from dalmax.strategies.badge import badge_picks

def timings(fns, repeats):
    "Run each function in `fns` once per round, `repeats` rounds: the wall times of each, sorted"
    ts = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():
            t = time.perf_counter(); f(); ts[k].append(time.perf_counter() - t)
    return {k: sorted(v) for k, v in ts.items()}

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=50_000, help='pool size')
    p.add_argument('--d', type=int, default=512, help='embedding size')
    p.add_argument('--classes', type=int, default=10, help='classes of the BADGE probabilities')
    p.add_argument('--picks', type=int, default=1000, help='k-center and BADGE picks')
    p.add_argument('--labelled', type=int, default=100, help='labelled centres k-center starts from')
    p.add_argument('--cluster-n', type=int, default=10_000, help='pool size of the k-means and TypiClust runs')
    p.add_argument('--cluster-d', type=int, default=128, help='embedding size of the k-means and TypiClust runs')
    p.add_argument('--cluster-picks', type=int, default=100, help='k-means and TypiClust picks')
    p.add_argument('--repeats', type=int, default=3, help='runs of each timing; the best is kept')
    p.add_argument('--threads', type=int, default=2, help='torch threads')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    g = torch_generator(0)
    x = torch.randn(a.n, a.d, generator=g)
    lab = torch.randn(a.labelled, a.d, generator=g)
    probs = torch.softmax(2 * torch.randn(a.n, a.classes, generator=g), 1)
    xn = x.numpy()
    vs = x[torch.randint(a.n, (a.picks,), generator=g)]
    vn = vs.numpy()
    def floor_np():
        for v in vn: xn @ v
    def floor_torch():
        for v in vs: torch.mv(x, v)
    xt = x.T.contiguous()
    def floor_torch_t():
        for v in vs: v @ xt
    def read():
        for v in vs: x.sum()
    picks = {}
    def kc(): picks['kcenter'] = kcenter_greedy(x, a.picks, lab, torch_generator(1))
    def bd(): picks['badge'] = badge_picks(probs, x, a.picks, torch_generator(1))
    t = timings({'floor: NumPy X @ v': floor_np, 'floor: torch.mv(X, v)': floor_torch,
                 'floor: torch v @ X.T (transposed copy)': floor_torch_t, 'read: X.sum()': read,
                 f'k-center greedy ({a.labelled} labelled)': kc, 'BADGE': bd}, a.repeats)
    for k, v in picks.items(): assert len(torch.unique(v)) == a.picks, k
    floor = t['floor: NumPy X @ v'][0]

    xc = torch.randn(a.cluster_n, a.cluster_d, generator=g)
    lc = torch.randn(a.cluster_picks, a.cluster_d, generator=g)
    tc = timings({f'k-means sampling': lambda: kmeans_picks(xc, a.cluster_picks, torch_generator(1)),
                  f'TypiClust ({a.cluster_picks} labelled)': lambda: typiclust_picks(xc, lc, a.cluster_picks, torch_generator(1))},
                 a.repeats)

    print(f"torch {torch.__version__}, numpy {np.__version__}, {a.threads} threads, {a.repeats} runs each, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}")
    print(f"pool {a.n:,} × {a.d} float32, {a.picks} picks ({a.classes} classes for BADGE)")
    print(f"{'':42s}{'best s':>9s}{'median s':>10s}{'best × NumPy':>14s}")
    for k, v in t.items(): print(f"{k:42s}{v[0]:9.2f}{v[len(v)//2]:10.2f}{v[0] / floor:14.2f}")
    print(f"pool {a.cluster_n:,} × {a.cluster_d} float32, {a.cluster_picks} picks")
    for k, v in tc.items(): print(f"{k:42s}{v[0]:9.2f}{v[len(v)//2]:10.2f}")

if __name__ == '__main__': main()
