from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import LoginForm


def _page(name: str) -> str:
    return f"accounts/password/{name}.html"


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Changing one's password (logged in) and resetting a forgotten one by email: Django's views,
    # with our templates (named, since the admin's registration/ templates would come first).
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name=_page("change_form"), success_url=reverse_lazy("password_change_done")),
         name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(template_name=_page("change_done")),
         name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(template_name=_page("reset_done")),
         name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(template_name=_page("reset_complete")),
         name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
    path("profile/unit/", views.unit_contact, name="profile_unit_contact"),
    path("bulk/", views.bulk_home, name="accounts_bulk_home"),
    path("bulk/<str:unit_code>/", views.bulk, name="accounts_bulk"),
    path("bulk/<str:unit_code>/template.xlsx", views.bulk_template, name="accounts_bulk_template"),
    path("bulk/<str:unit_code>/confirm/", views.bulk_confirm, name="accounts_bulk_confirm"),
]
