import numpy as np


def forget_gate(x_t, h_prev, W_f, b_f):
    # sigmoid(a) = (1 + tanh(a / 2)) / 2, which never overflows.
    z = np.hstack((h_prev, x_t))
    a = np.einsum("nk,hk->nh", z, W_f) + b_f[None, :]
    return 0.5 * (1.0 + np.tanh(0.5 * a))
