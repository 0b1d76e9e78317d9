"""Start-up of the `dalmax` command: help, the strategy list and an argument error, wall time per call (issue #14).

    python bench/startup.py                          # this checkout; results in bench/results/startup/
    python bench/startup.py --before /path/to/older/checkout

Each command runs `repeats` times in a fresh Python (`python -c "from dalmax._entry import main; main()"` with the
checkout first on PYTHONPATH, what the installed `dalmax` script does); the table gives the median and the spread, next
to two floors measured the same way: a Python that does nothing, and one that only imports torch. `--before` times an
older checkout too, in the same run. The load average (1 min) is recorded before and after each command.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

COMMANDS = {'dalmax --help': ['--help'], 'dalmax train-al --help': ['train-al', '--help'], 'dalmax strategies': ['strategies'],
            'dalmax train-al --batch_size ten (argument error)': ['train-al', '--batch_size', 'ten'],
            'dalmax train-al --type telepathy (unknown strategy)': ['train-al', '--type', 'telepathy']}
ENTRY = "import sys; from dalmax._entry import main; sys.argv = ['dalmax'] + sys.argv[1:]; main()"

def timed(argv, env, repeats):
    "Median and range of the wall time of `argv` in a fresh process, with the 1-minute load average before and after"
    ts, load0 = [], os.getloadavg()[0]
    for _ in range(repeats):
        t = time.perf_counter()
        r = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tempfile.gettempdir()) # not the checkout: `python -c` puts the cwd first on sys.path
        if r.returncode not in (0, 2) or 'Traceback' in r.stderr: raise RuntimeError(r.stderr)
        ts.append(time.perf_counter() - t)
    return dict(median_s=round(statistics.median(ts), 3), min_s=round(min(ts), 3), max_s=round(max(ts), 3),
                load1_before=round(load0, 2), load1_after=round(os.getloadavg()[0], 2))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--before', help='an older checkout to time the same way (e.g. main before lazy imports)')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'startup'))
    a = p.parse_args(argv)
    here = Path(__file__).resolve().parent.parent
    checkouts = {'this checkout': here} | ({'before': Path(a.before).resolve()} if a.before else {})
    rows = []
    for name, root in checkouts.items():
        env = dict(os.environ, PYTHONPATH=str(root))
        for label, args in COMMANDS.items():
            rows.append(dict(checkout=name, command=label, **timed([sys.executable, '-c', ENTRY, *args], env, a.repeats)))
            print(rows[-1])
    env = dict(os.environ)
    for label, code in (('python -c pass (floor)', 'pass'), ('python -c "import torch"', 'import torch')):
        rows.append(dict(checkout='-', command=label, **timed([sys.executable, '-c', code], env, a.repeats)))
        print(rows[-1])
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    import pandas as pd
    df = pd.DataFrame(rows)
    df.to_csv(out/'results.csv', index=False)
    cmd = 'python bench/startup.py ' + ' '.join(sys.argv[1:] if argv is None else argv)
    (out/'meta.json').write_text(json.dumps(dict(command=cmd, repeats=a.repeats, cpus=os.cpu_count(), loadavg_end=os.getloadavg()), indent=1))
    md = ['| checkout | command | median s | min–max s | load before → after |', '|---|---|---|---|---|']
    md += [f"| {r.checkout} | `{r.command}` | {r.median_s:.2f} | {r.min_s:.2f}–{r.max_s:.2f} | {r.load1_before:.2f} → {r.load1_after:.2f} |" for r in df.itertuples()]
    (out/'table.md').write_text('\n'.join(md) + '\n')
    print('\n'.join(md))

if __name__ == '__main__': main()
