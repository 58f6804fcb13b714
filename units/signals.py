"""What the hierarchy tells the layers above it, without importing them."""

from django.dispatch import Signal

# Units moved, or their attributes changed. Argument: parent_paths, the paths of the parents
# of the changed units, or None when the tree itself changed (everything is recomputed).
units_changed = Signal()

# Many units were bulk-inserted under one parent (no model signal sees a bulk INSERT).
# Arguments: parent, children (the new units), numchild_before.
children_added = Signal()

# Rows a batch wrote in bulk, which auditlog's model signals do not see. Arguments: entries, a
# list of (instance, action "create" or "update", changes, unit_path, object_repr): changes maps a field to
# (before, after), or is None for a creation (every field the trail follows, as written),
# object_repr is the instance as it was named then;
# actor, the user who acted (or None).
recorded_in_bulk = Signal()
