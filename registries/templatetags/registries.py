from django import template

register = template.Library()


@register.inclusion_tag("registries/_entry_figure.html")
def registry_figure(registry: dict | None, code: str):
    """Beside a report field: what the unit's registry says, and a link to its records."""
    return {"figure": (registry or {}).get(code)}
