import numpy as np

from graders.cases import Case, with_purposes

# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "zeros": "purpose_value_at_zero",
    "single_element": "purpose_single_element",
    "large_magnitudes": "purpose_large_magnitudes",
    "tiny_values": "purpose_tiny_values",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    strided = rng.standard_normal((4, 6))[:, ::2]
    readonly = rng.standard_normal((3, 3))
    readonly.flags.writeable = False
    cases = [
        Case(
            "vector",
            (np.array([-2.0, -0.5, 0.0, 0.5, 3.5]),),
            description="a short vector with a zero",
            description_zh="一个含有 0 的短向量",
        ),
        Case("matrix", (rng.standard_normal((3, 4)),), description="a 3x4 matrix", description_zh="一个 3x4 的矩阵"),
        Case(
            "batch_nchw",
            (rng.standard_normal((2, 3, 4, 4)),),
            description="a conv activation map, N=2, C=3",
            description_zh="一个卷积层的激活图，N=2，C=3",
        ),
        Case(
            "all_negative",
            (-np.abs(rng.standard_normal((5,))) - 0.1,),
            description="every value negative",
            description_zh="所有值都为负",
        ),
        Case("single_element", (np.array([7.25]),), hidden=True),
        Case("zeros", (np.zeros((4, 4)),), hidden=True),
        Case("large_magnitudes", (rng.standard_normal((6, 7)) * 1e8,), hidden=True),
        Case("tiny_values", (rng.standard_normal((10,)) * 1e-12,), hidden=True),
        Case("non_contiguous", (strided,), hidden=True),
        Case("read_only", (readonly,), hidden=True),
    ]
    return with_purposes(cases, PURPOSES)
