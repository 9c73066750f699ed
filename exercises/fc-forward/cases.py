import numpy as np

from graders.cases import Case, with_purposes

# The example of the statement: one sample of 2 channels, 2x2, holding 1 to 8; W's first column
# adds the eight values, its second alternates +1 and -1.
WORKED_X = np.arange(1.0, 9.0).reshape(1, 2, 2, 2)
WORKED_W = np.stack([np.ones(8), np.tile([1.0, -1.0], 4)], axis=1)
WORKED_B = np.array([0.5, 1.0])


def _layer(rng: np.random.Generator, x_shape: tuple[int, ...], m: int) -> tuple[np.ndarray, ...]:
    d = int(np.prod(x_shape[1:]))
    return rng.standard_normal(x_shape), rng.standard_normal((d, m)) / np.sqrt(d), rng.standard_normal(m)


def _cases(rng: np.random.Generator) -> list[Case]:
    strided = list(_layer(rng, (2, 3, 4, 4), 5))
    strided[0] = rng.standard_normal((2, 3, 4, 8))[..., ::2]
    readonly = _layer(rng, (3, 2, 3, 3), 4)
    for array in readonly:
        array.flags.writeable = False
    fortran = list(_layer(rng, (2, 3, 2, 5), 6))
    fortran[0] = np.asfortranarray(fortran[0])
    fortran[1] = np.asfortranarray(fortran[1])
    large = list(_layer(rng, (2, 4, 2, 2), 3))
    large[0] = large[0] * 1e6
    return [
        Case(
            "worked_example",
            (WORKED_X.copy(), WORKED_W.copy(), WORKED_B.copy()),
            description="the example of the statement: x holds 1 to 8 as (1, 2, 2, 2); the output is (36.5, -3)",
            description_zh="题目中的例题：x 以 (1, 2, 2, 2) 的形状存放 1 到 8；输出为 (36.5, -3)",
        ),
        Case(
            "conv_volume",
            _layer(rng, (3, 4, 3, 3), 5),
            description="N=3 volumes of C=4 channels, 3x3, flattened to D=36; M=5 outputs",
            description_zh="N=3 个特征体，C=4 个通道，3x3，展平后 D=36；M=5 个输出",
        ),
        Case(
            "already_flat",
            _layer(rng, (4, 6), 3),
            description="x of shape (4, 6): one trailing axis, already flat",
            description_zh="x 的形状为 (4, 6)：只有一个尾部轴，本来就是平的",
        ),
        Case(
            "square_weights",
            _layer(rng, (2, 2, 2, 2), 8),
            description="D = M = 8, so W is square: x_flat @ W.T would run, and give other values",
            description_zh="D = M = 8，W 是方阵：x_flat @ W.T 也能运行，但结果不同",
        ),
        Case("batch_of_one", _layer(rng, (1, 3, 2, 2), 4), hidden=True),
        Case("odd_sizes", _layer(rng, (3, 5, 1, 7), 9), hidden=True),
        Case("five_axes", _layer(rng, (2, 2, 3, 2, 2), 4), hidden=True),
        Case("single_output", _layer(rng, (4, 2, 3, 3), 1), hidden=True),
        Case("wide_output", _layer(rng, (2, 3, 2, 2), 100), hidden=True),
        Case("zero_input", (np.zeros((2, 2, 3, 3)), *_layer(rng, (2, 2, 3, 3), 3)[1:]), hidden=True),
        Case("large_magnitudes", tuple(large), hidden=True),
        Case("non_contiguous", tuple(strided), hidden=True),
        Case("read_only", readonly, hidden=True),
        Case("fortran_order", tuple(fortran), hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "odd_sizes": "purpose_odd_sizes",
    "five_axes": "purpose_many_trailing_axes",
    "single_output": "purpose_length_one_axis",
    "wide_output": "purpose_wide_layer",
    "zero_input": "purpose_bias_only",
    "large_magnitudes": "purpose_large_magnitudes",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
