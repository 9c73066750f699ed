import numpy as np


def sigmoid_backward(dout, z):
    s = 0.5 * (1.0 + np.tanh(0.5 * z))  # the sigmoid through tanh: never overflows
    return dout * s * (1.0 - s)
