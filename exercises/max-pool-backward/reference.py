import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool_backward(dout, x, pool_height, pool_width, stride):
    n_batch, channels, height, width = x.shape
    out_h = 1 + (height - pool_height) // stride
    out_w = 1 + (width - pool_width) // stride
    windows = sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::stride, ::stride]
    windows = windows[:, :, :out_h, :out_w].reshape(n_batch, channels, out_h, out_w, -1)
    a, e = np.divmod(windows.argmax(axis=-1), pool_width)  # where each window's maximum sits
    rows = a + stride * np.arange(out_h)[:, None]
    cols = e + stride * np.arange(out_w)[None, :]
    n, c = np.indices((n_batch, channels, out_h, out_w))[:2]
    dx = np.zeros(x.shape)
    np.add.at(dx, (n, c, rows, cols), dout)  # overlapping windows may share a maximum: add up
    return dx
