"""Forms visitors fill in: a tribute, a comment, and the author's own edits.

The posting forms carry the spam checks (a honeypot and a signed timestamp, moderation/screening.py)
and a hidden submission key that makes a resent form harmless (see security/tokens.py).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tributes.models import Comment, Tribute
from tributes.moderation.screening import SpamCheckedFormMixin
from tributes.photos.fields import PhotoField
from tributes.security.tokens import SubmissionKeyMixin

NAME_REQUIRED = _("Please tell the family your name.")
EMAIL_INVALID = _("This email address does not look complete. Please check it, or leave it empty.")


class AuthorFieldsMixin(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_on_publish") and not cleaned.get("author_email"):
            self.add_error(
                "author_email",
                _("Please add your email so that we can tell you when it is published."),
            )
        return cleaned


class TributeForm(SpamCheckedFormMixin, SubmissionKeyMixin, AuthorFieldsMixin, forms.ModelForm):
    photo_upload = PhotoField(
        label=_("A photo (optional)"),
        required=False,
        help_text=_(
            "A JPEG, PNG, WebP, GIF or iPhone (HEIC) photo. Location and camera details are "
            "removed before it is kept. If something else in the form needs a change, please "
            "choose the photo again: browsers do not keep it."
        ),
    )
    photo_description = forms.CharField(
        label=_("Describe the photo (optional)"),
        max_length=300,
        required=False,
        help_text=_('For people who cannot see it, for example "A candle and a yellow rose".'),
    )

    class Meta:
        model = Tribute
        fields = [
            "author_name",
            "relationship",
            "message",
            "emblem",
            "author_email",
            "notify_on_publish",
        ]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "emblem": forms.RadioSelect,
        }
        help_texts = {
            "author_email": _(
                "We send you a private link to change or delete your tribute. "
                "Your email is never shown on the memorial page."
            ),
        }
        error_messages = {
            "author_name": {"required": NAME_REQUIRED},
            "message": {
                "required": _("Please add a few words to your tribute."),
                "max_length": _(
                    "Your tribute is longer than we can keep (%(limit_value)d characters; "
                    "it has %(show_value)d). Please shorten it a little."
                ),
            },
            "author_email": {"invalid": EMAIL_INVALID},
        }

    field_order = [
        "author_name",
        "relationship",
        "message",
        "emblem",
        "photo_upload",
        "photo_description",
        "author_email",
        "notify_on_publish",
    ]


class CommentForm(SpamCheckedFormMixin, SubmissionKeyMixin, AuthorFieldsMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["author_name", "body", "author_email", "notify_on_publish"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "author_email": _(
                "We send you a private link to change or delete your comment. "
                "Your email is never shown on the memorial page."
            ),
        }
        error_messages = {
            "author_name": {"required": NAME_REQUIRED},
            "body": {
                "required": _("Please add a few words to your comment."),
                "max_length": _(
                    "Your comment is longer than we can keep (%(limit_value)d characters; "
                    "it has %(show_value)d). Please shorten it a little."
                ),
            },
            "author_email": {"invalid": EMAIL_INVALID},
        }


class TributeEditForm(forms.ModelForm):
    class Meta:
        model = Tribute
        fields = ["author_name", "relationship", "message", "emblem"]
        widgets = {"message": forms.Textarea(attrs={"rows": 8}), "emblem": forms.RadioSelect}
        error_messages = TributeForm.Meta.error_messages


class CommentEditForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["author_name", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        error_messages = CommentForm.Meta.error_messages
