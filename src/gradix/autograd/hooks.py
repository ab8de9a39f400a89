"""Tensor hooks (``register_hook``) and ``retain_grad``.

A hook sees the gradient of a tensor during backward and may return a replacement. A leaf
keeps its hooks; a non-leaf's live on the node that made it, since that node's gradient is
the tensor's. The engine looks for hooks only once one has been registered.
"""
import weakref

used = False  # whether any hook was ever registered


class RemovableHandle:
    """Returned by ``register_hook`` and the module hook registrations; ``remove()`` (or the
    end of a ``with handle:`` block) unregisters the hook."""

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _holder(tensor):
    """Where ``tensor``'s hooks live: itself if a leaf, else its node."""
    return tensor if tensor._ctx is None else tensor._ctx


def _hook_list(holder):
    hooks = getattr(holder, "_hooks", None)
    if hooks is None:
        hooks = holder._hooks = []
    return hooks


def register_hook(tensor, hook):
    """Calls ``hook(grad)`` with the gradient of ``tensor`` each time backward computes it;
    a Tensor it returns replaces the gradient (for what flows on and what ``.grad`` gets)."""
    global used
    if not tensor.requires_grad:
        raise RuntimeError("register_hook: cannot register a hook on a tensor that doesn't "
                           "require grad")
    hooks = _hook_list(_holder(tensor))
    hooks.append(hook)
    used = True
    return RemovableHandle(hooks, hook)


def retain_grad(tensor):
    """Makes backward fill ``tensor.grad`` although ``tensor`` is not a leaf (after the
    tensor's hooks, whatever their order, as in torch); a leaf keeps its .grad anyway."""
    global used
    if tensor._ctx is None:
        return
    if not tensor.requires_grad:
        raise RuntimeError("retain_grad: can't retain the gradient of a tensor that doesn't "
                           "require grad")
    node = tensor._ctx
    _hook_list(node)
    node._retained = weakref.ref(tensor)  # weak: the tensor holds the node, not the reverse
    used = True


def retains_grad(tensor):
    return tensor._ctx is not None and getattr(tensor._ctx, "_retained", None) is not None


def run(holder, grad):
    """``grad`` (a Tensor) after the hooks of ``holder``, in the order they were registered,
    then kept in the retained tensor's .grad if ``holder`` is a node with one."""
    for hook in list(holder._hooks):
        out = hook(grad)
        if out is not None:
            if tuple(out.shape) != tuple(grad.shape):
                raise RuntimeError(f"hook {getattr(hook, '__name__', hook)!r} returned a "
                                   f"gradient of shape {tuple(out.shape)} for one of shape "
                                   f"{tuple(grad.shape)}")
            grad = out
    retained = getattr(holder, "_retained", None)
    tensor = retained() if retained is not None else None
    if tensor is not None:
        g = grad if grad.requires_grad else grad.detach().clone()
        tensor.grad = g if tensor.grad is None else tensor.grad + g
    return grad
