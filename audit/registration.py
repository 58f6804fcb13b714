"""Which models django-auditlog follows by their own save() and delete().

Reports, their data values and periods are not here: they change only through
reporting.actions, which writes bulk updates that no signal sees, so those functions
record their own entries (audit.trail.record) — one per step, with every value's
before → after.
"""

from auditlog.registry import auditlog
from django.apps import apps

FOLLOWED = {
    # model: options for auditlog.register
    "accounts.User": {"exclude_fields": ["last_login"], "mask_fields": ["password"]},
    # The tree's own bookkeeping (path, depth, numchild) and the search column are derived;
    # a move is recorded as dated parent links (units.UnitLink), a batch as a Reorganisation.
    "units.Unit": {"exclude_fields": ["path", "depth", "numchild", "search_name"]},
    "units.UnitLink": {},
    "units.Reorganisation": {"exclude_fields": ["snapshot"]},
    "units.Succession": {},
    "reorganising.ReorganisationDraft": {},
    "programs.Program": {},
    "programs.Section": {},
    "programs.Objective": {},
    "programs.DataElement": {},
    "programs.ValidationRule": {},
    "programs.Deadline": {},
    "programs.Target": {},
    "programs.Task": {},
    "programs.TaskProgress": {},
    "plans.ImplementationPlan": {},
    "exports.Narrative": {},
    "registries.CollectiveAgreement": {},
    "registries.UnionHome": {},
    "registries.Initiative": {},
    "registries.LabourDispute": {},
}


def followed_fields(model) -> list:
    """The fields of `model` the trail follows (its own columns, less those excluded)."""
    options = FOLLOWED[model._meta.label]
    excluded = set(options.get("exclude_fields", ()))
    return [field for field in model._meta.concrete_fields if field.name not in excluded]


def register_models() -> None:
    for label, options in FOLLOWED.items():
        model = apps.get_model(label)
        # Only the model's own columns: auditlog would otherwise list reverse relations too
        # ("narratives: None → exports.Narrative.None" on every new unit).
        own = [field.name for field in model._meta.concrete_fields]
        auditlog.register(model, include_fields=own, **options)
