import numpy as np


def _sigmoid(a):
    # 1 / (1 + e^-a) written as exp(-log(1 + e^-a)): no overflow for any finite a.
    return np.exp(-np.logaddexp(0.0, -a))


def lstm_step(x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    H = h_prev.shape[1]
    z = np.concatenate([h_prev, x_t], axis=1)  # (N, H + D), h_prev first
    # One matmul for the four gates: stack the weights to (4H, H + D) and the biases to (4H,).
    a = z @ np.concatenate([W_f, W_i, W_c, W_o]).T + np.concatenate([b_f, b_i, b_c, b_o])
    f = _sigmoid(a[:, :H])
    i = _sigmoid(a[:, H : 2 * H])
    c_tilde = np.tanh(a[:, 2 * H : 3 * H])
    o = _sigmoid(a[:, 3 * H :])
    c_t = f * c_prev + i * c_tilde
    h_t = o * np.tanh(c_t)
    return h_t, c_t
