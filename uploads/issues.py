"""An error or warning about an upload, addressed the way a person finds it in Excel: sheet, row, column."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    level: str  # "error" rejects the upload; "warning" does not
    rule: str  # a stable code: unknown_indicator, out_of_range, …
    message: str  # Chinese, complete on its own
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @property
    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "".join(parts)
