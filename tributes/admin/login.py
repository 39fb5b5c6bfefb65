"""The admin's login form, with the username's length checked before anyone is asked about it."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class AdminLoginForm(AdminAuthenticationForm):
    """Django sets the username's max_length after the field is built, so it is not validated;
    a longer name would reach django-axes, whose attempt row holds 255 characters (a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
