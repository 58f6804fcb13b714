"""A problem found in a data file the project reads (a program file, a reorganisation batch),
located for the person who must fix it, and the error that carries every problem found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ProblemsError(ValueError):
    """Every problem of one file at once, so that one reading shows all there is to fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
