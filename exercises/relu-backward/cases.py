import numpy as np

from graders.cases import Case, with_purposes


def _away_from_zero(rng, shape, scale=1.0):
    # Forward inputs at least 0.01 from the kink, so that finite differences check them too.
    x = rng.standard_normal(shape) * scale
    return np.where(np.abs(x) < 0.01 * scale, 0.5 * scale, x)


def _cases(rng: np.random.Generator) -> list[Case]:
    strided_x = _away_from_zero(rng, (4, 10))[:, ::2]
    readonly = (rng.standard_normal((3, 4)), _away_from_zero(rng, (3, 4)))
    for array in readonly:
        array.flags.writeable = False
    with_zeros = np.array([[-1.5, 0.0, 2.0], [0.0, 0.7, -0.2]])
    return [
        Case(
            "vector",
            (np.array([0.5, -1.0, 2.0, 3.0, -0.25]), np.array([-2.0, -0.5, 1.0, 0.5, 3.5])),
            description="a short vector: the gradient passes where x > 0 and stops where x < 0",
            description_zh="一个短向量：x > 0 处梯度通过，x < 0 处被截断",
        ),
        Case(
            "zeros_in_x",
            (rng.standard_normal((2, 3)), with_zeros),
            description="x holds exact zeros: the gradient there is 0",
            description_zh="x 中有恰好为 0 的值：那里的梯度为 0",
        ),
        Case(
            "negative_upstream",
            (-np.abs(rng.standard_normal((3, 4))) - 0.1, _away_from_zero(rng, (3, 4))),
            description="every upstream value is negative: a negative gradient still passes where x > 0",
            description_zh="上游梯度全为负：在 x > 0 处，负的梯度同样通过",
        ),
        Case(
            "conv_activation",
            (rng.standard_normal((2, 3, 4, 4)), _away_from_zero(rng, (2, 3, 4, 4))),
            description="a conv activation map (N, C, H, W) = (2, 3, 4, 4)",
            description_zh="一个卷积层的激活图 (N, C, H, W) = (2, 3, 4, 4)",
        ),
        Case("batch_of_one", (rng.standard_normal((1, 5)), _away_from_zero(rng, (1, 5))), hidden=True),
        Case("single_element", (np.array([2.5]), np.array([-3.0])), hidden=True),
        Case("all_zero_x", (rng.standard_normal((4, 4)), np.zeros((4, 4))), hidden=True),
        Case(
            "large_magnitudes",
            (rng.standard_normal((6, 7)) * 1e6, _away_from_zero(rng, (6, 7), 1e8)),
            hidden=True,
        ),
        Case("tiny_x", (rng.standard_normal(10), rng.standard_normal(10) * 1e-12), hidden=True),
        Case("non_contiguous", (rng.standard_normal((4, 5)), strided_x), hidden=True),
        Case(
            "fortran_order", (np.asfortranarray(rng.standard_normal((3, 5))), _away_from_zero(rng, (3, 5))), hidden=True
        ),
        Case("read_only", readonly, hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "single_element": "purpose_single_element",
    "all_zero_x": "purpose_gradient_at_zero",
    "large_magnitudes": "purpose_large_magnitudes",
    "tiny_x": "purpose_tiny_values",
    "non_contiguous": "purpose_non_contiguous",
    "fortran_order": "purpose_fortran_order",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
