import numpy as np


def lstm_step(x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    z = np.hstack((h_prev, x_t))
    weights = np.stack([W_f, W_i, W_c, W_o])  # (4, H, H + D)
    biases = np.stack([b_f, b_i, b_c, b_o])  # (4, H)
    a = np.einsum("nk,ghk->gnh", z, weights) + biases[:, None, :]  # (4, N, H)
    gates = 0.5 * (1.0 + np.tanh(0.5 * a))  # sigmoid, used for f, i, o
    f, i, o = gates[0], gates[1], gates[3]
    c_tilde = np.tanh(a[2])
    c_t = f * c_prev + i * c_tilde
    h_t = o * np.tanh(c_t)
    return h_t, c_t
