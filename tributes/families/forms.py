"""The family's forms: their memorial, and what they decide about it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tributes.families.memorials import FirstReader, first_reader
from tributes.models import CandleEvent, Memorial, Visibility
from tributes.models.families import FamilySettings, RememberingDay, Service
from tributes.photos.fields import PhotoField
from tributes.zones import PlaceZoneField, zone_time_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemorialForm(forms.ModelForm):
    first_reader = forms.ChoiceField(
        label=_("Who reads what visitors write before it appears?"),
        choices=FirstReader.choices,
        initial=FirstReader.FAMILY,
        widget=forms.RadioSelect,
    )
    cover_upload = PhotoField(
        label=_("A photo for the top of the page (optional)"),
        required=False,
        help_text=_(
            "A JPEG, PNG, WebP, GIF or iPhone (HEIC) photo. Location and camera details are "
            "removed before it is kept. If something else needs a change, please choose the "
            "photo again: browsers do not keep it."
        ),
    )
    cover_description = forms.CharField(
        label=_("Describe the photo (optional)"),
        max_length=300,
        required=False,
        help_text=_('For people who cannot see it. Left empty: "Photo of" and their name.'),
    )

    class Meta:
        model = Memorial
        fields = [
            "name",
            "born_on",
            "born_year",
            "died_on",
            "died_year",
            "due_on",
            "age_note",
            "story",
            "visibility",
            "allow_search_indexing",
            "time_zone",
            "charity_name",
            "charity_url",
        ]
        labels = {
            "name": _("Their name"),
            "born_on": _("Born on (optional)"),
            "died_on": _("Died on (optional)"),
            "age_note": _("A note under the dates (optional)"),
            "story": _("Their story (optional)"),
            "visibility": _("Who can see the page?"),
            "allow_search_indexing": _("Let search engines such as Google list the page"),
            "time_zone": _("Time zone for candle times"),
            "born_year": _("Or only the year of birth"),
            "died_year": _("Or only the year of death"),
            "due_on": _("Due date (optional)"),
            "charity_name": _("A charity in their name (optional)"),
            "charity_url": _("The charity's donation page (optional)"),
        }
        help_texts = {
            "name": _("As you would like it written on the page."),
            "died_on": _("It may be the same day as the birth."),
            "due_on": _("For a baby: only used if you ask to be reminded of it."),
            "charity_url": _(
                "The charity's own page, starting https://. No money ever passes through this site."
            ),
            "age_note": _('For example "born at 21 weeks and 5 days" or "aged 3".'),
            "story": _("You can write as much or as little as you like, and change it later."),
            "allow_search_indexing": _(
                "Only for public pages. Left off, the page can be found only through its link "
                "and this site."
            ),
        }
        widgets = {
            "born_on": DateInput(),
            "died_on": DateInput(),
            "due_on": DateInput(),
            "story": forms.Textarea(attrs={"rows": 8}),
            "visibility": forms.RadioSelect,
        }
        error_messages = {
            "name": {"required": _("Please write their name.")},
            "born_on": {"invalid": _("Please write the date as day, month and year.")},
            "died_on": {"invalid": _("Please write the date as day, month and year.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = PlaceZoneField(
            label=self.fields["time_zone"].label,
            initial=self.instance.time_zone or settings.TIME_ZONE,
            help_text=_(
                "Type the city you live in, for example London or Sydney. Candle times on the "
                "page are set in its time."
            ),
        )
        if not self.instance.pk and not self.is_bound:
            # static/js/forms.js starts a new memorial in the family's own zone.
            self.fields["time_zone"].widget.attrs["data-zone-from-browser"] = ""
        self.fields["visibility"].choices = Visibility.choices
        if self.instance.pk:
            self.fields["first_reader"].initial = first_reader(self.instance)

    def clean(self):
        cleaned = super().clean()
        born, died = cleaned.get("born_on"), cleaned.get("died_on")
        if born and died and died < born:
            self.add_error("died_on", _("The date of death cannot be before the birth."))
        born_year, died_year = cleaned.get("born_year"), cleaned.get("died_year")
        if born and born_year and born.year != born_year:
            self.add_error("born_year", _("This is not the year of the date of birth above."))
        if died and died_year and died.year != died_year:
            self.add_error("died_year", _("This is not the year of the date of death above."))
        first = born.year if born else born_year
        last = died.year if died else died_year
        if first and last and last < first:
            self.add_error("died_year", _("The year of death cannot be before the birth."))
        url = cleaned.get("charity_url")
        if url and not url.startswith("https://"):
            self.add_error("charity_url", _("Please use the charity's https:// address."))
        if url and not cleaned.get("charity_name"):
            self.add_error("charity_name", _("Please write the charity's name too."))
        if cleaned.get("allow_search_indexing") and cleaned.get("visibility") != Visibility.PUBLIC:
            self.add_error(
                "allow_search_indexing",
                _(
                    "Search engines can list only a public page. Please choose Public, or leave this off."
                ),
            )
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        error_messages={
            "required": _("Please write their email address."),
            "invalid": _("This email address does not look complete. Please check it."),
        },
    )
    hands_over = forms.BooleanField(
        label=_("Hand the memorial to them: I step back once they accept"),
        required=False,
    )


class CandleTimeForm(forms.ModelForm):
    """A candle time on the family's own memorial, in the memorial's zone."""

    class Meta:
        model = CandleEvent
        fields = ["title", "local_date", "local_time", "duration", "message"]
        labels = {
            "title": _("What to call it"),
            "local_date": _("Date"),
            "local_time": _("Time"),
            "duration": _("How long candles are lit together"),
            "message": _("A few words for the people who come (optional)"),
        }
        widgets = {
            "local_date": DateInput(),
            "local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "message": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("Please give it a name, for example “Candles for Teddy”.")},
            "local_date": {"required": _("Please choose the date.")},
            "local_time": {"required": _("Please choose the time.")},
        }

    DURATIONS = [
        (dt.timedelta(minutes=30), _("Half an hour")),
        (dt.timedelta(hours=1), _("An hour")),
        (dt.timedelta(hours=2), _("Two hours")),
        (dt.timedelta(hours=24), _("A whole day")),
    ]

    def __init__(self, *args, memorial, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.memorial = memorial
        self.instance.time_zone = self.instance.time_zone or memorial.time_zone
        self.fields["duration"] = forms.TypedChoiceField(
            label=self.fields["duration"].label,
            choices=[(str(int(d.total_seconds())), label) for d, label in self.DURATIONS],
            coerce=lambda seconds: dt.timedelta(seconds=int(seconds)),
            initial=str(int((self.instance.duration or dt.timedelta(hours=1)).total_seconds())),
        )
        self.fields["local_time"].help_text = _("In %(zone)s, the memorial's time zone.") % {
            "zone": zone_time_name(memorial.time_zone)
        }


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["title", "local_date", "local_time", "place", "note", "shown"]
        widgets = {
            "local_date": DateInput(),
            "local_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "place": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "place": _("The address, as you would tell a friend. No map is shown."),
            "shown": _("Untick it after the day to take it off the page."),
        }
        error_messages = {
            "local_date": {"required": _("Please choose the date.")},
            "local_time": {"required": _("Please choose the time.")},
            "place": {"required": _("Please write where it is.")},
        }


class FamilySettingsForm(forms.ModelForm):
    class Meta:
        model = FamilySettings
        fields = ["notify", "paused"]
        widgets = {"notify": forms.RadioSelect}


class RememberingForm(forms.Form):
    """Which days an owner wants to be reminded of, and how many days before."""

    days_before = forms.TypedChoiceField(
        label=_("How long before"),
        choices=[(1, _("The day before")), (3, _("Three days before")), (7, _("A week before"))],
        coerce=int,
        initial=3,
    )

    def __init__(self, *args, memorial, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memorial = memorial
        for kind, label in RememberingDay.Kind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label, required=False, initial=kind in chosen
            )

    def clean(self):
        cleaned = super().clean()
        missing = {
            RememberingDay.Kind.BIRTHDAY: self.memorial.born_on,
            RememberingDay.Kind.DEATH: self.memorial.died_on,
            RememberingDay.Kind.DUE_DATE: self.memorial.due_on,
        }
        for kind, date in missing.items():
            if cleaned.get(kind) and date is None:
                self.add_error(
                    kind, _("The page has no such date yet. Please add it to the page first.")
                )
        return cleaned

    @property
    def chosen_kinds(self) -> list[str]:
        return [kind for kind in RememberingDay.Kind.values if self.cleaned_data.get(kind)]
