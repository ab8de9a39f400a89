import numpy as np
import pytest

import gradix
from gradix.data import ConcatDataset, Dataset, Subset, TensorDataset, random_split


def make_xy(n=10):
    return np.arange(n * 3, dtype=np.float32).reshape(n, 3), np.arange(n, dtype=np.int64)


def test_tensor_dataset_items_and_len():
    x, y = make_xy()
    ds = TensorDataset(gradix.tensor(x), y)
    assert len(ds) == 10
    xi, yi = ds[4]
    assert isinstance(xi, gradix.Tensor) and isinstance(yi, gradix.Tensor)
    np.testing.assert_array_equal(xi.numpy(), x[4])
    assert yi.item() == 4 and yi.dtype == gradix.int64
    np.testing.assert_array_equal(ds.take(np.array([3, 1]))[0], x[[3, 1]])


def test_tensor_dataset_size_mismatch_names_shapes():
    with pytest.raises(ValueError, match=r"\(10, 3\), \(9,\)"):
        TensorDataset(np.zeros((10, 3)), np.zeros(9))
    with pytest.raises(ValueError, match="at least one"):
        TensorDataset()


def test_subset_and_concat_take_match_getitem():
    x, y = make_xy()
    a, b = TensorDataset(x, y), TensorDataset(x[:4] + 100, y[:4] + 100)
    cat = ConcatDataset([Subset(a, [9, 0, 5]), b])
    assert len(cat) == 7 and cat.batchable
    idx = np.array([4, 0, 6, 2, 3])
    xs, ys = cat.take(idx)
    np.testing.assert_array_equal(ys, [101, 9, 103, 5, 100])
    for row, i in enumerate(idx):
        np.testing.assert_array_equal(xs[row], cat[int(i)][0].numpy())
    assert cat[-1][1].item() == 103
    with pytest.raises(IndexError, match="out of range"):
        cat[7]
    with pytest.raises(IndexError, match="index 10 is out of range"):
        Subset(a, [10])


def test_random_split_sizes_disjoint_and_seeded():
    ds = TensorDataset(*make_xy(10))
    parts = random_split(ds, [7, 3], seed=0)
    assert [len(p) for p in parts] == [7, 3]
    assert sorted(np.concatenate([p.indices for p in parts]).tolist()) == list(range(10))
    np.testing.assert_array_equal(random_split(ds, [7, 3], seed=0)[0].indices, parts[0].indices)
    gradix.manual_seed(3)
    first = random_split(ds, [5, 5])[0].indices
    gradix.manual_seed(3)
    np.testing.assert_array_equal(random_split(ds, [5, 5])[0].indices, first)
    assert [len(p) for p in random_split(ds, [0.5, 0.25, 0.25])] == [6, 2, 2]  # as PyTorch


def test_random_split_bad_lengths():
    ds = TensorDataset(*make_xy(10))
    with pytest.raises(ValueError, match="sum to 11 but the dataset has 10"):
        random_split(ds, [8, 3])
    with pytest.raises(ValueError, match="sum to 1"):
        random_split(ds, [0.5, 0.6])


def test_dataset_base_and_add():
    class Squares(Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return i * i

    both = Squares() + Squares()
    assert len(both) == 6 and both[4] == 1 and not both.batchable
    with pytest.raises(NotImplementedError, match="Dataset must implement __len__"):
        len(Dataset())
