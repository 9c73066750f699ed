from tests.platform.courses.fixtures import (  # noqa: F401
    fast_password_hashing,
    other_teacher,
    relu_copy,
    ta,
    teacher,
    world,
)
