import numpy as np


def neuron_forward(x, w, b):
    z = np.einsum("nd,d->n", x, w) + b
    return 0.5 * (1.0 + np.tanh(0.5 * z))
