import numpy as np


def rnn_step_backward(ds, x_t, s_prev, U, W):
    dx_t = np.zeros(x_t.shape)
    ds_prev = np.zeros(s_prev.shape)
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    for n in range(x_t.shape[0]):
        s = np.tanh(
            U @ x_t[n] + W @ s_prev[n]
        )  # the column form of interview question 18: s_t = tanh(U x_t + W s_{t-1})
        da = ds[n] * (1.0 - s * s)
        dx_t[n] = U.T @ da
        ds_prev[n] = W.T @ da
        dU += np.outer(da, x_t[n])
        dW += np.outer(da, s_prev[n])
    return dx_t, ds_prev, dU, dW
