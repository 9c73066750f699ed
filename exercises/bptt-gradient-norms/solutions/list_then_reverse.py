import numpy as np


def bptt_gradient_norms(g_T, S, W):
    gradients = [g_T]
    for t in range(S.shape[0] - 1, 0, -1):
        gradients.append((gradients[-1] * (1.0 - S[t] ** 2)) @ W)
    return np.array([np.linalg.norm(g) for g in reversed(gradients)])
