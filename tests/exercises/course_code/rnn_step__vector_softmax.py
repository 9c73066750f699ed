import numpy as np


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / e.sum()


def rnn_step(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    return s_t, softmax(s_t @ V.T)
