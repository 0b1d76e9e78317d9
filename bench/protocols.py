"""The command line and run shared by the benchmark protocols `bench/protocol_{a,b,c}.py` (issues #4 and #13).

Each protocol script gives its settings and defaults to `run_protocol`, which parses the arguments, loads the
dataset, and runs the strategies × seeds grid with `dalmax.reports.compare` (resumable: finished runs are read
back, an interrupted run continues from its last completed round).

The training recipe options (`--aug`, `--semi` and its settings, `--bs`, `--min_steps`) build each run's
`FastRoute` here (the loop is given the route); without them the grid is exactly the one of issue #4. The route's
settings and the cost of a round (`FastRoute.round_budget`) go into `route.json`; every sitting appends its wall
time, CPU time (this process, all threads) and load average to `sittings.csv`, so the cost of a grid run in several
sittings is their sum.
"""
import argparse, json, os, resource, sys, time
from datetime import datetime, timezone
from pathlib import Path
import torch
from dalmax.core import Timer, atomic_write_text
from dalmax.route import FastRoute
from dalmax.semisupervised import SemiSupervised, SEMI_METHODS
from dalmax.augment import AUG_PRESETS
from dalmax.reports import compare
from dalmax.experiments import registered_strategies, resolve_data, rounds_for_budget

class ProtocolRoutes:
    "The route of every run of a grid: `FastRoute(data, **settings)` for any seed (the data's name is the grid's)"
    def __init__(self, data, **settings): self.data, self.settings, self.name = data, settings, data.name
    def __call__(self, seed:int): return FastRoute(self.data, **self.settings)

def _cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def _log_sitting(out, wall, cpu, load0, argv):
    p = Path(out)/'sittings.csv'
    head = '' if p.exists() else 'finished_utc,wall_s,cpu_s,load1_start,load1_end,command\n'
    cmd = ' '.join(['python', Path(sys.argv[0]).name if sys.argv[0] else 'protocol'] + list(argv if argv is not None else sys.argv[1:]))
    line = f"{datetime.now(timezone.utc).isoformat(timespec='seconds')},{wall:.1f},{cpu:.1f},{load0:.2f},{os.getloadavg()[0]:.2f},\"{cmd}\"\n"
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, 'a') as f: f.write(head + line)

def run_protocol(doc:str, # the script's docstring: its first line describes the command
                 name:str, # protocol letter, e.g. 'A': results go to bench/results/protocol_<name>/
                 dataset:str, # 'mnist' or 'cifar10' (fastai's archives, through `untar_data`)
                 strategies:list, # default strategies
                 seeds:list, # default seeds
                 max_labels:int, # default labelled-set size to stop at
                 subsample:int, # default unlabelled images scored per round (0: all)
                 targets:list, # default accuracies for labels-to-target
                 init:dict, # initial labelled set: dict(init=n) or dict(init_per_class=k)
                 n_query:int, # items queried per round
                 arch:str, # model
                 epochs:int=None, # default passes per round, offered as --epochs (None: no option, the loop's default)
                 ratio:bool=False, # report ratios to random too
                 argv=None):
    "Parse a protocol script's arguments (defaults as given) and run its grid with `compare`"
    p = argparse.ArgumentParser(description=doc.split('\n')[0])
    p.add_argument('--seeds', type=int, nargs='+', default=seeds, help='run seeds')
    p.add_argument('--strategies', nargs='+', default=strategies, help='strategy names (unregistered ones are skipped)')
    p.add_argument('--max_labels', type=int, default=max_labels, help='labelled-set size to stop at')
    p.add_argument('--subsample', type=int, default=subsample, help='unlabelled images scored per round (0: all)')
    p.add_argument('--targets', type=float, nargs='+', default=targets, help='accuracies for labels-to-target')
    p.add_argument('--init', type=int, default=None, help="initial labelled set: this many random items (default: the protocol's)")
    if epochs is not None:
        p.add_argument('--epochs', type=int, default=epochs, help='passes over the labelled set per round (at least 300 steps)')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/f'protocol_{name.lower()}'), help='results folder')
    p.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    p.add_argument('--device', default=None, help='torch device (default: a GPU when present)')
    g = p.add_argument_group('training recipe (issue #13; the defaults are the recipe of issue #4)')
    g.add_argument('--aug', default='none', choices=['none', 'auto', *AUG_PRESETS], help='augmentation of the training batches')
    g.add_argument('--semi', default='none', choices=['none', *SEMI_METHODS], help='semi-supervised rounds')
    g.add_argument('--semi_threshold', type=float, default=0.95, help='confidence threshold of a pseudo-label')
    g.add_argument('--semi_ratio', type=float, default=1., help='unlabelled images per labelled image in a step')
    g.add_argument('--semi_warmup', type=float, default=0., help='fraction of the steps trained on labelled images only')
    g.add_argument('--semi_weight', type=float, default=1., help='weight of the unlabelled loss')
    g.add_argument('--bs', type=int, default=64, help='labelled images per step')
    g.add_argument('--min_steps', type=int, default=300, help='optimizer steps per round, at least')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    cpu0, load0 = _cpu_seconds(), os.getloadavg()[0]
    strategies = registered_strategies(a.strategies)
    if a.init is not None: init = dict(init=a.init)
    with Timer() as t: data = resolve_data(dataset)
    n_init = init.get('init') or init['init_per_class'] * data.n_classes
    n_rounds = rounds_for_budget(n_init, n_query, a.max_labels)
    print(f'{data} loaded in {t.elapsed:.1f}s; {n_rounds} rounds of {n_query} from {n_init} labels')
    semi = None if a.semi == 'none' else SemiSupervised(a.semi, threshold=a.semi_threshold, ratio=a.semi_ratio,
                                                         warmup=a.semi_warmup, weight=a.semi_weight)
    recipe = dict(aug=None if a.aug == 'none' else a.aug, semi=semi, bs=a.bs, min_steps=a.min_steps)
    protocol = dict(**init, n_query=n_query, n_rounds=n_rounds)
    route_settings = dict(arch=arch, **({} if epochs is None else dict(epochs=a.epochs)), warm_start=False)
    if recipe == dict(aug=None, semi=None, bs=64, min_steps=300): # issue #4's grid: the loop builds the route
        protocol.update(**route_settings, subsample=a.subsample or None, device=a.device)
    else:
        route_settings.update(recipe, device=a.device)
        protocol.update(subsample=a.subsample or None)
        data = ProtocolRoutes(data, **route_settings)
        route = data(0)
        budget = {n: route.round_budget(n) for n in (n_init, n_init + n_rounds*n_query)}
        atomic_write_text(json.dumps(dict(route=route.config, round_budget=budget), indent=1, default=str), Path(a.out)/'route.json')
        print(f'route: {route.config}\nround budget (first and last round): {budget}')
    with Timer() as t:
        compare(strategies, data, a.seeds, a.out, baseline='random', targets=a.targets, ratio=ratio, **protocol)
    _log_sitting(a.out, t.elapsed, _cpu_seconds() - cpu0, load0, argv)
    print(f'protocol {name} done in {t.elapsed:.1f}s ({_cpu_seconds() - cpu0:.0f}s CPU); results in {a.out}')
