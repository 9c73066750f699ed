import numpy as np


def softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)  # every row's largest entry becomes 0
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)
