"""Differentiable ops, grouped by family. Importing this package attaches them to Tensor."""
from . import elementwise, reduce, shape, index, linalg, trig, diagonal, sort, in_place  # noqa: F401
from . import decomposition, special, stats  # noqa: F401
