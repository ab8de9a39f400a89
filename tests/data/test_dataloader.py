import numpy as np
import pytest

import gradix
from gradix.data import DataLoader, Dataset, Subset, TensorDataset


class Pairs(Dataset):
    """A generic (not array-backed) dataset: samples are (array, int) built on demand."""

    def __len__(self):
        return 7

    def __getitem__(self, i):
        return np.full(2, i, dtype=np.float32), i


def epoch_labels(loader):
    return np.concatenate([y.numpy() for _, y in loader]).tolist()


def make_dataset(n=10):
    return TensorDataset(np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n))


def test_batches_equal_slices_and_len():
    ds = make_dataset()
    x, y = ds.tensors
    loader = DataLoader(ds, batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    for i, (xb, yb) in enumerate(batches):
        assert isinstance(xb, gradix.Tensor) and not xb.requires_grad
        np.testing.assert_array_equal(xb.numpy(), x.numpy()[4 * i:4 * i + 4])
        np.testing.assert_array_equal(yb.numpy(), y.numpy()[4 * i:4 * i + 4])
    assert batches[-1][0].shape == (2, 2)


def test_batches_are_copies():
    ds = make_dataset()
    xb, _ = next(iter(DataLoader(ds, batch_size=4)))
    xb.data[...] = -1
    assert ds.tensors[0].numpy().min() == 0


def test_drop_last():
    loader = DataLoader(make_dataset(), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [len(y) for _, y in loader] == [4, 4]
    assert len(DataLoader(make_dataset(8), batch_size=4, drop_last=True)) == 2


def test_shuffle_reproducible_under_manual_seed_and_new_each_epoch():
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True)
    gradix.manual_seed(1)
    first, second = epoch_labels(loader), epoch_labels(loader)
    assert sorted(first) == list(range(50)) and first != second
    gradix.manual_seed(1)
    assert [epoch_labels(loader), epoch_labels(loader)] == [first, second]


def test_shuffle_with_explicit_seed_ignores_global_generator():
    def two_epochs():
        loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True, seed=7)
        return epoch_labels(loader), epoch_labels(loader)

    gradix.manual_seed(1)
    a = two_epochs()
    gradix.manual_seed(2)
    assert two_epochs() == a and a[0] != a[1]


def test_state_dict_resumes_the_shuffling_order(tmp_path):
    loader = DataLoader(make_dataset(50), batch_size=8, shuffle=True, seed=7)
    epoch_labels(loader)
    gradix.save(loader.state_dict(), tmp_path / "loader.safetensors")
    expected = epoch_labels(loader)
    resumed = DataLoader(make_dataset(50), batch_size=8, shuffle=True, seed=7)
    resumed.load_state_dict(gradix.load(tmp_path / "loader.safetensors"))
    assert epoch_labels(resumed) == expected


def test_shuffled_rows_stay_aligned():
    loader = DataLoader(Subset(make_dataset(20), range(5, 20)), batch_size=4, shuffle=True)
    for xb, yb in loader:
        np.testing.assert_array_equal(xb.numpy()[:, 0], 2 * yb.numpy())


def test_generic_dataset_is_collated():
    loader = DataLoader(Pairs(), batch_size=3)
    batches = list(loader)
    assert len(loader) == 3
    xb, yb = batches[0]
    assert xb.shape == (3, 2) and xb.dtype == gradix.float32 and yb.dtype == gradix.int64
    np.testing.assert_array_equal(yb.numpy(), [0, 1, 2])
    assert batches[-1][1].tolist() == [6]


def test_transform_applies_to_inputs_only():
    loader = DataLoader(make_dataset(), batch_size=5, transform=lambda x: x * 0)
    for xb, yb in loader:
        assert xb.numpy().max() == 0 and yb.numpy().max() > 0


def test_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        DataLoader(make_dataset(), batch_size=0)
