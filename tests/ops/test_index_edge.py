"""Indexing cases the table can't express: __setitem__, accumulation of repeated indices spelled
out against np.add.at, and index errors."""
import numpy as np
import pytest

import gradix


@pytest.mark.parametrize("key", [[0, 0, 3, 0], np.array([[1, 1], [1, 2]]), (np.array([0, 0]),
                                                                            np.array([4, 4]))])
def test_repeated_indices_accumulate_in_backward(key):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 5))
    x = gradix.tensor(a, requires_grad=True)
    y = x[key]
    g = rng.standard_normal(y.shape)
    y.backward(gradix.tensor(g))
    expected = np.zeros_like(a)
    np.add.at(expected, key if not isinstance(key, list) else np.array(key), g)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)


def test_setitem_on_tensor_without_grad():
    x = gradix.zeros(3, 4)
    x[0] = 1.0
    x[1, 1:3] = gradix.tensor([2.0, 3.0])
    x[:, -1] = np.array([4.0, 5.0, 6.0])
    x[gradix.tensor([2, 2])] += 0.0  # a read-modify-write through a tensor index
    x[x == 0] = -1.0
    expected = np.array([[1, 1, 1, 4], [-1, 2, 3, 5], [-1, -1, -1, 6]], np.float32)
    np.testing.assert_array_equal(x.numpy(), expected)
    assert x.dtype == gradix.float32


def test_setitem_broadcasts_value_and_keeps_dtype():
    x = gradix.zeros(2, 3, dtype=gradix.int64)
    x[:, [0, 2]] = gradix.tensor([7, 8])
    np.testing.assert_array_equal(x.numpy(), [[7, 0, 8], [7, 0, 8]])
    assert x.dtype == gradix.int64


def test_setitem_on_leaf_requiring_grad_raises():
    x = gradix.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="__setitem__.*requires grad"):
        x[0] = 1.0
    with gradix.no_grad():  # allowed where the graph is not recorded (parameter updates)
        x[0] = 1.0
    assert x.detach().numpy()[0] == 1.0


@pytest.mark.parametrize("key", [5, (0, 7), [0, 9]])
def test_out_of_range_index_names_shape(key):
    x = gradix.zeros(4, 5)
    with pytest.raises(IndexError) as e:
        x[key]
    assert "(4, 5)" in str(e.value)


def test_float_tensor_index_raises():
    x = gradix.zeros(4)
    with pytest.raises(IndexError, match="integer or bool"):
        x[gradix.tensor([0.0, 1.0])]


def test_bool_mask_shape_mismatch_raises():
    x = gradix.zeros(4, 5)
    with pytest.raises(IndexError):
        x[gradix.tensor([True, False])]


def test_getitem_with_tensor_scalar_index():
    x = gradix.arange(6).reshape(2, 3)
    assert x[gradix.tensor(1), 2].item() == 5
