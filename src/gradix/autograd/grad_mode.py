"""Whether ops record the graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``."""
import functools

_enabled = True  # read by Function.apply on every op


def is_grad_enabled():
    return _enabled


class set_grad_enabled:
    """Turns recording on or off; works as a call, a context manager and a decorator."""

    def __init__(self, mode):
        global _enabled
        self.prev = _enabled
        _enabled = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        global _enabled
        _enabled = self.prev

    def __call__(self, fn):
        mode = _enabled
        self.__exit__()  # a decorator must not change the mode at decoration time

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper


class _GradModeContext:
    mode = True

    def __enter__(self):
        global _enabled
        self.prev = _enabled
        _enabled = self.mode
        return self

    def __exit__(self, *exc):
        global _enabled
        _enabled = self.prev

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with type(self)():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradModeContext):
    """Ops inside record nothing (inference, parameter updates). Context manager or decorator."""
    mode = False


class enable_grad(_GradModeContext):
    """Turns recording back on inside a ``no_grad`` block. Context manager or decorator."""
    mode = True
