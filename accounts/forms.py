from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.demo import is_refused_demo_password


class LoginForm(AuthenticationForm):
    """The login form, which says in words why the demo password is refused on a real server."""

    def clean(self):
        if is_refused_demo_password(self.cleaned_data.get("password")):
            raise ValidationError(
                _("The demo password cannot be used on this server. Ask the administrator of your "
                  "upper-level union to set a password of your own."), code="demo_password")
        return super().clean()
