"""Entries for changes other apps announce by signal (bulk writes no model signal sees)."""

from audit import trail


def on_children_added(sender, parent, children, numchild_before, **kwargs) -> None:
    """One entry for a batch of units bulk-inserted under one parent."""
    if children:
        trail.record(parent, {"child_units": [numchild_before, parent.numchild]}, event="children_added",
                     first=children[0].code, last=children[-1].code)


def on_recorded_in_bulk(sender, entries, actor=None, **kwargs) -> None:
    """The entries of rows a batch wrote in bulk (units.signals.recorded_in_bulk)."""
    trail.record_many(entries, actor=actor)
