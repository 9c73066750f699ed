import numpy as np


def _step(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    logits = s_t @ V.T
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return s_t, e / e.sum(axis=1, keepdims=True)


def rnn_forward(xs, s0, U, W, V):
    states, outputs = [], []
    s = s0
    for x_t in xs:
        s, o = _step(x_t, s, U, W, V)
        states.append(s)
        outputs.append(o)
    return np.stack(states), np.stack(outputs)
