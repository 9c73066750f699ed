import numpy as np


def rnn_backward(dS, xs, s0, U, W):
    T, N, _ = xs.shape
    dxs = np.zeros(xs.shape)
    ds0 = np.zeros(s0.shape)
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    for n in range(
        N
    ):  # one sequence at a time, column vectors as in interview question 18: s_t = tanh(U x_t + W s_{t-1})
        states = [s0[n]]
        for t in range(T):
            states.append(np.tanh(U @ xs[t, n] + W @ states[-1]))
        g = np.zeros(s0.shape[1])
        for t in range(T - 1, -1, -1):
            da = (dS[t, n] + g) * (1.0 - states[t + 1] ** 2)
            dxs[t, n] = U.T @ da
            dU += np.outer(da, xs[t, n])
            dW += np.outer(da, states[t])
            g = W.T @ da
        ds0[n] = g
    return dxs, ds0, dU, dW
