import numpy as np


def rnn_step_backward(ds, x_t, s_prev, U, W):
    a = np.einsum("nd,hd->nh", x_t, U) + np.einsum("nk,hk->nh", s_prev, W)
    da = ds / np.cosh(np.clip(a, -300.0, 300.0)) ** 2  # 1 - tanh(a)**2 = 1 / cosh(a)**2
    dx_t = np.einsum("nh,hd->nd", da, U)
    ds_prev = np.einsum("nh,hk->nk", da, W)
    dU = np.einsum("nh,nd->hd", da, x_t)
    dW = np.einsum("nh,nk->hk", da, s_prev)
    return dx_t, ds_prev, dU, dW
