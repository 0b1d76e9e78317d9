"""Scoring a pool through `FastaiRoute`: the decoded-image cache against the fastai pipeline (`dls.test_dl`) every time.

The digits written as 28-pixel PNGs (1,347 pool images), the tutorial's DataBlock (`Resize(28)`, `aug_transforms`) and
an untrained torchvision ResNet-18 from `vision_learner`. Times one pass over the whole pool (probabilities and
embeddings) with the cache, the one-off cost of filling the cache, and the same pass through `dls.test_dl`; checks
that both give the same probabilities. Writes `bench/results/fastai_route_scoring.md`.

    python bench/fastai_route_scoring.py               # 3 repeats, one torch thread
"""
import argparse, os, statistics, tempfile, time, warnings
from pathlib import Path
import torch
warnings.filterwarnings('ignore', message='.*torch.jit.script')
from fastai.vision.all import DataBlock, ImageBlock, CategoryBlock, get_image_files, parent_label, GrandparentSplitter
from fastai.vision.all import Resize, aug_transforms, vision_learner, resnet18
from dalmax.core import Timer
from dalmax.fastai_route import FastaiRoute, digits_image_folder

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--size', type=int, default=28)
    ap.add_argument('--out', default=str(Path(__file__).parent/'results'/'fastai_route_scoring.md'))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    path = digits_image_folder(Path(tempfile.mkdtemp())/'digits', size=a.size, n_test=200)
    dblock = DataBlock(blocks=(ImageBlock, CategoryBlock), get_items=get_image_files, get_y=parent_label,
                       splitter=GrandparentSplitter(valid_name='test'), item_tfms=Resize(a.size),
                       batch_tfms=aug_transforms(do_flip=False, max_rotate=10, min_scale=0.9))
    make = lambda dls: vision_learner(dls, resnet18, pretrained=False)
    routes = {c: FastaiRoute(dblock, path, make, cache=c) for c in (True, False)}
    idxs = torch.arange(len(routes[True]))
    model = routes[True]._base().model
    with Timer() as fill: routes[True]._decoded('pool')
    times, probs = {True: [], False: []}, {}
    for _ in range(a.repeats):
        for c, r in routes.items():
            with Timer() as t: probs[c] = r.predict_pool(model, idxs).probs
            times[c].append(t.elapsed)
    same = torch.allclose(probs[True], probs[False], atol=1e-6)
    load = os.getloadavg()
    med = {c: statistics.median(v) for c, v in times.items()}
    lines = ['# Scoring a pool through FastaiRoute', '',
             f'`python bench/fastai_route_scoring.py --threads {a.threads} --repeats {a.repeats}`: {len(idxs)} digits at {a.size} px, '
             f'an untrained torchvision ResNet-18 from `vision_learner`, {a.threads} torch thread(s), load average {load[0]:.1f} '
             f'(1 min), {load[1]:.1f} (5 min) on {os.cpu_count()} CPUs.', '',
             '| pass over the pool (probabilities and embeddings) | median of repeats | images/s |', '|---|---|---|',
             f'| with the decoded-image cache | {med[True]:.2f} s | {len(idxs)/med[True]:.0f} |',
             f'| through `dls.test_dl` (decode, resize, batch transforms) | {med[False]:.2f} s | {len(idxs)/med[False]:.0f} |',
             f'| filling the cache, once | {fill.elapsed:.2f} s | {len(idxs)/fill.elapsed:.0f} |', '',
             f'Same probabilities both ways: {same}. All times: cache {[round(t, 2) for t in times[True]]}, '
             f'test_dl {[round(t, 2) for t in times[False]]}.', '']
    Path(a.out).write_text('\n'.join(lines))
    print('\n'.join(lines))

if __name__ == '__main__': main()
