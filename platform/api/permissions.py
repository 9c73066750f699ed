from rest_framework import permissions


class IsStaff(permissions.BasePermission):
    """Course staff only: students get 403."""

    message = "This endpoint is for course staff."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)
