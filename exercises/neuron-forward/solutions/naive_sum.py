import numpy as np


def neuron_forward(x, w, b):
    # Broadcasting w over the rows, then summing the D products of each row.
    z = np.sum(x * w, axis=1) + b
    return 1.0 / (1.0 + np.exp(-z))
