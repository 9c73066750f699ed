import numpy as np

from graders.cases import MistakeVariant


def _log_softmax(z, axis=1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _parts(z, y):
    N = z.shape[0]
    rows = np.arange(N)
    log_probs = _log_softmax(z)
    onehot = np.zeros_like(z)
    onehot[rows, y] = 1.0
    return N, rows, log_probs, onehot


def _missing_1_over_N(z, y):
    N, rows, log_probs, onehot = _parts(z, y)
    return -float(np.mean(log_probs[rows, y])), np.exp(log_probs) - onehot


def _loss_not_averaged(z, y):
    N, rows, log_probs, onehot = _parts(z, y)
    return -float(np.sum(log_probs[rows, y])), (np.exp(log_probs) - onehot) / N


def _onehot_not_subtracted(z, y):
    N, rows, log_probs, onehot = _parts(z, y)
    return -float(np.mean(log_probs[rows, y])), np.exp(log_probs) / N


def _sign_flipped(z, y):
    N, rows, log_probs, onehot = _parts(z, y)
    return -float(np.mean(log_probs[rows, y])), (onehot - np.exp(log_probs)) / N


def _unshifted_exp(z, y):
    N, rows, _, onehot = _parts(z, y)
    e = np.exp(z)
    probs = e / np.sum(e, axis=1, keepdims=True)
    return -float(np.mean(np.log(probs[rows, y]))), (probs - onehot) / N


def _log_of_softmax(z, y):
    N, rows, log_probs, onehot = _parts(z, y)
    probs = np.exp(log_probs)
    return -float(np.mean(np.log(probs[rows, y]))), (probs - onehot) / N


def _softmax_over_batch(z, y):
    N, rows, _, onehot = _parts(z, y)
    log_probs = _log_softmax(z, axis=0)
    return -float(np.mean(log_probs[rows, y])), (np.exp(log_probs) - onehot) / N


MISTAKES = [
    MistakeVariant(
        "missing_1_over_N",
        "Your dz is N times too large: the loss is a mean over the N samples, so each sample's gradient "
        "softmax(z) - onehot(y) is divided by N too: dz = (softmax(z) - onehot(y)) / N.",
        "你的 dz 大了 N 倍：损失是 N 个样本的平均值，所以每个样本的梯度 softmax(z) - onehot(y) 也要除以 N："
        "dz = (softmax(z) - onehot(y)) / N。",
        _missing_1_over_N,
    ),
    MistakeVariant(
        "loss_not_averaged",
        "Your loss is the sum over the batch: the catalog's loss is the mean, -(1/N) sum_n log softmax(z)[n, y_n] "
        "(and dz, which you divided by N, is its gradient).",
        "你的 loss 是整个批次的总和：题目要求的是平均值 -(1/N) sum_n log softmax(z)[n, y_n]"
        "（你除以了 N 的 dz 正是它的梯度）。",
        _loss_not_averaged,
    ),
    MistakeVariant(
        "onehot_not_subtracted",
        "Your dz is softmax(z) / N: the derivative of -log softmax(z)[y] with respect to z_k is softmax(z)_k - "
        "[k == y]; subtract 1 at the label of each row: dz[n, y[n]] -= 1 (before dividing by N).",
        "你的 dz 是 softmax(z) / N：-log softmax(z)[y] 对 z_k 的导数是 softmax(z)_k - [k == y]；"
        "每行在标签处减 1：dz[n, y[n]] -= 1（再除以 N）。",
        _onehot_not_subtracted,
    ),
    MistakeVariant(
        "sign_flipped",
        "Your dz has the wrong sign: (onehot(y) - softmax(z)) / N is the gradient of the log-likelihood, which is "
        "maximized. The loss is its negative: dz = (softmax(z) - onehot(y)) / N, and gradient descent subtracts it.",
        "你的 dz 符号反了：(onehot(y) - softmax(z)) / N 是对数似然的梯度（对数似然要最大化）。损失是它的相反数："
        "dz = (softmax(z) - onehot(y)) / N，梯度下降再减去它。",
        _sign_flipped,
    ),
    MistakeVariant(
        "unshifted_exp",
        "Your loss and dz are NaN for logits near 1000: exp(1000) overflows to inf and inf / inf is NaN. Subtract "
        "each row's maximum before np.exp; softmax does not change.",
        "logits 接近 1000 时你的 loss 和 dz 是 NaN：exp(1000) 上溢为 inf，而 inf / inf 是 NaN。"
        "请在 np.exp 之前减去每行的最大值；softmax 不会因此改变。",
        _unshifted_exp,
    ),
    MistakeVariant(
        "log_of_softmax",
        "Your loss is infinite when a label's probability underflows to 0 (logits 1000 apart: softmax gives "
        "exp(-1000) = 0 and log(0) = -inf). Compute log-softmax directly: log softmax(z)_k = (z_k - m) - "
        "log(sum_j exp(z_j - m)) with m the row's maximum, and never take the log of a probability.",
        "当某个标签的概率下溢为 0 时你的 loss 是无穷大（logits 相差 1000：softmax 给出 exp(-1000) = 0，而 log(0) = -inf）。"
        "请直接计算 log-softmax：log softmax(z)_k = (z_k - m) - log(sum_j exp(z_j - m))，m 为该行的最大值；"
        "不要对概率取对数。",
        _log_of_softmax,
    ),
    MistakeVariant(
        "softmax_over_batch",
        "Your softmax normalizes over axis 0, the batch: each row of z holds the K class scores of one sample, so "
        "normalize along axis 1 (the last axis) with keepdims=True.",
        "你的 softmax 沿第 0 轴（批次轴）归一化：z 的每一行是一个样本的 K 个类别分数，所以应沿第 1 轴（最后一个轴）"
        "归一化，并使用 keepdims=True。",
        _softmax_over_batch,
    ),
]
