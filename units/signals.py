"""What the hierarchy tells the layers above it, without importing them."""

from django.dispatch import Signal

# Units moved, or their attributes changed. Argument: parent_paths, the paths of the parents
# of the changed units, or None when the tree itself changed (everything is recomputed).
units_changed = Signal()
