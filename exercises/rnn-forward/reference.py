import numpy as np


def _softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def rnn_forward(xs, s0, U, W, V):
    T, N = xs.shape[0], xs.shape[1]
    H = W.shape[0]
    inputs = xs @ U.T  # (T, N, H): the input term of every step at once
    S = np.empty((T, N, H))
    s = s0
    for t in range(T):  # the recurrence itself is sequential
        s = np.tanh(inputs[t] + s @ W.T)
        S[t] = s
    O = _softmax(S @ V.T)
    return S, O
