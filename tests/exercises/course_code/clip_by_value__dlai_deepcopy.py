import copy

import numpy as np


def clip_by_value(grads, clip_value=0.5):
    gradients = copy.deepcopy(grads)
    for gradient in gradients:
        np.clip(gradient, -clip_value, clip_value, out=gradient)
    return gradients
