"""Reading and checking a program file: kept for the modules that import it from here; the
program language lives in programs.definition."""

from programs.definition import (  # noqa: F401 - re-exported
    LocatedDict,
    ProgramFileError,
    ProgramProblem,
    check_program,
    read_definition,
    read_program_file,
)


def walk_sections(sections):
    """Every section of a file's raw data, depth first, in the file's order."""
    for section in sections or []:
        yield section
        yield from walk_sections(section.get("children"))
