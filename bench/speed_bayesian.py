"""Speed of the Bayesian strategies on a 50,000-item MNIST-shaped pool.

Times one plain inference pass (`predict_pool(..., mc_samples=0)`) against the pass with 20 head-only MC-dropout
samples plus BALD scores and the top-n selection (target: at most 2x the plain pass), and BatchBALD selecting 10
items (BALD pre-filter to `max_candidates`, consistent MC samples of the candidates, lazy greedy).

    python bench/speed_bayesian.py                 # 50,000 items, 2 threads, 3 repeats
    python bench/speed_bayesian.py --n-pool 10000 --repeats 1
"""
import argparse, statistics, time, torch
from dalmax.core import *
from dalmax.learner import small_cnn
from dalmax.inference import predict_pool
from dalmax.strategies.core import QueryContext, get_strategy
from dalmax.strategies.bayesian import bald_scores

def timed(f):
    "Wall and process CPU seconds of one call of `f`, and its result"
    c0 = time.process_time()
    with Timer() as t: res = f()
    return (t.elapsed, time.process_time() - c0), res

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n-pool', type=int, default=50_000)
    ap.add_argument('--mc-samples', type=int, default=20)
    ap.add_argument('--n', type=int, default=10, help='items per query')
    ap.add_argument('--max-candidates', type=int, default=5000)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--batch-repeats', type=int, default=30, help='interleaved runs of the per-batch comparison')
    ap.add_argument('--device', default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads); seed_everything(0)
    x = torch.randint(0, 256, (a.n_pool, 1, 28, 28), dtype=torch.uint8)
    model = small_cnn(1, 10, (28, 28))
    device = get_device(a.device)
    predict_pool(model, x[:2048], mc_samples=a.mc_samples, device=device)   # warm up

    def bald_query():
        c = predict_pool(model, x, embs=False, mc_samples=a.mc_samples, seed=1, device=device)
        return bald_scores(c.mc_probs).topk(a.n).indices
    plain, bald = [], []
    for _ in range(a.repeats):    # interleaved, so that load from other processes hits both alike
        plain.append(timed(lambda: predict_pool(model, x, embs=False, device=device))[0])
        bald.append(timed(bald_query)[0])

    cache = predict_pool(model, x, mc_samples=a.mc_samples, seed=1, device=device)
    ctx = QueryContext(cache, model=model, rnd=1, seed=0, device=a.device)
    s = get_strategy('batchbald', max_candidates=a.max_candidates)
    # The same comparison on one 1024-item slice, many interleaved runs: the minimum is robust to other processes' load
    xs, pb, bb_ = x[:1024], [], []
    for _ in range(a.batch_repeats):
        pb.append(timed(lambda: predict_pool(model, xs, embs=False, device=device))[0])
        bb_.append(timed(lambda: bald_scores(predict_pool(model, xs, embs=False, mc_samples=a.mc_samples, seed=1, device=device).mc_probs).topk(a.n))[0])

    bb = []
    for _ in range(a.repeats):
        t, picks = timed(lambda: s(ctx, a.n)); bb.append(t)
        assert len(picks.unique()) == a.n

    med = statistics.median
    row = lambda name, ts: print(f"{name:<60}{min(w for w,_ in ts):>9.2f}{med(w for w,_ in ts):>9.2f}{min(c for _,c in ts):>9.2f}")
    print(f"device {device}, {torch.get_num_threads()} threads, pool {a.n_pool} x 1x28x28, T={a.mc_samples}, {a.repeats} repeats")
    print(f"{'seconds':<60}{'min wall':>9}{'med wall':>9}{'min cpu':>9}")
    row('plain pass: predict_pool(mc_samples=0)', plain)
    row(f'BALD: predict_pool(mc_samples={a.mc_samples}) + bald_scores + top-{a.n}', bald)
    row(f'BatchBALD: select {a.n} (top-{a.max_candidates} BALD candidates)', bb)
    row(f'per 1024 items, min of {a.batch_repeats}: plain pass', pb)
    row(f'per 1024 items, min of {a.batch_repeats}: BALD (T={a.mc_samples})', bb_)
    ratio = lambda u, v, i: min(t[i] for t in u) / min(t[i] for t in v)
    print(f"ratio BALD / plain (target <= 2): whole pool {ratio(bald, plain, 0):.2f} wall, {ratio(bald, plain, 1):.2f} cpu; "
          f"per batch {ratio(bb_, pb, 0):.2f} wall, {ratio(bb_, pb, 1):.2f} cpu")
    print(f"BatchBALD joint MI of the batch: {s.last_values[-1]:.3f} nats (BALD max {bald_scores(cache.mc_probs).max():.3f})")

if __name__ == '__main__': main()
