import numpy as np


def max_pool_backward(dout, x, pool_height, pool_width, stride):
    """Backward pass of max_pool_forward.

    dout: (N, C, H', W') upstream gradient, H' = 1 + (H - pool_height) // stride (likewise W');
    x: (N, C, H, W) the forward input. Each window's whole upstream value goes to the position of its
    maximum (no ties inside a window); where windows overlap the contributions add up.
    Return dx, shaped like x. Do not modify the inputs.
    """
    # TODO: replace this line with your implementation
    return np.zeros_like(x)
