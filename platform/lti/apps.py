from django.apps import AppConfig


class LtiConfig(AppConfig):
    """LTI 1.3 Advantage: dlgrade inside Canvas, Moodle and other LMSs (docs/lti.md)."""

    name = "lti"
    verbose_name = "LTI"
