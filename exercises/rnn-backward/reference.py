import numpy as np


def rnn_backward(dS, xs, s0, U, W):
    T = xs.shape[0]
    S = np.empty(dS.shape)
    s = s0
    for t in range(T):  # the forward pass again, keeping every state
        s = np.tanh(xs[t] @ U.T + s @ W.T)
        S[t] = s
    dxs = np.empty(xs.shape)
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    ds_later = np.zeros(s0.shape)  # dL/ds_t that flows back from steps t+1, t+2, ...
    for t in range(T - 1, -1, -1):
        s_prev = S[t - 1] if t > 0 else s0
        da = (dS[t] + ds_later) * (1.0 - S[t] ** 2)  # both paths into s_t, then through tanh
        dxs[t] = da @ U
        dU += da.T @ xs[t]  # U and W are used at every step: their gradients add up over time
        dW += da.T @ s_prev
        ds_later = da @ W
    return dxs, ds_later, dU, dW
