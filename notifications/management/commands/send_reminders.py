import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from audit.commands import RecordedCommand
from notifications.daily import run_daily_pass, schedule


class Command(RecordedCommand):
    help = ("Run the daily pass (the reminders due and the approvers' digest) for a day, once: a day "
            "already done sends nothing. For cron on a server without the job worker; --schedule "
            "instead puts the next pass on the job queue (make run does it) if none is waiting.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day, YYYY-MM-DD (default: today)")
        parser.add_argument("--schedule", action="store_true",
                            help="put tomorrow's pass on the job queue instead (and today's now, if not run)")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date {date!r}: expected YYYY-MM-DD") from None
        if options["schedule"]:
            from notifications.daily import daily_pass

            if not schedule(day):
                self.stdout.write("daily pass: already on the job queue")
                return
            daily_pass.enqueue(day.isoformat())  # today's, run by the worker at once (nothing if done)
            self.stdout.write(f"daily pass: today's and tomorrow's on the job queue ({day:%d/%m/%Y})")
            return
        done = run_daily_pass(day)
        if done is None:
            self.stdout.write(f"daily pass of {day:%d/%m/%Y}: already run, nothing sent")
        else:
            self.stdout.write(f"daily pass of {day:%d/%m/%Y}: {done.reminders} reminder notifications, "
                              f"{done.digests} digests")
