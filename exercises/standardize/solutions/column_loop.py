import math

import numpy as np


def standardize(X, eps=1e-8):
    n_samples, n_columns = X.shape
    out = np.empty((n_samples, n_columns))
    for j in range(n_columns):
        column = [float(value) for value in X[:, j]]
        mean = math.fsum(column) / n_samples
        variance = math.fsum((value - mean) ** 2 for value in column) / n_samples
        scale = math.sqrt(variance + eps)
        for i, value in enumerate(column):
            out[i, j] = (value - mean) / scale
    return out
