import math

import numpy as np


def neuron_forward(x, w, b):
    n, d = x.shape
    out = np.empty(n)
    for i in range(n):
        z = b
        for j in range(d):
            z += x[i, j] * w[j]
        # sigmoid written so that exp never overflows
        out[i] = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    return out
