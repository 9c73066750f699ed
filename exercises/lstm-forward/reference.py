import numpy as np


def _sigmoid(a):
    # 1 / (1 + e^-a) written as exp(-log(1 + e^-a)): no overflow for any finite a.
    return np.exp(-np.logaddexp(0.0, -a))


def lstm_forward(xs, h0, c0, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    T, N = xs.shape[0], xs.shape[1]
    H = h0.shape[1]
    W = np.concatenate([W_f, W_i, W_c, W_o])  # (4H, H + D), rows: f, i, c_tilde, o
    b = np.concatenate([b_f, b_i, b_c, b_o])  # (4H,)
    W_h, W_x = W[:, :H], W[:, H:]  # z = [h_prev, x_t]: the first H columns act on h_prev
    inputs = xs @ W_x.T + b  # (T, N, 4H): the input part of every step at once
    H_all = np.empty((T, N, H))
    h, c = h0, c0
    for t in range(T):
        a = inputs[t] + h @ W_h.T
        f = _sigmoid(a[:, :H])
        i = _sigmoid(a[:, H : 2 * H])
        c_tilde = np.tanh(a[:, 2 * H : 3 * H])
        o = _sigmoid(a[:, 3 * H :])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
        H_all[t] = h
    return H_all, c
