import numpy as np

from graders.cases import Case, with_purposes

# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "zeros": "purpose_value_at_zero",
    "saturation": "purpose_sigmoid_overflow",
    "extremes_1e4": "purpose_sigmoid_overflow",
    "large_random": "purpose_sigmoid_overflow",
    "single_element": "purpose_single_element",
    "tiny_values": "purpose_tiny_values",
    "all_negative": "purpose_sigmoid_overflow",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    strided = (rng.standard_normal((4, 10)) * 800.0)[:, ::2]
    readonly = rng.uniform(-20.0, 20.0, size=(3, 5))
    readonly.flags.writeable = False
    fortran = np.asfortranarray(rng.standard_normal((5, 3)) * 30.0)
    cases = [
        Case(
            "vector",
            (np.array([-2.0, -1.0, 0.0, 1.0, 2.0]),),
            description="small values around 0: sigmoid(0) = 0.5, sigmoid(-z) = 1 - sigmoid(z)",
            description_zh="0 附近的小数值：sigmoid(0) = 0.5，sigmoid(-z) = 1 - sigmoid(z)",
        ),
        Case(
            "matrix",
            (rng.standard_normal((3, 4)) * 3.0,),
            description="a 3x4 matrix of moderate values",
            description_zh="一个数值大小适中的 3x4 矩阵",
        ),
        Case(
            "saturation",
            (np.array([-1000.0, -710.0, -40.0, 40.0, 710.0, 1000.0]),),
            description="|z| > 709: exp(-z) overflows float64 for z < -709 unless you avoid it",
            description_zh="|z| > 709：z < -709 时 exp(-z) 会在 float64 中溢出，除非你设法避免",
        ),
        Case(
            "batch_nchw",
            (rng.standard_normal((2, 3, 4, 4)) * 5.0,),
            description="a conv activation map, N=2, C=3, 4x4",
            description_zh="一个卷积层的激活图，N=2，C=3，4x4",
        ),
        Case("zeros", (np.zeros((2, 3)),), hidden=True),
        Case("extremes_1e4", (np.linspace(-1e4, 1e4, 21),), hidden=True),
        Case("large_random", (rng.uniform(-1e4, 1e4, size=(6, 8)),), hidden=True),
        Case("single_element", (np.array([-3.5]),), hidden=True),
        Case("tiny_values", (rng.standard_normal(10) * 1e-12,), hidden=True),
        Case("all_negative", (-np.abs(rng.standard_normal((4, 4)) * 300.0) - 1.0,), hidden=True),
        Case("non_contiguous", (strided,), hidden=True),
        Case("read_only", (readonly,), hidden=True),
        Case("fortran_order", (fortran,), hidden=True),
    ]
    return with_purposes(cases, PURPOSES)
