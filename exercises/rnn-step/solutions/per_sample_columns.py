import math

import numpy as np


def _softmax_vector(z):
    m = max(z)
    e = np.array([math.exp(v - m) for v in z])
    return e / e.sum()


def rnn_step(x_t, s_prev, U, W, V):
    # The column-vector form of interview question 18, one sequence at a time: s = tanh(U x + W s_prev), o = softmax(V s).
    N, H, K = x_t.shape[0], W.shape[0], V.shape[0]
    s_t = np.empty((N, H))
    o_t = np.empty((N, K))
    for n in range(N):
        s = np.tanh(U @ x_t[n] + W @ s_prev[n])
        s_t[n] = s
        o_t[n] = _softmax_vector(V @ s)
    return s_t, o_t
