#!/usr/bin/env python
"""k-center (core-set) on a 1M-row pool without copying the whole matrix (issue 14): time against its floor, and peak RSS.

On CPU, a product with a row-major N×d matrix runs about half as fast (MKL, one thread) as the same product with its
transposed, contiguous copy, so `sq_dists_to` used to copy the whole matrix: at 1M × 512 that is 2 GB more, a peak RSS
over 4 GB. `repeated_mv` now copies at most `MV_COPY_BYTES` (512 MiB) of rows and reads the others in place. This script
queries the same pool with the copy capped as given (`--copy_mb`: -1 means no cap, i.e. the old whole copy; 0 no copy;
the default 512 is `MV_COPY_BYTES`), each run in a fresh process on the row-major memory-mapped pool that
`dalmax bench` uses for its row-major check, and measures the floor the same way: the faster of torch and NumPy for
`n` matrix-vector products with the N×d matrix in its own layout (as `dalmax.bench.pass_floor`, timed here in wall and CPU time).

Runs are interleaved over `--repeats` rounds so that all share the machine's load; wall and CPU (process) time are
both kept, the best of the rounds reported: on a shared machine CPU time is the steadier of the two.

    python bench/kcenter_copy.py                                      # 1M × 512, 100 picks, copy caps -1, 512, 0
    python bench/kcenter_copy.py --rows 200000 --repeats 1 --out /tmp/kc   # a quick look
"""
import os, argparse, json, time, multiprocessing as mp
from pathlib import Path
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np, pandas as pd, torch

def _child(conn, kind, path, n, copy_mb, threads, seed):
    "One measurement in a fresh process: a k-center query with the copy capped at `copy_mb`, or the floor"
    try:
        torch.set_num_threads(threads)
        import dalmax.strategies.diversity as div
        from dalmax.core import Timer
        from dalmax.bench import load_pool, PeakMemory
        from dalmax.inference import PoolCache
        from dalmax.strategies.core import QueryContext, get_strategy
        pool = load_pool(path)
        x = pool.embs_tensor()
        if kind == 'floor': # as `pass_floor`: n products with the N×d matrix in its own layout, the faster of torch and NumPy
            from dalmax.core import torch_generator
            V = x[torch.randint(len(x), (n,), generator=torch_generator(seed))].float().clone()
            xn, Vn = x.numpy(), V.numpy()
            ts = []
            with PeakMemory() as m:
                for f in (lambda: [torch.mv(x, v) for v in V], lambda: [xn @ v for v in Vn]):
                    c0, w0 = time.process_time(), time.perf_counter(); f()
                    ts.append((time.perf_counter() - w0, time.process_time() - c0))
            conn.send(dict(wall=min(t[0] for t in ts), cpu=min(t[1] for t in ts), peak_mb=m.peak_mb, extra_mb=m.extra_mb)); return
        if copy_mb >= 0: div.MV_COPY_BYTES = copy_mb * 2**20
        else: div.MV_COPY_BYTES = 2**62
        U = len(x)
        ctx = QueryContext(PoolCache(torch.arange(U), None, x), PoolCache(torch.arange(U, U + len(pool.lab)), None, pool.lab_tensor()),
                           rnd=1, seed=seed, device='cpu')
        s = get_strategy('coreset')
        with PeakMemory() as m, Timer() as t:
            c0 = time.process_time(); picks = s(ctx, n); cpu = time.process_time() - c0
        conn.send(dict(wall=t.elapsed, cpu=cpu, peak_mb=m.peak_mb, extra_mb=m.extra_mb, picks=picks.tolist()))
    except BaseException as e: conn.send(dict(note=f'{type(e).__name__}: {e}'))
    finally: conn.close()

def measure(kind, path, n, copy_mb, threads, seed):
    "Run `_child` in a spawned process; its result"
    ctx = mp.get_context('spawn')
    a, b = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(b, kind, str(path), n, copy_mb, threads, seed)); p.start(); b.close()
    try: r = a.recv()
    except EOFError: r = dict(note=f'crashed (exit code {p.exitcode})')
    p.join()
    return r

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--rows', type=int, default=1_000_000, help='unlabelled rows')
    p.add_argument('--d', type=int, default=512, help='embedding size')
    p.add_argument('--n', type=int, default=100, help='picks per query')
    p.add_argument('--copy_mb', type=int, nargs='+', default=[-1, 512, 0], help='caps on the transposed copy in MiB (-1: none)')
    p.add_argument('--repeats', type=int, default=2, help='interleaved rounds; the best is kept')
    p.add_argument('--threads', type=int, default=1, help='torch threads')
    p.add_argument('--work', default='/tmp/dalmax_kcenter_copy', help='folder for the memory-mapped pool')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'kcenter_copy'), help='results folder')
    p.add_argument('--summarise', action='store_true', help='only write the summary again from runs.csv and meta.json')
    a = p.parse_args(argv)
    out = Path(a.out)
    if a.summarise: return summarise(pd.read_csv(out/'runs.csv'), json.loads((out/'meta.json').read_text()), out)
    from dalmax.bench import synthetic_pool
    path = Path(a.work)/f'synth{a.rows}x{a.d}C'
    if not (path/'pool.json').exists(): synthetic_pool(a.rows, a.d, path=path, storage='memmap-C')
    cases = [('floor', None)] + [('coreset', c) for c in a.copy_mb]
    runs, load = [], [os.getloadavg()]
    for r in range(a.repeats):
        for kind, c in cases:
            res = measure(kind, path, a.n, c if c is not None else 0, a.threads, 0)
            runs.append(dict(round=r, case='floor' if kind == 'floor' else f'copy {"all" if c < 0 else f"≤ {c} MiB"}', **res))
            print({k: v for k, v in runs[-1].items() if k != 'picks'}, flush=True)
    load.append(os.getloadavg())
    picks = [tuple(r['picks']) for r in runs if 'picks' in r]
    df = pd.DataFrame(runs).drop(columns=['picks'], errors='ignore')
    out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out/'runs.csv', index=False)
    meta = dict(rows=a.rows, d=a.d, n=a.n, threads=a.threads, repeats=a.repeats, torch=torch.__version__, numpy=np.__version__,
                cpus=os.cpu_count(), load_avg_start=load[0], load_avg_end=load[1], same_picks=len(set(picks)) == 1,
                command='python bench/kcenter_copy.py ' + ' '.join(argv if argv is not None else __import__('sys').argv[1:]))
    (out/'meta.json').write_text(json.dumps(meta, indent=1))
    summarise(df, meta, out)

def summarise(df, meta, out):
    "Best of the rounds per case, ratios to the floor: `summary.csv` and `summary.md` in `out`"
    best = df.groupby('case', sort=False).agg(wall=('wall', 'min'), cpu=('cpu', 'min'), peak_mb=('peak_mb', 'max'), extra_mb=('extra_mb', 'max'))
    fl = best.loc['floor']
    best['wall/floor'], best['cpu/floor'] = best.wall / fl.wall, best.cpu / fl.cpu
    best.to_csv(out/'summary.csv')
    t = best.reset_index()
    cell = lambda v: f'{v:,.0f}' if isinstance(v, float) and abs(v) >= 100 else (f'{v:.2f}' if isinstance(v, float) else str(v))
    fmt = '\n'.join(['| ' + ' | '.join(t.columns) + ' |', '|' + '---|' * len(t.columns)] +
                     ['| ' + ' | '.join(cell(v) for v in row) + ' |' for row in t.itertuples(index=False)])
    la = meta['load_avg_start'][0], meta['load_avg_end'][0]
    (out/'summary.md').write_text(
        f"# k-center at {meta['rows']:,} × {meta['d']} (row-major memory map), {meta['n']} picks, {meta['threads']} thread(s)\n\n"
        f"`{meta.get('command', 'python bench/kcenter_copy.py')}`, torch {meta['torch']}, {meta['cpus']} CPUs shared with other jobs "
        f"(load average {la[0]:.1f} at the start, {la[1]:.1f} at the end). Seconds, best of {meta['repeats']} interleaved rounds, "
        f"wall and CPU (process) time: on a machine this busy the CPU time is the measure to read. Peak RSS of the process "
        f"(`peak_mb`, the memory-mapped embeddings included) and above the RSS at the start of the query (`extra_mb`), in MB. "
        f"`copy all` is the previous behaviour, `copy ≤ 512 MiB` the default (`MV_COPY_BYTES`). "
        f"Same picks in every run: {meta['same_picks']}.\n\n{fmt}\n")
    print(fmt)

if __name__ == '__main__': main()
