import numpy as np


def avg_pool_forward(x, pool_height, pool_width, stride):
    n_batch, channels, height, width = x.shape
    out_h = 1 + (height - pool_height) // stride
    out_w = 1 + (width - pool_width) // stride
    out = np.empty((n_batch, channels, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            window = x[:, :, top : top + pool_height, left : left + pool_width]
            out[:, :, i, j] = window.sum(axis=(2, 3)) / (pool_height * pool_width)
    return out
