import numpy as np


def avg_pool_forward(x, pool_height, pool_width, stride):
    # Add up pool_height * pool_width strided slices, one per position inside the window, then divide.
    height, width = x.shape[2:]
    out_h = 1 + (height - pool_height) // stride
    out_w = 1 + (width - pool_width) // stride
    total = np.zeros(x.shape[:2] + (out_h, out_w))
    for a in range(pool_height):
        for e in range(pool_width):
            total += x[:, :, a : a + stride * out_h : stride, e : e + stride * out_w : stride]
    return total / (pool_height * pool_width)
