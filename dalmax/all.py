"The public API of dalmax: `from dalmax.all import *`. Hand-written; every other module is generated from nbs/."
from pathlib import Path
import numpy as np, pandas as pd, torch, torch.nn as nn, torch.nn.functional as F
from .core import *
from .data import *
from .pool import *
from .learner import *
from .augment import *
from .semisupervised import *
from .distributed import *
from .inference import *
from .route import *
from .strategies.core import *
from .strategies.uncertainty import *
from .strategies.bayesian import *
from .strategies.batchbald import *
from .strategies.diversity import *
from .strategies.probcover import *
from .strategies.coreset import *
from .strategies.badge import *
from .strategies.committee import *
from .strategies.adversarial import *
from .strategies.model_change import *
from .strategies.albl import *
from .strategies.contract import *
from .loop import *
from .results import *
from .show import *
from .labeller import *
from .exchange import *
from .experiments import *
from .metrics import *
from .reports import *
from .cli import train_al, train, train_once, load_data, compare_cmd, open_session, query_cmd, teach_cmd, export_cmd
from .fastai_route import *
