from graders.cases import MistakeVariant


def _db_not_summed(dout, x, W, b):
    return dout @ W.T, x.T @ dout, dout


def _db_summed_over_features(dout, x, W, b):
    return dout @ W.T, x.T @ dout, dout.sum(axis=1)


def _dW_transposed(dout, x, W, b):
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)


def _dx_W_not_transposed(dout, x, W, b):
    return dout @ W, x.T @ dout, dout.sum(axis=0)


def _averaged_again(dout, x, W, b):
    N = x.shape[0]
    return dout @ W.T, x.T @ dout / N, dout.sum(axis=0) / N


MISTAKES = [
    MistakeVariant(
        "db_not_summed",
        "Your db is dout itself, shape (N, M): b is added to every row of the batch, so its gradient sums the "
        "rows: db = dout.sum(axis=0), shape (M,).",
        "你的 db 就是 dout 本身，形状为 (N, M)：b 被加到批次的每一行上，所以它的梯度是各行之和："
        "db = dout.sum(axis=0)，形状为 (M,)。",
        _db_not_summed,
    ),
    MistakeVariant(
        "db_summed_over_features",
        "Your db sums dout over axis 1, the M outputs: sum over the batch instead, db = dout.sum(axis=0), one "
        "value per output unit.",
        "你的 db 沿第 1 轴（M 个输出）对 dout 求和：应当对批次求和，db = dout.sum(axis=0)，每个输出单元一个值。",
        _db_summed_over_features,
    ),
    MistakeVariant(
        "dW_transposed",
        "Your dW is dout.T @ x, the transpose of the gradient: dW must have W's shape (D, M), dW = x.T @ dout "
        "(dW[d, m] = sum over n of x[n, d] * dout[n, m]).",
        "你的 dW 是 dout.T @ x，是梯度的转置：dW 必须和 W 同形状 (D, M)，dW = x.T @ dout"
        "（dW[d, m] = 对 n 求和 x[n, d] * dout[n, m]）。",
        _dW_transposed,
    ),
    MistakeVariant(
        "dx_W_not_transposed",
        "Your dx is dout @ W: y[n, m] = sum over d of x[n, d] W[d, m], so dx[n, d] = sum over m of dout[n, m] "
        "W[d, m], which is dout @ W.T. With D == M both have the right shape; only the values tell them apart.",
        "你的 dx 是 dout @ W：y[n, m] = 对 d 求和 x[n, d] W[d, m]，所以 dx[n, d] = 对 m 求和 dout[n, m] W[d, m]，"
        "即 dout @ W.T。D == M 时两者形状都对，只有数值能区分它们。",
        _dx_W_not_transposed,
    ),
    MistakeVariant(
        "averaged_again",
        "Your dW and db are divided by N: dout already is the gradient of the loss, mean included (the 1/N is in "
        "dout, as in softmax-cross-entropy). dW = x.T @ dout and db = dout.sum(axis=0), with no further division.",
        "你的 dW 和 db 除以了 N：dout 已经是损失的梯度，平均也已包含在内（1/N 在 dout 里，如 softmax-cross-entropy）。"
        "dW = x.T @ dout，db = dout.sum(axis=0)，不要再除。",
        _averaged_again,
    ),
]
