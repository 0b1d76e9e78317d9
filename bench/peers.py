"""Peer implementations for `dalmax bench` (bench/query_bench.py): naive references and adapters to peer libraries.

Every function here answers the same query as a dalmax strategy, on the same inputs, the way another code base does
it, so that `dalmax bench` (`dalmax.bench.run`) can time both side by side:

- naive references, written for this benchmark after the published algorithms (no peer code is copied):
  `naive_kcenter` (k-center greedy over the full pairwise distance matrix, as DeepAL-style code does it),
  `naive_badge` (BADGE with the gradient embeddings materialised in float64 and a full distance pass per pick, as in the
  paper's code), `naive_deepfool` (DeepFool one image at a time, one backward pass per class);
- adapters to the peer libraries on PyPI (pinned in bench/requirements.txt): baal 2.1.0 (`Entropy`, `BALD` heuristics and its
  `ModelWrapper` MC-dropout inference), modAL-python 0.4.2.1 (`entropy_sampling`, `vote_entropy_sampling`),
  scikit-activeml 1.0.1 (`CoreSet`, `Badge`).

A peer that cannot be imported raises `PeerMissing`, which the benchmark reports as 'not installable: <reason>'.

Each implementation is `fn(pool, n, seed) -> positions`, where `pool` is a `dalmax.bench.pools` pool (`SynthPool` or
`RealPool`) and the result holds the positions (into the pool's unlabelled items) of the `n` queried items. The time of
the call is the query time: the inference the method needs (done the peer's way when the peer has its own) plus the
selection. `PEERS` maps a strategy name to its `(peer name, fn, bytes estimate)` triples.
"""
import math, logging, warnings
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

class PeerMissing(Exception):
    "A peer library is not installed (or cannot be imported)"

def _need(module):
    "Import `module` or raise `PeerMissing` with the reason"
    import importlib
    try: return importlib.import_module(module)
    except Exception as e: raise PeerMissing(f"{type(e).__name__}: {e}".split('\n')[0]) from None

def _quiet_baal():
    "baal logs every prediction through structlog; keep the benchmark's output clean"
    try:
        import structlog
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    except Exception: pass
    warnings.filterwarnings('ignore', module='baal')

# ---------------------------------------------------------------------------------------------------------------------
# Plain inference, as a user of a library without its own inference would write it
# ---------------------------------------------------------------------------------------------------------------------
@torch.inference_mode()
def plain_probs(pool, idxs=None, bs=None):
    "Softmax probabilities of the pool's unlabelled items (or `idxs`): a plain batched loop over the model"
    if pool.kind == 'synthetic':
        head = pool.head.eval(); E = pool.embs_tensor(); bs = bs or 8192
        return torch.cat([F.softmax(head(E[i:i+bs]), 1) for i in range(0, len(E), bs)]).numpy()
    model = pool.model.eval(); bs = bs or 256
    idxs = pool.unl if idxs is None else idxs
    return torch.cat([F.softmax(model(pool.x[idxs[i:i+bs]].float() / 255), 1) for i in range(0, len(idxs), bs)]).numpy()

def pool_arrays(pool):
    "NumPy probabilities and embeddings of the unlabelled items and embeddings of the labelled ones, from one plain pass"
    if pool.kind == 'synthetic': return plain_probs(pool), np.asarray(pool.embs), np.asarray(pool.lab)
    from dalmax.inference import predict_pool
    c = predict_pool(pool.model, pool.x, np.concatenate([pool.unl, pool.lab_idxs]), embs=True, device='cpu')
    U = len(pool.unl)
    return c.probs[:U].numpy(), c.embs[:U].numpy(), c.embs[U:].numpy()

# ---------------------------------------------------------------------------------------------------------------------
# Naive references
# ---------------------------------------------------------------------------------------------------------------------
def naive_kcenter_picks(unl, # U×d embeddings of the candidates
                        lab, # L×d embeddings of the labelled items (L ≥ 1)
                        n): # items to pick
    "k-center greedy over the full (U+L)² Euclidean distance matrix; each pick re-takes the min over all centre columns"
    X = np.concatenate([unl, lab]).astype(np.float32)
    sq = np.einsum('ij,ij->i', X, X)
    D = X @ X.T                                     # (U+L)×(U+L), float32
    D *= -2; D += sq[:, None]; D += sq[None, :]
    np.sqrt(np.clip(D, 0, None, out=D), out=D)
    U = len(unl)
    centres, free, picks = list(range(U, len(X))), np.ones(U, bool), []
    for _ in range(n):
        dmin = D[:U][:, centres].min(1)             # U×(L+t) copy every pick, as with a growing min matrix
        dmin[~free] = -np.inf
        j = int(dmin.argmax())
        picks.append(j); free[j] = False; centres.append(j)
    return np.array(picks)

def naive_kcenter(pool, n, seed=0):
    "DeepAL-style k-center greedy (core-set) on the pool"
    _, unl, lab = pool_arrays(pool) if pool.kind != 'synthetic' else (None, pool.embs, pool.lab)
    return naive_kcenter_picks(np.asarray(unl), np.asarray(lab), n)

def naive_kcenter_bytes(N, d, L, **kw): return 3 * 4 * (N + L)**2 + 4 * N * d

def gradient_embeddings_f64(probs, embs):
    "BADGE's gradient embeddings (p − e_ŷ) ⊗ h, materialised as an N×(C·d) float64 array"
    p = np.asarray(probs, np.float64)
    r = p.copy(); r[np.arange(len(r)), p.argmax(1)] -= 1
    return (r[:, :, None] * np.asarray(embs, np.float64)[:, None, :]).reshape(len(r), -1)

def naive_badge_picks(probs, # N×C class probabilities
                      embs, # N×d embeddings
                      n, # items to pick
                      uniforms): # n−1 uniforms in [0,1) that draw the k-means++ samples
    "k-means++ seeding on materialised gradient embeddings, the first centre the largest, one full distance pass per pick"
    from sklearn.metrics import pairwise_distances
    G = gradient_embeddings_f64(probs, embs)
    N = len(G)
    j = int(np.einsum('ij,ij->i', G, G).argmax())
    picks, d2 = [j], None
    for t in range(n):
        if t:
            cs = np.cumsum(d2)
            if not cs[-1] > 0: cs = np.cumsum(np.isin(np.arange(N), picks, invert=True).astype(np.float64))
            j = min(int(np.searchsorted(cs, uniforms[t-1] * cs[-1], side='right')), N - 1)
            picks.append(j)
        d = pairwise_distances(G, G[j:j+1]).ravel() ** 2
        d2 = d if d2 is None else np.minimum(d2, d)
        d2[j] = 0
    return np.array(picks)

def naive_badge(pool, n, seed=0):
    "BADGE as the paper's code runs it: probabilities from a plain pass, float64 gradient embeddings, D² sampling"
    probs, unl, _ = pool_arrays(pool)
    u = np.random.default_rng(seed).random(max(n - 1, 0))
    return naive_badge_picks(probs, unl, n, u)

def naive_badge_bytes(N, d, C, **kw): return 2 * 8 * N * C * d + 4 * N * d

def naive_deepfool_distance(model, x0, max_iter=50, overshoot=0.02):
    "DeepFool on one image (1×C×H×W, floats in [0,1]) with one backward pass per class; inf if the label never flips"
    with torch.no_grad(): logits = model(x0)[0]
    order = torch.sort(logits, descending=True, stable=True).indices   # order[0]: the predicted class
    k0 = int(order[0])
    r_tot, xi = torch.zeros_like(x0), x0.clone()
    for _ in range(max_iter):
        xg = xi.clone().requires_grad_()
        f = model(xg)[0]
        grads = []
        for k in order.tolist():
            g, = torch.autograd.grad(f[k], xg, retain_graph=True)
            grads.append(g.flatten())
        f = f.detach()[order]
        best = None
        xf = xi.flatten()
        for i in range(1, len(order)):
            w = grads[i] - grads[0]
            w = torch.where(((xf <= 0) & (w < 0)) | ((xf >= 1) & (w > 0)), torch.zeros_like(w), w)  # box edges
            fd, wn = (f[i] - f[0]).abs(), w.norm().clamp_min(1e-12)
            if best is None or fd / wn < best[0]: best = (fd / wn, fd, wn, w)
        _, fd, wn, w = best
        r = ((fd + 1e-6) / wn**2) * w
        x_new = (x0 + (1 + overshoot) * (r_tot + r.view_as(x0))).clamp(0, 1)
        r_tot = (x_new - x0) / (1 + overshoot)
        xi = x_new
        with torch.no_grad():
            if int(model(x_new).argmax(1)) != k0: return float(r_tot.norm())
    return math.inf

def naive_deepfool_distances(model, x, idxs, max_iter=50, overshoot=0.02):
    "DeepFool distances of `x[idxs]` (uint8 or float images), one item at a time"
    was = model.training; model.eval()
    try:
        out = []
        for i in idxs:
            xi = x[int(i):int(i)+1]
            xi = xi.float() / 255 if xi.dtype == torch.uint8 else xi.float()
            out.append(naive_deepfool_distance(model, xi, max_iter, overshoot))
        return torch.tensor(out)
    finally: model.train(was)

def naive_deepfool(pool, n, seed=0):
    "DFAL as DeepAL-style code runs it: a per-item, per-class DeepFool loop over the attacked items"
    d = naive_deepfool_distances(pool.model, pool.x, pool.unl)
    return torch.sort(d, stable=True).indices[:n].numpy()

# ---------------------------------------------------------------------------------------------------------------------
# baal 2.1.0
# ---------------------------------------------------------------------------------------------------------------------
class _Items(torch.utils.data.Dataset):
    "A map-style dataset of the pool's items, as a baal user hands to `ModelWrapper.predict_on_dataset`"
    def __init__(self, pool):
        self.pool = pool
        self.src = pool.embs_tensor() if pool.kind == 'synthetic' else pool.x
        self.idxs = None if pool.kind == 'synthetic' else pool.unl
    def __len__(self): return len(self.src) if self.idxs is None else len(self.idxs)
    def __getitem__(self, i):
        if self.idxs is None: return (self.src[i],)
        return (self.src[int(self.idxs[i])].float() / 255,)

def _baal_predictions(pool, iterations, bs=None):
    "baal's MC inference: `ModelWrapper.predict_on_dataset` over the pool, dropout kept on by `MCDropoutModule`"
    _need('baal'); _quiet_baal()
    import copy
    from baal.modelwrapper import ModelWrapper, TrainingArgs
    from baal.bayesian.dropout import MCDropoutModule
    net = copy.deepcopy(pool.head if pool.kind == 'synthetic' else pool.model)
    if iterations > 1: net = MCDropoutModule(net)
    # baal's defaults (the batch replicated `iterations` times in memory): faster here than its MCCachingModule path,
    # which runs the `iterations` passes one after the other (measured on a 5,000-image MNIST pool: 17 s against 25 s)
    args = TrainingArgs(batch_size=bs or (8192 if pool.kind == 'synthetic' else 256), use_cuda=False, workers=0,
                        replicate_in_memory=True, criterion=nn.CrossEntropyLoss())
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return ModelWrapper(net, args).predict_on_dataset(_Items(pool), iterations=iterations, verbose=False)   # N×C×T logits

def baal_entropy(pool, n, seed=0):
    "baal: one `predict_on_dataset` pass, then the `Entropy` heuristic's ranking"
    from baal.active.heuristics import Entropy
    preds = _baal_predictions(pool, 1)
    return np.asarray(Entropy()(preds))[:n]

def baal_bald(pool, n, seed=0):
    "baal: `predict_on_dataset` with `mc_samples` MC-dropout iterations, then the `BALD` heuristic's ranking"
    preds = _baal_predictions(pool, pool.mc_samples)
    from baal.active.heuristics import BALD
    return np.asarray(BALD()(preds))[:n]

def baal_bald_bytes(N, C, T, **kw): return 3 * 4 * N * C * T

# ---------------------------------------------------------------------------------------------------------------------
# modAL-python 0.4.2.1
# ---------------------------------------------------------------------------------------------------------------------
class _ProbaClassifier:
    "The estimator a modAL user passes: `predict_proba(X)` over the pool (here, the same plain pass as every peer)"
    def __init__(self, pool): self.pool = pool
    def predict_proba(self, X): return plain_probs(self.pool)

def modal_entropy(pool, n, seed=0):
    "modAL: `entropy_sampling` with an estimator whose `predict_proba` runs the model over the pool"
    _need('modAL')
    from modAL.uncertainty import entropy_sampling
    X = np.zeros((len(pool), 1))                    # modAL only passes X on to predict_proba
    idx = entropy_sampling(_ProbaClassifier(pool), X, n_instances=n)
    return np.asarray(idx[0] if isinstance(idx, tuple) else idx)

class _Committee:
    "The committee a modAL user builds: `vote(X)` gives each member's predicted class, N×K"
    def __init__(self, pool): self.pool, self.classes_ = pool, np.arange(pool.n_classes)
    def __len__(self): return len(self.pool.members)
    @torch.inference_mode()
    def vote(self, X):
        E = self.pool.embs_tensor()
        return np.stack([torch.cat([m.eval()(E[i:i+8192]).argmax(1) for i in range(0, len(E), 8192)]).numpy()
                         for m in self.pool.members], 1)

def modal_vote_entropy(pool, n, seed=0):
    "modAL: `vote_entropy_sampling` over the committee's hard votes"
    _need('modAL')
    from modAL.disagreement import vote_entropy_sampling
    idx = vote_entropy_sampling(_Committee(pool), np.zeros((len(pool), 1)), n_instances=n)
    return np.asarray(idx[0] if isinstance(idx, tuple) else idx)

# ---------------------------------------------------------------------------------------------------------------------
# scikit-activeml 1.0.1
# ---------------------------------------------------------------------------------------------------------------------
def skactiveml_coreset(pool, n, seed=0):
    "scikit-activeml: `CoreSet.query` on the labelled and unlabelled embeddings"
    _need('skactiveml')
    from skactiveml.pool import CoreSet
    _, unl, lab = pool_arrays(pool) if pool.kind != 'synthetic' else (None, pool.embs, pool.lab)
    X = np.concatenate([unl, lab])
    y = np.concatenate([np.full(len(unl), np.nan), np.zeros(len(lab))])
    return np.asarray(CoreSet(random_state=seed).query(X, y, batch_size=n))

def skactiveml_coreset_bytes(N, d, L, n, **kw): return 3 * 4 * (N + L) * d + 8 * n * (N + L) + 8 * 2 * N * 1024

def _head_classifier(pool):
    "A scikit-activeml classifier whose `predict_proba(X, return_embeddings=True)` runs the head over embeddings X"
    from skactiveml.base import SkactivemlClassifier
    head = (pool.head if pool.kind == 'synthetic' else pool.model.head).eval()
    class HeadClassifier(SkactivemlClassifier):
        def fit(self, X, y, sample_weight=None): return self
        @torch.inference_mode()
        def predict_proba(self, X, return_embeddings=False):
            E = torch.as_tensor(np.asarray(X, np.float32))
            p = torch.cat([F.softmax(head(E[i:i+8192]), 1) for i in range(0, len(E), 8192)]).numpy()
            return (p, X) if return_embeddings else p
    return HeadClassifier(classes=np.arange(pool.n_classes))

def skactiveml_badge(pool, n, seed=0):
    "scikit-activeml: `Badge.query` with a classifier that returns the probabilities and the embeddings"
    _need('skactiveml')
    from skactiveml.pool import Badge
    _, unl, _ = pool_arrays(pool) if pool.kind != 'synthetic' else (None, np.asarray(pool.embs), None)
    y = np.full(len(unl), np.nan)
    q = Badge(clf_embedding_flag_name='return_embeddings', random_state=seed)
    return np.asarray(q.query(unl, y, clf=_head_classifier(pool), fit_clf=False, batch_size=n))

def skactiveml_badge_bytes(N, d, C, n, **kw): return 3 * 8 * N * C * d + 8 * n * N

def preload():
    "Import the peer libraries that are installed, so that no query pays for an import"
    _quiet_baal()
    for m in ('baal.active.heuristics', 'baal.modelwrapper', 'baal.bayesian.dropout', 'modAL.uncertainty',
              'modAL.disagreement', 'skactiveml.pool', 'sklearn.metrics'):
        try: _need(m)
        except PeerMissing: pass

# ---------------------------------------------------------------------------------------------------------------------
# strategy -> peers: (peer name, fn, estimate of the bytes it needs: fn(N, d, C, L, T, n) or None)
# ---------------------------------------------------------------------------------------------------------------------
PEERS = {
    'entropy': [('baal 2.1.0', baal_entropy, None), ('modAL 0.4.2.1', modal_entropy, None)],
    'bald': [('baal 2.1.0', baal_bald, baal_bald_bytes)],
    'coreset': [('naive k-center (full distance matrix)', naive_kcenter, naive_kcenter_bytes),
                ('scikit-activeml 1.0.1', skactiveml_coreset, skactiveml_coreset_bytes)],
    'badge': [('naive BADGE (float64 gradient embeddings)', naive_badge, naive_badge_bytes),
              ('scikit-activeml 1.0.1', skactiveml_badge, skactiveml_badge_bytes)],
    'qbc_vote_entropy': [('modAL 0.4.2.1', modal_vote_entropy, None)],
    'deepfool': [('naive DeepFool (per item, per class)', naive_deepfool, None)],
}
