"""The message form: its choices are the thread's own people and the partnership's own
documents (the service checks them again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.accounts.models import User
from partnernet.documents.models import Document
from partnernet.lib.choices import ModelIdsField
from partnernet.lib.languages import CHOICES as LANGUAGE_CHOICES

from .models import Message


class PersonChoice(ModelIdsField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    language = forms.ChoiceField(label=_("Language you write in"), choices=LANGUAGE_CHOICES)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    mentions = PersonChoice(
        label=_("Mention people (they are told)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Or write @ and the person's name in the message."),
    )
    attachments = ModelIdsField(
        label=_("Attach documents of the partnership"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people: list[User], documents, thread_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.thread_id = thread_id
        people_field = self.fields["mentions"]
        assert isinstance(people_field, forms.ModelMultipleChoiceField)
        people_field.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by(
            "full_name", "email"
        )
        documents_field = self.fields["attachments"]
        assert isinstance(documents_field, forms.ModelMultipleChoiceField)
        documents_field.queryset = documents

    def clean_reply_to(self) -> Message | None:
        pk = self.cleaned_data.get("reply_to")
        if pk is None:
            return None
        message = Message.objects.filter(pk=pk, thread_id=self.thread_id).first()
        if message is None:
            raise forms.ValidationError(_("A reply answers a message of the same conversation."))
        return message
