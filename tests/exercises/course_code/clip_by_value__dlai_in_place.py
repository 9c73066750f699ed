import numpy as np


def clip_by_value(grads, clip_value=0.5):
    """deeplearning.ai's clip(): clips the gradients in place with out=."""
    for gradient in grads:
        np.clip(gradient, -clip_value, clip_value, out=gradient)
    return grads
