"""Metrics against scikit-learn's implementations on random predictions."""
import numpy as np
import pytest
from sklearn import metrics as skm

from gradix.train import metrics as M


@pytest.fixture
def classification():
    rng = np.random.default_rng(0)
    outputs = rng.standard_normal((200, 5))
    targets = rng.integers(0, 5, 200)
    targets[:40] = outputs[:40].argmax(axis=1)  # some right answers
    return outputs, targets


def test_accuracy_and_confusion_matrix(classification):
    out, y = classification
    pred = out.argmax(axis=1)
    assert M.Accuracy()(out, y) == pytest.approx(skm.accuracy_score(y, pred))
    np.testing.assert_array_equal(M.confusion_matrix(out, y), skm.confusion_matrix(y, pred))


@pytest.mark.parametrize("cls, fn", [(M.Precision, skm.precision_score),
                                     (M.Recall, skm.recall_score), (M.F1, skm.f1_score)])
def test_macro_scores(classification, cls, fn):
    out, y = classification
    expected = fn(y, out.argmax(axis=1), average="macro", zero_division=0)
    assert cls()(out, y) == pytest.approx(expected)


def test_top_k(classification):
    out, y = classification
    expected = skm.top_k_accuracy_score(y, out, k=3, labels=np.arange(5))
    assert M.TopKAccuracy(3)(out, y) == pytest.approx(expected)
    assert M.get_metric("top3_accuracy")(out, y) == pytest.approx(expected)


def test_regression_metrics():
    rng = np.random.default_rng(1)
    y = rng.standard_normal(100)
    pred = y + 0.3 * rng.standard_normal(100)
    assert M.MSE()(pred, y) == pytest.approx(skm.mean_squared_error(y, pred))
    assert M.MAE()(pred, y) == pytest.approx(skm.mean_absolute_error(y, pred))
    assert M.R2()(pred[:, None], y) == pytest.approx(skm.r2_score(y, pred))


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="unknown metric 'acc'.*accuracy"):
        M.get_metric("acc")
    with pytest.raises(ValueError, match=r"accuracy: expects outputs \(N, C\)"):
        M.Accuracy()(np.zeros(3), np.zeros(3))
