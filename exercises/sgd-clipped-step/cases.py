import numpy as np

from graders.cases import Case, with_purposes


def _model(rng, scale=1.0):
    """The parameters of a small two-layer net and gradients of the same shapes."""
    shapes = [(4, 3), (3,), (3, 2), (2,)]
    params = [rng.standard_normal(shape) for shape in shapes]
    grads = [scale * rng.standard_normal(shape) for shape in shapes]
    return params, grads


def _cases(rng: np.random.Generator) -> list[Case]:
    exploding_params, exploding_grads = _model(rng, scale=1e6)
    calm_params, calm_grads = _model(rng, scale=0.05)
    readonly_params, readonly_grads = _model(rng, scale=3.0)
    for array in readonly_params + readonly_grads:
        array.flags.writeable = False
    kernel_params = [rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(2)]
    kernel_grads = [rng.standard_normal((2, 3, 3, 3)) * 5.0, rng.standard_normal(2) * 0.1]
    return [
        Case(
            "one_array",
            ([np.array([1.0, 2.0])], [np.array([3.0, -4.0])], 0.1, 1.0),
            description="gradient (3, -4) of norm 5, max_norm 1: clipped to (0.6, -0.8), the step is 0.1 times that",
            description_zh="梯度 (3, -4) 的范数为 5，max_norm 为 1：裁剪为 (0.6, -0.8)，更新量是它的 0.1 倍",
        ),
        Case(
            "exploding",
            (exploding_params, exploding_grads, 0.01, 1.0),
            description="gradients near 1e6: without clipping the step would be huge; clipped, its norm is lr * max_norm",
            description_zh="梯度量级约为 1e6：不裁剪的话更新会非常大；裁剪后，更新量的范数是 lr * max_norm",
        ),
        Case(
            "below_max_norm",
            (calm_params, calm_grads, 0.5, 5.0),
            description="global norm well below max_norm: a plain SGD step, and the norm is still returned",
            description_zh="全局范数远小于 max_norm：就是普通的 SGD 一步，但仍要返回这个范数",
        ),
        Case(
            "one_layer_dominates",
            (kernel_params, kernel_grads, 0.1, 2.0),
            description="a conv kernel's gradient dominates the bias's: one factor for both keeps the step's direction",
            description_zh="卷积核的梯度远大于偏置的梯度：两者共用一个因子，更新的方向保持不变",
        ),
        Case("all_zero_grads", ([np.ones((2, 2)), np.ones(3)], [np.zeros((2, 2)), np.zeros(3)], 0.1, 1.0), hidden=True),
        Case("exactly_at_max_norm", ([np.zeros(2)], [np.array([0.6, 0.8])], 1.0, 1.0), hidden=True),
        Case("large_learning_rate", (*_model(rng, scale=2.0), 3.0, 0.5), hidden=True),
        Case("tiny_gradients", (*_model(rng, scale=1e-8), 0.1, 1e-6), hidden=True),
        Case(
            "many_arrays",
            ([rng.standard_normal(n) for n in range(1, 8)], [rng.standard_normal(n) for n in range(1, 8)], 0.05, 1.0),
            hidden=True,
        ),
        Case(
            "non_contiguous",
            ([rng.standard_normal((3, 8))[:, ::2]], [np.asfortranarray(rng.standard_normal((3, 4)) * 4.0)], 0.2, 1.5),
            hidden=True,
        ),
        Case("read_only", (readonly_params, readonly_grads, 0.1, 1.0), hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "all_zero_grads": "purpose_zero_gradients",
    "exactly_at_max_norm": "purpose_exactly_at_max_norm",
    "large_learning_rate": "purpose_large_learning_rate",
    "tiny_gradients": "purpose_tiny_gradients",
    "many_arrays": "purpose_many_arrays",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
