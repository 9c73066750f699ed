import numpy as np


def relu_backward(dout, x):
    dx = np.empty(x.shape)
    flat_x, flat_dout = x.reshape(-1), dout.reshape(-1)
    for i in range(flat_x.size):
        dx.flat[i] = flat_dout[i] * np.heaviside(flat_x[i], 0.0)  # heaviside(0, 0.0) = 0
    return dx
