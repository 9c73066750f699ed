from django.contrib.auth import get_user_model

DEMO_ACCOUNTS = (
    ("student", "Demo Student", False),
    ("student2", "Second Student", False),
    ("instructor", "Demo Instructor", True),
)


def demo_accounts_ensure(*, password: str) -> list[tuple[str, bool]]:
    """Create or reset the demo users; return (username, is_staff) for each."""
    User = get_user_model()
    made = []
    for username, full_name, is_staff in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        made.append((username, is_staff))
    return made
