"""The password check of logins (the login form, the admin's login, anything calling authenticate)."""

from django.contrib.auth.backends import ModelBackend

from accounts.demo import is_refused_demo_password


class PasswordBackend(ModelBackend):
    """Django's own check, except that a production server refuses the demo password for every
    account (the refusal is a failed login, which django-axes counts like any other)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if is_refused_demo_password(password):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
