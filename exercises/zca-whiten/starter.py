import numpy as np


def zca_whiten(X, eps=1e-5):
    """ZCA-whiten X (N samples, one per row, D columns).

    Xc = X minus the column means; C = Xc.T @ Xc / N; with C = U diag(S) U.T (np.linalg.eigh),
    return Xc @ U @ diag(1 / sqrt(S + eps)) @ U.T, shape (N, D). X is not modified.
    """
    Xc = X - X.mean(axis=0)
    # TODO: compute the covariance, its eigendecomposition, and whiten Xc
    return Xc
