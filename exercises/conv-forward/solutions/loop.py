import numpy as np


def conv_forward(x, w, b, stride=1, pad=0):
    n_batch, channels, height, width = x.shape
    n_filters, _, hh, ww = w.shape
    out_h = 1 + (height + 2 * pad - hh) // stride
    out_w = 1 + (width + 2 * pad - ww) // stride
    xp = np.zeros((n_batch, channels, height + 2 * pad, width + 2 * pad))
    xp[:, :, pad : pad + height, pad : pad + width] = x
    out = np.empty((n_batch, n_filters, out_h, out_w))
    for n in range(n_batch):
        for f in range(n_filters):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    field = xp[n, :, top : top + hh, left : left + ww]  # (C, HH, WW)
                    out[n, f, i, j] = np.sum(field * w[f]) + b[f]
    return out
