import numpy as np


def rnn_step(x_t, s_prev, U, W, V):
    s_t = np.tanh(np.dot(x_t, U.T) + np.dot(s_prev, W.T))
    logits = np.dot(s_t, V.T)
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    o_t = e / np.sum(e, axis=1, keepdims=True)
    return s_t.tolist(), o_t.tolist()
