"""Every existing unit gets its dated parent links, and the recorded changes of parent
(UnitParentChange) become the links' dates: the unit stood under its former parent until the day
before the change, under the new one from then on. (Those moves had taken the unit's whole
history along; the links give the years before them back to the former parent.)"""

import datetime

from django.db import migrations

LINK_STEP = 8
ONE_DAY = datetime.timedelta(days=1)


def forwards(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    UnitLink = apps.get_model("units", "UnitLink")
    UnitParentChange = apps.get_model("units", "UnitParentChange")
    units = list(Unit.objects.order_by("path").values_list("id", "path", "depth"))
    id_of = {path: pk for pk, path, _ in units}
    parent_of = {pk: id_of.get(path[: (depth - 1) * 4]) if depth > 1 else None for pk, path, depth in units}
    # Each unit's parents over time, from its recorded changes: [(first day or None, parent id)].
    intervals = {pk: [(None, parent)] for pk, parent in parent_of.items()}
    changes = UnitParentChange.objects.order_by("unit_id", "effective_on", "id")
    for change in changes:
        steps = intervals[change.unit_id]
        if len(steps) == 1:
            steps[0] = (None, change.old_parent_id)
        steps.append((change.effective_on, change.new_parent_id))
    # Paths per interval, parents first; a unit whose parent moved gets its own rows cut at
    # the parent's dates too.
    links = []
    paths: dict[int, list] = {}  # unit id -> [(from, to, path)]

    def path_on(pk, day):
        """The unit's path on that day (None: before its first dated change)."""
        for start, end, path in paths[pk]:
            if day is None:
                if start is None:
                    return path
            elif (start is None or start <= day) and (end is None or end >= day):
                return path
        return paths[pk][0][2]

    def build(pk):
        if pk in paths:
            return
        steps = intervals[pk]
        for _, parent in steps:
            if parent is not None:
                build(parent)
        rows = []
        for index, (start, parent) in enumerate(steps):
            end = steps[index + 1][0] - ONE_DAY if index + 1 < len(steps) else None
            cuts = [start]
            if parent is not None:
                cuts += [s for s, _, _ in paths[parent] if s is not None and (start is None or s > start)
                         and (end is None or s <= end)]
            for number, cut in enumerate(cuts):
                until = cuts[number + 1] - ONE_DAY if number + 1 < len(cuts) else end
                prefix = path_on(parent, cut) if parent is not None else ""
                rows.append((cut, until, f"{prefix}{pk:0{LINK_STEP}d}", parent))
        paths[pk] = [(start, end, path) for start, end, path, _ in rows]
        links.extend(UnitLink(unit_id=pk, parent_id=parent, path=path, depth=len(path) // LINK_STEP,
                              valid_from=start, valid_to=end,
                              recorded_by=None) for start, end, path, parent in rows)

    for pk, _, _ in units:
        build(pk)
    UnitLink.objects.bulk_create(links, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("units", "0004_history")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
