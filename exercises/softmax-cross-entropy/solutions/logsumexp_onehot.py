import numpy as np


def softmax_cross_entropy(z, y):
    N, K = z.shape
    m = z.max(axis=1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))  # log sum exp z, (N, 1)
    onehot = np.eye(K)[y]  # (N, K)
    loss = float(np.sum(onehot * (lse - z)) / N)
    probs = np.exp(z - lse)
    return loss, (probs - onehot) / N
