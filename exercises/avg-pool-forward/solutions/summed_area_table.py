import numpy as np


def avg_pool_forward(x, pool_height, pool_width, stride):
    # A summed-area table: S[i, j] = sum of x[:i, :j], so any window sum is four lookups.
    n_batch, channels, height, width = x.shape
    table = np.zeros((n_batch, channels, height + 1, width + 1))
    table[:, :, 1:, 1:] = x.cumsum(axis=2).cumsum(axis=3)
    tops = np.arange(1 + (height - pool_height) // stride) * stride
    lefts = np.arange(1 + (width - pool_width) // stride) * stride
    bottoms, rights = tops + pool_height, lefts + pool_width
    window_sums = (
        table[:, :, bottoms[:, None], rights[None, :]]
        - table[:, :, tops[:, None], rights[None, :]]
        - table[:, :, bottoms[:, None], lefts[None, :]]
        + table[:, :, tops[:, None], lefts[None, :]]
    )
    return window_sums / (pool_height * pool_width)
