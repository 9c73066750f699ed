import numpy as np


def _sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _affine(x_t, h_prev, W, b):
    # [h_prev, x_t] @ W.T + b without building the concatenation.
    H = h_prev.shape[1]
    return h_prev @ W[:, :H].T + x_t @ W[:, H:].T + b


def lstm_step(x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    f = _sigmoid(_affine(x_t, h_prev, W_f, b_f))
    i = _sigmoid(_affine(x_t, h_prev, W_i, b_i))
    c_tilde = np.tanh(_affine(x_t, h_prev, W_c, b_c))
    o = _sigmoid(_affine(x_t, h_prev, W_o, b_o))
    c_t = f * c_prev + i * c_tilde
    return o * np.tanh(c_t), c_t
