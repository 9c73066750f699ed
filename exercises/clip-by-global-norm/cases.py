import numpy as np

from graders.cases import Case, with_purposes


def _with_norm(array: np.ndarray, norm: float) -> np.ndarray:
    return array * (norm / np.sqrt(np.sum(array * array)))


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "all_zero": "purpose_zeros",
    "exactly_at_max_norm": "purpose_exactly_at_max_norm",
    "dominant_layer": "purpose_dominant_array",
    "one_zero_array": "purpose_one_zero_array",
    "large_magnitudes": "purpose_large_magnitudes",
    "tiny_values": "purpose_tiny_gradients",
    "non_contiguous": "purpose_non_contiguous",
    "read_only_below": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    weight = rng.standard_normal((4, 3)) * 2.0
    bias = rng.standard_normal(3)
    kernel = rng.standard_normal((2, 3, 3, 3))
    strided = (rng.standard_normal((3, 8)) * 2.0)[:, ::2]
    readonly = rng.standard_normal((2, 3)) * 3.0
    readonly.flags.writeable = False
    cases = [
        Case(
            "single_array",
            ([np.array([3.0, -4.0])], 1.0),
            description="one array of norm 5, max_norm=1.0: scaled by 1/5, global norm 5.0",
            description_zh="一个范数为 5 的数组，max_norm=1.0：缩放为原来的 1/5，全局范数为 5.0",
        ),
        Case(
            "three_layers_keyword",
            ([weight, bias, kernel],),
            {"max_norm": 1.0},
            description="a weight matrix (4, 3), a bias (3,) and a conv kernel (2, 3, 3, 3), max_norm=1.0 "
            "by keyword: one scale factor for all three",
            description_zh="一个权重矩阵 (4, 3)、一个偏置 (3,) 和一个卷积核 (2, 3, 3, 3)，max_norm=1.0 "
            "按关键字传入：三者共用同一个缩放因子",
        ),
        Case(
            "below_max_norm",
            ([rng.standard_normal((3, 2)) * 0.1, rng.standard_normal(2) * 0.1], 5.0),
            description="global norm well below max_norm=5.0: gradients unchanged, the norm is still returned",
            description_zh="全局范数远小于 max_norm=5.0：梯度保持不变，但仍要返回这个范数",
        ),
        Case(
            "all_zero",
            ([np.zeros((2, 3)), np.zeros(3)], 1.0),
            description="all-zero gradients: zeros back (not NaN) and global norm 0.0",
            description_zh="全零梯度：返回全零（不是 NaN），全局范数为 0.0",
        ),
        Case(
            "many_small_arrays",
            ([_with_norm(rng.standard_normal(n), 0.8) for n in (2, 3, 4, 5, 6, 7)], 1.0),
            description="six arrays, each of norm 0.8 < max_norm=1.0, but the global norm is about 1.96",
            description_zh="六个数组，每个的范数都是 0.8 < max_norm=1.0，但全局范数约为 1.96",
        ),
        Case("exactly_at_max_norm", ([np.full((2, 2), 1.5), np.full(4, 2.0)], 5.0), hidden=True),
        Case(
            "dominant_layer",
            ([weight * 100.0, bias * 0.01, kernel * 0.5], 2.0),
            hidden=True,
        ),
        Case("one_zero_array", ([rng.standard_normal((3, 3)), np.zeros(4), kernel], 1.0), hidden=True),
        Case(
            "large_magnitudes",
            ([rng.standard_normal((5, 4)) * 1e6, rng.standard_normal(4) * 1e6], 10.0),
            hidden=True,
        ),
        Case(
            "tiny_values",
            ([rng.standard_normal((3, 3)) * 1e-10, rng.standard_normal(3) * 1e-10], 1e-10),
            hidden=True,
            atol=0.0,
        ),
        Case("non_contiguous", ([strided, rng.standard_normal(4)], 0.5), hidden=True),
        Case("read_only_below", ([readonly, rng.standard_normal((1, 2, 2, 2))], 20.0), hidden=True),
    ]
    return with_purposes(cases, PURPOSES)
