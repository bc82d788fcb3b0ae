from django.core.management.base import BaseCommand

from partnernet.reports.tasks import send_report_reminders


class Command(BaseCommand):
    help = (
        "Schedule the reports of every active agreement that lacks them and send the report "
        "reminders due (daily; safe to run twice; a missed day is caught up)."
    )

    def handle(self, *args, **options):
        result = send_report_reminders()
        self.stdout.write(
            f"{result['created']} report(s) scheduled, {result['reminded']} report(s) reminded"
        )
