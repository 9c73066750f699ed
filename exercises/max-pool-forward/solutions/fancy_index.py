import numpy as np


def max_pool_forward(x, pool_height, pool_width, stride):
    height, width = x.shape[2:]
    out_h = 1 + (height - pool_height) // stride
    out_w = 1 + (width - pool_width) // stride
    rows = (np.arange(out_h) * stride)[:, None] + np.arange(pool_height)  # (H', ph)
    cols = (np.arange(out_w) * stride)[:, None] + np.arange(pool_width)  # (W', pw)
    windows = x[:, :, rows[:, None, :, None], cols[None, :, None, :]]  # (N, C, H', W', ph, pw)
    n_batch, channels = x.shape[:2]
    return windows.reshape(n_batch, channels, out_h, out_w, -1).max(axis=-1)
