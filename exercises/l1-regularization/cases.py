import numpy as np

from graders.cases import Case, with_purposes


def _with_zeros(array: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    return np.where(rng.random(array.shape) < share, 0.0, array)


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "exact_zeros": "purpose_sparse",
    "all_zero": "purpose_zeros",
    "sparse_conv_kernel": "purpose_sparse",
    "large_magnitudes": "purpose_large_magnitudes",
    "tiny_values": "purpose_tiny_values",
    "single_element": "purpose_single_element",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "many_layers": "purpose_many_arrays",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    weight = rng.standard_normal((4, 3))
    bias = rng.standard_normal(3)
    kernel = rng.standard_normal((2, 3, 3, 3))
    strided = _with_zeros(rng.standard_normal((3, 8)), rng, 0.3)[:, ::2]
    readonly = _with_zeros(rng.standard_normal((3, 3)), rng, 0.3)
    readonly.flags.writeable = False
    cases = [
        Case(
            "single_vector",
            ([np.array([-2.0, 0.0, 0.5, 3.0])], 0.1),
            description="one vector with an exact zero, lam=0.1: penalty 0.1 * 5.5 = 0.55",
            description_zh="一个向量，其中一个元素恰好为 0，lam=0.1：惩罚项为 0.1 * 5.5 = 0.55",
        ),
        Case(
            "three_layers_keyword",
            ([weight, bias, kernel],),
            {"lam": 0.01},
            description="a weight matrix (4, 3), a bias (3,) and a conv kernel (2, 3, 3, 3), lam=0.01 by keyword",
            description_zh="一个权重矩阵 (4, 3)、一个偏置 (3,) 和一个卷积核 (2, 3, 3, 3)，lam=0.01 按关键字传入",
        ),
        Case(
            "exact_zeros",
            ([_with_zeros(rng.standard_normal((4, 5)), rng, 0.4), np.array([0.0, 1.5, 0.0])], 0.5),
            description="weights with many exact zeros: their gradient is 0 (sign(0) = 0)",
            description_zh="权重中有许多恰好为 0 的元素：它们的梯度为 0（sign(0) = 0）",
        ),
        Case("all_zero", ([np.zeros((3, 3)), np.zeros(2)], 0.1), hidden=True),
        Case("sparse_conv_kernel", ([_with_zeros(rng.standard_normal((3, 2, 3, 3)), rng, 0.5)], 1e-3), hidden=True),
        Case(
            "large_magnitudes", ([rng.standard_normal((5, 4)) * 1e6, rng.standard_normal(4) * 1e6], 1e-4), hidden=True
        ),
        Case(
            "tiny_values",
            ([rng.standard_normal((3, 4)) * 1e-12, rng.standard_normal(4) * 1e-12], 2.0),
            hidden=True,
            atol=0.0,
        ),
        Case("single_element", ([np.array([-0.25])], 3.0), hidden=True),
        Case("non_contiguous", ([strided, rng.standard_normal(2)], 0.2), hidden=True),
        Case("read_only", ([readonly, rng.standard_normal((2, 2))],), {"lam": 0.05}, hidden=True),
        Case(
            "many_layers",
            (
                [
                    rng.standard_normal((5, 4)),
                    np.zeros(4),
                    rng.standard_normal((4, 2)),
                    rng.standard_normal(2),
                    np.asfortranarray(rng.standard_normal((2, 3, 2))),
                ],
                0.3,
            ),
            hidden=True,
        ),
    ]
    return with_purposes(cases, PURPOSES)
