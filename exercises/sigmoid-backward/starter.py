import numpy as np


def sigmoid_backward(dout, z):
    """Backward pass of the sigmoid, out = 1 / (1 + exp(-z)) elementwise.

    dout: the upstream gradient dL/dout, same shape as z; z: the forward input, any shape.
    Return dz = dout * s * (1 - s) with s = sigmoid(z), same shape as z. For z in [-1e4, 1e4] it must
    give no NaN and raise no overflow, invalid or divide-by-zero warning. Do not modify dout or z.
    """
    # TODO: replace this line with your implementation
    return np.zeros_like(z)
