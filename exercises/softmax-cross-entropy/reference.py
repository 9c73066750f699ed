import numpy as np


def softmax_cross_entropy(z, y):
    N = z.shape[0]
    rows = np.arange(N)
    shifted = z - np.max(z, axis=1, keepdims=True)  # the largest logit becomes 0: exp cannot overflow
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))  # log-softmax, (N, K)
    loss = -float(np.mean(log_probs[rows, y]))
    dz = np.exp(log_probs)  # softmax(z)
    dz[rows, y] -= 1.0  # minus onehot(y)
    return loss, dz / N
