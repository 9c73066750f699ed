import numpy as np


def sigmoid(z):
    # exp(-|z|) is in (0, 1]: it can underflow to 0 but never overflows.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
