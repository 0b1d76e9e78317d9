"""End to end: where the time of a user's job goes, against plain-PyTorch floors (issue #14).

    python bench/e2e.py                                  # every section; results in bench/results/e2e/
    python bench/e2e.py --sections job --repeats 3

Sections:

- `job`: the digits default job, `dalmax train-al` with no options (entropy, 2 labelled per class, 10 rounds of 10,
  300 steps per round), run as a user runs it: a fresh process, no OMP_NUM_THREADS (dalmax chooses the threads), and
  again with `--threads 2` (torch's own count on this machine). Its wall time is set against the sum of its floors,
  measured in this process at one thread: the **fit floor** (a plain PyTorch loop: the same model, the same steps, batches
  of 64 drawn from the labelled set, Adam), the **query floor** (a plain inference pass over the unlabelled pool, entropy
  and top-10, every round) and the **evaluation floor** (a plain pass over the test split, every round). The job's own
  times come from its `history.json` (fit, evaluation, inference, selection); what is left is start-up, imports, data,
  the memory check and the results folder. The summary gives the ratio of the medians and each repeat's ratio to the
  floors measured just before it.
- `round`: a protocol-A round on MNIST (20 labelled, 10 queried from a 10,000-image subsample) split into fit,
  inference, selection and evaluation, for entropy and BALD; then the evaluation of the 10,000 test images at a
  batch of 1024 (the old default), 256, and the batch `inference_bs` measures, and on a 2,000-image subsample.
- `startup`: the command's start-up (`--help`, `strategies`), as in `bench/startup.py`.

Every figure has the 1-minute load average next to it; the machine is shared, so read ratios measured in the same
run together.
"""
import argparse, json, math, os, statistics, subprocess, sys, tempfile, time, platform
from pathlib import Path
import torch, torch.nn.functional as F
from dalmax.core import Timer
from dalmax.data import ImageData
from dalmax.learner import make_model, train_steps, inference_bs
from dalmax.inference import evaluate

HERE = Path(__file__).resolve().parent
ENTRY = "import sys; from dalmax._entry import main; sys.argv = ['dalmax'] + sys.argv[1:]; main()"
load = lambda: round(os.getloadavg()[0], 2)

def _env(**kw):
    env = {k: v for k, v in os.environ.items() if k not in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS')}
    env['PYTHONPATH'] = str(HERE.parent) + (os.pathsep + env['PYTHONPATH'] if env.get('PYTHONPATH') else '')
    return dict(env, **kw)

def run_job(extra=()):
    "Wall time of `dalmax train-al` (defaults + `extra`) in a fresh process, and its history"
    with tempfile.TemporaryDirectory() as d:
        l0 = load()
        t = time.perf_counter()
        r = subprocess.run([sys.executable, '-c', ENTRY, 'train-al', '--dir_results', f'{d}/run', '--quiet', *extra], env=_env(),
                           capture_output=True, text=True, cwd=d)
        wall = time.perf_counter() - t
        if r.returncode: raise RuntimeError(r.stderr)
        h = json.loads(Path(d, 'run', 'history.json').read_text())['rounds']
    s = lambda k: sum(o[k] or 0 for o in h)
    return dict(wall_s=wall, fit_s=s('fit_time'), eval_s=s('eval_time'), infer_s=s('infer_time'), select_s=s('strategy_time'),
                query_s=s('query_time'), final_acc=h[-1]['test_acc'], threads_line=next((l for l in r.stdout.splitlines() if l.startswith('torch threads')), ''),
                load_before=l0, load_after=load())

def floors(data, rounds=10, n_query=10, per_class=2, bs=64, seed=0):
    "Plain-PyTorch floors of the digits default job at one thread: fit (same steps), query (pass + entropy + top-k), evaluation"
    torch.set_num_threads(1)
    x, y, g = data.train.x, data.train.y, torch.Generator().manual_seed(seed)
    lab = torch.cat([torch.nonzero(y == c).flatten()[:per_class] for c in range(data.n_classes)])
    fit = query = ev = 0.
    for r in range(rounds + 1):
        m = make_model('auto', data)
        opt = torch.optim.Adam(m.parameters(), lr=3e-3)
        m.train()
        with Timer() as t:
            for _ in range(train_steps(len(lab))):
                b = lab[torch.randint(len(lab), (bs,), generator=g)]
                loss = F.cross_entropy(m(x[b].float().div_(255)), y[b]); opt.zero_grad(); loss.backward(); opt.step()
        fit += t.elapsed
        m.eval()
        with Timer() as t, torch.inference_mode(): (m(data.test.x.float().div_(255)).argmax(1) == data.test.y).float().mean()
        ev += t.elapsed
        if r == rounds: break
        ul = torch.ones(len(x), dtype=torch.bool); ul[lab] = False; ul = torch.nonzero(ul).flatten()
        with Timer() as t, torch.inference_mode():
            p = F.softmax(m(x[ul].float().div_(255)), 1)
            picks = ul[(-(p * p.clamp_min(1e-12).log()).sum(1)).topk(n_query).indices]
        query += t.elapsed
        lab = torch.cat([lab, picks])
    return dict(fit_floor_s=fit, query_floor_s=query, eval_floor_s=ev)

def section_job(repeats, printer):
    data = ImageData.digits(0)
    rows = []
    for r in range(repeats):
        l0 = load(); f = floors(data); rows.append(dict(kind='floors', rep=r, **f, load_before=l0, load_after=load()))
        for label, extra in (('auto threads', ()), ('--threads 2', ('--threads', '2'))):
            j = run_job(extra); rows.append(dict(kind=f'job, {label}', rep=r, **j))
        printer(rows[-3:])
    med = lambda kind, k: statistics.median(o[k] for o in rows if o['kind'] == kind)
    fq = med('floors', 'fit_floor_s') + med('floors', 'query_floor_s')
    fqe = fq + med('floors', 'eval_floor_s')
    summary = {}
    for kind in ('job, auto threads', 'job, --threads 2'):
        w = med(kind, 'wall_s')
        inside = med(kind, 'fit_s') + med(kind, 'eval_s') + med(kind, 'query_s')
        summary[kind] = dict(wall_s=round(w, 2), fit_s=round(med(kind, 'fit_s'), 2), eval_s=round(med(kind, 'eval_s'), 2),
                             infer_s=round(med(kind, 'infer_s'), 3), select_s=round(med(kind, 'select_s'), 3),
                             outside_rounds_s=round(w - inside, 2), ratio_to_fit_query_floors=round(w / fq, 2),
                             ratio_to_fit_query_eval_floors=round(w / fqe, 2), rounds_only_ratio_to_floors=round(inside / fqe, 2),
                             fit_ratio_to_fit_floor=round(med(kind, 'fit_s') / med('floors', 'fit_floor_s'), 2),
                             # each repeat's job against the floors measured just before it (the machine's speed drifts between repeats)
                             ratio_per_repeat=[round(j['wall_s'] / (f['fit_floor_s'] + f['query_floor_s']), 2) for f, j in zip(
                                 [o for o in rows if o['kind'] == 'floors'], [o for o in rows if o['kind'] == kind])])
    summary['floors'] = dict(fit_floor_s=round(med('floors', 'fit_floor_s'), 2), query_floor_s=round(med('floors', 'query_floor_s'), 3),
                             eval_floor_s=round(med('floors', 'eval_floor_s'), 3))
    return rows, summary

def section_round(printer, eval_subsample=2000):
    from fastai.data.external import untar_data, URLs
    from dalmax.loop import ActiveLoop
    mnist = ImageData.from_root(untar_data(URLs.MNIST))
    rows = []
    for strategy in ('entropy', 'bald'):
        l0 = load()
        loop = ActiveLoop(mnist, strategy, n_query=10, n_rounds=1, init_per_class=2, subsample=10000, arch='cnn')
        loop.fit(); loop.query()
        r = loop.history[0]
        rows.append(dict(part='protocol-A round', strategy=strategy, threads=loop.threads_line, fit_s=r['fit_time'], infer_s=r['infer_time'],
                         select_s=r['strategy_time'], eval_s=r['eval_time'], test_n=r['test_n'],
                         eval_share=r['eval_time'] / (r['fit_time'] + r['query_time'] + r['eval_time']), load_before=l0, load_after=load()))
        printer(rows[-1])
    model, (x, y) = loop.model, (mnist.test.x, mnist.test.y)
    chosen = inference_bs(model, tuple(x.shape[1:]))
    for label, bs, idxs in (('bs 1024', 1024, None), ('bs 256', 256, None), (f'measured (bs {chosen})', None, None),
                            (f'measured, subsample {eval_subsample}', None, torch.randperm(len(x), generator=torch.Generator().manual_seed(0))[:eval_subsample])):
        evaluate(model, x, y, bs=bs, idxs=idxs) # warm
        l0, ts = load(), []
        for _ in range(3):
            with Timer() as t: acc = evaluate(model, x, y, bs=bs, idxs=idxs)[0]
            ts.append(t.elapsed)
        rows.append(dict(part='evaluate 10,000 MNIST test images', strategy=label, eval_s=statistics.median(ts), test_acc=acc,
                         test_n=len(x) if idxs is None else len(idxs), threads=torch.get_num_threads(), load_before=l0, load_after=load()))
        printer(rows[-1])
    return rows

def section_startup(repeats, printer):
    sys.path.insert(0, str(HERE))
    from startup import timed, ENTRY as E
    rows = []
    for label, args in (('dalmax --help', ['--help']), ('dalmax train-al --help', ['train-al', '--help']), ('dalmax strategies', ['strategies']),
                        ('dalmax train-al --batch_size ten', ['train-al', '--batch_size', 'ten'])):
        rows.append(dict(command=label, **timed([sys.executable, '-c', E, *args], _env(), repeats))); printer(rows[-1])
    return rows

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--sections', nargs='+', default=['startup', 'job', 'round'], choices=['startup', 'job', 'round'])
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--out', default=str(HERE/'results'/'e2e'))
    a = p.parse_args(argv)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    import pandas as pd
    meta = dict(command='python bench/e2e.py ' + ' '.join(sys.argv[1:] if argv is None else argv), cpus=os.cpu_count(),
                torch=torch.__version__, python=platform.python_version(), load_start=os.getloadavg())
    if 'startup' in a.sections: pd.DataFrame(section_startup(5, print)).to_csv(out/'startup.csv', index=False)
    if 'job' in a.sections:
        rows, summary = section_job(a.repeats, print)
        pd.DataFrame(rows).to_csv(out/'job.csv', index=False)
        (out/'job_summary.json').write_text(json.dumps(summary, indent=1)); print(json.dumps(summary, indent=1))
    if 'round' in a.sections: pd.DataFrame(section_round(print)).to_csv(out/'round.csv', index=False)
    meta['load_end'] = os.getloadavg()
    (out/f"meta_{'_'.join(a.sections)}.json").write_text(json.dumps(meta, indent=1))

if __name__ == '__main__': main()
