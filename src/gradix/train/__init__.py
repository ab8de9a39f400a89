"""Training: the fit loop, callbacks, metrics and checkpoints."""
from .callbacks import (Callback, DivergenceGuard, EarlyStopping, ModelCheckpoint,
                        OverfittingDetector, OverfittingWarning, ProgressBar)
from .history import History
from .metrics import (F1, MAE, METRICS, MSE, R2, Accuracy, Metric, Precision, Recall,
                      TopKAccuracy, confusion_matrix, get_metric)
from .trainer import TrainState, evaluate, fit, load_checkpoint, predict, save_checkpoint

__all__ = ["fit", "evaluate", "predict", "save_checkpoint", "load_checkpoint", "History",
           "TrainState", "Callback", "ProgressBar", "EarlyStopping", "ModelCheckpoint",
           "OverfittingDetector", "OverfittingWarning", "DivergenceGuard", "Metric", "Accuracy",
           "TopKAccuracy", "Precision", "Recall", "F1", "MSE", "MAE", "R2", "confusion_matrix",
           "get_metric", "METRICS"]
