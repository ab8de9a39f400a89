"""Finite-difference gradient checking (public, like torch.autograd.gradcheck and
gradgradcheck)."""
import warnings

import numpy as np

from .engine import grad


class GradcheckError(RuntimeError):
    """Analytical and numerical gradients disagree."""


def _outputs(fn, inputs):
    out = fn(*inputs)
    return out if isinstance(out, (tuple, list)) else (out,)


def _checked_inputs(op, inputs):
    """``inputs`` as a tuple, and the indices of those that require grad (at least one)."""
    from ..tensor import Tensor

    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError(f"{op}: no input requires grad; nothing to check")
    return inputs, checked


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, seed=0):
    """Checks backward of ``fn`` against central differences.

    Each output is contracted with a random upstream gradient ``v`` (never all ones, so a
    backward that ignores its incoming gradient fails), and for every element of every input
    that requires grad, d<v, fn(x)>/dx is compared with (f(x + eps) - f(x - eps)) / (2 eps).
    It also checks that a zero upstream gradient gives zero input gradients.

    Args:
        fn: a function of Tensors returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of Tensors; those with requires_grad are checked. Use
            float64: float32 differences are too coarse for these tolerances.
    Returns:
        True when all gradients agree; otherwise raises GradcheckError (or returns False with
        ``raise_exception=False``).
    """
    from ..tensor import Tensor

    inputs, checked = _checked_inputs("gradcheck", inputs)
    for i in checked:
        if inputs[i].dtype != np.float64:
            warnings.warn(f"gradcheck: input {i} is {inputs[i].dtype}, not float64; finite "
                          f"differences will be inaccurate", stacklevel=2)
    rng = np.random.default_rng(seed)
    outs = _outputs(fn, inputs)
    vs = [Tensor._make(rng.standard_normal(o.shape).astype(o.dtype), False, None) for o in outs]
    diff = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]

    def failure(msg):
        if raise_exception:
            raise GradcheckError(msg)
        return False

    if not diff:
        return failure("gradcheck: no output requires grad")
    analytic = grad([o for o, _ in diff], [inputs[i] for i in checked],
                    grad_outputs=[v for _, v in diff], retain_graph=True, allow_unused=True)

    def contracted():
        return sum(float(np.sum(o.data.astype(np.float64) * v.data))
                   for o, v in zip(_outputs(fn, inputs), vs) if o.requires_grad)

    for i, g in zip(checked, analytic):
        x = inputs[i].data
        numeric = np.zeros(x.shape, dtype=np.float64)
        for k in np.ndindex(x.shape):  # x is changed in place and restored, any strides
            orig = x[k]
            x[k] = orig + eps
            plus = contracted()
            x[k] = orig - eps
            minus = contracted()
            x[k] = orig
            numeric[k] = (plus - minus) / (2 * eps)
        a = np.zeros(x.shape) if g is None else np.asarray(g.data, dtype=np.float64)
        bad = np.abs(a - numeric) > atol + rtol * np.abs(numeric)
        if bad.any():
            k = np.unravel_index(np.argmax(np.abs(a - numeric)), x.shape) if x.ndim else ()
            return failure(f"gradcheck: gradient of input {i} (shape {tuple(x.shape)}) differs "
                           f"from finite differences at {bad.sum()} of {bad.size} elements; "
                           f"worst at index {tuple(int(j) for j in k)}: analytical "
                           f"{a[k]:.6g}, numerical {numeric[k]:.6g}")
    zero = grad([o for o, _ in diff], [inputs[i] for i in checked],
                grad_outputs=[Tensor._make(np.zeros_like(v.data), False, None) for _, v in diff],
                allow_unused=True)
    for i, g in zip(checked, zero):
        if g is not None and np.any(g.data != 0):
            return failure(f"gradcheck: a zero upstream gradient gave a nonzero gradient for "
                           f"input {i}")
    return True


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, seed=0):
    """Checks second derivatives of ``fn`` against central differences of its first ones.

    The first-order gradients ``grad(fn(x), x, v, create_graph=True)`` are a function of the
    inputs ``x`` and of the upstream gradients ``v``; ``gradcheck`` then checks that function's
    backward, which is the double backward of ``fn``. Differentiating with respect to ``v``
    too catches a backward that computes the right values with ops that aren't recorded.

    Args:
        fn, inputs, eps, atol, rtol, raise_exception, seed: as in ``gradcheck``.
        grad_outputs: one Tensor per output of ``fn`` that requires grad, of its shape; by
            default random (seeded by ``seed``). Those requiring grad are checked too.
    Returns:
        True when all second derivatives agree; otherwise raises GradcheckError (or returns
        False with ``raise_exception=False``).
    """
    from ..tensor import Tensor

    inputs, checked = _checked_inputs("gradgradcheck", inputs)
    outs = [o for o in _outputs(fn, inputs) if o.requires_grad]
    if grad_outputs is None:  # not gradcheck's upstream gradients (seed): u == v would hide
        rng = np.random.default_rng(seed + 1)  # a backward that swaps them
        grad_outputs = [Tensor._make(rng.standard_normal(o.shape).astype(o.dtype), True, None)
                        for o in outs]
    grad_outputs = ((grad_outputs,) if isinstance(grad_outputs, Tensor)
                    else tuple(grad_outputs))
    if len(grad_outputs) != len(outs):
        raise ValueError(f"gradgradcheck: got {len(grad_outputs)} grad_outputs for "
                         f"{len(outs)} outputs that require grad")
    n = len(inputs)

    def first_order(*args):
        xs, vs = args[:n], args[n:]
        ys = [o for o in _outputs(fn, xs) if o.requires_grad]
        gs = grad(ys, [xs[i] for i in checked], grad_outputs=vs, create_graph=True,
                  allow_unused=True)
        return tuple(g for g in gs if g is not None and g.requires_grad)

    return gradcheck(first_order, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, seed=seed)
