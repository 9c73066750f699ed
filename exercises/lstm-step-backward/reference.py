import numpy as np


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))  # no overflow for any finite a


def lstm_step_backward(dh, dc, x_t, h_prev, c_prev, W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o):
    H = h_prev.shape[1]
    z = np.concatenate([h_prev, x_t], axis=1)  # (N, H + D), h_prev first
    f = _sigmoid(z @ W_f.T + b_f)
    i = _sigmoid(z @ W_i.T + b_i)
    g = np.tanh(z @ W_c.T + b_c)  # c_tilde
    o = _sigmoid(z @ W_o.T + b_o)
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    # h_t = o * tanh(c_t): c_t reaches the loss through dc and through h_t
    dc_t = dc + dh * o * (1.0 - tanh_c**2)
    # back through each gate's nonlinearity to its pre-activation
    da_f = dc_t * c_prev * f * (1.0 - f)
    da_i = dc_t * g * i * (1.0 - i)
    da_c = dc_t * i * (1.0 - g**2)
    da_o = dh * tanh_c * o * (1.0 - o)
    dz = da_f @ W_f + da_i @ W_i + da_c @ W_c + da_o @ W_o  # (N, H + D)
    return (
        dz[:, H:],
        dz[:, :H],
        dc_t * f,  # the additive cell path: dc_prev = dc_t * f
        da_f.T @ z,
        da_f.sum(axis=0),
        da_i.T @ z,
        da_i.sum(axis=0),
        da_c.T @ z,
        da_c.sum(axis=0),
        da_o.T @ z,
        da_o.sum(axis=0),
    )
