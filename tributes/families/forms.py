"""The family's forms: their memorial, and what they decide about it."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from tributes.families.memorials import FirstReader, first_reader
from tributes.images import PhotoField
from tributes.models import Memorial, Visibility
from tributes.zones import is_place_zone


def zone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if is_place_zone(name))
    return [(name, name.replace("_", " ")) for name in names]


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
            "died_on",
            "age_note",
            "story",
            "visibility",
            "allow_search_indexing",
            "time_zone",
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
        }
        help_texts = {
            "name": _("As you would like it written on the page."),
            "died_on": _("It may be the same day as the birth."),
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
        self.fields["time_zone"] = forms.ChoiceField(
            label=self.fields["time_zone"].label,
            choices=zone_choices(),
            initial=self.instance.time_zone or "Europe/London",
            help_text=_("Candle times on the page are set in this zone."),
        )
        self.fields["visibility"].choices = Visibility.choices
        if self.instance.pk:
            self.fields["first_reader"].initial = first_reader(self.instance)

    def clean(self):
        cleaned = super().clean()
        born, died = cleaned.get("born_on"), cleaned.get("died_on")
        if born and died and died < born:
            self.add_error("died_on", _("The date of death cannot be before the birth."))
        if cleaned.get("allow_search_indexing") and cleaned.get("visibility") != Visibility.PUBLIC:
            self.add_error(
                "allow_search_indexing",
                _(
                    "Search engines can list only a public page. Please choose Public, or leave this off."
                ),
            )
        return cleaned
