"The public API of dalmax: `from dalmax.all import *`. Hand-written; every other module is generated from nbs/."
from pathlib import Path
from .core import *
from .data import *
from .pool import *
from .learner import *
from .distributed import *
from .inference import *
from .strategies.core import *
from .strategies.uncertainty import *
from .strategies.bayesian import *
from .strategies.batchbald import *
from .strategies.diversity import *
from .strategies.coreset import *
from .strategies.badge import *
from .strategies.committee import *
from .strategies.adversarial import *
from .strategies.model_change import *
from .strategies.albl import *
from .loop import *
from .results import *
from .show import *
from .labeller import *
from .exchange import *
from .experiments import *
from .cli import train_al, train, train_once, load_data, compare_cmd, open_session, query_cmd, teach_cmd, export_cmd
