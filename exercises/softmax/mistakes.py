import numpy as np

from graders.cases import MistakeVariant


def _stable_along(z, axis):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _wrong_axis(z):
    return _stable_along(z, 0)


def _global_sum(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e)


def _sum_without_keepdims(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


def _no_normalization(z):
    return np.exp(z)


def _no_max_subtraction(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def _global_max(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def _whole_array(z):
    # the 1-D softmax, exp(z - max) / sum(exp(z - max)), applied to a whole batch at once
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def _axis_1(z):
    # written for (N, K) batches: axis=1 is the last axis only when z has two dimensions
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _log_softmax(z):
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


MISTAKES = [
    MistakeVariant(
        "wrong_axis",
        "You normalised along axis 0 (down the columns): the softmax runs along the LAST axis, so every "
        "row z[..., :] must sum to 1. Use axis=-1 with keepdims=True in both max and sum.",
        "你沿 axis 0（按列）做了归一化：softmax 应沿 **最后一个** 轴进行，使每一行 z[..., :] 之和为 1。"
        "在 max 和 sum 中都使用 axis=-1 和 keepdims=True。",
        _wrong_axis,
    ),
    MistakeVariant(
        "global_sum",
        "You divided by the sum over the whole array, so all values together sum to 1 instead of each row. "
        "Sum along the last axis: np.sum(e, axis=-1, keepdims=True).",
        "你除以了整个数组的总和，结果是所有元素加起来为 1，而不是每一行为 1。"
        "请沿最后一个轴求和：np.sum(e, axis=-1, keepdims=True)。",
        _global_sum,
    ),
    MistakeVariant(
        "sum_without_keepdims",
        "The row sums lost their axis: e / e.sum(axis=-1) broadcasts the sums along the wrong axis (for a square "
        "input it runs but divides by the wrong row's sum). Keep the axis: e.sum(axis=-1, keepdims=True).",
        "行和丢失了被求和的那个轴：e / e.sum(axis=-1) 会沿错误的方向广播（方阵时虽能运行，但除以的是别的行的和）。"
        "请保留该轴：e.sum(axis=-1, keepdims=True)。",
        _sum_without_keepdims,
    ),
    MistakeVariant(
        "no_normalization",
        "You returned exp(z) without dividing by the sum of the exponentials, so rows do not sum to 1 "
        "(and exp overflows for large scores).",
        "你返回了 exp(z)，但没有除以指数之和，所以每行之和不为 1（而且分数很大时 exp 会上溢）。",
        _no_normalization,
    ),
    MistakeVariant(
        "no_max_subtraction",
        "Your result has NaN for large scores: exp(1000) overflows to inf and inf/inf is NaN (and exp(-1000) "
        "underflows to 0, giving 0/0). Subtract each row's max first: softmax(z) = softmax(z - max(z)).",
        "分数很大时你的结果出现 NaN：exp(1000) 上溢为 inf，inf/inf 为 NaN（exp(-1000) 下溢为 0，得到 0/0）。"
        "先减去每一行的最大值：softmax(z) = softmax(z - max(z))。",
        _no_max_subtraction,
    ),
    MistakeVariant(
        "global_max",
        "You subtracted the max of the whole array instead of each row's own max: a row whose scores are far "
        "below the global max underflows to 0/0 = NaN. Use np.max(z, axis=-1, keepdims=True).",
        "你减去的是整个数组的最大值，而不是每一行自己的最大值：若某一行的分数远低于全局最大值，"
        "就会下溢成 0/0 = NaN。请使用 np.max(z, axis=-1, keepdims=True)。",
        _global_max,
    ),
    MistakeVariant(
        "whole_array",
        "You normalised over the whole array: every value together sums to 1, so each row is divided by the sum "
        "of every row (a softmax written for one vector, applied to a batch). Take the max and the sum over the "
        "last axis only: axis=-1, keepdims=True.",
        "你对整个数组做了归一化：所有元素加起来为 1，每一行都除以了所有行的总和（这是为单个向量写的 softmax，用在了一批数据上）。"
        "max 和 sum 都只沿最后一个轴计算：axis=-1，keepdims=True。",
        _whole_array,
    ),
    MistakeVariant(
        "axis_1",
        "You normalised along axis=1, which is the last axis only for 2-D inputs: a 1-D vector has no axis 1, and "
        "for a 3-D (T, N, K) input axis 1 is N. Use axis=-1 (with keepdims=True) so that any number of dimensions "
        "works.",
        "你沿 axis=1 做了归一化，而只有二维输入的最后一个轴才是 axis 1：一维向量没有 axis 1，"
        "三维 (T, N, K) 输入的 axis 1 是 N。请用 axis=-1（配合 keepdims=True），这样任意维数都适用。",
        _axis_1,
    ),
    MistakeVariant(
        "log_softmax",
        "You returned log-softmax (values <= 0): that is log of the answer. Exponentiate it, or return "
        "exp(z - max) / sum(exp(z - max)).",
        "你返回的是 log-softmax（值都 <= 0），即答案的对数。请再取指数，或直接返回 exp(z - max) / sum(exp(z - max))。",
        _log_softmax,
    ),
]
