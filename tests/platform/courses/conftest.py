from tests.platform.courses.fixtures import (  # noqa: F401
    other_teacher,
    relu_copy,
    ta,
    teacher,
    world,
)
from tests.platform.quizzes.conftest import quizzes  # noqa: F401 - the synced quiz bundles, for quiz credit
