import numpy as np

from graders.cases import MistakeVariant


def _parts(X, ddof=0):
    centred = X - X.mean(axis=0)
    covariance = centred.T @ centred / (X.shape[0] - ddof)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    return centred, eigenvalues, eigenvectors


def _pca_whitening(X, eps=1e-5):
    centred, S, U = _parts(X)
    return (centred @ U) / np.sqrt(S + eps)


def _sample_covariance(X, eps=1e-5):
    centred, S, U = _parts(X, ddof=1)
    return centred @ (U / np.sqrt(S + eps)) @ U.T


def _not_centred(X, eps=1e-5):
    covariance = X.T @ X / X.shape[0]
    S, U = np.linalg.eigh(covariance)
    return X @ (U / np.sqrt(S + eps)) @ U.T


def _output_not_centred(X, eps=1e-5):
    _, S, U = _parts(X)
    return X @ (U / np.sqrt(S + eps)) @ U.T


def _no_eps(X, eps=1e-5):
    centred, S, U = _parts(X)
    return centred @ (U / np.sqrt(S)) @ U.T


def _eps_outside_sqrt(X, eps=1e-5):
    centred, S, U = _parts(X)
    return centred @ (U / (np.sqrt(S) + eps)) @ U.T


def _inverse_covariance(X, eps=1e-5):
    centred, S, U = _parts(X)
    return centred @ (U / (S + eps)) @ U.T


def _eigenvectors_as_rows(X, eps=1e-5):
    centred, S, U = _parts(X)
    return centred @ (U.T / np.sqrt(S + eps)) @ U


MISTAKES = [
    MistakeVariant(
        "pca_whitening",
        "You stopped at PCA whitening, Xc @ U @ diag(1/sqrt(S + eps)): the data is expressed along the eigenvectors. "
        "ZCA rotates it back into the input's coordinates with a final @ U.T, which keeps it as close as possible "
        "to the original (and makes the result independent of the eigenvectors' signs and order).",
        "你停在了 PCA 白化这一步，Xc @ U @ diag(1/sqrt(S + eps))：数据是用特征向量的坐标表示的。ZCA 还要再乘上 U.T，"
        "把它转回输入原来的坐标系，使结果尽可能接近原始数据（结果也就与特征向量的符号和顺序无关）。",
        _pca_whitening,
    ),
    MistakeVariant(
        "sample_covariance",
        "You divided the covariance by N - 1 (np.cov's default). The contract divides by N: C = Xc.T @ Xc / N "
        "(np.cov(X, rowvar=False, bias=True)).",
        "你把协方差除以了 N - 1（np.cov 的默认做法）。本题除以 N：C = Xc.T @ Xc / N（即 np.cov(X, rowvar=False, bias=True)）。",
        _sample_covariance,
    ),
    MistakeVariant(
        "not_centred",
        "You did not subtract the column means: C = X.T @ X / N is then not the covariance, and the output is not "
        "centred. Start from Xc = X - X.mean(axis=0), for the covariance and for the output.",
        "你没有减去每列的均值：这时 C = X.T @ X / N 并不是协方差，输出也没有中心化。应从 Xc = X - X.mean(axis=0) 开始，"
        "协方差和输出都用 Xc。",
        _not_centred,
    ),
    MistakeVariant(
        "output_not_centred",
        "Your covariance is right, but you whitened X instead of the centred Xc: multiply Xc = X - X.mean(axis=0) "
        "by the whitening matrix, so that the output is centred too.",
        "你的协方差是对的，但白化的是 X 而不是中心化后的 Xc：应把 Xc = X - X.mean(axis=0) 乘以白化矩阵，输出才是中心化的。",
        _output_not_centred,
    ),
    MistakeVariant(
        "no_eps",
        "You divided by sqrt(S) without eps: an eigenvalue of 0 (a constant column, a column that is a combination "
        "of others, fewer samples than columns) gives inf or NaN, and eps also changes every other value slightly. "
        "Use 1 / np.sqrt(S + eps).",
        "你除以了 sqrt(S)，没有加 eps：特征值为 0 时（常数列、某列是其他列的组合、样本数少于列数）会得到 inf 或 NaN，"
        "而且 eps 对其他所有值也有细微影响。应使用 1 / np.sqrt(S + eps)。",
        _no_eps,
    ),
    MistakeVariant(
        "eps_outside_sqrt",
        "You added eps after the square root, 1 / (sqrt(S) + eps). The contract adds it to the eigenvalues: "
        "1 / np.sqrt(S + eps). (A rounding error can also make an eigenvalue of 0 come out slightly negative, and "
        "its square root NaN.)",
        "你在开平方之后才加 eps，1 / (sqrt(S) + eps)。本题把它加在特征值上：1 / np.sqrt(S + eps)。"
        "（舍入误差还可能使为 0 的特征值略小于 0，开平方就得到 NaN。）",
        _eps_outside_sqrt,
    ),
    MistakeVariant(
        "inverse_covariance",
        "You multiplied by C^-1 instead of C^(-1/2): the eigenvalues need a square root, 1 / np.sqrt(S + eps), so "
        "that every direction ends with variance 1.",
        "你乘的是 C^-1 而不是 C^(-1/2)：特征值要开平方，1 / np.sqrt(S + eps)，这样每个方向的方差最后才是 1。",
        _inverse_covariance,
    ),
    MistakeVariant(
        "eigenvectors_as_rows",
        "You used the rows of U as the eigenvectors. np.linalg.eigh returns them as the COLUMNS: U[:, k] goes with "
        "S[k], and the whitening matrix is U @ diag(1/sqrt(S + eps)) @ U.T.",
        "你把 U 的行当成了特征向量。np.linalg.eigh 返回的特征向量是 **列**：U[:, k] 对应 S[k]，白化矩阵是 "
        "U @ diag(1/sqrt(S + eps)) @ U.T。",
        _eigenvectors_as_rows,
    ),
]
