import numpy as np


def mlp_forward(x, W1, b1, W2, b2):
    a1 = 1.0 / (1.0 + np.exp(-(np.dot(x, W1) + b1)))
    return 1.0 / (1.0 + np.exp(-(np.dot(a1, W2) + b2)))
