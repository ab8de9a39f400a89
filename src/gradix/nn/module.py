"""Module: the base of every layer; registers parameters, buffers and sub-modules in order."""
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from .. import backend, dtypes
from ..autograd.grad_mode import no_grad
from ..autograd.hooks import RemovableHandle
from ..tensor import Tensor, as_tensor, to_arguments, zero_grads
from .parameter import Parameter

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _addindent(text, spaces):
    """Indents every line of ``text`` but the first (torch's repr helper)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line for line in rest])


class Module:
    """Base class of layers and models, with PyTorch's registration rules.

    Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, in assignment order;
    ``register_buffer`` adds a non-learned Tensor (running statistics) that ``state_dict``
    saves. Subclasses call ``super().__init__()`` first and define ``forward``.
    """

    def __init__(self):
        for name, value in (("training", True), ("_parameters", {}), ("_buffers", {}),
                            ("_non_persistent", set()), ("_modules", {}),
                            ("_forward_pre_hooks", []), ("_forward_hooks", [])):
            object.__setattr__(self, name, value)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{self._get_name()} has no forward(); subclasses of Module "
                                  f"must define it")

    def __call__(self, *args, **kwargs):
        if self._forward_pre_hooks or self._forward_hooks:
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ forward hooks
    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """Calls ``hook(module, args)`` before each forward; a result other than None replaces
        the positional arguments (a non-tuple becomes a 1-tuple). With ``with_kwargs``,
        ``hook(module, args, kwargs)`` returns None or a new ``(args, kwargs)``. Returns a
        handle whose ``remove()`` unregisters the hook."""
        return self._add_hook(self._forward_pre_hooks, (hook, with_kwargs, False), prepend)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """Calls ``hook(module, args, output)`` (``hook(module, args, kwargs, output)`` with
        ``with_kwargs``) after each forward; a result other than None replaces the output.
        ``always_call`` runs it even when forward raises. Returns a removable handle."""
        return self._add_hook(self._forward_hooks, (hook, with_kwargs, always_call), prepend)

    @staticmethod
    def _add_hook(hooks, entry, prepend):
        if not callable(entry[0]):
            raise TypeError(f"hook must be callable, got {type(entry[0]).__name__}")
        hooks.insert(0 if prepend else len(hooks), entry)
        return RemovableHandle(hooks, entry)

    def _call_with_hooks(self, args, kwargs):
        for hook, with_kwargs, _ in list(self._forward_pre_hooks):
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(f"forward pre-hook must return None or a tuple of "
                                           f"(new_args, new_kwargs), got {result!r}")
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        hooks, output, called = list(self._forward_hooks), None, 0
        try:
            output = self.forward(*args, **kwargs)
            for hook, with_kwargs, _ in hooks:
                called += 1
                result = (hook(self, args, kwargs, output) if with_kwargs else
                          hook(self, args, output))
                if result is not None:
                    output = result
        except Exception:
            # as torch: the always_call hooks not run yet still run, their errors only warned
            for hook, with_kwargs, always_call in hooks[called:]:
                if always_call:
                    try:
                        hook(self, args, kwargs, output) if with_kwargs else hook(self, args,
                                                                                  output)
                    except Exception as e:  # noqa: BLE001  (the first error is the one raised)
                        warnings.warn(f"forward hook with always_call=True raised {e!r}, "
                                      f"silenced as forward had raised", stacklevel=2)
            raise
        return output

    # ------------------------------------------------------------------ registration
    def _require_init(self, what):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {what} before Module.__init__() call")

    def _check_name(self, kind, name, registry):
        """torch's checks: a string, no dot, not empty, and not already an attribute of another
        kind (a parameter can't be re-registered as a buffer; ``setattr`` can replace it)."""
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string, got {type(name).__name__}")
        if "." in name or name == "":
            raise KeyError(f"{kind} name must be non-empty and without a dot, got {name!r}")
        if hasattr(self, name) and name not in registry:
            raise KeyError(f"attribute {name!r} already exists on {self._get_name()}")

    def _forget(self, name, keep=None):
        """Removes ``name`` from the instance dict and every registry but ``keep`` (the one it
        is about to be registered in, where it keeps its place)."""
        for registry in (self.__dict__, self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)
        self._non_persistent.discard(name)

    def register_parameter(self, name, param):
        """Adds ``param`` (a Parameter, or None for an absent one such as ``bias=False``)."""
        self._require_init("parameters")
        self._check_name("parameter", name, self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter "
                            f"'{name}' (gradix.nn.Parameter or None required)")
        self._forget(name, self._parameters)
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Adds a Tensor that is state but not learned; ``persistent`` ones go in state_dict."""
        self._require_init("buffers")
        self._check_name("buffer", name, self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer "
                            f"'{name}' (gradix.Tensor or None required)")
        self._forget(name, self._buffers)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name, module):
        """Adds a sub-module (or None) under ``name``."""
        self._require_init("child modules")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_name("module", name, self._modules)
        self._forget(name, self._modules)
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name, value):
        d = self.__dict__
        if isinstance(value, Parameter):
            # a plain attribute, buffer or module of that name gives way, as in torch
            self._require_init("parameters")
            self._forget(name, self._parameters)
            self.register_parameter(name, value)
        elif name in d.get("_parameters", ()):
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter "
                                f"'{name}' (gradix.nn.Parameter or None expected)")
            self._parameters[name] = None
        elif isinstance(value, Module):
            self._require_init("modules")
            self._forget(name, self._modules)
            self.add_module(name, value)
        elif name in d.get("_modules", ()):
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module "
                                f"'{name}' (gradix.nn.Module or None expected)")
            self._modules[name] = None
        elif name in d.get("_buffers", ()):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                                f"(gradix.Tensor or None expected)")
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # called only when normal lookup fails: look in the registries
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if name in d.get(registry, ()):
                return d[registry][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __dir__(self):
        # registered names too, for tab completion (torch leaves out the numbered ones)
        names = list(super().__dir__())
        for registry in (self._parameters, self._buffers, self._modules):
            names += [n for n in registry if not n[0].isdigit()]
        return sorted(set(names))

    def __delattr__(self, name):
        if any(name in d for d in (self._parameters, self._buffers, self._modules)):
            self._forget(name)
        else:
            object.__delattr__(self, name)

    # ------------------------------------------------------------------ traversal
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Yields (dotted name, module) for this module and every descendant, depth first."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                yield from module.named_modules(memo, prefix + ("." if prefix else "") + name,
                                                remove_duplicate)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def get_submodule(self, target):
        """The sub-module at dotted path ``target`` ("" is this module)."""
        module = self
        for i, name in enumerate(target.split(".") if target else []):
            if name not in module._modules or module._modules[name] is None:
                path = ".".join(target.split(".")[:i])
                raise AttributeError(f"{module._get_name()}{' ' + repr(path) if path else ''} "
                                     f"has no submodule {name!r}")
            module = module._modules[name]
        return module

    def _get_member(self, target, registry, kind):
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if name not in getattr(module, registry):
            raise AttributeError(f"{module._get_name()} has no {kind} {name!r}")
        return getattr(module, registry)[name]

    def get_parameter(self, target):
        """The parameter at dotted path ``target``, such as "0.weight"."""
        return self._get_member(target, "_parameters", "parameter")

    def get_buffer(self, target):
        """The buffer at dotted path ``target``, such as "1.running_mean"."""
        return self._get_member(target, "_buffers", "buffer")

    def _named_members(self, registry, prefix, recurse, remove_duplicate):
        seen = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                   if recurse else [(prefix, self)])
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """Yields (dotted name, Parameter) in registration order; a shared parameter (or
        module) once, unless ``remove_duplicate=False``."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    # ------------------------------------------------------------------ modes and grads
    def train(self, mode=True):
        """Sets training mode (dropout active, batch statistics) on this module and below."""
        if not isinstance(mode, bool):
            raise ValueError(f"train: mode must be a bool, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self):
        """Evaluation mode: the same as ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        """Clears every parameter's ``.grad`` (see ``gradix.tensor.zero_grads``)."""
        zero_grads(self.parameters(), set_to_none)

    def requires_grad_(self, requires_grad=True):
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def apply(self, fn):
        """Calls ``fn`` on every sub-module (children first) and then on this module."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args, dtype=None, device=None):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)`` or keywords:
        converts floating parameters and buffers in place (they stay the same objects)."""
        dtype, device = to_arguments(args, dtype, device)
        dtype = dtypes.as_dtype(dtype)
        if dtype is not None and dtype.kind != "f":
            raise TypeError(f"Module.to: only floating dtypes are accepted, got "
                            f"{dtypes.dtype_name(dtype)}")
        for t in list(self.parameters()) + list(self.buffers()):
            for target in (t, t.grad):
                if target is None:
                    continue
                if dtype is not None and target.data.dtype.kind == "f":
                    target.data = target.data.astype(dtype)
                if device is not None:
                    target.data = backend.to_device(target.data, device)
        return self

    def float(self):
        return self.to(dtypes.float32)

    def double(self):
        return self.to(dtypes.float64)

    def half(self):
        return self.to(dtypes.float16)

    # ------------------------------------------------------------------ state
    def _state_entries(self):
        """(dotted name, Tensor) for every parameter and persistent buffer, like torch."""
        for prefix, module in self.named_modules(remove_duplicate=False):
            dot = prefix + ("." if prefix else "")
            for name, param in module._parameters.items():
                if param is not None:
                    yield dot + name, param
            for name, buf in module._buffers.items():
                if buf is not None and name not in module._non_persistent:
                    yield dot + name, buf

    def state_dict(self, *, destination=None, prefix="", keep_vars=False):
        """An ordered dict of name -> Tensor (detached unless ``keep_vars``), torch's keys,
        each preceded by ``prefix``; added to ``destination`` when one is given."""
        if destination is None:
            destination = OrderedDict()
        for name, t in self._state_entries():
            destination[prefix + name] = t if keep_vars else t.detach()
        return destination

    def load_state_dict(self, state_dict, strict=True):
        """Copies values (Tensors or NumPy arrays) into the parameters and buffers in place.

        Everything is checked before anything changes: a wrongly shaped entry always raises;
        with ``strict`` a missing or unexpected key raises too. Returns
        ``(missing_keys, unexpected_keys)``.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"load_state_dict: expected a dict-like state_dict, got "
                            f"{type(state_dict).__name__}")
        own = OrderedDict(self._state_entries())
        missing = [k for k in own if k not in state_dict]
        # torch lists unexpected keys module by module (depth first), each under the deepest
        # module whose dotted name starts the key
        depth_first = {name: i for i, (name, _) in
                       enumerate(self.named_modules(remove_duplicate=False))}

        def owner(key):
            parts = key.split(".")[:-1]
            while parts and ".".join(parts) not in depth_first:
                parts.pop()
            return depth_first[".".join(parts)]
        unexpected = sorted((k for k in state_dict if k not in own), key=owner)
        errors = []
        values = {}
        for name, target in own.items():
            if name not in state_dict:
                continue
            value = state_dict[name]
            array = value.data if isinstance(value, Tensor) else as_tensor(value).data
            if array.shape != target.data.shape:
                errors.append(f"size mismatch for {name}: copying a param with shape "
                              f"{tuple(array.shape)} from checkpoint, the shape in current "
                              f"model is {tuple(target.data.shape)}.")
            values[name] = array
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: "
                              + ", ".join(f'"{k}"' for k in unexpected) + ". ")
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: "
                              + ", ".join(f'"{k}"' for k in missing) + ". ")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {self._get_name()}:\n\t"
                               + "\n\t".join(errors))
        with no_grad():
            for name, array in values.items():
                own[name].copy_(array)
        return IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        """The layer's settings, shown inside its repr (e.g. ``in_features=3, ...``)."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(module), 2)
                       for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        body = ""
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                body = extra_lines[0]
            else:
                body = "\n  " + "\n  ".join(lines) + "\n"
        return self._get_name() + "(" + body + ")"
