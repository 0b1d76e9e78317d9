"""Speed of the model-based strategies (dalmax issue #3).

1. DeepFool (and BIM) over 2,000 MNIST-shaped (1×28×28) items with the small CNN (`small_cnn(1, 10, (28, 28))`).
   The items are the 1,797 digits images upscaled to 28×28 plus 203 of them shifted by one pixel; the CNN is
   trained on the 1,347 upscaled training digits first, so the attacks face a real decision boundary.
2. Expected gradient length over 50,000 items, against one inference pass over the same 50,000 items.
3. Query by committee on digits: the committee's training cost (3 members, the loop's step budget) against
   one training of the round's model.

Usage: python bench/speed_model_based.py [--threads 2] [--device cpu] [--repeat 2]
"""
from __future__ import annotations
import argparse, json, platform
import torch, torch.nn.functional as F
from dalmax.core import *
from dalmax.data import *
from dalmax.pool import *
from dalmax.learner import *
from dalmax.inference import *
from dalmax.strategies.core import *
from dalmax.strategies.adversarial import deepfool_distances, bim_distances
from dalmax.strategies.model_change import egl_scores
from dalmax.strategies.committee import QueryByCommittee

def mnist_shaped_digits():
    "Digits upscaled to 28×28 (uint8): an `ImageData` and 2,000 pool images"
    d = ImageData.digits()
    up = lambda x: F.interpolate(x.float(), size=(28, 28), mode='bilinear', align_corners=False).round().clamp(0, 255).to(torch.uint8)
    data = ImageData(ImageSet(up(d.train.x), d.train.y, d.vocab), ImageSet(up(d.test.x), d.test.y, d.vocab), 'digits28')
    allx = torch.cat([data.train.x, data.test.x])
    pool_x = torch.cat([allx, torch.roll(allx[:2000 - len(allx)], 1, dims=3)])
    return data, pool_x

def timed(f, *args, repeat:int=1, **kwargs):
    "Output of `f(*args, **kwargs)` and its best wall time over `repeat` runs (the machine may be shared)"
    best = float('inf')
    for _ in range(repeat):
        with Timer() as t: out = f(*args, **kwargs)
        best = min(best, t.elapsed)
    return out, best

def main(threads=2, device='cpu', repeat=2):
    torch.set_num_threads(threads); seed_everything(0)
    res = {'threads': threads, 'repeat': repeat, 'device': str(get_device(device)), 'torch': torch.__version__, 'machine': platform.machine()}

    # 1. adversarial attacks on 2,000 MNIST-shaped items
    data, pool_x = mnist_shaped_digits()
    model = make_model('cnn', data) # small_cnn(1, 10, (28, 28)) with the data's normalisation
    _, t_train = timed(fit_round, labelled_learner(data, torch.arange(len(data.train)), data.train.y, model, steps=300, device=device))
    res['cnn_train_300_steps_s'] = t_train
    res['cnn_test_accuracy'] = accuracy_of(model, data.test.x, data.test.y, device=device)
    d, t_df = timed(deepfool_distances, model, pool_x, max_iter=50, overshoot=0.02, bs=256, device=device, repeat=repeat)
    res.update(deepfool_items=len(pool_x), deepfool_s=t_df, deepfool_flipped=float(torch.isfinite(d).float().mean()),
               deepfool_median_l2=float(d[torch.isfinite(d)].median()))
    d2, t_df2 = timed(deepfool_distances, model, pool_x, n_classes=3, device=device)
    res.update(deepfool_top3_classes_s=t_df2, deepfool_top3_median_l2=float(d2[torch.isfinite(d2)].median()))
    db, t_bim = timed(bim_distances, model, pool_x, device=device)
    res.update(bim_s=t_bim, bim_flipped=float(torch.isfinite(db).float().mean()))

    # 2. EGL over 50,000 items vs one inference pass
    x50k = pool_x.repeat(25, 1, 1, 1)
    cache, t_inf = timed(predict_pool, model, x50k, embs=True, device=device, repeat=repeat)
    egl, t_egl = timed(egl_scores, cache.probs, cache.embs, repeat=repeat)
    res.update(egl_items=len(x50k), inference_pass_s=t_inf, egl_s=t_egl, egl_over_inference=t_egl / t_inf)

    # 3. query by committee on digits: committee fit cost vs one round's model fit
    data = ImageData.digits()
    pool = LabelledPool(len(data.train)).init_per_class(2, data.train.y, seed=0)
    steps = train_steps(len(pool.labelled))
    def train_model(idxs, seed):
        m = make_model('auto', data)
        fit_round(labelled_learner(data, idxs, pool.labels, m, steps=steps, seed=seed, device=device))
        return m
    main_model, t_main = timed(train_model, pool.labelled, 0)
    ul = pool.unlabelled
    c = predict_pool(main_model, data.train.x, torch.cat([ul, pool.labelled]), device=device)
    ctx = QueryContext(c[:len(ul)], c[len(ul):], pool=pool, model=main_model, data=data, rnd=1, seed=0, device=device, train_model=train_model)
    qbc = QueryByCommittee(n_members=3)
    qbc(ctx, 10)
    res.update(qbc_steps_per_member=steps, model_fit_s=t_main, qbc_fit_s=qbc.last_fit_time, qbc_query_s=qbc.last_time,
               qbc_fit_over_model_fit=qbc.last_fit_time / t_main)
    return res

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--device', default='cpu')
    p.add_argument('--repeat', type=int, default=2, help='best of this many runs for DeepFool, inference and EGL')
    a = p.parse_args()
    for k, v in main(a.threads, a.device, a.repeat).items(): print(f'{k:28s} {v:.4g}' if isinstance(v, float) else f'{k:28s} {v}')
