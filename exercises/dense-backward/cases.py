import numpy as np

from graders.cases import Case, with_purposes


def _layer(rng, N, D, M, scale=1.0):
    return (
        rng.standard_normal((N, M)),
        rng.standard_normal((N, D)) * scale,
        rng.standard_normal((D, M)) * scale,
        rng.standard_normal(M),
    )


def _cases(rng: np.random.Generator) -> list[Case]:
    readonly = _layer(rng, 3, 4, 2)
    for array in readonly:
        array.flags.writeable = False
    dout, x, W, b = _layer(rng, 4, 3, 5)
    return [
        Case(
            "small_layer",
            _layer(rng, 4, 3, 2),
            description="N=4 samples, D=3 inputs, M=2 outputs",
            description_zh="N=4 个样本，D=3 个输入，M=2 个输出",
        ),
        Case(
            "square_weights",
            _layer(rng, 3, 4, 4),
            description="D = M = 4: a transposed W has the right shape, only its values are wrong",
            description_zh="D = M = 4：转置后的 W 形状不变，只有数值是错的",
        ),
        Case(
            "batch_of_one",
            _layer(rng, 1, 3, 2),
            description="a batch of one sample (N=1): db still has shape (M,)",
            description_zh="批次中只有一个样本（N=1）：db 的形状仍是 (M,)",
        ),
        Case(
            "batch_equals_outputs",
            _layer(rng, 3, 2, 3),
            description="N = M = 3: summing dout over the wrong axis gives the right shape",
            description_zh="N = M = 3：沿错误的轴对 dout 求和，形状也是对的",
        ),
        Case("odd_sizes", _layer(rng, 7, 5, 3), hidden=True),
        Case("square_batch1", _layer(rng, 1, 3, 3), hidden=True),
        Case("zero_upstream", (np.zeros((3, 2)), *_layer(rng, 3, 4, 2)[1:]), hidden=True),
        Case("large_magnitudes", _layer(rng, 5, 4, 3, scale=1e3), hidden=True),
        Case("single_feature", _layer(rng, 6, 1, 1), hidden=True),
        Case("fortran_order", (np.asfortranarray(dout), np.asfortranarray(x), np.asfortranarray(W), b), hidden=True),
        Case(
            "non_contiguous",
            (
                rng.standard_normal((6, 3))[::2],
                rng.standard_normal((4, 3)).T[:, ::-1],
                rng.standard_normal((3, 8))[:, ::2].T,
                rng.standard_normal(6)[::2],
            ),
            hidden=True,
        ),
        Case("read_only", readonly, hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "odd_sizes": "purpose_odd_sizes",
    "square_batch1": "purpose_square_sizes",
    "zero_upstream": "purpose_zero_upstream",
    "large_magnitudes": "purpose_large_magnitudes",
    "single_feature": "purpose_length_one_axis",
    "fortran_order": "purpose_fortran_order",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
