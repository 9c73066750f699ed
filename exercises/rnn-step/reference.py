import numpy as np


def _softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def rnn_step(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    o_t = _softmax(s_t @ V.T)
    return s_t, o_t
