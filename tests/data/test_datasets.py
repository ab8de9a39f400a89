import numpy as np
import pytest
import sklearn.datasets

import gradix
from gradix.data import DATASETS, load_csv, load_dataset, load_npz

SKLEARN = {"digits": sklearn.datasets.load_digits, "iris": sklearn.datasets.load_iris,
           "wine": sklearn.datasets.load_wine,
           "breast_cancer": sklearn.datasets.load_breast_cancer,
           "diabetes": sklearn.datasets.load_diabetes}


@pytest.mark.parametrize("name", sorted(SKLEARN))
def test_shipped_dataset_matches_sklearn(name):
    ref = SKLEARN[name]()
    ds = DATASETS[name]()
    x, y = (t.numpy() for t in ds.tensors)
    assert ds.name == name and len(ds) == len(ref.target)
    assert x.dtype == np.float32 and ds.feature_names == list(ref.feature_names)
    if name == "digits":
        assert x.shape == (1797, 1, 8, 8) and x.min() == 0 and x.max() == 1
        np.testing.assert_allclose(x.reshape(len(x), -1), ref.data / 16, rtol=1e-6)
    else:
        np.testing.assert_allclose(x, ref.data, rtol=1e-6)
    if name == "diabetes":
        assert ds.task == "regression" and ds.classes is None and y.dtype == np.float32
        np.testing.assert_allclose(y, ref.target, rtol=1e-6)
    else:
        assert ds.task == "classification" and y.dtype == np.int64
        assert ds.classes == [str(c) for c in ref.target_names]
        assert ds.num_classes == len(np.unique(y)) and y.min() == 0
        np.testing.assert_array_equal(y, ref.target)


def test_load_dataset_lists_valid_names():
    assert load_dataset("iris").num_classes == 3
    with pytest.raises(ValueError, match="valid names: digits, iris, wine, breast_cancer"):
        load_dataset("mnist")


def test_load_npz(tmp_path):
    path = tmp_path / "toy.npz"
    x = np.arange(12, dtype=np.float64).reshape(4, 3)
    np.savez(path, features=x, label=np.array([3, 1, 3, 7]))
    ds = load_npz(path, x_key="features", y_key="label")
    xt, yt = ds.tensors
    assert xt.dtype == gradix.float32 and yt.dtype == gradix.int64
    np.testing.assert_array_equal(xt.numpy(), x)
    assert ds.classes == [1, 3, 7] and yt.tolist() == [1, 0, 1, 2]
    np.savez(path, x=x, y=np.array([0.5, 1.5, 2.0, 3.0]))
    ds = load_npz(path)
    assert ds.task == "regression" and ds.tensors[1].dtype == gradix.float32


def test_load_npz_missing_key_names_file_and_keys(tmp_path):
    path = tmp_path / "toy.npz"
    np.savez(path, a=np.zeros(2), b=np.zeros(2))
    with pytest.raises(ValueError, match=r"toy.npz has no array 'x'; its arrays are: a, b"):
        load_npz(path)


def write_csv(path, text):
    path.write_text(text)
    return path


def test_load_csv_features_target_and_text_classes(tmp_path):
    path = write_csv(tmp_path / "flowers.csv",
                     "width,height,colour,species\n1.5,2,9,rose\n0.5,1,8,tulip\n2.5,3,7,rose\n")
    ds = load_csv(path, target="species", features=["height", "width"])
    x, y = (t.numpy() for t in ds.tensors)
    np.testing.assert_array_equal(x, [[2, 1.5], [1, 0.5], [3, 2.5]])
    assert ds.classes == ["rose", "tulip"] and y.tolist() == [0, 1, 0]
    assert ds.feature_names == ["height", "width"] and ds.task == "classification"
    everything = load_csv(path, target="species")
    assert everything.feature_names == ["width", "height", "colour"]


def test_load_csv_infers_task_from_target_text(tmp_path):
    path = write_csv(tmp_path / "r.csv", "a,t,k\n1,0.5,2\n2,1.5,0\n3,2.0,2\n")
    assert load_csv(path, target="t").task == "regression"
    ds = load_csv(path, target="k")
    assert ds.task == "classification" and ds.classes == [0, 2]
    assert load_csv(path, target="k", task="regression").tensors[1].tolist() == [2, 0, 2]


def test_load_csv_errors_name_file_and_columns(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,b,label\n1,x,0\n2,3,1\n")
    with pytest.raises(ValueError, match=r"d.csv has no column 'target'; its columns are: "
                                         r"a, b, label"):
        load_csv(path, target="target")
    with pytest.raises(ValueError, match=r"d.csv has no column 'c'"):
        load_csv(path, target="label", features=["a", "c"])
    with pytest.raises(ValueError, match=r"column 'b' of .*d.csv must be numeric, but line 2 "
                                         r"holds 'x'"):
        load_csv(path, target="label")
    bad = write_csv(tmp_path / "ragged.csv", "a,b\n1,2\n3\n")
    with pytest.raises(ValueError, match=r"line 3 of .*ragged.csv has 1 values"):
        load_csv(bad, target="b")
