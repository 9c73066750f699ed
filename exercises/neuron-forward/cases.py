import numpy as np

from graders.cases import Case, with_purposes

TRUTH_TABLE = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


# What each case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "batch_of_one": "purpose_batch_of_one",
    "single_feature": "purpose_length_one_axis",
    "nand_gate": "purpose_nand_gate",
    "zero_weights": "purpose_bias_only",
    "zero_bias": "purpose_keyword_argument",
    "large_logits": "purpose_large_preactivation",
    "wide_features": "purpose_wide_layer",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
    "fortran_order": "purpose_fortran_order",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    strided_x = rng.standard_normal((5, 8))[:, ::2]
    readonly_x = rng.standard_normal((4, 3))
    readonly_w = rng.standard_normal(3)
    readonly_x.flags.writeable = False
    readonly_w.flags.writeable = False
    cases = [
        Case(
            "and_gate",
            (TRUTH_TABLE.copy(), np.array([20.0, 20.0]), -30.0),
            description="the AND neuron of interview question 20: b=-30, w=(20, 20) on the 4 rows of the truth table",
            description_zh="面试题第 20 题中的 AND 神经元：b=-30，w=(20, 20)，作用于真值表的 4 行",
        ),
        Case(
            "or_gate",
            (TRUTH_TABLE.copy(), np.array([20.0, 20.0]), -10.0),
            description="same weights, b=-10: the neuron computes OR",
            description_zh="同样的权重，b=-10：这个神经元计算 OR",
        ),
        Case(
            "random_batch",
            (rng.standard_normal((5, 3)), rng.standard_normal(3), 0.5),
            description="N=5 examples with D=3 features",
            description_zh="N=5 个样本，每个样本有 D=3 个特征",
        ),
        Case("batch_of_one", (rng.standard_normal((1, 4)), rng.standard_normal(4), -1.25), hidden=True),
        Case("single_feature", (rng.standard_normal((6, 1)), np.array([-2.0]), 0.3), hidden=True),
        Case("nand_gate", (TRUTH_TABLE.copy(), np.array([-20.0, -20.0]), 30.0), hidden=True),
        Case("zero_weights", (rng.standard_normal((3, 4)), np.zeros(4), 0.75), hidden=True),
        Case("zero_bias", (rng.standard_normal((4, 5)), rng.standard_normal(5)), {"b": 0.0}, hidden=True),
        Case("large_logits", (rng.standard_normal((6, 4)) * 50.0, rng.standard_normal(4) * 40.0, -2.0), hidden=True),
        Case("wide_features", (rng.standard_normal((3, 20)), rng.standard_normal(20) * 0.3, 1.5), hidden=True),
        Case("non_contiguous", (strided_x, rng.standard_normal(4), -0.4), hidden=True),
        Case("read_only", (readonly_x, readonly_w, 0.9), hidden=True),
        Case(
            "fortran_order",
            (np.asfortranarray(rng.standard_normal((4, 3))), rng.standard_normal(3)),
            {"b": -0.6},
            hidden=True,
        ),
    ]
    return with_purposes(cases, PURPOSES)
