"""The command line and run shared by the benchmark protocols `bench/protocol_{a,b,c}.py` (issue #4).

Each protocol script gives its settings and defaults to `run_protocol`, which parses the arguments, loads the
dataset, and runs the strategies × seeds grid with `dalmax.reports.compare` (resumable: finished runs are read
back, an interrupted run continues from its last completed round).
"""
import argparse
from pathlib import Path
import torch
from dalmax.core import Timer
from dalmax.experiments import registered_strategies, resolve_data, rounds_for_budget
from dalmax.reports import compare

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
    if epochs is not None:
        p.add_argument('--epochs', type=int, default=epochs, help='passes over the labelled set per round (at least 300 steps)')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/f'protocol_{name.lower()}'), help='results folder')
    p.add_argument('--threads', type=int, default=2, help='torch CPU threads')
    p.add_argument('--device', default=None, help='torch device (default: a GPU when present)')
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    strategies = registered_strategies(a.strategies)
    with Timer() as t: data = resolve_data(dataset)
    n_init = init.get('init') or init['init_per_class'] * data.n_classes
    n_rounds = rounds_for_budget(n_init, n_query, a.max_labels)
    print(f'{data} loaded in {t.elapsed:.1f}s; {n_rounds} rounds of {n_query} from {n_init} labels')
    protocol = dict(**init, n_query=n_query, n_rounds=n_rounds, arch=arch,
                    **({} if epochs is None else dict(epochs=a.epochs)),
                    warm_start=False, subsample=a.subsample or None, device=a.device)
    with Timer() as t:
        compare(strategies, data, a.seeds, a.out, baseline='random', targets=a.targets, ratio=ratio, **protocol)
    print(f'protocol {name} done in {t.elapsed:.1f}s; results in {a.out}')
