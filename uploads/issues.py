"""An error or warning about an upload, addressed the way a person finds it in Excel: sheet, row, column."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

# What each rule means, in a few words: in English the page shows this beside the Chinese message, which names the
# cells and values it is about and is kept as it was written.
RULES = {
    "template_mismatch": _("不是本系统的填报模板"),
    "missing_columns": _("缺少必需的列"),
    "empty": _("文件中没有数据"),
    "unknown_area": _("地区代码不存在"),
    "area_mismatch": _("数据不属于本次上传的地区"),
    "unknown_indicator": _("指标代码不存在"),
    "bad_year": _("年份无效"),
    "bad_quarter": _("季度无效"),
    "period_mismatch": _("报告期与本次上传不一致"),
    "future_quarter": _("季度尚未结束"),
    "before_baseline": _("早于基准年"),
    "not_a_number": _("不是有效数字"),
    "note_too_long": _("备注过长"),
    "out_of_range": _("数值超出合理范围"),
    "not_whole": _("计数指标只能填整数"),
    "duplicate": _("重复的数据行"),
    "empty_value": _("数值为空"),
    "missing_indicator": _("本次未填报该指标"),
    "implausible_change": _("较上季度变化过大"),
    "big_change": _("较上季度变化较大"),
    "shares_over_100": _("比例超过 100%"),
    "formula_without_value": _("公式没有计算结果"),
    "control_character": _("单元格含控制字符"),
    "text_too_long": _("单元格文字过长"),
    "too_large": _("文件过大"),
    "file_type": _("文件类型不支持"),
    "corrupt": _("文件已损坏"),
    "password": _("文件设有密码"),
    "zip_bomb": _("文件解压后异常庞大"),
    "encoding": _("无法识别文件编码"),
    "too_many_rows": _("数据行过多"),
    "sheet_too_large": _("工作表过大"),
    "too_complex": _("文件过于复杂"),
    "internal_error": _("系统处理失败，不是文件的问题"),
}


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
