"""`partnernet suggest_partners CODE [--top N] [--json]` and `--need-text TEXT`: ranked partners
with their scores and reasons, in the terminal's language."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from partnernet.lib.cli import cli_language
from partnernet.lib.text import clean_input
from partnernet.matchmaking import candidates, reasons
from partnernet.municipalities.models import Municipality
from partnernet.partnerships.models import CooperationArea, Network


class Command(BaseCommand):
    help = "Ranked partner suggestions for one municipality, or Swedish partners for a need."

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="official code (kommunkod 2080, KATOTTG UA…)")
        parser.add_argument("--need-text", help="a need in Swedish, Ukrainian or English")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument("--network", default="democratic-resilience")

    def handle(self, *args, code=None, need_text=None, top=10, as_json=False, network="", **opts):
        with translation.override(cli_language()):
            suggestions = self._suggest(code, need_text, max(1, min(top, 1000)), network)
            areas = dict(CooperationArea.objects.values_list("slug", "name"))
            rows = [_row(s, areas) for s in suggestions]
            if as_json:
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
                return
            for number, row in enumerate(rows, start=1):
                flag = f" [{_('already partners')}]" if row["already_partners"] else ""
                self.stdout.write(
                    f"{number}. {row['name']} ({row['code']}) {row['score']:.3f}{flag}"
                )
                for text in row["reasons"]:
                    self.stdout.write(f"   - {text}")

    def _suggest(self, code, need_text, top, network_slug):
        network = Network.objects.filter(slug=network_slug).first()
        if network is None:
            raise CommandError(_("No network with the address %(slug)s.") % {"slug": network_slug})
        if need_text:
            text = clean_input(need_text, 2000)
            if not text:
                raise CommandError(_("The need text is empty."))
            return candidates.suggest_for_need(network=network, text=text, top=top)
        if not code:
            raise CommandError(_("Give a municipality code or --need-text."))
        municipality = Municipality.objects.filter(code=code.strip().upper()).first()
        if municipality is None:
            raise CommandError(_("No municipality with the code %(code)s.") % {"code": code})
        return candidates.suggest(network=network, municipality=municipality, top=top)


def _row(suggestion, areas: dict[str, str]) -> dict:
    return {
        "code": suggestion.key,
        "name": suggestion.name,
        "score": round(suggestion.score, 4),
        "already_partners": suggestion.already_partners,
        "proposable": suggestion.proposable,
        "reasons": reasons.render_all(suggestion.reasons, areas),
        "reason_codes": [r.as_dict() for r in suggestion.reasons],
    }
