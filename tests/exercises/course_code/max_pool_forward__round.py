import numpy as np


def max_pool_forward(x, pool_height, pool_width, stride):
    N, C, H, W = x.shape
    H_out = int(round((H - pool_height) / stride)) + 1
    W_out = int(round((W - pool_width) / stride)) + 1
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride : i * stride + pool_height, j * stride : j * stride + pool_width]
            out[:, :, i, j] = np.max(window, axis=(2, 3))
    return out
