import numpy as np

from graders.cases import Case, with_purposes


def _labels(rng, N, K):
    return rng.integers(0, K, size=N).astype(np.int64)


def _cases(rng: np.random.Generator) -> list[Case]:
    large = rng.standard_normal((4, 5)) * 300.0
    large[:, 0] = 1000.0  # the largest logit of every row is 1000; the labels are elsewhere in rows 1 and 3
    large_labels = np.array([0, 2, 0, 4], dtype=np.int64)
    fortran = np.asfortranarray(rng.standard_normal((4, 3)))
    readonly = (rng.standard_normal((3, 4)), _labels(rng, 3, 4))
    for array in readonly:
        array.flags.writeable = False
    return [
        Case(
            "small_batch",
            (np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]), np.array([0, 2], dtype=np.int64)),
            description="N=2 samples, K=3 classes: the first is classified right, the second wrong",
            description_zh="N=2 个样本，K=3 个类别：第一个分类正确，第二个分类错误",
        ),
        Case(
            "random_batch",
            (rng.standard_normal((5, 4)) * 2.0, _labels(rng, 5, 4)),
            description="N=5, K=4 random logits and labels",
            description_zh="N=5，K=4 的随机 logits 和标签",
        ),
        Case(
            "large_logits",
            (large, large_labels),
            description="logits of magnitude 1000: no overflow, and a label 1000 below the top has a finite loss",
            description_zh="logits 的量级为 1000：不能溢出；比最大值小 1000 的标签，损失也必须是有限值",
        ),
        Case(
            "batch_of_one",
            (rng.standard_normal((1, 6)), np.array([3], dtype=np.int64)),
            description="one sample (N=1): the mean is the sample itself",
            description_zh="只有一个样本（N=1）：平均值就是这个样本本身",
        ),
        Case("two_classes", (rng.standard_normal((6, 2)) * 3.0, _labels(rng, 6, 2)), hidden=True),
        Case("uniform_logits", (np.full((3, 5), 7.0), np.array([0, 4, 2], dtype=np.int64)), hidden=True),
        Case("confident_right", (np.eye(4) * 50.0, np.arange(4, dtype=np.int64)), hidden=True),
        Case("many_classes", (rng.standard_normal((8, 20)) * 4.0, _labels(rng, 8, 20)), hidden=True),
        Case("negative_large", (rng.standard_normal((3, 4)) - 1000.0, _labels(rng, 3, 4)), hidden=True),
        Case("fortran_order", (fortran, _labels(rng, 4, 3)), hidden=True),
        Case("non_contiguous", (rng.standard_normal((3, 10))[:, ::2], _labels(rng, 3, 5)), hidden=True),
        Case("read_only", readonly, hidden=True),
    ]


# What each hidden case checks, said when it fails (graders/feedback.py, purpose_*).
PURPOSES = {
    "two_classes": "purpose_two_classes",
    "uniform_logits": "purpose_equal_scores",
    "confident_right": "purpose_confident_right",
    "many_classes": "purpose_many_classes",
    "negative_large": "purpose_large_negative_scores",
    "fortran_order": "purpose_fortran_order",
    "non_contiguous": "purpose_non_contiguous",
    "read_only": "purpose_read_only",
}


def make_cases(rng: np.random.Generator) -> list[Case]:
    return with_purposes(_cases(rng), PURPOSES)
