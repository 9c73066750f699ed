from tests.platform.courses.fixtures import (  # noqa: F401
    other_teacher,
    relu_copy,
    ta,
    teacher,
    world,
)
