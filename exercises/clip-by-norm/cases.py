import numpy as np

from graders.cases import Case, with_purposes


def _with_norm(array: np.ndarray, norm: float) -> np.ndarray:
    return array * (norm / np.sqrt(np.sum(array * array)))


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "exactly_at_max_norm": "purpose_exactly_at_max_norm",
    "all_zero": "purpose_zeros",
    "conv_kernel_4d": "purpose_any_shape",
    "bias_1d": "purpose_any_shape",
    "large_magnitudes": "purpose_large_magnitudes",
    "tiny_values": "purpose_tiny_gradients",
    "single_element": "purpose_single_element",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order_below": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    strided = (rng.standard_normal((4, 6)) * 2.0)[:, ::2]
    readonly = rng.standard_normal((3, 3)) * 4.0
    readonly.flags.writeable = False
    cases = [
        Case(
            "vector_default_max_norm",
            (np.array([3.0, -4.0]),),
            description="norm 5 is above the default max_norm 1.0: the result has norm 1, same direction",
            description_zh="范数 5 大于默认的 max_norm 1.0：结果的范数为 1，方向不变",
        ),
        Case(
            "matrix_above_positional",
            (rng.standard_normal((4, 3)) * 3.0, 2.0),
            description="a (4, 3) weight gradient with norm about 10, max_norm=2.0: one norm over all 12 values",
            description_zh="形状为 (4, 3)、范数约为 10 的权重梯度，max_norm=2.0：对全部 12 个值只求一个范数",
        ),
        Case(
            "below_max_norm_keyword",
            (_with_norm(rng.standard_normal((2, 5)), 1.5),),
            {"max_norm": 4.0},
            description="norm 1.5 is below max_norm=4.0 (keyword): the gradient comes back unchanged",
            description_zh="范数 1.5 小于 max_norm=4.0（按关键字传入）：梯度原样返回",
        ),
        Case(
            "exactly_at_max_norm",
            (np.array([[1.5, -2.0], [0.0, 0.0]]), 2.5),
            description="norm exactly 2.5 = max_norm: not above it, so unchanged",
            description_zh="范数恰好为 2.5 = max_norm：没有超过它，所以保持不变",
        ),
        Case(
            "all_zero",
            (np.zeros((3, 4)),),
            description="an all-zero gradient (norm 0) stays all zeros, not NaN",
            description_zh="全零梯度（范数为 0）仍然返回全零，不是 NaN",
        ),
        Case("conv_kernel_4d", (rng.standard_normal((3, 2, 3, 3)),), {"max_norm": 1.0}, hidden=True),
        Case("bias_1d", (rng.standard_normal(7) * 5.0, 0.5), hidden=True),
        Case("large_magnitudes", (rng.standard_normal((6, 5)) * 1e6, 10.0), hidden=True),
        Case("tiny_values", (rng.standard_normal((4, 5)) * 1e-10, 1e-10), hidden=True, atol=0.0),
        Case("single_element", (np.array([-7.0]), 2.0), hidden=True),
        Case("non_contiguous", (strided, 1.0), hidden=True),
        Case("read_only", (readonly, 1.5), hidden=True),
        Case("fortran_order_below", (np.asfortranarray(_with_norm(rng.standard_normal((3, 4, 2)), 0.9)),), hidden=True),
    ]
    return with_purposes(cases, PURPOSES)
