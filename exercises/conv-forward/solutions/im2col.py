import numpy as np


def conv_forward(x, w, b, stride=1, pad=0):
    n_batch, channels, height, width = x.shape
    n_filters, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    out_h = 1 + (height + 2 * pad - hh) // stride
    out_w = 1 + (width + 2 * pad - ww) // stride
    # im2col: one column per (n, i, j) holding the C*HH*WW values of its receptive field
    cols = np.empty((channels, hh, ww, n_batch, out_h, out_w))
    for a in range(hh):
        for e in range(ww):
            patch = xp[:, :, a : a + stride * out_h : stride, e : e + stride * out_w : stride]  # (N, C, H', W')
            cols[:, a, e] = patch.transpose(1, 0, 2, 3)
    cols = cols.reshape(channels * hh * ww, -1)
    out = w.reshape(n_filters, -1) @ cols + b[:, None]  # (F, N*H'*W')
    return out.reshape(n_filters, n_batch, out_h, out_w).transpose(1, 0, 2, 3)
