"""What is wrong with an input file: one `Problem` per finding, raised together as `DataError`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as a spreadsheet user would look for it."""

    file: str
    message: str
    row: int | None = None  # as a spreadsheet shows it: the header is row 1
    column: str | None = None
    value: str | None = None
    more: int = 0  # a line that counts this many further rows with the same problem

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """A file does not follow the data contract; `problems` lists every reason."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        # File-wide problems first, then row by row as the reader scrolls the sheet, then the
        # counts of what the examples did not show.
        self.problems = tuple(sorted(problems, key=lambda p: (p.more > 0, p.row or 0)))
        super().__init__("\n".join(str(p) for p in self.problems))
