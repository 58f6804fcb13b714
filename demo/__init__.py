"""The demo: everything `make run` (`manage.py setup_demo`) loads on a development machine.

Plausible grassroots unions (names), five years of reports (reports), demo accounts and
narratives, and the commands that load them. The demo sits on top of every app, like a
fixture loader: it may import any of them, and none of them imports it
(demo/tests/test_imports.py). The rule that keeps the demo password off a real server is not
demo code but the accounts app's (accounts/demo.py), since a production server enforces it."""
