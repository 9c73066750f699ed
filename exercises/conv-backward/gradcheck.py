"""What conv_backward differentiates (graders/gradcheck.py): L = sum(dout * conv_forward(x, w, b, stride, pad))."""

import numpy as np


def _conv_forward(x, w, b, stride, pad):
    # One receptive field at a time, as the forward exercise's formula reads.
    n_batch, channels, height, width = x.shape
    n_filters, _, hh, ww = w.shape
    out_h = 1 + (height + 2 * pad - hh) // stride
    out_w = 1 + (width + 2 * pad - ww) // stride
    xp = np.zeros((n_batch, channels, height + 2 * pad, width + 2 * pad))
    xp[:, :, pad : pad + height, pad : pad + width] = x
    out = np.empty((n_batch, n_filters, out_h, out_w))
    flat_w = w.reshape(n_filters, -1)
    for i in range(out_h):
        for j in range(out_w):
            field = xp[:, :, i * stride : i * stride + hh, j * stride : j * stride + ww].reshape(n_batch, -1)
            out[:, :, i, j] = field @ flat_w.T + b
    return out


def loss(dout, x, w, b, stride=1, pad=0):
    return float(np.sum(dout * _conv_forward(x, w, b, stride, pad)))


WRT = {"dx": "x", "dw": "w", "db": "b"}
# L is linear in each of x, w and b: any step is exact, and a step of 1 keeps rounding small.
STEP = 1.0
