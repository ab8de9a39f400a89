"""gradix.data: datasets, the DataLoader, shipped datasets and batch augmentation."""
from . import transforms
from .dataloader import DataLoader
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .datasets import (DATASETS, LabeledDataset, load_breast_cancer, load_csv, load_dataset,
                       load_diabetes, load_digits, load_iris, load_npz, load_wine)

__all__ = ["ConcatDataset", "DATASETS", "DataLoader", "Dataset", "LabeledDataset", "Subset",
           "TensorDataset", "load_breast_cancer", "load_csv", "load_dataset", "load_diabetes",
           "load_digits", "load_iris", "load_npz", "load_wine", "random_split", "transforms"]
