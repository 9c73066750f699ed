import numpy as np


def bptt_gradient_norms(g_T, S, W):
    T = S.shape[0]
    norms = np.empty(T)
    g = g_T  # dL/ds_{T-1}
    for t in range(T - 1, -1, -1):
        norms[t] = np.sqrt(np.sum(g * g))  # Frobenius norm over the batch and the hidden units
        if t > 0:
            g = (g * (1.0 - S[t] ** 2)) @ W  # dL/ds_{t-1}: back through tanh, then through W
    return norms
