import numpy as np


def rnn_step_backward(ds, x_t, s_prev, U, W):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)  # the forward step again: (N, H)
    da = ds * (1.0 - s_t**2)  # through tanh: d tanh(a) / da = 1 - tanh(a)**2, (N, H)
    return da @ U, da @ W, da.T @ x_t, da.T @ s_prev  # (N, D), (N, H), (H, D), (H, H)
