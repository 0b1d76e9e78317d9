"""What `dalmax train-al` estimates before training (issue 12): model, memory of a training step and seconds per round,
for the photo stand-in folder (bench/photo_folder.py make) at several sizes and models, and a run refused for memory.

    python bench/estimate.py     # results in bench/results/photo_folder/estimates.md
"""
import json, os, sys, subprocess, tempfile
from pathlib import Path
import torch

HERE = Path(__file__).parent
OUT = HERE/'results'/'photo_folder'
WORK = Path.home()/'.cache'/'dalmax-bench'/'photos'

if __name__ == '__main__':
    torch.set_num_threads(1)
    from dalmax.all import ImageData, FastRoute, DalmaxError
    from dalmax.route import _gib
    os.environ.setdefault('DALMAX_CACHE', str(WORK/'cache'))
    tmp = Path(tempfile.mkdtemp())
    rows, load0 = [], os.getloadavg()
    for size, arch, extra in [(32, 'auto', {}), (64, 'auto', {}), (224, 'auto', {}), (224, 'resnet18', {}), (224, 'resnet18', 'weights')]:
        d = ImageData.from_folders(WORK/'folder'/'train', WORK/'folder'/'test', size=size)
        kw = {}
        if extra == 'weights': # a resnet18 state dict saved here stands in for downloaded ImageNet weights (same shapes, same cost)
            import torchvision; torch.save(torchvision.models.resnet18().state_dict(), tmp/'r18.pth'); kw = dict(weights=tmp/'r18.pth')
        r = FastRoute(d, arch=arch, **kw)
        e = r.estimate(n_labelled=34)
        rows.append(f"| {arch}{' --weights (frozen)' if kw else ''} | {size}×{size} | {e['params']/1e6:.2f}M | {e['trainable']/1e6:.3f}M | {_gib(e['train_bytes'])} | "
                     f"{e['step_s']:.3f} | {e['round_s']:.0f} | {e['embed_s']:.0f} |")
        print(rows[-1], flush=True)
    env = dict(os.environ)
    cmd = ['dalmax', 'train-al', '--dir_train', str(WORK/'folder'/'train'), '--dir_test', str(WORK/'folder'/'test'),
           '--dir_results', str(tmp/'refused'), '--img_size', '640', '--bs', '1024']
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    refused = dict(command=' '.join(cmd).replace(str(WORK), '~/.cache/dalmax-bench/photos').replace(str(tmp), 'TMP'), returncode=r.returncode,
                   stderr=[l for l in r.stderr.splitlines() if 'Warning' not in l and 'warnings.warn' not in l], folder_written=(tmp/'refused').exists())
    md = ["# Estimates before training: the photo stand-in folder (300 train / 100 test JPEGs, 300-1600 px)\n",
          "`python bench/estimate.py` (FastRoute.estimate with 34 labels, the label count of the 3-round run; 1 torch thread; "
          f"load average {load0[0]:.1f} on {len(os.sched_getaffinity(0))} cores shared with other jobs, so seconds are inflated).\n",
          "| arch | size | parameters | trained | memory of a step (bs 64) | s per step | s per round | s to embed pool+test once |",
          "|---|---|---|---|---|---|---|---|", *rows, '',
          "A run too large for the machine is refused before anything is written:\n", f"    {refused['command']}",
          f"    exit code {refused['returncode']}, results folder written: {refused['folder_written']}", *[f"    {l}" for l in refused['stderr']], '']
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT/'estimates.md').write_text('\n'.join(md))
    print('\n'.join(md))
