import numpy as np


def lstm_step_backward(dh, dc, x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    H = h_prev.shape[1]
    z = np.hstack([h_prev, x_t])
    weights = np.vstack([W_f, W_i, W_c, W_o])  # (4H, H + D)
    a = z @ weights.T + np.concatenate([b_f, b_i, b_c, b_o])
    gates = 0.5 * (1.0 + np.tanh(0.5 * a))  # sigmoid of every block; the c_tilde block is replaced below
    f, i, o = gates[:, :H], gates[:, H : 2 * H], gates[:, 3 * H :]
    g = np.tanh(a[:, 2 * H : 3 * H])
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    dc_t = dc + dh * o * (1.0 - tanh_c**2)
    da = np.hstack(
        [
            dc_t * c_prev * f * (1.0 - f),
            dc_t * g * i * (1.0 - i),
            dc_t * i * (1.0 - g**2),
            dh * tanh_c * o * (1.0 - o),
        ]
    )  # (N, 4H)
    dz = da @ weights
    dweights = da.T @ z  # (4H, H + D)
    dbiases = da.sum(axis=0)
    blocks = [slice(k * H, (k + 1) * H) for k in range(4)]
    grads = [dz[:, H:], dz[:, :H], dc_t * f]
    for block in blocks:
        grads += [dweights[block], dbiases[block]]
    return tuple(grads)
