import numpy as np


def _sigmoid(a):
    # Two branches so that exp never sees a large positive argument.
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def forget_gate(x_t, h_prev, W_f, b_f):
    # No concatenation: the first H columns of W_f act on h_prev, the rest on x_t.
    H = h_prev.shape[1]
    a = h_prev @ W_f[:, :H].T + x_t @ W_f[:, H:].T + b_f
    return _sigmoid(a)
