"""Containers: Sequential, ModuleList and ModuleDict."""
import operator
from collections import OrderedDict

from .module import Module, _addindent


def _index(container, idx):
    """``idx`` (an int, negative allowed) as a position in ``container``, or IndexError."""
    idx = operator.index(idx)
    n = len(container)
    if not -n <= idx < n:
        raise IndexError(f"{container._get_name()}: index {idx} is out of range for "
                         f"{n} modules")
    return idx % n


class _Ordered(Module):
    """Sub-modules kept in order and numbered: ``len``, iteration, ``append``, ``del``."""

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        """Adds ``module`` at the end, named by its position."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        """A new container holding this one's modules, then ``other``'s (renumbered)."""
        return type(self)().extend(list(self) + list(other))

    def _key(self, idx):
        return list(self._modules)[_index(self, idx)]

    def __delitem__(self, idx):
        """Removes one module (an int) or several (a slice); the rest are renumbered
        "0", "1", ... as torch does, even in a Sequential built from named modules."""
        keys = list(self._modules)[idx] if isinstance(idx, slice) else [self._key(idx)]
        for key in keys:
            del self._modules[key]
        modules = list(self._modules.values())
        self._modules.clear()
        for i, module in enumerate(modules):
            self._modules[str(i)] = module

    def pop(self, idx=-1):
        """Removes the module at ``idx`` and returns it."""
        module = self[idx]
        del self[idx]
        return module


class Sequential(_Ordered):
    """Modules applied one after another: ``Sequential(a, b)(x) == b(a(x))``.

    Built from modules (named "0", "1", ...) or from an OrderedDict of name -> module.
    Supports indexing (an int or a slice), ``len``, iteration, ``append``, ``extend``,
    ``insert``, ``pop``, ``del`` and ``+``.
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(modules):
                self.add_module(str(i), module)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[_index(self, idx)]

    def __setitem__(self, idx, module):
        setattr(self, self._key(idx), module)

    def insert(self, index, module):
        """Inserts ``module`` before position ``index`` (negative counts from the end); the
        modules from there on are renumbered."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.insert: expected a Module, got {type(module).__name__}")
        n = len(self)
        if not -n <= operator.index(index) <= n:
            raise IndexError(f"Sequential.insert: index {index} is out of range for {n} modules")
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules.clear()
        return self.extend(modules)

    def forward(self, x):
        for module in self:
            x = module(x)
        return x


class ModuleList(_Ordered):
    """A list of modules, registered under "0", "1", ... (so their parameters are found)."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(_index(self, idx))]

    def __setitem__(self, idx, module):
        setattr(self, str(_index(self, idx)), module)

    def insert(self, index, module):
        """Inserts ``module`` before position ``index``, renumbering those after it."""
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules.clear()
        self.extend(modules)

    def __repr__(self):
        # torch compresses runs of identical reprs: "(0-2): 3 x Linear(...)"
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []  # [start, end, repr]
        for i, r in enumerate(reprs):
            if runs and runs[-1][2] == r:
                runs[-1][1] = i
            else:
                runs.append([i, i, r])
        lines = [_addindent(f"({a}): {r}" if a == b else f"({a}-{b}): {b - a + 1} x {r}", 2)
                 for a, b, r in runs]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """An ordered dict of name -> module, registered as sub-modules."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def pop(self, key):
        return self._modules.pop(key)

    def clear(self):
        self._modules.clear()

    def update(self, modules):
        """Adds modules from a mapping or from (name, module) pairs."""
        if hasattr(modules, "items"):
            pairs = list(modules.items())
        else:
            try:
                pairs = list(modules)
            except TypeError:
                raise TypeError(f"ModuleDict.update: expected a mapping or an iterable of "
                                f"(name, module) pairs, got {type(modules).__name__}") from None
            for i, pair in enumerate(pairs):
                if not hasattr(pair, "__len__") or len(pair) != 2:
                    raise ValueError(f"ModuleDict.update: element #{i} must be a (name, "
                                     f"module) pair, got {pair!r}")
        for key, module in pairs:
            self[key] = module
