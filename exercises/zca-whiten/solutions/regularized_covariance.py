import numpy as np


def zca_whiten(X, eps=1e-5):
    # U diag(1/sqrt(S + eps)) U.T is (C + eps I)^(-1/2): the eigenvalues of C + eps I are S + eps.
    n_samples, n_columns = X.shape
    Xc = X - X.mean(axis=0, keepdims=True)
    regularized = np.einsum("ni,nj->ij", Xc, Xc) / n_samples + eps * np.eye(n_columns)
    values, vectors = np.linalg.eigh(regularized)
    inverse_sqrt = vectors @ np.diag(values**-0.5) @ vectors.T
    return Xc @ inverse_sqrt
