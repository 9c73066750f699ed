import numpy as np


def _sigmoid(a):
    # 1 / (1 + e^-a) as exp(-log(1 + e^-a)): no overflow for any finite a.
    return np.exp(-np.logaddexp(0.0, -a))


def sigmoid_backward(dout, z):
    # s * (1 - s) written as sigmoid(z) * sigmoid(-z): 1 - s is never formed, so no cancellation.
    return dout * _sigmoid(z) * _sigmoid(-z)
