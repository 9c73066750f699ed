"""What max_pool_backward differentiates (graders/gradcheck.py): L = sum(dout * max_pool_forward(x, ...)).

The cases keep the values of x at least 0.05 apart, so a step of 1e-5 never changes which value is
a window's maximum: the loss is differentiable there.
"""

import numpy as np


def _max_pool_forward(x, pool_height, pool_width, stride):
    n_batch, channels, height, width = x.shape
    out_h = 1 + (height - pool_height) // stride
    out_w = 1 + (width - pool_width) // stride
    out = np.empty((n_batch, channels, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, :, i * stride : i * stride + pool_height, j * stride : j * stride + pool_width]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def loss(dout, x, pool_height, pool_width, stride):
    return float(np.sum(dout * _max_pool_forward(x, pool_height, pool_width, stride)))


WRT = {"dx": "x"}
