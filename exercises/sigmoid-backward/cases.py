import numpy as np

from graders.cases import Case, with_purposes


def _cases(rng: np.random.Generator) -> list[Case]:
    strided = (rng.standard_normal((4, 12)) * 3.0)[:, ::3]
    readonly = (rng.standard_normal((3, 3)), rng.standard_normal((3, 3)) * 4.0)
    for array in readonly:
        array.flags.writeable = False
    extremes = np.array([-1e4, -1000.0, -40.0, 0.0, 40.0, 1000.0, 1e4])
    return [
        Case(
            "vector",
            (np.array([1.0, 1.0, 1.0, 2.0, -1.0]), np.array([-2.0, 0.0, 2.0, 1.0, 0.5])),
            description="at z = 0 the local derivative is 0.25, its maximum",
            description_zh="z = 0 处局部导数为 0.25，是它的最大值",
        ),
        Case(
            "matrix",
            (rng.standard_normal((3, 4)), rng.standard_normal((3, 4)) * 2.0),
            description="a (3, 4) batch of pre-activations",
            description_zh="一个 (3, 4) 的激活前数值批次",
        ),
        Case(
            "saturated",
            (np.ones(7), extremes),
            description="z from -1e4 to 1e4: the gradient vanishes where the sigmoid saturates, and must not be NaN",
            description_zh="z 从 -1e4 到 1e4：sigmoid 饱和处梯度消失，而且不能是 NaN",
        ),
        Case(
            "lstm_gates",
            (rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4)) * 3.0),
            description="a 3-D array, like the gates of an LSTM over (T, N, H) = (2, 3, 4)",
            description_zh="一个三维数组，好比 LSTM 在 (T, N, H) = (2, 3, 4) 上的各个门",
        ),
        Case("batch_of_one", (rng.standard_normal((1, 6)), rng.standard_normal((1, 6))), hidden=True),
        Case("single_element", (np.array([3.0]), np.array([-0.7])), hidden=True),
        Case("zero_upstream", (np.zeros((3, 5)), rng.standard_normal((3, 5))), hidden=True),
        Case(
            "large_magnitudes",
            (rng.standard_normal((4, 6)) * 100.0, rng.uniform(-1e4, 1e4, size=(4, 6))),
            hidden=True,
        ),
        Case(
            "moderate_saturation",
            (rng.standard_normal(12), rng.uniform(15.0, 35.0, 12) * rng.choice([-1, 1], 12)),
            hidden=True,
        ),
        Case("non_contiguous", (rng.standard_normal((4, 4)), strided), hidden=True),
        Case(
            "fortran_order", (np.asfortranarray(rng.standard_normal((3, 5))), rng.standard_normal((3, 5))), hidden=True
        ),
        Case("read_only", readonly, hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "single_element": "purpose_single_element",
    "zero_upstream": "purpose_zero_upstream",
    "large_magnitudes": "purpose_sigmoid_overflow",
    "moderate_saturation": "purpose_moderate_saturation",
    "non_contiguous": "purpose_non_contiguous",
    "fortran_order": "purpose_fortran_order",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
