import numpy as np


def zca_whiten(X, eps=1e-5):
    Xc = X - np.mean(X, axis=0)
    C = np.dot(Xc.T, Xc) / X.shape[0]
    S, U = np.linalg.eigh(C)
    rotated = Xc @ U  # PCA: coordinates along the eigenvectors
    white = rotated @ np.diag(1.0 / np.sqrt(S + eps))  # PCA whitening: unit variance along each
    return white @ U.T  # ZCA: rotate back into the input's coordinates
