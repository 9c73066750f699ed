import math

import numpy as np


def softmax_cross_entropy(z, y):
    N = z.shape[0]
    dz = np.empty(z.shape)
    total = 0.0
    for n in range(N):
        row = z[n] - np.max(z[n])
        e = np.exp(row)
        norm = float(np.sum(e))
        total += math.log(norm) - float(row[y[n]])  # -log softmax = log(sum e) - shifted logit
        dz[n] = e / norm
        dz[n, y[n]] -= 1.0
    return total / N, dz / N
