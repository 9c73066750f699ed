import numpy as np


def standardize(X, eps=1e-8):
    """Standardize every column of X (N samples, one per row, D columns).

    Subtract each column's mean and divide by sqrt(column variance + eps), with the population
    variance (divide by N). Returns a new (N, D) array; X is not modified.
    """
    # TODO: replace this line with your implementation
    return X - X.mean()
