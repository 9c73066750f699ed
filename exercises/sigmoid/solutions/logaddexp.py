import numpy as np


def sigmoid(z):
    # sigmoid(z) = exp(-log(1 + exp(-z))) and np.logaddexp(0, -z) = log(1 + exp(-z)) without overflow.
    return np.exp(-np.logaddexp(0.0, -z))
