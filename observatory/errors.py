"""Domain errors: problems a person can act on (file, row, column, expected, found, hint)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one input, located as a spreadsheet would show it (header = row 1)."""

    file: str
    expected: str
    found: str = ""
    row: int | None = None
    column: str | None = None
    hint: str = ""
    column_label: str = "colonne"  # "champ" for a field of a YAML file

    def message(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", ligne {self.row}"
        if self.column and self.column.isdigit():  # a position in the line (a parser's column)
            where += f", {self.column_label} {self.column}"
        elif self.column:
            where += f", {self.column_label} '{self.column}'"
        text = f"{where} : {self.expected} attendu"
        if self.found:
            text += f", trouvé '{self.found}'"
        text += "."
        if self.hint:
            text += f" {self.hint}"
        return text


class ObservatoryError(Exception):
    """Raised with every problem found in a stage; the CLI prints them all and exits non-zero."""

    def __init__(self, problems: list[Problem], context: str = "") -> None:
        self.problems = list(problems)
        self.context = context
        super().__init__(self.report())

    def report(self) -> str:
        lines = []
        if self.context:
            lines.append(self.context)
        lines.extend(problem.message() for problem in self.problems)
        return "\n".join(lines)


def empty_field(file: object, field: str) -> Problem:
    """A field of a declared file (YAML setting, GeoJSON property) that should hold a value and does not."""
    return Problem(file=str(file), column=field, column_label="champ", expected="une valeur", found="rien")
