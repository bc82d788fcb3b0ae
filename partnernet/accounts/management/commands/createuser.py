from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.accounts.models import Role
from partnernet.accounts.services import organisation_for_code, user_invite
from partnernet.lib import languages
from partnernet.lib.cli import cli_language


class Command(BaseCommand):
    help = (
        "Create a person with a role and print a one-time link to set their password (for an "
        "existing account: add the role and e-mail the person; no link)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=list(Role.values))
        parser.add_argument(
            "--organisation",
            default="funder",
            help="official municipality code (kommunkod / KATOTTG) or 'funder'",
        )
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument(
            "--language",
            default=languages.DEFAULT,
            choices=list(languages.LANGUAGES),
            help="the new person's language: their e-mails and pages (default sv)",
        )

    def handle(
        self, *args, email: str, role: str, organisation: str, name: str, language: str, **options
    ):
        with translation.override(cli_language()):
            self._create(email=email, role=role, code=organisation, name=name, language=language)

    def _create(self, *, email: str, role: str, code: str, name: str, language: str) -> None:
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(_("“%(email)s” is not an e-mail address.") % {"email": email})
        org = organisation_for_code(code)
        if org is None:
            raise CommandError(_("No organisation has the code “%(code)s”.") % {"code": code})
        try:
            invitation = user_invite(
                email=email, role=role, organisation=org, full_name=name, language=language
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("%(email)s: %(role)s, %(organisation)s.")
            % {"email": invitation.user.email, "role": Role(role).label, "organisation": org.name}
        )
        if invitation.link is None:
            self.stdout.write(
                _("The account already existed: the role is added and the person was e-mailed.")
            )
            return
        self.stdout.write(_("One-time link to set the password:"))
        self.stdout.write(invitation.link)
