import numpy as np


def sigmoid(z):
    # sigmoid(z) = (1 + tanh(z / 2)) / 2; tanh saturates to +-1 and never overflows.
    return 0.5 * (1.0 + np.tanh(0.5 * z))
