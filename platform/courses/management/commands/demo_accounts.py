from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import demo_accounts_ensure
from courses.demo import demo_course_ensure


class Command(BaseCommand):
    help = "Create the demo student and instructor accounts (development only) and print their logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=settings.DEMO_PASSWORD or "dlgrade-demo")

    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError("demo accounts are for development: set DJANGO_DEBUG=1")
        made = demo_accounts_ensure(password=password)
        for username, is_staff in made:
            role = "instructor" if is_staff else "student"
            self.stdout.write(f"  {role:<10} {username:<11} password: {password}")
        self._demo_course(made)

    def _demo_course(self, made) -> None:
        users = {user.username: user for user in get_user_model().objects.filter(username__in=[u for u, _ in made])}
        instructors = [users[u] for u, is_staff in made if is_staff]
        students = [users[u] for u, is_staff in made if not is_staff]
        if not instructors:
            return
        course = demo_course_ensure(instructor=instructors[0], students=students)
        if course is None:
            self.stdout.write("  (no demo course: run sync_exercises first)")
        else:
            link = f"{settings.SITE_URL}/courses/join/{course.join_code}/"
            self.stdout.write(f"  demo course “{course.title}”, join code {course.join_code} ({link})")
