from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.selectors import exercises_for_namespace
from courses.assignments import ItemSpec
from courses.content.selectors import course_namespace
from courses.models import Assignment
from quizzes.selectors import quizzes_for_namespace

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def _datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


def time_zone_names() -> list[str]:
    """The IANA names a course can pick ("Europe/Paris"), without the legacy aliases ("EST", "Cuba")."""
    return [name for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zone_names()]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zone_choices,
        required=False,  # empty: the site's (DLGRADE_TIME_ZONE)
        help_text=_("Deadlines are entered and shown in this zone; students also see their own local time."),
    )


class CourseForm(TimeZoneForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["title", "description", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = settings.TIME_ZONE


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"}))


class JoinPolicyForm(forms.Form):
    join_open = forms.BooleanField(label=_("Students may join by code or link"), required=False)
    email_domains = forms.CharField(
        label=_("Only addresses at"),
        required=False,
        max_length=500,
        help_text=_("Email domains, separated by spaces (for example university.edu); empty: anyone with the code."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("ta", _("Teaching assistant")), ("instructor", _("Instructor")), ("student", _("Student"))],
    )


class EnrolCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV of students"),
        help_text=_(
            "A header with a “username” or “email” column (and optionally “name” and “role”: student, ta, "
            "instructor), or one username or email per line. UTF-8. An email without an account gets one, "
            "and an invitation to set its password."
        ),
    )


def _quizzes(course):
    # The public quizzes and the course's own (from its content repository).
    return list(quizzes_for_namespace(namespace=course_namespace(course)).order_by("topic", "slug"))


class AssignmentForm(forms.Form):
    """The assignment's settings, plus one checkbox and one points field per exercise and quiz."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = _datetime_field(_("Opens"))
    due_at = _datetime_field(_("Due"))
    late_policy = forms.ChoiceField(
        label=_("Late submissions"),
        choices=Assignment.LatePolicy.choices,
        widget=forms.RadioSelect,
        initial=Assignment.LatePolicy.PENALTY,
    )
    late_penalty_percent = forms.FloatField(
        label=_("Penalty per day late (%)"),
        min_value=0,
        max_value=100,
        initial=10,
        required=False,
        help_text=_("Every started day after the due date costs this share of the score."),
    )
    cutoff_at = _datetime_field(
        _("Cut-off"),
        required=False,
        help_text=_(
            "After the cut-off submissions are refused. Empty: never with a penalty, the due date with "
            "“no credit after the cut-off”."
        ),
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts per exercise"), min_value=1, required=False, help_text=_("Empty for no limit.")
    )
    min_interval_s = forms.IntegerField(label=_("Seconds between submissions"), min_value=0, initial=0, required=False)
    score_policy = forms.ChoiceField(
        label=_("The score that counts"), choices=Assignment.ScorePolicy.choices, initial=Assignment.ScorePolicy.BEST
    )

    def __init__(self, *args, course, assignment: Assignment | None = None, **kwargs):
        if assignment is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": assignment.title,
                "description": assignment.description,
                "opens_at": timezone.localtime(assignment.opens_at),
                "due_at": timezone.localtime(assignment.due_at),
                "late_policy": assignment.late_policy,
                "late_penalty_percent": round(assignment.late_penalty_per_day * 100, 4),
                "cutoff_at": timezone.localtime(assignment.cutoff_at) if assignment.cutoff_at else None,
                "max_attempts": assignment.max_attempts,
                "min_interval_s": assignment.min_interval_s,
                "score_policy": assignment.score_policy,
            }
        super().__init__(*args, **kwargs)
        chosen = {item.key: item.points for item in assignment.items.all()} if assignment is not None else {}
        # The public catalog and the course's own content.
        self.exercises = list(
            exercises_for_namespace(namespace=course_namespace(course)).order_by("topic", "order", "slug")
        )
        self.quizzes = _quizzes(course)
        self.item_rows = []
        for kind, target in [("exercise", e) for e in self.exercises] + [("quiz", q) for q in self.quizzes]:
            key = f"{kind}:{target.pk}"
            name = f"{kind}_{target.pk}"
            self.fields[name] = forms.BooleanField(required=False, initial=key in chosen, label=target.slug)
            self.fields[f"{name}_points"] = forms.FloatField(
                required=False, min_value=0, initial=chosen.get(key, target.points), label=_("points")
            )
            self.item_rows.append((kind, target, self[name], self[f"{name}_points"]))

    def clean(self):
        data = super().clean()
        items = []
        for kind, target, checkbox, points in self.item_rows:
            if data.get(checkbox.name):
                value = data.get(points.name)
                value = target.points if value is None else value
                items.append(ItemSpec(points=value, **{kind: target}))
        data["items"] = items
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        penalty = data.get("late_penalty_percent")
        return {
            "title": data["title"],
            "description": data.get("description", ""),
            "opens_at": data["opens_at"],
            "due_at": data["due_at"],
            "late_policy": data["late_policy"],
            "late_penalty_per_day": (penalty if penalty is not None else 0.0) / 100.0,
            "cutoff_at": data.get("cutoff_at"),
            "max_attempts": data.get("max_attempts"),
            "min_interval_s": data.get("min_interval_s") or 0,
            "score_policy": data["score_policy"],
            "items": data["items"],
        }


class ExtensionForm(forms.Form):
    user = forms.ChoiceField(label=_("Student"))
    due_at = _datetime_field(_("New due date"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.students = {str(user.pk): user for user in students}
        self.fields["user"].choices = [
            (str(user.pk), f"{user.get_full_name() or user.username} ({user.username})") for user in students
        ]

    def clean_user(self):
        return self.students[self.cleaned_data["user"]]


class RegradeForm(forms.Form):
    exercise = forms.ChoiceField(label=_("Exercise"))

    def __init__(self, *args, exercises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.exercises = {str(e.pk): e for e in exercises}
        self.fields["exercise"].choices = [(str(e.pk), e.slug) for e in exercises]

    def clean_exercise(self):
        return self.exercises[self.cleaned_data["exercise"]]
