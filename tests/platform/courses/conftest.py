from tests.platform.courses.fixtures import (  # noqa: F401
    fast_password_hashing,
    other_teacher,
    relu_copy,
    ta,
    teacher,
    world,
)
from tests.platform.quizzes.conftest import quizzes  # noqa: F401 - the synced quiz bundles, for quiz credit
