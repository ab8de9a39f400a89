"""Whether ops record the graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``."""
import functools
import inspect

_enabled = True  # read by Function.apply on every op


def is_grad_enabled():
    return _enabled


def _decorate(fn, context):
    """``fn`` running inside ``context()``; a generator function's body runs inside it on
    every resumption, not only while the generator object is created."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def generator(*args, **kwargs):
            gen = fn(*args, **kwargs)
            try:
                with context():
                    value = next(gen)
                while True:
                    sent = yield value
                    with context():
                        value = gen.send(sent)
            except StopIteration as stop:
                return stop.value
        return generator

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with context():
            return fn(*args, **kwargs)
    return wrapper


class set_grad_enabled:
    """Turns recording on or off; works as a call, a context manager and a decorator."""

    def __init__(self, mode):
        global _enabled
        self.prev, self.mode = _enabled, bool(mode)
        _enabled = self.mode

    def __enter__(self):
        global _enabled
        _enabled = self.mode  # again: the same object may enter more than once
        return self

    def __exit__(self, *exc):
        global _enabled
        _enabled = self.prev

    def __call__(self, fn):
        self.__exit__()  # a decorator must not change the mode at decoration time
        return _decorate(fn, functools.partial(set_grad_enabled, self.mode))


class _GradModeContext:
    mode = True

    def __new__(cls, fn=None):
        """``@no_grad()`` and, like torch, ``@no_grad`` without parentheses."""
        self = super().__new__(cls)
        return self if fn is None else self(fn)

    def __enter__(self):
        global _enabled
        self.prev = _enabled
        _enabled = self.mode
        return self

    def __exit__(self, *exc):
        global _enabled
        _enabled = self.prev

    def __call__(self, fn):
        return _decorate(fn, type(self))


class no_grad(_GradModeContext):
    """Ops inside record nothing (inference, parameter updates). Context manager or decorator."""
    mode = False


class enable_grad(_GradModeContext):
    """Turns recording back on inside a ``no_grad`` block. Context manager or decorator."""
    mode = True


def inference_mode(mode=True):
    """torch.inference_mode: gradix has no separate inference tensors, so this is
    ``no_grad()`` (with ``mode=False``, the grad mode stays as it is). A context manager or a
    decorator, with or without parentheses."""
    if callable(mode):
        return no_grad()(mode)
    return no_grad() if mode else set_grad_enabled(_enabled)
