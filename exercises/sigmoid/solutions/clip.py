import numpy as np


def sigmoid(z):
    # Beyond |z| = 500 the sigmoid equals 0 or 1 in float64 up to 1e-217, so clipping is harmless.
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))
