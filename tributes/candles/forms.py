from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from tributes.models import BurnTime, Candle, Memorial, ReminderSignup
from tributes.security.tokens import SubmissionKeyMixin
from tributes.zones import PlaceZoneField


class EventCandleForm(SubmissionKeyMixin, forms.Form):
    """A visitor's candle in an event. `for_memorial` dedicates it to a memorial by address.

    A plain Form rather than a ModelForm: at the start time thousands of these arrive within a
    minute, and building and validating a model instance per request roughly doubles the cost
    of the view. The lengths come from the model, and the database keeps the invariants. The
    submission key makes the same form sent twice light one candle (candles/lighting.py).
    """

    name = forms.CharField(
        label=_("Your name"), max_length=Candle._meta.get_field("name").max_length
    )
    show_name = forms.BooleanField(label=_("Show my name"), required=False, initial=True)
    message = forms.CharField(
        label=_("A few words (optional)"),
        max_length=Candle._meta.get_field("message").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    for_memorial = forms.CharField(
        label=_("Dedicate it to a memorial (optional)"),
        required=False,
        max_length=300,
        help_text=_("Paste the memorial's web address, or its last part, for example teddy-ashby."),
    )

    def __init__(self, *args, user=None, dedicate: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # A family's event is already for their memorial; only site-wide events ask.
        if not dedicate:
            del self.fields["for_memorial"]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_for_memorial(self) -> Memorial | None:
        address = self.cleaned_data["for_memorial"].strip()
        if not address:
            return None
        # People paste the whole address; the memorial's slug is its last part.
        slug = urlsplit(address).path.rstrip("/").rpartition("/")[2]
        # Only memorials this visitor may open: private ones only for their owners.
        memorial = Memorial.objects.visible_to(self.user).filter(slug=slug).first()
        if memorial is None:
            raise forms.ValidationError(
                _(
                    "We could not find a memorial at that address. Please check it, or leave it empty."
                )
            )
        return memorial


class MemorialCandleForm(SubmissionKeyMixin, forms.ModelForm):
    burn_time = forms.ChoiceField(
        label=_("How long it burns"), choices=BurnTime, initial=BurnTime.DAY
    )

    class Meta:
        model = Candle
        fields = ["name", "show_name", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 2})}
        # The memorial page also holds the tribute form: its own labels and ids keep them apart.
        labels = {
            "name": _("Name on your candle"),
            "message": _("A few words with your candle (optional)"),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "candle_%s")
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class ReminderForm(forms.ModelForm):
    class Meta:
        model = ReminderSignup
        fields = ["email", "minutes_before"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ZoneForm(forms.Form):
    """The zone chooser: a visitor types their city and the browser suggests places (a datalist in
    templates/tributes/_zone_chooser.html, which works without JavaScript). Cleans to an IANA name."""

    zone = PlaceZoneField(
        label=_("Your time zone"),
        help_text=_("Type the city you are in, for example London or New York."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
