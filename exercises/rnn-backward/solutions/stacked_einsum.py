import numpy as np


def rnn_backward(dS, xs, s0, U, W):
    T = xs.shape[0]
    states = [s0]
    for t in range(T):
        states.append(np.tanh(xs[t] @ U.T + states[-1] @ W.T))
    S = np.stack(states)  # (T + 1, N, H): S[t + 1] = s_t, S[0] = s0
    DA = np.empty(dS.shape)
    ds = np.zeros(s0.shape)
    for t in reversed(range(T)):
        DA[t] = (dS[t] + ds) * (1.0 - S[t + 1] ** 2)
        ds = DA[t] @ W
    # Parameter gradients of all steps at once, after the recurrence.
    dxs = np.einsum("tnh,hd->tnd", DA, U)
    dU = np.einsum("tnh,tnd->hd", DA, xs)
    dW = np.einsum("tnh,tnk->hk", DA, S[:-1])
    return dxs, ds, dU, dW
