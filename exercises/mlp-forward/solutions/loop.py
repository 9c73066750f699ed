import math

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _layer(inputs, W, b):
    """One fully connected sigmoid layer on a single example, unit by unit."""
    n_in, n_out = W.shape
    out = np.empty(n_out)
    for k in range(n_out):
        z = b[k]
        for j in range(n_in):
            z += inputs[j] * W[j, k]
        out[k] = _sigmoid(z)
    return out


def mlp_forward(x, W1, b1, W2, b2):
    rows = [_layer(_layer(example, W1, b1), W2, b2) for example in x]
    return np.array(rows).reshape(x.shape[0], W2.shape[1])
