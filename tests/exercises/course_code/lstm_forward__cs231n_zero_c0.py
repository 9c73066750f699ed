from builtins import range
import numpy as np


def sigmoid(x):
    """A numerically stable version of the logistic sigmoid function."""
    pos_mask = x >= 0
    neg_mask = x < 0
    z = np.zeros_like(x)
    z[pos_mask] = np.exp(-x[pos_mask])
    z[neg_mask] = np.exp(x[neg_mask])
    top = np.ones_like(x)
    top[neg_mask] = z[neg_mask]
    return top / (1 + z)


def lstm_forward(xs, h0, c0, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    T, N, D = xs.shape
    H = h0.shape[1]
    h = np.zeros((T, N, H))
    prev_h = h0
    prev_c = np.zeros_like(prev_h)  # CS231n: the initial cell state is zero
    for t in range(T):
        z = np.hstack([prev_h, xs[t]])
        f = sigmoid(z.dot(W_f.T) + b_f)
        i = sigmoid(z.dot(W_i.T) + b_i)
        g = np.tanh(z.dot(W_c.T) + b_c)
        o = sigmoid(z.dot(W_o.T) + b_o)
        prev_c = f * prev_c + i * g
        prev_h = o * np.tanh(prev_c)
        h[t] = prev_h
    return h, prev_c
