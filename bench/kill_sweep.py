#!/usr/bin/env python
"""Kill -9 sweep (issue 10): `dalmax train-al` killed at random moments and resumed must end exactly like an uninterrupted run.

For each configuration, one uninterrupted run gives the reference. Then each trial starts the same command in a fresh
results folder and kills it with SIGKILL after a random delay (uniform over the reference run's duration, so kills land in
start-up, fits, queries, saves and the final writes alike); it resumes with `--resume`, and each resume is itself killed
again with probability `--p_again`, until a resume exits. A trial passes when the last resume exits 0, its history equals
the reference's (wall times aside), every results file is there, and no temporary file is left anywhere in the folder.

    python bench/kill_sweep.py                       # 6 configurations x 11 trials, results in bench/results/kill_sweep/
    python bench/kill_sweep.py --trials 2 --configs entropy --out /tmp/kill_smoke
"""
import argparse, json, os, random, shutil, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd

CONFIGS = {
    'entropy':   ['--type', 'entropy'],
    'albl':      ['--type', 'albl'],
    'badge':     ['--type', 'badge'],
    'qbc':       ['--type', 'qbc_vote_entropy'],
    'warm':      ['--type', 'margin', '--warm_start'],
    'bald':      ['--type', 'bald', '--init', '15'],
}
BASE = ['--iterations', '4', '--batch_size', '10', '--min_steps', '40', '--quiet']
FILES = ['history.json', 'history.csv', 'final_accuracy.txt', 'infos.txt', 'model.pth', 'accuracy_vs_labels.pdf',
         'training_accuracy_plot.pdf', 'training_loss_plot.pdf', 'confusion_matrix.pdf', 'state.pt']

def _markdown(df):
    "A pipe table of `df` (no tabulate needed)"
    cols = list(df.columns)
    return '\n'.join(['| ' + ' | '.join(cols) + ' |', '|' + '---|' * len(cols)] + ['| ' + ' | '.join(str(v) for v in r) + ' |' for r in df.itertuples(index=False)])

def comparable(rounds): return [{k: v for k, v in r.items() if not k.endswith('_time')} for r in rounds]

def run(args, out, kill_after=None):
    "Run `dalmax train-al` into `out`; kill it with SIGKILL after `kill_after` seconds; returns (exit code, seconds)"
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'OMP_WAIT_POLICY': 'PASSIVE'}
    t0 = time.perf_counter()
    p = subprocess.Popen(['dalmax', 'train-al', *args, '--dir_results', str(out)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, env=env)
    try: _, err = p.communicate(timeout=kill_after)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL); _, err = p.communicate()
    return p.returncode, time.perf_counter() - t0, err

def check(out, ref):
    "What a finished folder lacks: (history identical, missing files, temporaries left)"
    hj = out/'history.json'
    same = hj.exists() and comparable(json.loads(hj.read_text())['rounds']) == ref
    missing = [f for f in FILES if not (out/f).exists()]
    n_sel = len(ref) if ref else 0
    missing += [f'selected_images/{r}' for r in range(n_sel) if not (out/'selected_images'/str(r)).is_dir()]
    tmps = [str(p.relative_to(out)) for p in out.rglob('*') if p.name.endswith('.tmp')]
    return same, missing, tmps

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--configs', nargs='+', default=list(CONFIGS))
    ap.add_argument('--trials', type=int, default=11, help='trials per configuration')
    ap.add_argument('--p_again', type=float, default=0.4, help='probability that a resume is killed again')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', default=str(Path(__file__).parent/'results'/'kill_sweep'))
    a = ap.parse_args(argv)
    rng, out, work = random.Random(a.seed), Path(a.out), Path(a.out)/'work'
    shutil.rmtree(work, ignore_errors=True); work.mkdir(parents=True)
    rows, load = [], os.getloadavg()
    for name in a.configs:
        args = BASE + CONFIGS[name]
        code, t_ref, err = run(args, work/f'{name}_ref')
        if code != 0: sys.exit(f'reference run of {name} failed ({code}): {err[-500:]}')
        ref = comparable(json.loads((work/f'{name}_ref'/'history.json').read_text())['rounds'])
        for trial in range(a.trials):
            d = work/f'{name}_{trial}'
            kills, codes, errors = [], [], []
            delay = rng.uniform(0, t_ref)
            code, t, err = run(args, d, kill_after=delay); codes.append(code)
            if code == -signal.SIGKILL: kills.append(round(delay, 2))
            while True:
                again = rng.random() < a.p_again
                delay = rng.uniform(0, t_ref) if again else None
                code, t, err = run(args + ['--resume'], d, kill_after=delay); codes.append(code)
                if code == -signal.SIGKILL: kills.append(round(delay, 2)); continue
                if code != 0: errors.append(err.strip().splitlines()[-1] if err.strip() else '')
                break
            same, missing, tmps = check(d, ref)
            rows.append(dict(config=name, trial=trial, kills=len(kills), kill_times=' '.join(map(str, kills)),
                             exit_codes=' '.join(map(str, codes)), final_exit=codes[-1], identical=same,
                             missing=' '.join(missing), temporaries=' '.join(tmps), error=' | '.join(errors),
                             ok=codes[-1] == 0 and same and not missing and not tmps))
            print(f"{name} trial {trial}: kills at {kills}, exit codes {codes}, identical {same}, missing {missing}, temporaries {tmps}", flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(out/'results.csv', index=False)
    summ = df.groupby('config', sort=False).agg(trials=('ok', 'size'), passed=('ok', 'sum'), kills=('kills', 'sum'),
                                                 identical=('identical', 'sum'), exit0=('final_exit', lambda s: int((s == 0).sum())))
    lines = ['# Kill -9 sweep', '', f'`python bench/kill_sweep.py {" ".join(argv or sys.argv[1:])}`'.replace(' `', '`'), '',
             f'Configurations: `dalmax train-al {" ".join(BASE)}` on the embedded digits plus each row\'s options: '
             + ', '.join(f"{k}: `{' '.join(v)}`" for k, v in CONFIGS.items() if k in a.configs) + '.',
             f'Load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; at the end: ' + ' '.join(f'{x:.2f}' for x in os.getloadavg()) + '.', '',
             f"**{int(df.ok.sum())} of {len(df)} trials passed** ({int(df.kills.sum())} kills): every passing trial's last resume exited 0, "
             "its history equals the uninterrupted run's, every results file is present and no temporary file is left.", '',
             _markdown(summ.reset_index()), '']
    (out/'results.md').write_text('\n'.join(lines))
    shutil.rmtree(work, ignore_errors=True)
    print('\n'.join(lines))
    return 0 if df.ok.all() else 1

if __name__ == '__main__': sys.exit(main())
