import numpy as np


def _sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def lstm_step_backward(dh, dc, x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    H = h_prev.shape[1]

    def affine(W, b):  # [h_prev, x_t] @ W.T + b without the concatenation
        return h_prev @ W[:, :H].T + x_t @ W[:, H:].T + b

    f, i, o = _sigmoid(affine(W_f, b_f)), _sigmoid(affine(W_i, b_i)), _sigmoid(affine(W_o, b_o))
    g = np.tanh(affine(W_c, b_c))
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    do = dh * tanh_c
    dc_t = dc + dh * o * (1.0 - tanh_c * tanh_c)
    pre = {
        "f": (dc_t * c_prev * f * (1.0 - f), W_f),
        "i": (dc_t * g * i * (1.0 - i), W_i),
        "c": (dc_t * i * (1.0 - g * g), W_c),
        "o": (do * o * (1.0 - o), W_o),
    }
    dx_t = sum(da @ W[:, H:] for da, W in pre.values())
    dh_prev = sum(da @ W[:, :H] for da, W in pre.values())
    grads = [dx_t, dh_prev, dc_t * f]
    for da, _ in pre.values():
        grads.append(np.concatenate([da.T @ h_prev, da.T @ x_t], axis=1))
        grads.append(np.sum(da, axis=0))
    return tuple(grads)
