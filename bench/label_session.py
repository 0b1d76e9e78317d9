"""Time a labelling session through the command line: `dalmax query` / `dalmax teach` for three rounds and a fourth
`query`, answering the first and third batches with a filled CSV and the second with a Label Studio export, then
`dalmax export`. The images are 400 digits written as 28x28 PNG files with random names (`digits_folder`); the
scripted person answers from the labels hidden from dalmax. Writes bench/results/label_session/result.json.

    python bench/label_session.py
"""
import os, sys, json, time, shutil, tempfile, subprocess, argparse
from pathlib import Path
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(REPO/'bench'/'results'/'label_session'))
    ap.add_argument('--n', type=int, default=20, help='images per batch')
    ap.add_argument('--min_steps', type=int, default=150)
    args = ap.parse_args()
    import pandas as pd
    from dalmax.labeller import digits_folder
    tmp = Path(tempfile.mkdtemp(prefix='dalmax_cli_'))
    truth = digits_folder(tmp/'photos', n=400, size=28, seed=1)
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get('PYTHONPATH', ''), OMP_NUM_THREADS='1')
    steps = []
    def dalmax(*a):
        t = time.perf_counter()
        r = subprocess.run(['dalmax', *map(str, a)], capture_output=True, text=True, env=env, cwd=tmp)
        dt = time.perf_counter() - t
        if r.returncode: raise SystemExit(f"dalmax {' '.join(map(str, a))} failed: {r.stderr}")
        steps.append(dict(command='dalmax ' + ' '.join(str(x).replace(str(tmp) + '/', '') for x in a), seconds=round(dt, 1),
                          first_line=r.stdout.splitlines()[0]))
        return r
    s = tmp/'labels'
    dalmax('query', '--session', s, '--pool', tmp/'photos', '--classes', *map(str, range(10)), '-n', args.n, '--audit', 30, '--min_steps', args.min_steps)
    for rnd in range(3):
        csv = s/f'batch_{rnd:03d}.csv'
        if rnd == 1:
            tasks = json.loads((s/f'batch_{rnd:03d}_labelstudio.json').read_text())
            res = lambda l: [dict(from_name='label', to_name='image', type='choices', value=dict(choices=[l]))]
            export = [dict(id=k, data=t['data'], annotations=[dict(id=k, completed_by=1, was_cancelled=False, result=res(truth[t['data']['item']]))])
                      for k, t in enumerate(tasks, 1)]
            (tmp/'export.json').write_text(json.dumps(export)); dalmax('teach', '--session', s, tmp/'export.json')
        else:
            b = pd.read_csv(csv, dtype=str, keep_default_na=False); b['label'] = [truth[i] for i in b['item']]
            b.to_csv(tmp/'answers.csv', index=False); dalmax('teach', '--session', s, tmp/'answers.csv')
            if rnd == 0: dalmax('teach', '--session', s, tmp/'answers.csv')   # the same file again: nothing changes
        dalmax('query', '--session', s)
    dalmax('export', '--session', s)
    hist = [l for l in steps if l['command'].startswith('dalmax query')]
    res = dict(steps=steps, images=400, batch=args.n, audit=30, min_steps=args.min_steps, load_average=[round(x, 2) for x in os.getloadavg()],
               last_query=hist[-1]['first_line'])
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    (out/'result.json').write_text(json.dumps(res, indent=1) + '\n')
    for st in steps: print(f"{st['seconds']:6.1f}s  {st['command']}\n         {st['first_line']}")
    shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()
