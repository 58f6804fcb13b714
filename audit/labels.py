"""What the trail page calls the workflow steps recorded with an entry (additional_data
["event"]). The apps that record steps name them here (in their AppConfig.ready), so that this
app imports none of them."""

from django.utils.translation import gettext_lazy as _

EVENTS = {"children_added": _("units added")}


def name_events(choices) -> None:
    """Add (event, label) pairs, e.g. a TextChoices' .choices."""
    EVENTS.update(dict(choices))
