import math

import numpy as np


def rnn_forward(xs, s0, U, W, V):
    # The column-vector form of interview question 18, one sequence at a time and one step at a time.
    T, N = xs.shape[0], xs.shape[1]
    H, K = W.shape[0], V.shape[0]
    S = np.zeros((T, N, H))
    O = np.zeros((T, N, K))
    for n in range(N):
        s = s0[n].copy()
        for t in range(T):
            s = np.tanh(U @ xs[t, n] + W @ s)
            scores = V @ s
            m = float(np.max(scores))
            log_total = m + math.log(float(np.sum(np.exp(scores - m))))
            S[t, n] = s
            O[t, n] = np.exp(scores - log_total)
    return S, O
