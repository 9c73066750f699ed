import math

import numpy as np


def bptt_gradient_norms(g_T, S, W):
    T, N, _ = S.shape
    squares = np.zeros(T)
    for n in range(N):  # one sequence at a time, column vectors: g_{t-1} = W^T (g_t * (1 - s_t^2))
        g = g_T[n]
        for t in range(T - 1, -1, -1):
            squares[t] += float(g @ g)
            if t > 0:
                g = W.T @ (g * (1.0 - S[t, n] ** 2))
    return np.array([math.sqrt(v) for v in squares])
