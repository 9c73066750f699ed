import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def mlp_forward(x, W1, b1, W2, b2):
    hidden = _sigmoid(x @ W1 + b1)  # (N, H)
    return _sigmoid(hidden @ W2 + b2)  # (N, K)
