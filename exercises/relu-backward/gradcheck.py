"""What relu_backward differentiates (graders/gradcheck.py): L = sum(dout * relu(x))."""

import numpy as np


def loss(dout, x):
    return float(np.sum(dout * np.maximum(x, 0.0)))


WRT = {"dx": "x"}


def kinks(argument, dout, x):
    # ReLU has no derivative at 0: centered differences there give dout / 2, the contract says 0.
    return np.abs(x) < 1e-3
