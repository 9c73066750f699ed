import numpy as np


def softmax(z):
    z = np.array(z)
    exp_scores = np.exp(z - np.max(z, axis=-1, keepdims=True))
    probabilities = exp_scores / np.sum(exp_scores, axis=-1, keepdims=True)
    return probabilities.tolist()
