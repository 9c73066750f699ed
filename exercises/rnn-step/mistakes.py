import numpy as np

from graders.cases import MistakeVariant


def _softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _missing_recurrent_term(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T)
    return s_t, _softmax(s_t @ V.T)


def _untransposed(a, M):
    # a @ M as written without the transpose. Where the shapes refuse it (D != H), the student's
    # code raises instead of giving a value, so the variant falls back to the correct a @ M.T there.
    return a @ M if a.shape[-1] == M.shape[0] else a @ M.T


def _weights_not_transposed(x_t, s_prev, U, W, V):
    s_t = np.tanh(_untransposed(x_t, U) + s_prev @ W)
    return s_t, _softmax(s_t @ V.T)


def _recurrent_weight_not_transposed(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W)
    return s_t, _softmax(s_t @ V.T)


def _sigmoid_instead_of_tanh(x_t, s_prev, U, W, V):
    s_t = _sigmoid(x_t @ U.T + s_prev @ W.T)
    return s_t, _softmax(s_t @ V.T)


def _no_softmax(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    return s_t, s_t @ V.T


def _softmax_over_batch(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    return s_t, _softmax(s_t @ V.T, axis=0)


def _softmax_whole_batch(x_t, s_prev, U, W, V):
    # a softmax written for one vector of scores, applied to the whole (N, K) batch
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    logits = s_t @ V.T
    e = np.exp(logits - np.max(logits))
    return s_t, e / np.sum(e)


def _softmax_without_max(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    e = np.exp(s_t @ V.T)
    return s_t, e / np.sum(e, axis=-1, keepdims=True)


def _softmax_global_max(x_t, s_prev, U, W, V):
    s_t = np.tanh(x_t @ U.T + s_prev @ W.T)
    logits = s_t @ V.T
    e = np.exp(logits - np.max(logits))
    return s_t, e / np.sum(e, axis=-1, keepdims=True)


MISTAKES = [
    MistakeVariant(
        "missing_recurrent_term",
        "Your s_t ignores the previous state: the update is tanh(x_t @ U.T + s_prev @ W.T); "
        "add the recurrent term s_prev @ W.T, it is what carries memory from one step to the next.",
        "你的 s_t 没有用到上一步的状态：更新式是 tanh(x_t @ U.T + s_prev @ W.T)；"
        "请加上循环项 s_prev @ W.T，正是它把记忆从一步传到下一步。",
        _missing_recurrent_term,
    ),
    MistakeVariant(
        "weights_not_transposed",
        "You multiplied by U and W without transposing them. The rows are samples, so the U x_t of the question becomes "
        "x_t @ U.T (U is (H, D)) and W s_prev becomes s_prev @ W.T; x_t @ U only runs when D = H, and "
        "s_prev @ W runs but gives the wrong values because W is not symmetric.",
        "你在乘 U 和 W 时没有转置。每一行是一个样本，所以题目里的 U x_t 要写成 x_t @ U.T（U 的形状是 (H, D)），"
        "W s_prev 要写成 s_prev @ W.T；x_t @ U 只有在 D = H 时才不报错，s_prev @ W 虽能运行，但 W 不对称，结果是错的。",
        _weights_not_transposed,
    ),
    MistakeVariant(
        "recurrent_weight_not_transposed",
        "Your recurrent term is s_prev @ W: it must be s_prev @ W.T, like the input term x_t @ U.T. W is square, "
        "so the shapes fit either way, but W is not symmetric and the values are wrong.",
        "你的循环项写成了 s_prev @ W：应当是 s_prev @ W.T，与输入项 x_t @ U.T 一样要转置。W 是方阵，"
        "所以两种写法形状都对，但 W 不对称，数值是错的。",
        _recurrent_weight_not_transposed,
    ),
    MistakeVariant(
        "sigmoid_instead_of_tanh",
        "Your hidden state lies in (0, 1): you used the sigmoid, but the RNN state uses tanh, which lies in (-1, 1).",
        "你的隐藏状态落在 (0, 1) 内：你用了 sigmoid，而 RNN 的状态更新用的是 tanh，取值在 (-1, 1)。",
        _sigmoid_instead_of_tanh,
    ),
    MistakeVariant(
        "no_softmax",
        "o_t holds the raw scores s_t @ V.T: apply softmax over the last axis so that each row is a "
        "probability distribution that sums to 1.",
        "o_t 是未归一化的分数 s_t @ V.T：请沿最后一个轴做 softmax，使每一行成为和为 1 的概率分布。",
        _no_softmax,
    ),
    MistakeVariant(
        "softmax_over_batch",
        "Your softmax normalizes over axis 0, the batch, so each column sums to 1. Normalize each row "
        "over the K outputs instead: axis=-1 with keepdims=True.",
        "你的 softmax 沿第 0 轴（批次）归一化，结果是每一列和为 1。应当对每一行在 K 个输出上归一化：axis=-1，keepdims=True。",
        _softmax_over_batch,
    ),
    MistakeVariant(
        "softmax_whole_batch",
        "Your o_t sums to 1 over the whole batch instead of in each row: the softmax divided by the sum of all N x K "
        "scores (a softmax written for one vector). Sum over the last axis only: np.sum(e, axis=-1, keepdims=True).",
        "你的 o_t 是整批数据加起来为 1，而不是每一行为 1：softmax 除以了全部 N x K 个分数之和（这是为单个向量写的 softmax）。"
        "只沿最后一个轴求和：np.sum(e, axis=-1, keepdims=True)。",
        _softmax_whole_batch,
    ),
    MistakeVariant(
        "softmax_overflow",
        "Your softmax overflows for large scores: exp(1000) is inf and inf/inf is NaN. Subtract each row's "
        "maximum before np.exp; softmax(z) = softmax(z - max(z)), and the largest exponent becomes exp(0) = 1.",
        "分数很大时你的 softmax 会溢出：exp(1000) 是 inf，inf/inf 得到 NaN。请在 np.exp 之前减去每一行的最大值；"
        "softmax(z) = softmax(z - max(z))，最大的指数就变成了 exp(0) = 1。",
        _softmax_without_max,
    ),
    MistakeVariant(
        "softmax_global_max",
        "You subtracted the maximum of the whole array, not of each row: a row whose scores are all far below "
        "that maximum underflows to 0/0 = NaN. Use np.max(z, axis=-1, keepdims=True).",
        "你减去的是整个数组的最大值，而不是每一行的最大值：若某一行的分数都远小于这个最大值，"
        "就会下溢成 0/0 = NaN。请用 np.max(z, axis=-1, keepdims=True)。",
        _softmax_global_max,
    ),
]
