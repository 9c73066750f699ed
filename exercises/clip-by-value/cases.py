import numpy as np

from graders.cases import Case, with_purposes

# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "clip_value_keyword": "purpose_keyword_argument",
    "negative_outliers": "purpose_negative_outliers",
    "zeros": "purpose_zeros",
    "large_magnitudes": "purpose_large_magnitudes",
    "tiny_values": "purpose_tiny_values",
    "single_element": "purpose_single_element",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "many_layers": "purpose_many_arrays",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    bias = rng.standard_normal(5)
    weight = rng.standard_normal((4, 3)) * 2.0
    kernel = rng.standard_normal((2, 3, 3, 3)) * 1.5
    strided = (rng.standard_normal((4, 8)) * 3.0)[:, ::2]
    readonly = rng.standard_normal((3, 5)) * 3.0
    readonly.flags.writeable = False
    cases = [
        Case(
            "single_vector_default",
            ([np.array([-2.0, -0.5, -0.1, 0.0, 0.3, 0.5, 1.7])],),
            description="one vector, clip_value left at its default 0.5; -0.5 and 0.5 sit exactly on the bounds",
            description_zh="一个向量，clip_value 取默认值 0.5；-0.5 和 0.5 恰好落在边界上",
        ),
        Case(
            "layers_positional",
            ([bias, weight, kernel], 1.0),
            description="a bias (5,), a weight matrix (4, 3) and a conv kernel (2, 3, 3, 3), clip_value=1.0",
            description_zh="一个偏置 (5,)、一个权重矩阵 (4, 3) 和一个卷积核 (2, 3, 3, 3)，clip_value=1.0",
        ),
        Case(
            "clip_value_keyword",
            ([rng.standard_normal((3, 4)) * 4.0, rng.standard_normal(3)],),
            {"clip_value": 2.5},
            description="clip_value=2.5 passed by keyword",
            description_zh="clip_value=2.5 按关键字传入",
        ),
        Case(
            "all_inside",
            ([rng.uniform(-0.2, 0.2, (2, 3)), rng.uniform(-0.2, 0.2, 4)], 0.25),
            description="every value is already inside [-0.25, 0.25]: nothing changes",
            description_zh="所有值都已在 [-0.25, 0.25] 内：结果不变",
        ),
        Case("negative_outliers", ([rng.uniform(-10.0, 0.1, (3, 3)), rng.uniform(-10.0, 0.1, 6)], 0.5), hidden=True),
        Case("zeros", ([np.zeros((3, 3)), np.zeros(4)],), hidden=True),
        Case(
            "large_magnitudes",
            ([rng.standard_normal((5, 6)) * 1e6, rng.standard_normal(6) * 1e6], 5.0),
            hidden=True,
        ),
        Case("tiny_values", ([rng.standard_normal((4, 4)) * 1e-12], 1e-12), hidden=True, atol=0.0),
        Case("single_element", ([np.array([-7.25])], 3.0), hidden=True),
        Case("non_contiguous", ([strided, rng.standard_normal((2, 2))], 1.0), hidden=True),
        Case("read_only", ([readonly],), {"clip_value": 2.0}, hidden=True),
        Case(
            "many_layers",
            (
                [
                    rng.standard_normal(4) * 0.3,
                    rng.standard_normal((3, 2)),
                    rng.standard_normal((2, 2, 2)) * 0.2,
                    rng.standard_normal((2, 1, 3, 3)),
                    np.asfortranarray(rng.standard_normal((3, 4))),
                    rng.standard_normal(2) * 0.05,
                ],
                0.1,
            ),
            hidden=True,
        ),
    ]
    return with_purposes(cases, PURPOSES)
