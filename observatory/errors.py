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
    row_label: str = "ligne"  # "objet n°" for a feature of a GeoJSON layer

    def message(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.row_label} {self.row}"
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

    def __init__(self, problems: list[Problem], context: str = "", stages: tuple[ObservatoryError, ...] = ()) -> None:
        self.problems = list(problems)
        self.context = context
        self.stages = stages
        super().__init__(self.report())

    @classmethod
    def gathered(cls, errors: list[ObservatoryError]) -> ObservatoryError:
        """One error for the problems of several stages read independently, each under its heading;
        a problem a stage found again in a file an earlier stage read (the correspondence table) is
        said once."""
        said: set[Problem] = set()
        stages = []
        for error in errors:
            new = [problem for problem in error.problems if problem not in said]
            said.update(new)
            if new:
                stages.append(cls(new, error.context))
        if len(stages) == 1:
            return stages[0]
        return cls([problem for stage in stages for problem in stage.problems], stages=tuple(stages))

    def report(self) -> str:
        if self.stages:
            return "\n".join(stage.report() for stage in self.stages)
        lines = []
        if self.context:
            lines.append(self.context)
        lines.extend(problem.message() for problem in self.problems)
        return "\n".join(lines)


def empty_field(file: object, field: str) -> Problem:
    """A field of a declared file (YAML setting, GeoJSON property) that should hold a value and does not."""
    return Problem(file=str(file), column=field, column_label="champ", expected="une valeur", found="rien")
