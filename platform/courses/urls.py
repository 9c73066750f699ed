from django.urls import path

from courses import views
from courses.content import views as content_views
from courses.regrades import views as regrade_views

app_name = "courses"
course = "<id:course_id>/"
assignment = course + "assignments/<id:assignment_id>/"
regrade = course + "regrades/<id:regrade_id>/"
urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("new/", views.course_create_view, name="course-create"),
    path("join/", views.course_join_view, name="course-join"),
    path("join/<str:code>/", views.course_join_link_view, name="course-join-link"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
    path(course, views.course_detail, name="course-detail"),
    path(course + "join-code/", views.course_join_code_view, name="course-join-code"),
    path(course + "time-zone/", views.course_time_zone_view, name="course-time-zone"),
    path(course + "members/", views.member_list, name="member-list"),
    path(course + "members/enrol/", views.member_enrol_view, name="member-enrol"),
    path(course + "members/<id:membership_id>/remove/", views.member_remove_view, name="member-remove"),
    path(course + "members/invite/", views.member_invite_view, name="member-invite"),
    path(course + "invitations/<id:invitation_id>/resend/", views.invitation_resend_view, name="invitation-resend"),
    path(course + "invitations/<id:invitation_id>/revoke/", views.invitation_revoke_view, name="invitation-revoke"),
    path(course + "assignments/new/", views.assignment_create_view, name="assignment-create"),
    path(assignment, views.assignment_detail, name="assignment-detail"),
    path(assignment + "edit/", views.assignment_update_view, name="assignment-update"),
    path(assignment + "banner/<slug:slug>/", views.assignment_banner_view, name="assignment-banner"),
    path(assignment + "extensions/", views.extension_grant_view, name="extension-grant"),
    path(assignment + "extensions/<id:extension_id>/revoke/", views.extension_revoke_view, name="extension-revoke"),
    path(course + "gradebook/", views.gradebook_view, name="gradebook"),
    path(course + "gradebook.csv", views.gradebook_csv_view, name="gradebook-csv"),
    path(course + "students/<id:user_id>/", views.student_detail, name="student-detail"),
    path(course + "content/", content_views.content_view, name="content"),
    path(course + "content/sync/", content_views.content_sync_view, name="content-sync"),
    path(course + "content/<id:version_id>/", content_views.content_version_view, name="content-version"),
    path(course + "content/<id:version_id>/publish/", content_views.content_publish_view, name="content-publish"),
    path("content/webhook/", content_views.content_webhook_view, name="content-webhook"),
    path(course + "regrades/", regrade_views.regrade_list, name="regrade-list"),
    path(course + "regrades/new/", regrade_views.regrade_create_view, name="regrade-create"),
    path(regrade, regrade_views.regrade_detail, name="regrade-detail"),
    path(regrade + "progress/", regrade_views.regrade_progress_view, name="regrade-progress"),
    path(regrade + "apply/", regrade_views.regrade_apply_view, name="regrade-apply"),
    path(regrade + "resume/", regrade_views.regrade_resume_view, name="regrade-resume"),
    path(regrade + "discard/", regrade_views.regrade_discard_view, name="regrade-discard"),
    path(regrade + "rollback/", regrade_views.regrade_rollback_view, name="regrade-rollback"),
]
