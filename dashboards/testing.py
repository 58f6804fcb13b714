"""Reading the dashboard's pages in tests: helpers more than one test module uses."""


def target_row(body: str, code: str) -> str:
    """The dashboard's list item of one target."""
    start = body.index(f'<span class="code">{code}</span>')
    return body[body.rindex('<li class="dash-target">', 0, start):body.index("</li>", start)]
