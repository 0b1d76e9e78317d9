"The public API of dalmax: `from dalmax.all import *`. Hand-written; the other modules are generated from nbs/."
import importlib as _importlib, pkgutil as _pkgutil
from .core import *
from .data import *
from .pool import *
from .learner import *
from .inference import *
from .strategies.core import *
from .strategies.uncertainty import *
from .loop import *
from .results import *
from .cli import train_al, train, train_once, load_data
from . import strategies as _strategies
for _m in _pkgutil.iter_modules(_strategies.__path__):
    _mod = _importlib.import_module(f'dalmax.strategies.{_m.name}')
    globals().update({_k: getattr(_mod, _k) for _k in getattr(_mod, '__all__', [])})
from pathlib import Path
