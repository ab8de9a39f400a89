"""gradix.autograd.gradcheck and gradgradcheck themselves: they pass correct backward rules and
catch wrong ones, including a backward that ignores its upstream gradient (an all-ones check
would miss it) and one whose values are right but not differentiable."""
import numpy as np
import pytest

import gradix
from gradix.autograd import Function, GradcheckError, gradcheck, gradgradcheck


class Square(Function):
    def forward(self, x):
        return x * x

    def backward(self, gy):
        return gy * 2 * self.inputs[0]


class WrongSquare(Function):  # off by a factor
    def forward(self, x):
        return x * x

    def backward(self, gy):
        return gy * 3 * self.inputs[0]


class IgnoresUpstream(Function):  # right for gy = 1 only
    def forward(self, x):
        return x * x

    def backward(self, gy):
        return 2 * self.inputs[0]


class WrongSecondInput(Function):
    def forward(self, a, b):
        return a * b

    def backward(self, gy):
        a, b = self.inputs
        return gy * b, gy * b  # the second should be gy * a


class CubeFirstOrderOnly(Function):  # right first derivative, computed off the graph
    def forward(self, x):
        return x ** 3

    def backward(self, gy):
        return gy * gradix.tensor(3 * self.inputs[0].data ** 2)


class NonzeroForZeroUpstream(Function):
    def forward(self, x):
        return x * 2

    def backward(self, gy):
        return gy * 2 + 1e-3


def _x(shape=(3, 2), seed=0):
    return gradix.tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


def test_correct_function_passes():
    assert gradcheck(lambda x: Square.apply(x), (_x(),), eps=1e-6, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("fn_class", [WrongSquare, IgnoresUpstream, NonzeroForZeroUpstream])
def test_wrong_backward_is_caught(fn_class):
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: fn_class.apply(x), (_x(),))
    assert gradcheck(lambda x: fn_class.apply(x), (_x(),), raise_exception=False) is False


def test_backward_ignoring_upstream_is_caught_on_a_single_element():
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: IgnoresUpstream.apply(x), (_x(()),))


def test_wrong_gradient_of_second_input_is_caught_and_named():
    a, b = _x(seed=1), _x(seed=2)
    with pytest.raises(GradcheckError, match="input 1"):
        gradcheck(lambda p, q: WrongSecondInput.apply(p, q), (a, b))


def test_only_inputs_requiring_grad_are_checked():
    a, b = _x(seed=1), _x(seed=2).detach()
    assert gradcheck(lambda p, q: WrongSecondInput.apply(p, q), (a, b))


def test_multiple_outputs_are_all_checked():
    x = _x()
    assert gradcheck(lambda t: (t.exp(), t.sin().sum()), (x,))
    with pytest.raises(GradcheckError):
        gradcheck(lambda t: (t.exp(), WrongSquare.apply(t)), (x,))


def test_no_input_requiring_grad_raises():
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda t: t * 2, (gradix.ones(2),))


def test_float32_inputs_warn():
    x = gradix.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="float64"):
        gradcheck(lambda t: t * 2, (x,), atol=1e-2, rtol=1e-2)


def test_non_contiguous_inputs_are_checked():
    x = gradix.randn(3, 4, dtype=gradix.float64).T.requires_grad_()
    assert not x.data.flags.c_contiguous
    assert gradcheck(lambda a: (a * a).tanh(), x)


def test_gradgradcheck_passes_correct_second_derivatives():
    assert gradgradcheck(lambda x: Square.apply(x).tanh(), (_x(),), atol=1e-6, rtol=1e-5)
    assert gradgradcheck(lambda a, b: (a * b.exp(), (a @ b.T).sum()), (_x(seed=1), _x(seed=2)))


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable():
    x = _x()
    assert gradcheck(lambda t: CubeFirstOrderOnly.apply(t), (x,))  # first order is right
    with pytest.raises(GradcheckError):
        gradgradcheck(lambda t: CubeFirstOrderOnly.apply(t), (x,))
    assert gradgradcheck(lambda t: CubeFirstOrderOnly.apply(t), (x,),
                         raise_exception=False) is False


def test_gradgradcheck_catches_a_wrong_second_derivative():
    class WrongCube(Function):  # d/dx of its backward is 3x (should be 6x)
        def forward(self, x):
            return x ** 3

        def backward(self, gy):
            x = self.inputs[0]
            return gy * (1.5 * x * x + gradix.tensor(1.5 * x.data ** 2))

    with pytest.raises(GradcheckError):
        gradgradcheck(lambda t: WrongCube.apply(t), (_x(),))


def test_gradgradcheck_takes_given_grad_outputs():
    x = _x((2,))
    v = gradix.tensor([0.5, -2.0], dtype=gradix.float64, requires_grad=True)
    assert gradgradcheck(lambda t: t.sin() * t, (x,), grad_outputs=(v,))
    with pytest.raises(ValueError, match="1 outputs"):
        gradgradcheck(lambda t: t.sin(), (x,), grad_outputs=(v, v))
