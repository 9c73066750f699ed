import numpy as np


def lstm_forward(xs, h0, c0, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    T, N = xs.shape[0], xs.shape[1]
    H = h0.shape[1]
    weights = np.stack([W_f, W_i, W_c, W_o])  # (4, H, H + D), gate order f, i, c_tilde, o
    biases = np.stack([b_f, b_i, b_c, b_o])  # (4, H)
    W_h, W_x = weights[:, :, :H], weights[:, :, H:]
    # Input part of every gate at every step at once: (T, 4, N, H).
    from_x = np.einsum("tnd,ghd->tgnh", xs, W_x) + biases[None, :, None, :]
    H_all = np.zeros((T, N, H))
    h = np.array(h0, dtype=float)
    c = np.array(c0, dtype=float)
    for t in range(T):
        a = from_x[t] + np.einsum("nk,ghk->gnh", h, W_h)
        f, i, o = (0.5 * (1.0 + np.tanh(0.5 * a[g])) for g in (0, 1, 3))
        c = f * c + i * np.tanh(a[2])
        h = o * np.tanh(c)
        H_all[t] = h
    return H_all, c
