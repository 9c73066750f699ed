import numpy as np


def max_pool_forward(x, pool_height, pool_width, stride):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = np.max(x[:, :, i : i + pool_height, j : j + pool_width], axis=(2, 3))
    return out
