import numpy as np


def zca_whiten(X, eps=1e-5):
    # Xc = A diag(sv) B.T gives C = Xc.T Xc / N = B diag(sv**2 / N) B.T: the same eigenvectors, without
    # forming C. Directions B leaves out (when N < D) are ones Xc has no component along.
    n_samples = X.shape[0]
    Xc = X - X.mean(axis=0)
    _, singular_values, Bt = np.linalg.svd(Xc, full_matrices=False)
    S = singular_values**2 / n_samples
    return ((Xc @ Bt.T) / np.sqrt(S + eps)) @ Bt
