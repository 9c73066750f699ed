import numpy as np

from graders.cases import MistakeVariant


def _sample_variance(X, eps=1e-8):
    centred = X - X.mean(axis=0)
    return centred / np.sqrt((centred**2).sum(axis=0) / (X.shape[0] - 1) + eps)


def _no_eps(X, eps=1e-8):
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _eps_outside_sqrt(X, eps=1e-8):
    return (X - X.mean(axis=0)) / (X.std(axis=0) + eps)


def _per_row(X, eps=1e-8):
    return (X - X.mean(axis=1, keepdims=True)) / np.sqrt(X.var(axis=1, keepdims=True) + eps)


def _whole_array(X, eps=1e-8):
    return (X - X.mean()) / np.sqrt(X.var() + eps)


def _center_only(X, eps=1e-8):
    return X - X.mean(axis=0)


def _divide_by_variance(X, eps=1e-8):
    return (X - X.mean(axis=0)) / (X.var(axis=0) + eps)


def _one_pass_variance(X, eps=1e-8):
    mean = X.mean(axis=0)
    variance = (X**2).mean(axis=0) - mean**2
    return (X - mean) / np.sqrt(variance + eps)


def _min_max(X, eps=1e-8):
    low, high = X.min(axis=0), X.max(axis=0)
    return (X - low) / (high - low)


MISTAKES = [
    MistakeVariant(
        "sample_variance",
        "You divided the variance by N - 1 (np.std(..., ddof=1), or pandas' .std()). The contract uses the "
        "population variance, divided by N: np.var(X, axis=0), whose default is ddof=0, as batch normalization does.",
        "你把方差除以了 N - 1（np.std(..., ddof=1)，或 pandas 的 .std()）。本题使用总体方差，即除以 N："
        "np.var(X, axis=0)，默认 ddof=0，与批归一化（batch normalization）相同。",
        _sample_variance,
    ),
    MistakeVariant(
        "no_eps",
        "You divided by the standard deviation without eps: a constant column (variance 0) gives 0/0 = NaN, and a "
        "nearly constant one is blown up. Divide by np.sqrt(variance + eps).",
        "你直接除以了标准差，没有加 eps：常数列（方差为 0）得到 0/0 = NaN，近乎常数的列会被放得极大。"
        "应除以 np.sqrt(variance + eps)。",
        _no_eps,
    ),
    MistakeVariant(
        "eps_outside_sqrt",
        "You added eps to the standard deviation, std + eps. The contract adds it to the variance, under the square "
        "root: np.sqrt(variance + eps). The two differ as soon as eps is not negligible next to the variance.",
        "你把 eps 加在了标准差上（std + eps）。本题把它加在方差上、根号里面：np.sqrt(variance + eps)。"
        "只要 eps 相对方差不可忽略，两者就不同。",
        _eps_outside_sqrt,
    ),
    MistakeVariant(
        "per_row",
        "You standardized each row (axis=1). One row is one sample; each column is one input dimension, and the "
        "mean and variance are taken over the samples: axis=0.",
        "你对每一行做了标准化（axis=1）。每一行是一个样本，每一列是一个输入维度，均值和方差要在样本上计算：axis=0。",
        _per_row,
    ),
    MistakeVariant(
        "whole_array",
        "You used one mean and one variance for the whole array. Each column (input dimension) gets its own: "
        "X.mean(axis=0) and X.var(axis=0).",
        "你对整个数组只用了一个均值和一个方差。每一列（每个输入维度）都有自己的均值和方差：X.mean(axis=0)、X.var(axis=0)。",
        _whole_array,
    ),
    MistakeVariant(
        "center_only",
        "You only subtracted the mean (去均值). Normalization (归一化) also divides each column by "
        "np.sqrt(variance + eps), so that every column has variance close to 1.",
        "你只做了去均值。归一化还要把每一列除以 np.sqrt(variance + eps)，使每一列的方差接近 1。",
        _center_only,
    ),
    MistakeVariant(
        "divide_by_variance",
        "You divided by the variance instead of the standard deviation: take the square root, np.sqrt(variance + eps).",
        "你除以了方差而不是标准差：要开平方根，np.sqrt(variance + eps)。",
        _divide_by_variance,
    ),
    MistakeVariant(
        "one_pass_variance",
        "A column with a large mean and a small spread came out wrong: the variance as mean(x**2) - mean(x)**2 "
        "subtracts two huge, nearly equal numbers and loses every digit. Subtract the mean first: "
        "mean((x - mean)**2), or np.var.",
        "一列均值很大、离散程度很小的数据结果错了：用 mean(x**2) - mean(x)**2 计算方差，是两个几乎相等的巨大数相减，"
        "有效数字全部丢失。应先减去均值：mean((x - mean)**2)，或用 np.var。",
        _one_pass_variance,
    ),
    MistakeVariant(
        "min_max",
        "You scaled each column to [0, 1] with its minimum and maximum (min-max normalization). This exercise "
        "standardizes: (x - mean) / np.sqrt(variance + eps), which centres every column at 0.",
        "你用每列的最小值和最大值把它缩放到 [0, 1]（最小-最大归一化）。本题要求的是标准化："
        "(x - mean) / np.sqrt(variance + eps)，它把每一列的中心移到 0。",
        _min_max,
    ),
]
