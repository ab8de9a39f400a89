"""Model selection: cross-validation and hyperparameter search.

The splitters are scikit-learn's (``KFold``, ``StratifiedKFold``, ``LeaveOneOut``, ...),
re-exported here and imported only when first used.
"""
from .cross_validation import CVResult, cross_validate
from .search import (Choice, IntUniform, LogUniform, SearchResult, Uniform, grid_search,
                     random_search, tune)

_SPLITTERS = ("KFold", "StratifiedKFold", "LeaveOneOut", "ShuffleSplit", "StratifiedShuffleSplit",
              "RepeatedKFold")


def __getattr__(name):
    if name in _SPLITTERS:
        import sklearn.model_selection
        return getattr(sklearn.model_selection, name)
    raise AttributeError(f"module 'gradix.select' has no attribute {name!r}")


__all__ = ["cross_validate", "CVResult", "grid_search", "random_search", "tune", "SearchResult",
           "Choice", "Uniform", "LogUniform", "IntUniform", *_SPLITTERS]
