import numpy as np


def _sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _gate(z, W, b):
    return z @ W.T + b


def _lstm_step(x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    z = np.concatenate([h_prev, x_t], axis=1)
    f = _sigmoid(_gate(z, W_f, b_f))
    i = _sigmoid(_gate(z, W_i, b_i))
    c_tilde = np.tanh(_gate(z, W_c, b_c))
    o = _sigmoid(_gate(z, W_o, b_o))
    c_t = f * c_prev + i * c_tilde
    return o * np.tanh(c_t), c_t


def lstm_forward(xs, h0, c0, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    hs = []
    h, c = h0, c0
    for x_t in xs:
        h, c = _lstm_step(x_t, h, c, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o)
        hs.append(h)
    return np.stack(hs, axis=0), c
