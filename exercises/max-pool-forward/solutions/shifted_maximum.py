import numpy as np


def max_pool_forward(x, pool_height, pool_width, stride):
    # Elementwise maximum of pool_height * pool_width strided slices, one per position in the window.
    height, width = x.shape[2:]
    out_h = 1 + (height - pool_height) // stride
    out_w = 1 + (width - pool_width) // stride
    out = np.full(x.shape[:2] + (out_h, out_w), -np.inf)
    for a in range(pool_height):
        for e in range(pool_width):
            np.maximum(out, x[:, :, a : a + stride * out_h : stride, e : e + stride * out_w : stride], out=out)
    return out
