import numpy as np
import pytest
from scipy import ndimage

import gradix
from gradix.data import transforms as T

RANDOM = [T.RandomRotation(30), T.RandomAffine(20, translate=(0.1, 0.2), scale=(0.8, 1.2)),
          T.RandomResizedCrop(8, scale=(0.5, 1.0)), T.RandomCrop(8, padding=2),
          T.RandomHorizontalFlip(), T.GaussianNoise(0.1),
          T.Compose([T.RandomCrop(8, padding=1), T.RandomHorizontalFlip()])]


def images(n=6, c=2, size=8, seed=0):
    return np.random.default_rng(seed).random((n, c, size, size)).astype(np.float32)


def labelled_images(n=12, size=9):
    """Image k is constant k + 1, so any geometric transform keeps its centre at k + 1."""
    return np.broadcast_to(np.arange(1, n + 1, dtype=np.float32)[:, None, None, None],
                           (n, 1, size, size)).copy()


@pytest.mark.parametrize("transform", RANDOM, ids=repr)
def test_shape_dtype_and_determinism(transform):
    x = images()
    gradix.manual_seed(0)
    a = transform(x)
    gradix.manual_seed(0)
    b = transform(x)
    assert a.shape == x.shape and a.dtype == x.dtype
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(transform(x), a)  # the next draw differs


@pytest.mark.parametrize("transform", RANDOM, ids=repr)
def test_tensor_in_tensor_out(transform):
    x = gradix.tensor(images(), requires_grad=True)
    gradix.manual_seed(0)
    out = transform(x)
    gradix.manual_seed(0)
    assert isinstance(out, gradix.Tensor) and not out.requires_grad
    np.testing.assert_array_equal(out.numpy(), transform(images()))


@pytest.mark.parametrize("transform", [T.RandomRotation(45), T.RandomAffine(30, (0.1, 0.1)),
                                       T.RandomResizedCrop(9, scale=(0.3, 1)),
                                       T.RandomCrop(9, padding=1), T.RandomHorizontalFlip()],
                         ids=repr)
def test_labels_stay_aligned(transform):
    x = labelled_images()
    out = transform(x)
    np.testing.assert_allclose(out[:, 0, 4, 4], np.arange(1, 13), rtol=1e-6)


def test_zero_strength_is_identity():
    x = images()
    for transform in [T.RandomRotation(0), T.RandomAffine(0, (0, 0), (1, 1)), T.GaussianNoise(0),
                      T.RandomHorizontalFlip(0), T.RandomCrop(8),
                      T.RandomResizedCrop(8, scale=(1, 1), ratio=(1, 1))]:
        np.testing.assert_array_equal(transform(x), x, err_msg=repr(transform))


def test_rotation_by_90_degrees_is_rot90():
    x = images()
    np.testing.assert_allclose(T.RandomRotation((90, 90))(x), np.rot90(x, 1, axes=(2, 3)),
                               atol=1e-6)


def test_rotation_matches_ndimage_rotate():
    x = images(n=1, c=1, size=9)
    expected = ndimage.rotate(x[0, 0], 33, reshape=False, order=1, mode="constant")
    np.testing.assert_allclose(T.RandomRotation((33, 33))(x)[0, 0], expected, atol=1e-5)


def test_affine_matches_ndimage_affine_transform_per_image():
    x = images(n=4)
    gradix.manual_seed(5)
    out = T.RandomAffine((10, 10), scale=(2, 2))(x)  # deterministic: 10 degrees, zoom 2
    t = np.deg2rad(10)
    matrix = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]]) / 2
    centre = np.array([3.5, 3.5])
    for image, got in zip(x.reshape(-1, 8, 8), out.reshape(-1, 8, 8)):
        expected = ndimage.affine_transform(image, matrix, centre - matrix @ centre, order=1)
        np.testing.assert_allclose(got, expected, atol=1e-6)


def test_resized_crop_of_whole_image_matches_ndimage_zoom():
    x = images()
    out = T.RandomResizedCrop(16, scale=(1, 1), ratio=(1, 1))(x)
    expected = ndimage.zoom(x, (1, 1, 2, 2), order=1, mode="nearest", grid_mode=True)
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_crop_is_a_window_of_the_padded_image():
    x = images()
    padded = np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)))
    out = T.RandomCrop((5, 6), padding=2)(x)
    assert out.shape == (6, 2, 5, 6)
    for image, crop in zip(padded, out):
        hits = [(i, j) for i in range(8) for j in range(7)
                if np.array_equal(image[:, i:i + 5, j:j + 6], crop)]
        assert hits


def test_flip_is_mirror_or_identity():
    x = images(n=40)
    gradix.manual_seed(0)
    out = T.RandomHorizontalFlip(0.5)(x)
    flipped = [np.array_equal(o, xi[..., ::-1]) for o, xi in zip(out, x)]
    kept = [np.array_equal(o, xi) for o, xi in zip(out, x)]
    assert all(f != k for f, k in zip(flipped, kept)) and 5 < sum(flipped) < 35
    np.testing.assert_array_equal(T.RandomHorizontalFlip(1)(x), x[..., ::-1])


def test_noise_has_the_requested_std():
    x = np.zeros((200, 1, 8, 8), np.float32)
    assert abs(T.GaussianNoise(0.5)(x).std() - 0.5) < 0.01


def test_normalize_per_channel_and_fit():
    x = images(c=3)
    mean, std = [0.1, 0.2, 0.3], [1.0, 2.0, 4.0]
    expected = (x - np.reshape(mean, (3, 1, 1))) / np.reshape(std, (3, 1, 1))
    np.testing.assert_allclose(T.Normalize(mean, std)(x), expected, rtol=1e-6)
    z = T.Normalize.fit(x)(x)
    np.testing.assert_allclose(z.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(z.std(axis=(0, 2, 3)), 1, atol=1e-4)
    tabular = np.random.default_rng(0).normal(5, 3, (50, 4))
    np.testing.assert_allclose(T.Normalize.fit(tabular)(tabular).std(0), 1, atol=1e-6)


def test_errors_name_the_transform_and_value():
    with pytest.raises(ValueError, match=r"RandomRotation: expected a batch of images of shape "
                                         r"\(N, C, H, W\), got shape \(8, 8\)"):
        T.RandomRotation(10)(np.zeros((8, 8)))
    with pytest.raises(ValueError, match="Normalize: mean has 2 values but the batch"):
        T.Normalize([0, 0], [1, 1])(images(c=3))
    with pytest.raises(ValueError, match="RandomCrop: size .* is larger than the padded"):
        T.RandomCrop(12, padding=1)(images())
    with pytest.raises(ValueError, match="p must be a probability in"):
        T.RandomHorizontalFlip(1.5)
    with pytest.raises(ValueError, match="degrees must be"):
        T.RandomRotation((10, -10))
    with pytest.raises(TypeError, match="GaussianNoise: expected a floating-point batch"):
        T.GaussianNoise(1)(np.zeros((2, 1, 4, 4), np.int64))
