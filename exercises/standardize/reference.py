import numpy as np


def standardize(X, eps=1e-8):
    mean = X.mean(axis=0)  # one mean per column (per input dimension), over the N samples
    centred = X - mean
    variance = (centred**2).mean(axis=0)  # population variance: divide by N (ddof=0), two passes
    return centred / np.sqrt(variance + eps)
