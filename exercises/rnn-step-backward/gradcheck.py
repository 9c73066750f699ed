"""What rnn_step_backward differentiates (graders/gradcheck.py): L = sum(ds * tanh(x_t @ U.T + s_prev @ W.T))."""

import numpy as np


def loss(ds, x_t, s_prev, U, W):
    # One sample at a time, in the column form of interview question 18 s_t = tanh(U x_t + W s_{t-1}).
    return float(sum(ds[n] @ np.tanh(U @ x_t[n] + W @ s_prev[n]) for n in range(x_t.shape[0])))


WRT = {"dx_t": "x_t", "ds_prev": "s_prev", "dU": "U", "dW": "W"}
