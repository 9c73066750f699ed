import numpy as np


def zca_whiten(X, eps=1e-5):
    n_samples = X.shape[0]
    centred = X - X.mean(axis=0)
    covariance = centred.T @ centred / n_samples  # (D, D), population covariance
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)  # symmetric: real S, orthonormal columns U
    # U diag(1/sqrt(S + eps)) U.T: scaling the columns of U is the product with the diagonal matrix.
    whitening = (eigenvectors / np.sqrt(eigenvalues + eps)) @ eigenvectors.T
    return centred @ whitening
