import numpy as np

from graders.cases import Case, with_purposes

# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "all_zero": "purpose_zeros",
    "conv_kernel_4d": "purpose_any_shape",
    "large_magnitudes": "purpose_large_magnitudes",
    "tiny_values": "purpose_tiny_values",
    "single_element": "purpose_single_element",
    "large_lam": "purpose_large_lam",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "many_layers": "purpose_many_arrays",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    weight = rng.standard_normal((4, 3))
    bias = rng.standard_normal(3)
    kernel = rng.standard_normal((2, 3, 3, 3))
    strided = rng.standard_normal((3, 8))[:, ::2]
    readonly = rng.standard_normal((3, 3)) * 2.0
    readonly.flags.writeable = False
    cases = [
        Case(
            "single_vector",
            ([np.array([1.0, -2.0, 0.0, 3.0])], 0.01),
            description="one vector, lam=0.01: penalty 0.01 * (1 + 4 + 0 + 9) = 0.14",
            description_zh="一个向量，lam=0.01：惩罚项为 0.01 * (1 + 4 + 0 + 9) = 0.14",
        ),
        Case(
            "three_layers_keyword",
            ([weight, bias, kernel],),
            {"lam": 0.001},
            description="a weight matrix (4, 3), a bias (3,) and a conv kernel (2, 3, 3, 3), lam=0.001 by keyword",
            description_zh="一个权重矩阵 (4, 3)、一个偏置 (3,) 和一个卷积核 (2, 3, 3, 3)，lam=0.001 按关键字传入",
        ),
        Case(
            "with_exact_zeros",
            ([np.where(rng.random((4, 5)) < 0.4, 0.0, rng.standard_normal((4, 5))), np.zeros(2)], 0.5),
            description="a matrix with exact zeros and an all-zero bias, lam=0.5",
            description_zh="一个有若干元素恰好为 0 的矩阵和一个全零偏置，lam=0.5",
        ),
        Case("all_zero", ([np.zeros((3, 3)), np.zeros(2)], 0.1), hidden=True),
        Case("conv_kernel_4d", ([rng.standard_normal((3, 2, 3, 3))], 0.05), hidden=True),
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
        Case("large_lam", ([rng.standard_normal((2, 3)), rng.standard_normal(3)],), {"lam": 4.0}, hidden=True),
        Case("non_contiguous", ([strided, rng.standard_normal(2)], 0.2), hidden=True),
        Case("read_only", ([readonly, rng.standard_normal((2, 2))], 0.05), hidden=True),
        Case(
            "many_layers",
            (
                [
                    rng.standard_normal((5, 4)),
                    rng.standard_normal(4),
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
