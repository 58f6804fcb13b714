from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.demo import is_refused_demo_password
from accounts.models import User
from reporting.views.spreadsheets import SpreadsheetUploadForm
from units.text import CleanCharField


class LoginForm(AuthenticationForm):
    """The login form, which says in words why the demo password is refused on a real server."""

    def clean(self):
        if is_refused_demo_password(self.cleaned_data.get("password")):
            raise ValidationError(
                _("The demo password cannot be used on this server. Ask the administrator of your "
                  "upper-level union to set a password of your own."), code="demo_password")
        return super().clean()


class DemoPasswordValidator:
    """AUTH_PASSWORD_VALIDATORS: on a real server (DEBUG off) nobody chooses the demo password
    as a new one (change, reset, the admin), as nobody logs in with it."""

    def validate(self, password, user=None):
        if is_refused_demo_password(password):
            raise ValidationError(_("This is the published demo password: choose another one."),
                                  code="demo_password")

    def get_help_text(self):
        return _("Your password cannot be the published demo password.")


class ResetRequestForm(PasswordResetForm):
    """Django's "forgot my password" form, for every active account with that email, including
    accounts that never had a password: a new account from a spreadsheet gets a link to set one,
    and when that link has expired, this form is how its officer asks for another."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


def taken_emails(emails: set[str], *, besides: User | None = None) -> set[str]:
    """Which of these (lowercased) email addresses another account has, or uses as its login?
    A reset link is sent to every account of an address, so two people must not share one."""
    others = User.objects.annotate(lower_email=Lower("email"), lower_username=Lower("username"))
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    return ({email for email in others.filter(lower_email__in=emails).values_list("lower_email", flat=True)}
            | {name for name in others.filter(lower_username__in=emails).values_list("lower_username", flat=True)})


class ProfileForm(forms.Form):
    """The user's own name and email address (role and unit are set by the level above)."""

    full_name = CleanCharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), help_text=_("Where a forgotten password's reset link is sent."))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if taken_emails({email}, besides=self.user):
            raise ValidationError(_("Another account has this email address already."), code="taken")
        return email


PHONE = RegexValidator(r"^[0-9+() .\-]{6,40}$", _("Write a phone number with digits, spaces, +, ( ) . or -."))


class UnitContactForm(forms.Form):
    """A unit's contact person, phone and email, and the version of them the form was read at
    (accounts.actions.contact_version): saving a copy older than what is stored is refused."""

    contact_name = CleanCharField(label=_("Contact person"), max_length=120, required=False)
    phone = CleanCharField(label=_("Phone"), max_length=40, required=False, validators=[PHONE])
    email = forms.EmailField(label=_("Email"), required=False)
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AccountsUploadForm(SpreadsheetUploadForm):
    """The spreadsheet of new accounts (accounts.bulk): the offline spreadsheets' upload form,
    with its size limit and its message when the upload handler stopped the file, but no
    "submit the reports" box."""

    submit = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Spreadsheet of accounts (.xlsx)")
