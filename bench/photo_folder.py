"""A folder of a few hundred photos of mixed sizes on 2 cores (issue 12): `dalmax train-al` end to end, timed.

No photo collection with two classes and a few hundred images installs from the package registries here (apt's
wallpaper packages hold a few dozen unlabelled desktop backgrounds; scikit-image's `skimage.data` a dozen single
images), so the folder is a stand-in: CIFAR-10 images of two classes (fastai's archive), upscaled to random sizes
between 300 and 1600 px on each side (mixed aspect ratios) and saved as JPEG (quality 90).

    python bench/photo_folder.py make    # write the stand-in folder under --work
    python bench/photo_folder.py run     # dalmax train-al on it (3 rounds), timed; results in bench/results/photo_folder/
    python bench/photo_folder.py report  # results.md from the runs
"""
import argparse, json, os, sys, time, subprocess, random
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE/'results'/'photo_folder'

def make(a):
    from PIL import Image
    from fastai.data.external import untar_data, URLs
    root = untar_data(URLs.CIFAR)
    rng = random.Random(0)
    for split, n in (('train', a.n_train), ('test', a.n_test)):
        for c in a.classes:
            files = sorted((root/split/c).iterdir())[:n]
            d = Path(a.work)/split/c; d.mkdir(parents=True, exist_ok=True)
            for f in files:
                w, h = rng.randint(300, 1600), rng.randint(300, 1600)
                Image.open(f).convert('RGB').resize((w, h), Image.BICUBIC).save(d/(f.stem + '.jpg'), quality=90)
    sizes = [Image.open(p).size for p in Path(a.work).rglob('*.jpg')]
    print(f"{len(sizes)} JPEGs in {a.work}, {min(min(s) for s in sizes)}..{max(max(s) for s in sizes)} px, "
          f"{sum(p.stat().st_size for p in Path(a.work).rglob('*.jpg'))/2**20:.0f} MiB")

def run(a):
    OUT.mkdir(parents=True, exist_ok=True)
    dest = Path(a.work).parent/'photo_results'
    if dest.exists(): import shutil; shutil.rmtree(dest)
    cmd = ['dalmax', 'train-al', '--dir_train', str(Path(a.work)/'train'), '--dir_test', str(Path(a.work)/'test'),
           '--dir_results', str(dest), '--iterations', '3', *a.extra]
    env = dict(os.environ, DALMAX_CACHE=str(Path(a.work).parent/'cache'))
    load0 = os.getloadavg()
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    print(r.stdout); print(r.stderr, file=sys.stderr)
    hist = json.loads((dest/'history.json').read_text())['rounds'] if r.returncode == 0 else []
    res = dict(command=' '.join(cmd), returncode=r.returncode, wall_s=round(wall, 1), loadavg_before=load0, loadavg_after=os.getloadavg(),
               cpus=len(os.sched_getaffinity(0)), stdout=r.stdout.splitlines(), stderr=r.stderr.splitlines()[-5:],
               rounds=[dict(n_labelled=h['n_labelled'], test_acc=h['test_acc'], fit_s=round(h['fit_time'], 1),
                            query_s=None if h['query_time'] is None else round(h['query_time'], 1)) for h in hist])
    name = a.name or 'run'
    (OUT/f'{name}.json').write_text(json.dumps(res, indent=1))
    print(json.dumps({k: res[k] for k in ('wall_s', 'rounds', 'loadavg_before')}, indent=1))

def report(a):
    "results.md from the runs' JSON files"
    md = ["# A folder of photos of mixed sizes, `dalmax train-al`, 3 rounds\n",
          "Stand-in data (see the docstring of bench/photo_folder.py): 300 training and 100 test JPEGs of CIFAR-10 automobiles and horses, "
          "upscaled to 300-1600 px per side. Commands: `python bench/photo_folder.py make`, then `python bench/photo_folder.py run` "
          "(torch threads as the command chooses them, printed below), then `python bench/photo_folder.py report`. "
          "`default` ran in an earlier session under a load average of 9-13 (before dalmax chose its thread count); `quiet` on an idle machine with the "
          "decoded images already cached; `quiet_cold` after `rm -rf ~/.cache/dalmax-bench/photos/cache` (every JPEG decoded again). "
          "The accuracies are identical across the three: same seed, same picks.\n"]
    for f in sorted(OUT.glob('*.json')):
        r = json.loads(f.read_text())
        if 'rounds' not in r: continue
        md += [f"## {f.stem}\n", f"    {r['command'].replace(str(Path.home()), '~')}\n",
               f"Exit code {r['returncode']}; wall time {r['wall_s']}s for the whole command (decoding, 4 fits, 3 queries, results folder); "
               f"load average {r['loadavg_before'][0]:.1f} before, {r['loadavg_after'][0]:.1f} after, on {r['cpus']} cores shared with other jobs.\n",
               "What the command printed before training:\n", *[f"    {l}" for l in r['stdout'][:3]], '',
               "| round | labels | test accuracy | fit s | query s |", "|---|---|---|---|---|",
               *[f"| {i} | {h['n_labelled']} | {h['test_acc']:.3f} | {h['fit_s']} | {h['query_s'] if h['query_s'] is not None else '-'} |" for i, h in enumerate(r['rounds'])], '']
    (OUT/'results.md').write_text('\n'.join(md))
    print('\n'.join(md))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('step', choices=['make', 'run', 'report'])
    p.add_argument('--work', default=str(Path.home()/'.cache'/'dalmax-bench'/'photos'/'folder'), help='where the stand-in folder goes')
    p.add_argument('--classes', nargs=2, default=['automobile', 'horse'], help='two CIFAR-10 classes')
    p.add_argument('--n_train', type=int, default=150, help='training photos per class')
    p.add_argument('--n_test', type=int, default=50, help='test photos per class')
    p.add_argument('--name', default=None, help='name of the result file (default: run)')
    p.add_argument('extra', nargs='*', help='more train-al options, after --')
    a = p.parse_args()
    {'make': make, 'run': run, 'report': report}[a.step](a)
