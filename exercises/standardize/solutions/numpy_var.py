import numpy as np


def standardize(X, eps=1e-8):
    return (X - np.mean(X, axis=0, keepdims=True)) / np.sqrt(np.var(X, axis=0, keepdims=True) + eps)
