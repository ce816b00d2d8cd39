"""The params file of one report: a typed schema, defaults and error reporting.

A params file is YAML. ``params/_defaults.yaml`` (if present beside the
top-level ``params`` folder) is merged under every file, key by key. The
merged mapping is validated by :class:`ReportParams` (pydantic, unknown keys
forbidden); every error names the file and the key path.

Relative ``data`` paths are resolved against the project root: the folder
that holds the ``params`` folder the file is in (or the file's own folder
when it is not under a ``params`` folder).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from fundreport.data import vocab
from fundreport.data.paths import DEFAULTS_NAME, OUTPUT_FORMATS, iter_params_files, merge_defaults, slug_for  # noqa: F401 (re-export)
from fundreport.data.periods import Period, PeriodError
from fundreport.data.safe_yaml import read_params_yaml
from fundreport.errors import InputError, Issue
from fundreport.text.labels import SECTIONS

Section = Literal[tuple(SECTIONS)]  # type: ignore[valid-type]
PARAGRAPH_MAX = 2000
Paragraph = Annotated[str, Field(min_length=1, max_length=PARAGRAPH_MAX)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Judgement thresholds.

    months_bands: the four cut points of the months-of-support bands
    (<a 严重不足, a–b 不足, b–c 合理, c–d 充足, >d 过多结余), in months.
    budget_deviation_pp: allowed deviation of an annual budget execution
    rate from time progress, in percentage points (株洲 uses ±5).
    budget_deviation_levels: two cut points (百分点, above budget_deviation_pp) grading a deviation
    as 一般 (up to the first), 较大 (up to the second) or 严重. The defaults 10 and 20 are this
    toolkit's, not a regulation: set them from the local 预算绩效 rules.
    own_income_share: below this share of income including 上级补助, a fund of a
    unit under 统筹 is funded by transfers: no 结余率 or 收不抵支 is judged on its own
    income alone (a fraction; 0.2 = 20%).
    months_ceiling: months of support above this are not printed as a figure: the period's
    expense base is abnormal (payments moved to another fund or level, or not yet settled), so
    the report says so instead of "1334个月" (months; above the last band cut point).
    """

    months_bands: tuple[float, float, float, float] = (3, 6, 9, 15)
    budget_deviation_pp: float = Field(5.0, gt=0, le=100)
    budget_deviation_levels: tuple[float, float] = (10.0, 20.0)
    own_income_share: float = Field(0.2, ge=0, le=1)
    months_ceiling: float = Field(60.0, gt=0, le=1200)

    @model_validator(mode="after")
    def _ceiling_above_bands(self) -> Thresholds:
        if self.months_ceiling <= self.months_bands[-1]:
            raise ValueError(f"months_ceiling 应大于可支付月数区间的最后一个分界点（{self.months_bands[-1]}），如 60")
        return self

    @model_validator(mode="after")
    def _levels_above_band(self) -> Thresholds:
        a, b = self.budget_deviation_levels
        if not self.budget_deviation_pp < a < b <= 100:
            raise ValueError(
                f"budget_deviation_levels 应为两个递增的百分点数，均大于 budget_deviation_pp（{self.budget_deviation_pp}），"
                "如 [10, 20]"
            )
        return self

    @field_validator("months_bands")
    @classmethod
    def _increasing(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not all(0 < a < b for a, b in zip(v, v[1:], strict=False)) or v[0] <= 0:
            raise ValueError("应为四个递增的正数，如 [3, 6, 9, 15]")
        return v


OutputFormat = Literal["html", "pdf", "docx", "xlsx"]


class DetailParams(_Strict):
    """Settlement detail whose aggregates replace the dataset's 医疗待遇 rows (:mod:`fundreport.data.from_detail`)."""

    files: tuple[str, ...] = Field(min_length=1, description="结算明细文件或文件夹（CSV 或 Parquet），相对项目目录")
    mapping: str | None = Field(None, min_length=1, description="代码映射 YAML 文件（险种类型、医疗类别、医院等级）")
    memory_limit: str = Field("2GB", pattern=r"^\d+(\.\d+)?\s*[KMGT]i?B$", description="DuckDB 内存上限，如 2GB")
    partial: bool = Field(
        False, description="明知结算明细缺少报告期或同期的某些月份时设为 true：缺月只作警告（报告中注明），不作错误"
    )


class ReportParams(_Strict):
    """Everything that varies between reports; data itself lives in the dataset."""

    region: str = Field(min_length=1, description="地区代码（数据集地区表中的代码）")
    period: str = Field(description="报告期间代码，如 2021H1、2024M1-3")
    data: str = Field(min_length=1, description="数据集路径：.xlsx 工作簿或 CSV 文件夹")
    title: str = Field("医保基金运行分析报告", min_length=1, max_length=60)
    organisation: str | None = Field(None, max_length=60, description="编制单位")
    money_unit: Literal["元", "万元", "亿元"] = "万元"
    period_style: Literal["auto", "months"] = "auto"
    comparison: Literal["previous_year", "none"] = "previous_year"
    thresholds: Thresholds = Thresholds()
    sections: tuple[Section, ...] | None = None
    commentary: dict[Section, tuple[Paragraph, ...]] = Field(default_factory=dict)
    outputs: tuple[OutputFormat, ...] = ("html", "pdf")
    word_profile: Literal["gbt9704", "compact"] = Field(
        "gbt9704",
        description="Word 版式：gbt9704 公文格式（GB/T 9704-2012，默认）；compact 紧凑版（小四正文，25 mm 页边距）",
    )
    accounting: Literal["pool", "unit"] = Field(
        "pool",
        description="上下级往来的口径：pool 统筹区口径（收支不含上下级往来，默认）；"
        "unit 本级单位口径（收入含上级补助、支出含上解上级，适用于靠上级补助的区县）",
    )
    data_roots: tuple[str, ...] = Field(
        (),
        description="项目目录之外允许读取数据的目录（通常写在 params/_defaults.yaml 中）",
    )
    employee_parts: tuple[str, ...] = Field(
        ("employee_pool", "employee_account"),
        description="职工医保由哪些基金组成（代码或名称），默认统筹基金 + 个人账户；"
        "如当地公布的职工医保含公务员医疗补助，写 [职工统筹基金, 职工个人账户, 公务员医疗补助]",
    )
    data_date: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="数据截止日期（YYYY-MM-DD），默认取数据集说明或报告期末"
    )
    detail: DetailParams | None = Field(None, description="由结算明细汇总医疗待遇表（见 docs/detail.md）")
    min_cell_persons: int = Field(
        10,
        ge=0,
        le=1000,
        description="隐私保护：分地区、分机构的待遇表中，人数（无人数时人次）少于此数的格子不显示（0 为不隐藏）",
    )

    @field_validator("region", mode="before")
    @classmethod
    def _region_text(cls, v: object) -> object:
        # YAML reads 430200 as an int; a region code is text.
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, v: object) -> str:
        try:
            return Period.parse(str(v)).code
        except PeriodError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("employee_parts", mode="before")
    @classmethod
    def _fund_codes(cls, v: object) -> object:
        if not isinstance(v, list | tuple):
            return v
        out = []
        for name in v:
            code = vocab.FUNDS.resolve(str(name))
            if code is None or code in {"employee", "all_funds"}:
                known = "、".join(t.label for t in vocab.FUNDS if t.code not in {"employee", "all_funds"})
                raise ValueError(f"“{name}”不是可组成职工医保的险种；应为：{known}")
            out.append(code)
        if "employee_pool" not in out or len(set(out)) != len(out):
            raise ValueError("应包含职工统筹基金，且不重复")
        return tuple(out)

    @model_validator(mode="after")
    def _unique_sections(self) -> ReportParams:
        if self.sections is not None and len(set(self.sections)) != len(self.sections):
            raise ValueError("sections 中有重复的章节")
        return self

    @property
    def report_period(self) -> Period:
        return Period.parse(self.period)


class LoadedParams(BaseModel):
    """Validated params with where they came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    root: Path
    params: ReportParams
    digest: str

    @property
    def source_path(self) -> Path:
        """The dataset the ``data`` key names."""
        p = Path(self.params.data)
        return p if p.is_absolute() else (self.root / p)

    @property
    def data_path(self) -> Path:
        """The dataset the report reads: ``data``, or with ``detail:`` its copy with the detail's 医疗待遇 rows
        (:func:`fundreport.data.from_detail.prepare` writes it)."""
        if self.params.detail is None:
            return self.source_path
        from fundreport.data.from_detail import derived_path

        return derived_path(self)

    @property
    def slug(self) -> str:
        """outputs/<region folder>/<period> mirrors params/<region folder>/<period>.yaml."""
        rel = self.path.relative_to(self.root / "params") if self._under_params else Path(self.path.name)
        return str(rel.with_suffix(""))

    @property
    def _under_params(self) -> bool:
        try:
            self.path.relative_to(self.root / "params")
            return True
        except ValueError:
            return False


def project_root(path: Path) -> Path:
    path = path.resolve()
    for parent in path.parents:
        if parent.name == "params":
            return parent.parent
    return path.parent


def _read_yaml(path: Path, issues: list[Issue]) -> dict | None:
    return read_params_yaml(path, issues)


def load_params(path: str | Path) -> LoadedParams:
    """Read, merge defaults, validate. Raises InputError naming file and keys."""
    path = Path(path)
    root = project_root(path)
    issues: list[Issue] = []
    defaults_path = root / "params" / DEFAULTS_NAME
    defaults = _read_yaml(defaults_path, issues) if defaults_path.exists() else {}
    data = _read_yaml(path, issues)
    if issues or data is None or defaults is None:
        raise InputError(issues)
    merged = merge_defaults(defaults, data)
    try:
        params = ReportParams.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            loc = (
                err["loc"][:-1]
                if err["type"] == "missing" and err["loc"] and isinstance(err["loc"][-1], int)
                else err["loc"]
            )
            key = ".".join(str(p) for p in loc) or "(顶层)"
            raise_from = (
                "默认值文件 " + str(defaults_path)
                if err["loc"] and err["loc"][0] in defaults and err["loc"][0] not in data
                else None
            )
            msg = _message(err)
            if raise_from:
                msg += f"（来自 {raise_from}）"
            value = err.get("input") if err["type"] != "missing" else None
            issues.append(
                Issue(
                    str(path),
                    msg,
                    key=key,
                    value=value if not isinstance(value, dict) else None,
                    expected=expected_for(err["loc"]),
                )
            )
        raise InputError(issues) from None
    digest = hashlib.sha256(yaml.safe_dump(merged, allow_unicode=True, sort_keys=True).encode()).hexdigest()
    loaded = LoadedParams(path=path.resolve(), root=root, params=params, digest=digest)
    _check_data_path(loaded)
    return loaded


def allowed_roots(loaded: LoadedParams) -> list[Path]:
    """Where a params file may read data: its project and the folders listed in data_roots (the same in
    every process, whatever its working directory)."""
    roots = [loaded.root.resolve()]
    for r in loaded.params.data_roots:
        p = Path(r).expanduser()
        roots.append((p if p.is_absolute() else loaded.root / p).resolve())
    return list(dict.fromkeys(roots))


def _resolve(loaded: LoadedParams, text: str) -> Path:
    p = Path(text).expanduser()
    return p if p.is_absolute() else loaded.root / p


def detail_paths(loaded: LoadedParams) -> list[Path]:
    """The detail files and folders of the ``detail`` key (none without it)."""
    spec = loaded.params.detail
    return [_resolve(loaded, f) for f in spec.files] if spec else []


def _detail_issues(loaded: LoadedParams) -> list[Issue]:
    """Every detail path and the mapping file inside an allowed root, and existing."""
    spec = loaded.params.detail
    if spec is None:
        return []
    roots, issues = allowed_roots(loaded), []
    named = [(f"detail.files.{i}", f) for i, f in enumerate(spec.files)]
    named += [("detail.mapping", spec.mapping)] if spec.mapping else []
    for key, text in named:
        target = _resolve(loaded, text).resolve()
        if not any(target.is_relative_to(r) for r in roots):
            issues.append(Issue(str(loaded.path), f"路径在项目目录之外（解析为 {target}）", key=key, value=text,
                                expected="项目目录内的路径，或在 params/_defaults.yaml 的 data_roots 中列出的目录"))  # fmt: skip
        elif not target.exists():
            issues.append(Issue(str(loaded.path), f"路径不存在（解析为 {target}）", key=key, value=text,
                                expected="代码映射 YAML 文件" if key == "detail.mapping"
                                else "结算明细文件或文件夹（.csv、.parquet）"))  # fmt: skip
    return issues


def _check_data_path(loaded: LoadedParams) -> None:
    """The data path (and the detail's paths) must resolve inside an allowed root, and exist: one clear error
    naming the key for each, all at once."""
    issues = []
    target = loaded.source_path.resolve()
    roots = allowed_roots(loaded)
    file = str(loaded.path)
    if not any(target.is_relative_to(r) for r in roots):
        issues.append(Issue(file, f"数据路径在项目目录之外（解析为 {target}）", key="data", value=loaded.params.data,
                            expected=f"项目目录 {roots[0]} 内的路径，或在 params/_defaults.yaml 的 data_roots 中列出的目录"))  # fmt: skip
    elif not target.exists():
        issues.append(Issue(file, f"数据路径不存在（解析为 {target}）", key="data", value=loaded.params.data,
                            expected="已有的 .xlsx 工作簿或 CSV 文件夹"))  # fmt: skip
    issues += _detail_issues(loaded)
    if issues:
        raise InputError(issues)


_MESSAGES = {
    "missing": "缺少必填键",
    "extra_forbidden": "未知的键（不允许额外的键）",
    "literal_error": "取值不在允许范围内",
    "string_too_short": "不能为空",
    "string_type": "应为文字",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "tuple_type": "应为列表（如 [a, b]）",
    "list_type": "应为列表（如 [a, b]）",
    "dict_type": "应为键值映射",
    "string_pattern_mismatch": "格式不符",
    "finite_number": "应为有限的数字",
}

EXPECTED = {
    "region": '数据集地区表中的地区代码，如 "420700"',
    "period": "期间代码，如 2021、2021H1、2024Q1、2024M1-3",
    "data": "数据工作簿（.xlsx）或 CSV 文件夹的路径",
    "money_unit": "元、万元或亿元",
    "period_style": "auto 或 months",
    "comparison": "previous_year 或 none",
    "accounting": "pool（统筹区口径）或 unit（本级单位口径）",
    "thresholds.months_bands": "四个递增的正数（个月），如 [3, 6, 9, 15]",
    "thresholds.budget_deviation_pp": "0 到 100 之间的百分点数，如 5",
    "thresholds.own_income_share": "0 到 1 之间的比例，如 0.2",
    "thresholds.months_ceiling": "大于可支付月数区间最后分界点的月数（不超过1200），如 60",
    "thresholds.budget_deviation_levels": "两个递增的百分点数，均大于 budget_deviation_pp，如 [10, 20]",
    "outputs": "由 html、pdf、docx、xlsx 组成的列表，如 [html, pdf] 或 [html, pdf, docx, xlsx]",
    "word_profile": "gbt9704（公文格式）或 compact（紧凑版）",
    "sections": "章节代码列表：" + "、".join(SECTIONS),
    "data_date": "YYYY-MM-DD 形式的日期，如 2024-03-31",
    "employee_parts": "险种名称列表，如 [职工统筹基金, 职工个人账户]",
    "detail": "files（结算明细文件或文件夹列表）、mapping（可选，代码映射文件）、memory_limit（可选，如 2GB）",
    "detail.files": "结算明细文件或文件夹的列表，如 [extracts/2024, extracts/2023]",
    "detail.memory_limit": "内存上限，如 2GB、512MB",
}


def expected_for(loc: tuple) -> str | None:
    """What a params key expects, in words (for error messages)."""
    key = ".".join(str(p) for p in loc if not isinstance(p, int))
    if key.startswith("commentary."):
        return f"章节代码下的段落列表，每段不超过 {PARAGRAPH_MAX} 字"
    return EXPECTED.get(key)


def _message(err: dict) -> str:
    base = _MESSAGES.get(err["type"])
    detail = err.get("msg", "")
    ctx = err.get("ctx") or {}
    if err["type"] == "missing" and err["loc"] and isinstance(err["loc"][-1], int):
        return f"个数不对（缺少第{err['loc'][-1] + 1}个）"
    if err["type"] == "literal_error":
        allowed = ctx.get("expected", "")
        # pydantic writes "'a', 'b' or 'c'"; the message lists them the Chinese way: a、b、c
        words = "、".join(w.strip().strip("'\"") for w in allowed.replace(" or ", ", ").split(",") if w.strip())
        return f"{base}：应为 {words}" if words else f"{base}：{detail.replace('Input should be', '应为')}"
    if err["type"] == "value_error":
        return detail.removeprefix("Value error, ")
    if err["type"] == "string_too_long":
        return f"文字过长（上限 {ctx.get('max_length')} 字，实际 {len(str(err.get('input', '')))} 字）"
    if err["type"] in {"too_short", "too_long"}:
        return f"个数不对（应为 {ctx.get('min_length', ctx.get('max_length'))} 个，实际 {ctx.get('actual_length')} 个）"
    if err["type"] in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        words = {
            "greater_than": "大于",
            "greater_than_equal": "不小于",
            "less_than": "小于",
            "less_than_equal": "不大于",
        }
        bound = next(iter(ctx.values()), "")
        return f"数值超出范围（应{words[err['type']]} {bound}）"
    return base or "取值不符合要求"
