import numpy as np


def _sigmoid(a):
    # 1 / (1 + e^-a) written as exp(-log(1 + e^-a)): no overflow for any finite a.
    return np.exp(-np.logaddexp(0.0, -a))


def forget_gate(x_t, h_prev, W_f, b_f):
    z = np.concatenate([h_prev, x_t], axis=1)  # (N, H + D), h_prev first
    return _sigmoid(z @ W_f.T + b_f)
