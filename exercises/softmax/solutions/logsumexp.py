import numpy as np


def softmax(z):
    # softmax(z) = exp(z - logsumexp(z)), with logsumexp(z) = m + log(sum(exp(z - m)))
    m = np.max(z, axis=-1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))
    return np.exp(z - lse)
