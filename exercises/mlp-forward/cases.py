import numpy as np

from graders.cases import Case, with_purposes

TRUTH_TABLE = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _net(rng: np.random.Generator, n: int, d: int, h: int, k: int, scale: float = 1.0) -> tuple:
    return (
        rng.standard_normal((n, d)),
        rng.standard_normal((d, h)) * scale,
        rng.standard_normal(h) * scale,
        rng.standard_normal((h, k)) * scale,
        rng.standard_normal(k) * scale,
    )


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "single_output": "purpose_length_one_axis",
    "wide_hidden": "purpose_wide_layer",
    "square_layers": "purpose_square_sizes",
    "zero_input": "purpose_bias_only",
    "large_weights": "purpose_large_preactivation",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    # The classic XNOR network: hidden units AND and NOR, output unit OR.
    xnor = (
        TRUTH_TABLE.copy(),
        np.array([[20.0, -20.0], [20.0, -20.0]]),
        np.array([-30.0, 10.0]),
        np.array([[20.0], [20.0]]),
        np.array([-10.0]),
    )
    x, W1, b1, W2, b2 = _net(rng, 5, 4, 6, 3)
    zero_x = (np.zeros((3, 3)), *_net(rng, 1, 3, 4, 2)[1:])
    strided = list(_net(rng, 4, 3, 5, 2))
    strided[0] = rng.standard_normal((4, 6))[:, ::2]
    readonly = _net(rng, 3, 2, 4, 2)
    for array in readonly:
        array.flags.writeable = False
    fortran = list(_net(rng, 4, 3, 5, 3))
    fortran[1] = np.asfortranarray(fortran[1])
    fortran[3] = np.asfortranarray(fortran[3])
    cases = [
        Case(
            "xnor_network",
            xnor,
            description="hidden AND (b=-30, the AND neuron of interview question 20) and NOR (b=10), "
            "output OR (b=-10), the last two built the same way: XNOR of x1, x2",
            description_zh="隐藏单元为 AND（b=-30，即面试题第 20 题中的 AND 神经元）和 NOR（b=10），"
            "输出单元为 OR（b=-10），后两者按同样的思路构造：计算 x1、x2 的 XNOR",
        ),
        Case("random_net", (x, W1, b1, W2, b2), description="N=5, D=4, H=6, K=3", description_zh="N=5，D=4，H=6，K=3"),
        Case(
            "batch_of_one",
            _net(rng, 1, 3, 4, 2),
            description="a single example, N=1",
            description_zh="只有一个样本，N=1",
        ),
        Case("single_output", _net(rng, 6, 2, 3, 1), hidden=True),
        Case("wide_hidden", _net(rng, 4, 5, 32, 2, scale=0.5), hidden=True),
        Case("square_layers", _net(rng, 4, 4, 4, 4), hidden=True),
        Case("zero_input", zero_x, hidden=True),
        Case("large_weights", _net(rng, 5, 3, 4, 2, scale=60.0), hidden=True),
        Case("non_contiguous", tuple(strided), hidden=True),
        Case("read_only", readonly, hidden=True),
        Case("fortran_order", tuple(fortran), hidden=True),
    ]
    return with_purposes(cases, PURPOSES)
