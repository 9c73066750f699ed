import numpy as np


def softmax(x):
    return np.exp(x) / np.sum(np.exp(x))


def rnn_forward(xs, s0, U, W, V):
    S, O = [], []
    s = s0
    for x_t in xs:
        s = np.tanh(x_t @ U.T + s @ W.T)
        S.append(s)
        O.append(softmax(s @ V.T))
    return np.array(S), np.array(O)
