import numpy as np

from graders.cases import Case, with_purposes

# The example of the statement: column 1 is constant, so only eps keeps it from 0/0.
WORKED = np.array([[1.0, 2.0, 5.0], [3.0, 2.0, 1.0], [5.0, 2.0, 3.0]])


def _columns(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """Columns on different scales and offsets, as raw input features are."""
    scales = rng.uniform(0.5, 20.0, size=d)
    offsets = rng.uniform(-50.0, 50.0, size=d)
    return rng.standard_normal((n, d)) * scales + offsets


def _cases(rng: np.random.Generator) -> list[Case]:
    constant = _columns(rng, 5, 3)
    constant[:, 1] = 7.0
    small_spread = rng.standard_normal((6, 3)) * np.array([0.2, 0.5, 1.0])
    tiny_variance = _columns(rng, 8, 3)
    tiny_variance[:, 2] = 3.0 + 1e-5 * rng.standard_normal(8)  # variance ~1e-10, far below eps = 1e-8
    large_offset = 1e6 + 0.01 * rng.standard_normal((10, 4))  # mean 1e6, spread 0.01
    readonly = _columns(rng, 6, 4)
    readonly.flags.writeable = False
    return [
        Case(
            "worked_example",
            (WORKED.copy(),),
            description="the 3x3 example of the statement: column 1 is constant and comes back as zeros",
            description_zh="题目中的 3x3 例题：第 1 列是常数，结果为全零",
        ),
        Case(
            "features_on_different_scales",
            (_columns(rng, 6, 4),),
            description="N=6 samples, D=4 columns with different means and spreads",
            description_zh="N=6 个样本，D=4 列，各列的均值和离散程度都不同",
        ),
        Case(
            "constant_column",
            (constant,),
            description="column 1 is constant (variance 0): without eps, 0/0 gives NaN; with it, zeros",
            description_zh="第 1 列是常数（方差为 0）：没有 eps 时 0/0 得到 NaN；有 eps 时得到全零",
        ),
        Case(
            "eps_by_keyword",
            (small_spread,),
            {"eps": 0.5},
            description="eps=0.5 passed by keyword, on columns of variance about 0.04 to 1: eps goes under the square root",
            description_zh="eps=0.5 按关键字传入，各列方差约为 0.04 到 1：eps 加在根号里面",
        ),
        Case("batch_of_one", (_columns(rng, 1, 5),), hidden=True),
        Case("one_column", (_columns(rng, 7, 1),), hidden=True),
        Case("odd_sizes", (_columns(rng, 9, 13),), hidden=True),
        Case("two_samples", (_columns(rng, 2, 3),), hidden=True),
        Case("tiny_variance", (tiny_variance,), hidden=True),
        Case("large_offset", (large_offset,), hidden=True),
        Case("large_magnitudes", (rng.standard_normal((5, 3)) * 1e8,), hidden=True),
        Case("eps_positional", (_columns(rng, 4, 2), 1e-3), hidden=True),
        Case("zeros", (np.zeros((3, 4)),), hidden=True),
        Case("non_contiguous", (_columns(rng, 6, 10)[:, ::2],), hidden=True),
        Case("read_only", (readonly,), hidden=True),
        Case("fortran_order", (np.asfortranarray(_columns(rng, 7, 3)),), hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_one_sample",
    "one_column": "purpose_length_one_axis",
    "odd_sizes": "purpose_odd_sizes",
    "two_samples": "purpose_two_samples",
    "tiny_variance": "purpose_tiny_variance",
    "large_offset": "purpose_large_offset",
    "large_magnitudes": "purpose_large_magnitudes",
    "eps_positional": "purpose_positional_argument",
    "zeros": "purpose_zeros",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
