"""Stateless forms of the layers and losses (``gradix.nn.functional``, imported as ``F``).

Each function lives with its op family in ``gradix.ops``; this module gathers them under
PyTorch's names.
"""
from ..ops.activation import *  # noqa: F401,F403
from ..ops.attention import *  # noqa: F401,F403
from ..ops.conv import *  # noqa: F401,F403
from ..ops.distance import *  # noqa: F401,F403
from ..ops.dropout import *  # noqa: F401,F403
from ..ops.elementwise import relu, sigmoid, softplus, tanh  # noqa: F401
from ..ops.embedding import *  # noqa: F401,F403
from ..ops.linear import *  # noqa: F401,F403
from ..ops.loss import *  # noqa: F401,F403
from ..ops.normalization import *  # noqa: F401,F403
from ..ops.pool import *  # noqa: F401,F403
from ..ops.shape import pad  # noqa: F401
