"""Settlement detail (结算明细): the platform's extract, one row per settlement, read in place with DuckDB.

A detail source is a CSV file (UTF-8, or GBK/GB18030 as the platform often exports), a Parquet file, or a
folder of such files (one per month, say); all files of a source share the columns they have (missing ones
are empty). Columns are named by the national medical-security platform's field names (``setl_id``,
``psn_no``, ``insutype``, ``med_type``, ``medfee_sumamt``, ``hifp_pay``…) or their Chinese headers
(:data:`FIELDS`; ``docs/detail.md`` lists them). Rows are never loaded into Python: :func:`open_detail`
returns a DuckDB view ``detail`` with one typed column per known field, and :func:`check_detail` runs the
checks as SQL. Missing optional columns only reduce what can be computed (:attr:`DetailSource.missing`).

Personal identifiers (``psn_no``, ``setl_id``) are read only to count and net settlements: no message, log
or output names their values.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from fundreport.errors import InputError, Issue

IDENTIFIERS = ("psn_no", "setl_id", "init_setl_id")  # never shown in any message or output


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    kind: str  # text | code | money | time | flag
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""


F = Field
FIELDS: tuple[Field, ...] = (
    F("setl_id", "结算ID", "text", ("结算流水号", "结算编号"), True, "一次结算一行；冲销行与原结算同号"),
    F("init_setl_id", "原结算ID", "text", ("原结算流水号",), False, "冲销行所冲销的结算；缺少时按同一结算ID"),
    F("psn_no", "人员编号", "text", ("个人编号",), False, "计算人数（去重）；不出现在任何输出中"),
    F("insutype", "险种类型", "code", ("险种",), True, "310 职工、390 居民、510 生育，或其中文名"),
    F("med_type", "医疗类别", "code", (), True, "如 11 普通门诊、14 门诊慢特病、21 普通住院、52 生育住院"),
    F(
        "fixmedins_code",
        "定点医药机构编号",
        "text",
        ("定点机构编号", "医疗机构编码"),
        False,
        "分机构汇总（定点机构待遇表）",
    ),
    F("fixmedins_name", "定点医药机构名称", "text", ("定点机构名称", "医疗机构名称")),
    F("hosp_lv", "医院等级", "code", ("医疗机构等级", "机构等级"), False, "1/2/3 或 一级/二级/三级；其他为一级及以下"),
    F("setl_time", "结算时间", "time", ("结算日期",), True, "决定结算所属期间"),
    F("begndate", "开始日期", "time", ("入院日期",)),
    F("enddate", "结束日期", "time", ("出院日期",)),
    F("medfee_sumamt", "医疗费总额", "money", ("总费用", "医疗总费用"), False, "总费用；缺少时总费用留空"),
    F("inscp_scp_amt", "符合政策范围金额", "money", ("政策范围内费用", "政策范围内金额")),
    F("fulamt_ownpay_amt", "全自费金额", "money", ("全自费",)),
    F("overlmt_selfpay", "超限价自费费用", "money", ("超限价自付", "超限价")),
    F("preselfpay_amt", "先行自付金额", "money", ("先行自付",)),
    F("hifp_pay", "基本医疗保险统筹基金支出", "money", ("统筹基金支出", "统筹基金支付"), True),
    F("hifob_pay", "职工大额医疗费用补助基金支出", "money", ("大额医疗补助支出", "大额支付")),
    F("hifmi_pay", "居民大病保险资金支出", "money", ("大病保险支出", "大病支付")),
    F("cvlserv_pay", "公务员医疗补助资金支出", "money", ("公务员补助支出",)),
    F("maf_pay", "医疗救助基金支出", "money", ("医疗救助支出", "医疗救助支付")),
    F("acct_pay", "个人账户支出", "money", ("个人账户支付",)),
    F("acct_mulaid_pay", "个人账户共济支付金额", "money", ("共济支付",)),
    F("psn_cash_pay", "个人现金支出", "money", ("现金支付",)),
    F("out_flag", "异地就医标志", "flag", ("异地标志",), False, "1/是 为异地就医；缺少时按就医地区划判断"),
    F("refd_setl_flag", "退费结算标志", "flag", ("冲销标志", "退费标志"), False, "1/是 为冲销（退费）结算"),
    F("insu_admdvs", "参保地医保区划", "code", ("参保地区划", "参保地区代码"), True, "6 位区划代码"),
    F("mdtrt_admdvs", "就医地医保区划", "code", ("就医地区划", "就医地区代码")),
)
BY_CODE = {f.code: f for f in FIELDS}
MONEY = tuple(f.code for f in FIELDS if f.kind == "money")
MAX_BAD_ROWS = 50  # located rows listed per column; the count says how many more


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").split()).lower()


_INDEX = {_norm(name): f.code for f in FIELDS for name in (f.code, f.label, *f.aliases)}


def field_of(header: str) -> str | None:
    """The field code a column header names (its code, Chinese label or an alias; case, width and spaces
    ignored), or None."""
    return _INDEX.get(_norm(header))


@dataclass
class DetailSource:
    """A detail source opened as the DuckDB view ``detail`` (typed columns, ``_file``, ``_row``)."""

    con: object  # duckdb.DuckDBPyConnection
    files: tuple[Path, ...]
    columns: dict[str, str]  # field code -> the header it was read from
    missing: tuple[str, ...]  # optional fields absent from every file
    temp: list = field(default_factory=list)  # transcoded copies, removed by close()
    # Per file: (name shown, DuckDB read expression, field code -> header, header -> DuckDB type)
    reads: tuple[tuple[str, str, dict, dict], ...] = ()
    names: dict = field(default_factory=dict)  # path DuckDB reads (a transcoded copy) -> the file's own path
    memory_limit: str = ""

    dialect = "duckdb"  # the SQL the aggregation writes (sqlglot's name)

    def has(self, code: str) -> bool:
        return code in self.columns

    def run(self, sql: str, params=None):
        """Execute ``sql``; a DuckDB error reading the files (a line it cannot split, a file cut short, no
        memory left) is an :class:`InputError` naming the file and line, not DuckDB's message, which quotes
        the line (:func:`read_error`)."""
        import duckdb

        try:
            return self.con.execute(sql, params)
        except duckdb.Error as exc:
            error = read_error(exc, self.names, str(self.files[0]), self.memory_limit)
        raise error  # outside the handler: not chained to DuckDB's message, which would still show the line

    def rows(self, sql: str) -> list[tuple]:
        """The rows of a query."""
        return self.run(sql).fetchall()

    def view(self, name: str, select: str) -> None:
        """Define ``name`` as a view of ``select`` (not computed until a query reads it)."""
        self.run(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")

    def table(self, name: str, select: str) -> None:
        """Compute ``select`` once into the temporary table ``name`` (spills to disk beyond the limit)."""
        self.run(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")

    def drop(self, name: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def close(self) -> None:
        self.con.close()
        for t in self.temp:
            t.cleanup()


def detail_files(paths) -> list[Path]:
    """The files of the given paths (a folder gives its *.csv and *.parquet files, sorted); a file named
    twice (as itself and in its folder, or through a link) is read once."""
    files, issues = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted([*p.glob("*.csv"), *p.glob("*.parquet")])
            if not found:
                issues.append(Issue(str(p), "文件夹中没有结算明细文件", expected="*.csv 或 *.parquet"))
            files += found
        elif p.is_file() and p.suffix.lower() in (".csv", ".parquet"):
            files.append(p)
        elif not p.exists():
            issues.append(Issue(str(p), "结算明细文件不存在"))
        else:
            issues.append(Issue(str(p), "不是结算明细文件", value=p.suffix, expected=".csv 或 .parquet"))
    if issues:
        raise InputError(issues)
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


def _same_content(files: list[Path]) -> list[Issue]:
    """An issue for every file whose bytes equal an earlier file's: a monthly extract saved twice under two
    names would count its settlements twice. Only files of equal size are hashed (cheap for distinct ones)."""
    by_size: dict[int, list[Path]] = {}
    for f in files:
        by_size.setdefault(f.stat().st_size, []).append(f)
    issues, first = [], {}
    for group in (g for g in by_size.values() if len(g) > 1):
        for f in group:
            with f.open("rb") as fh:
                digest = hashlib.file_digest(fh, "blake2b").digest()
            if (earlier := first.setdefault(digest, f)) is not f:
                issues.append(Issue(str(f), f"与 {earlier} 内容完全相同，结算记录会重复计算",
                                    expected="每个期间的明细只提供一份"))  # fmt: skip
    return issues


def _utf8_copy(path: Path, temp: list) -> Path:
    """The CSV as UTF-8: itself, or a streamed GB18030 -> UTF-8 copy (DuckDB reads UTF-8 only without
    its downloadable encodings extension)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if _decodes(head, "utf-8"):
        return path  # a later byte that is not UTF-8 is DuckDB's encoding error, located by line
    if not _decodes(head, "gb18030"):
        raise InputError([Issue(str(path), "文件编码无法识别", expected="UTF-8 或 GBK/GB18030 编码的 CSV")])
    work = tempfile.TemporaryDirectory(prefix="fundreport-detail-")
    temp.append(work)
    out = Path(work.name) / path.name
    decoder = codecs.getincrementaldecoder("gb18030")()
    line = 1
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        try:
            while chunk := src.read(1 << 20):
                text = decoder.decode(chunk)
                dst.write(text)
                line += text.count("\n")
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as exc:  # the sample was GBK, a later part is not: say on which line
            # a newline byte is never inside a GBK character, so the bytes before the error count the lines
            row = line + chunk[: max(0, exc.start)].count(b"\n")
            raise InputError(
                [
                    Issue(
                        str(path),
                        "文件后部的编码与开头不一致（开头为 GBK/GB18030）",
                        row=row,
                        expected="整个文件为同一种编码（UTF-8 或 GBK/GB18030）",
                    )
                ]
            ) from None
    return out


def _decodes(sample: bytes, encoding: str) -> bool:
    """True when ``sample`` (the first bytes of a file) is text in ``encoding``; a character cut at the
    sample's end is not an error (the incremental decoder keeps it pending)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _headers(con, files: list[Path], read: str) -> dict[Path, dict[str, str]]:
    """Each file's column names and DuckDB types, in file order."""
    return {f: {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {read}", [str(f)]).fetchall()} for f in files}


DELIMITERS = (",", "\t", ";", "|")


def _csv_header(path: Path) -> tuple[str, list[str]]:
    """A (UTF-8) CSV's delimiter and header, from its first line, read here rather than sniffed by DuckDB: a
    sniffer that meets a row with one column too many in its sample reads every line as one column, and the
    file then seemed to lack every column. With the header given, such a row is an error on its own line."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = fh.readline().rstrip("\r\n")
    if not first.strip():
        return ",", []
    delim = max(DELIMITERS, key=lambda d: len(next(csv.reader([first], delimiter=d))))
    return delim, next(csv.reader([first], delimiter=delim))


def _csv_read(path: Path, header: list[str], delim: str) -> tuple[str, dict[str, str]]:
    """DuckDB's read expression of a CSV with the given header, every column as text, and the header by the
    (unique, non-empty) column names DuckDB gets."""
    names: dict[str, str] = {}
    for i, h in enumerate(header):
        name = h.strip().replace('"', "") or f"_{i + 1}"
        while name.lower() in {n.lower() for n in names}:
            name = f"{name}_{i + 1}"
        names[name] = h
    columns = "{" + ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for n in names) + "}"
    quoted = str(path).replace("'", "''")
    sep = "\\t" if delim == "\t" else delim
    read = (f"read_csv('{quoted}', header=true, auto_detect=false, delim='{sep}', quote='\"', escape='\"', "
            f"columns={columns})")  # fmt: skip
    return read, names


def read_error(exc: Exception, names: dict[str, str], fallback: str, memory_limit: str | None = None) -> InputError:
    """A DuckDB error met reading the detail, as a located issue: the file (as the user named it), the line,
    what is wrong. Never the line itself: DuckDB quotes it (\"Original Line\"), and it holds 人员编号."""
    import duckdb

    text = str(exc)
    shown = fallback
    if m := re.search(r"^\s*file = (.+)$", text, re.M):
        shown = names.get(m.group(1).strip(), m.group(1).strip())
    for read, name in names.items():
        if f"'{read}'" in text or f'"{read}"' in text:
            shown = name
    row = int(m.group(1)) if (m := re.search(r"CSV Error on Line: (\d+)", text)) else None
    if isinstance(exc, duckdb.OutOfMemoryException):
        issue = Issue(shown, f"内存不足：汇总超出内存上限 {memory_limit or ''}".rstrip(),
                      expected="提高内存上限（--memory-limit，参数文件中为 detail.memory_limit），或按月份分批汇总")  # fmt: skip
    elif m := re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text):
        issue = Issue(shown, f"本行有 {m.group(2)} 列，表头有 {m.group(1)} 列", row=row,
                      expected="每行的列数与表头相同；文本中含分隔符（逗号）时应加英文双引号")  # fmt: skip
    elif re.search(r"unterminated quote|quote should be followed", text, re.I):
        issue = Issue(shown, "文本中的英文双引号未成对（字段以引号开头却未在字段末尾闭合）", row=row,
                      expected="用英文双引号括起整个字段、字段内的引号写两次（如 \"\"\"好药师\"\"大药房\"），或去掉引号")  # fmt: skip
    elif re.search(r"unicode|utf-?8|encoding", text, re.I):
        issue = Issue(shown, "文件中有无法识别的字符（编码前后不一致）", row=row,
                      expected="整个文件为 UTF-8 或 GBK/GB18030 编码")  # fmt: skip
    elif re.search(r"parquet|magic bytes", text, re.I):
        issue = Issue(shown, "不是完整的 Parquet 文件（文件损坏或未写完）", expected="重新导出该文件")
    else:  # DuckDB's first line, without any quoted value but the file names
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        first = re.sub(r"'[^']*'", lambda q: q.group(0) if q.group(0)[1:-1] in names else "'…'", first)
        issue = Issue(shown, "无法读取结算明细", row=row, value=first,
                      expected="按 CSV 格式书写的文本（UTF-8 或 GBK），每行列数与表头相同")  # fmt: skip
    return InputError([issue])


def _sql_text(expr: str) -> str:
    """SQL: the value as text without surrounding spaces, NULL when empty. Trimmed only where it starts or
    ends with a space (the same result: trimming every identifier of a large file costs more than reading it)."""
    text = f"CAST({expr} AS VARCHAR)"
    return (
        f"CASE WHEN {text} LIKE ' %' OR {text} LIKE '% ' OR {text} = '' THEN nullif(trim({text}), '') ELSE {text} END"
    )


THOUSANDS = r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?"  # an amount written with thousands separators
BIT = {code: i for i, code in enumerate(BY_CODE)}  # a field's bit in ``detail``'s ``_bad`` column


@dataclass(frozen=True)
class Rule:
    """A rule one settlement must meet (its bit follows the fields' in ``_bad``); ``needs``: the fields it
    reads, all of which the file must have."""

    code: str
    needs: tuple[str, ...]
    message: str
    expected: str

    def fields(self, have) -> tuple[str, ...] | None:
        """The fields the rule reads in a source with fields ``have``, or None when it cannot apply: every one
        of ``needs`` for fund_over_total; for negative amounts, those of ``needs`` the source has."""
        if self.code == "negative_not_reversal":
            return tuple(c for c in self.needs if c in have) or None
        return self.needs if all(c in have for c in self.needs) else None

    def violated(self, get, have) -> str:
        """SQL: the settlement breaks the rule; ``get(code)`` is the typed value of a field of ``have``."""
        rev = f"coalesce({get('refd_setl_flag')}, FALSE)" if "refd_setl_flag" in have else "FALSE"
        if self.code == "fund_over_total":  # cents of rounding allowed
            fund, total = get("hifp_pay"), get("medfee_sumamt")
            return f"({fund} > {total} + 0.01 AND {total} >= 0 AND NOT {rev})"
        amounts = " OR ".join(f"{get(c)} < 0" for c in self.fields(have))
        return f"(({amounts}) AND NOT {rev})"


RULES = (
    Rule("fund_over_total", ("hifp_pay", "medfee_sumamt"), "统筹基金支出大于医疗费总额",
         "统筹基金支出不超过医疗费总额（核对该行是否录错或列错位）"),
    Rule("negative_not_reversal", ("medfee_sumamt", "hifp_pay"), "金额为负却未标为冲销",
         "冲销（退费）行的退费结算标志为 1；正常结算的金额不为负"),
)  # fmt: skip
for _i, _rule in enumerate(RULES):
    BIT[_rule.code] = len(BY_CODE) + _i
SQL_TYPES = {"money": "DECIMAL(18,2)", "time": "TIMESTAMP", "flag": "BOOLEAN", "text": "VARCHAR", "code": "VARCHAR"}
_NATIVE = ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT",
           "UINTEGER", "USMALLINT", "UTINYINT", "DATE", "TIMESTAMP")  # fmt: skip


def _native(code: str, sql_type: str) -> bool:
    """True when a typed (Parquet) column needs no parsing: numbers for money, dates for times."""
    kind = BY_CODE[code].kind
    base = sql_type.upper().split("(")[0].split(" ")[0]
    return (kind == "money" and base in _NATIVE[:-2]) or (kind == "time" and base in ("DATE", "TIMESTAMP"))


def _typed(code: str, expr: str | None = None) -> str:
    """The SQL that turns a raw (text) column into the field's type; NULL where it does not parse."""
    kind, raw = BY_CODE[code].kind, _sql_text(expr or code)
    if kind == "money":  # 1,234.56 (groups of three) or 1234.56; 1,23,4 and a decimal comma 1234,56 do not parse
        return (f"CASE WHEN strpos({raw}, ',') = 0 THEN TRY_CAST({raw} AS DECIMAL(18,2)) "
                f"WHEN regexp_full_match({raw}, '{THOUSANDS}') THEN TRY_CAST(replace({raw}, ',', '') AS DECIMAL(18,2)) END")  # fmt: skip
    if kind == "time":  # 2024-03-31[ 10:20:00], 2024/3/31, or compact as local systems write it: 20240331[102000]
        compact = " ".join(f"WHEN length({raw}) = {n} THEN TRY_STRPTIME({raw}, '{f}')"
                           for n, f in ((8, "%Y%m%d"), (14, "%Y%m%d%H%M%S")))  # fmt: skip
        return f"coalesce(TRY_CAST(replace({raw}, '/', '-') AS TIMESTAMP), CASE {compact} END)"
    if kind == "flag":
        return f"CASE WHEN {raw} IS NULL THEN FALSE WHEN lower({raw}) IN ('1','是','y','yes','true') THEN TRUE " \
               f"WHEN lower({raw}) IN ('0','否','n','no','false') THEN FALSE END"  # fmt: skip
    return raw


def open_detail(paths, *, memory_limit: str = "2GB", threads: int | None = None) -> DetailSource:
    """Open the detail files as the view ``detail``; raises :class:`InputError` naming every file whose
    headers are unusable (required fields missing, a field named twice)."""
    import duckdb

    files = detail_files(paths)
    if issues := _same_content(files):
        raise InputError(issues)
    names = {str(f): str(f) for f in files}
    temp: list = [tempfile.TemporaryDirectory(prefix="fundreport-duckdb-")]
    # Larger-than-memory queries spill to a temporary folder of our own (an in-memory database would spill
    # to ./.tmp); insertion order is kept only where rows are numbered (check_detail), since keeping it
    # costs memory in every other query.
    config = {"memory_limit": memory_limit, "temp_directory": temp[0].name, "preserve_insertion_order": False}
    con = duckdb.connect(config=config | ({"threads": threads} if threads else {}))
    con.execute("SET enable_progress_bar = false")  # it would print to the terminal during long queries
    try:
        csvs = [_utf8_copy(f, temp) for f in files if f.suffix.lower() == ".csv"]
        origin = dict(zip(csvs, [f for f in files if f.suffix.lower() == ".csv"], strict=True))
        names.update({str(c): str(f) for c, f in origin.items()})
        parquets = [f for f in files if f.suffix.lower() == ".parquet"]
        csv_reads, heads, labels = {}, {}, {}
        for f in csvs:
            delim, header = _csv_header(f)
            csv_reads[f], labels[f] = _csv_read(f, header, delim)
            heads[f] = dict.fromkeys(labels[f], "VARCHAR")
        heads |= _headers(con, parquets, "read_parquet(?)")
        issues, columns, per_file = [], {}, {}
        for f, head in heads.items():
            shown = str(origin.get(f, f))
            if not head:
                issues.append(Issue(shown, "文件为空（没有表头）", expected="第一行为列名的 CSV"))
                continue
            mapped: dict[str, str] = {}
            for h in head:
                code = field_of(labels.get(f, {}).get(h, h))
                if code is None:
                    continue
                if code in mapped:
                    issues.append(Issue(shown, f"两列都是「{BY_CODE[code].label}」", column=h, value=mapped[code]))
                mapped[code] = h
            absent = [c for c in (f.code for f in FIELDS if f.required) if c not in mapped]
            for c in absent:
                fld = BY_CODE[c]
                issues.append(
                    Issue(shown, "缺少必需的列", column=f"{fld.label}（{fld.code}）", expected=fld.note or None)
                )
            per_file[f] = mapped
            for code, h in mapped.items():
                columns.setdefault(code, h)
        if issues:
            raise InputError(issues)
        texts, typeds, reads = [], [], []
        for f, mapped in per_file.items():
            path, shown = str(f).replace("'", "''"), str(origin.get(f, f)).replace("'", "''")
            read = csv_reads[f] if f in origin else f"read_parquet('{path}')"
            text = ", ".join(
                f'CAST("{mapped[c]}" AS VARCHAR) AS {c}' if c in mapped else f"NULL::VARCHAR AS {c}" for c in BY_CODE
            )
            typed = [
                f"{_typed_in_file(c, mapped[c], heads[f][mapped[c]])} AS {c}"
                if c in mapped
                else f"NULL::{SQL_TYPES[BY_CODE[c].kind]} AS {c}"
                for c in BY_CODE
            ]
            texts.append((shown, read, text))
            reads.append((str(origin.get(f, f)), read, mapped, heads[f]))
            checks = _file_checks(mapped, heads[f])
            bad = " + ".join(f"CASE WHEN {cond} THEN {1 << BIT[c]} ELSE 0 END" for c, cond in checks.items()) or "0"
            typeds.append(f"SELECT '{shown}' AS _file, {', '.join(typed)}, CAST({bad} AS BIGINT) AS _bad FROM {read}")
        # detail: typed columns under field codes (what the aggregation reads); located: the same as text, with
        # each row's number as a spreadsheet shows it (header row 1), to locate what the checks found.
        con.execute("CREATE TEMP VIEW detail AS " + " UNION ALL ".join(typeds))
        con.execute(
            "CREATE TEMP VIEW located AS "
            + " UNION ALL ".join(
                f"SELECT '{shown}' AS _file, (row_number() OVER () + 1)::BIGINT AS _row, {text} FROM {read}"
                for shown, read, text in texts
            )
        )
    except BaseException as exc:
        con.close()
        for t in temp:
            t.cleanup()
        if not isinstance(exc, duckdb.Error):
            raise
        error = read_error(exc, names, str(files[0]) if files else "", memory_limit)
    else:
        error = None
    if error is not None:  # raised outside the handler: not chained to DuckDB's message (see DetailSource.run)
        raise error
    missing = tuple(c for c in BY_CODE if c not in columns)
    return DetailSource(con, tuple(files), columns, missing, temp, tuple(reads), names, memory_limit)


def _typed_in_file(code: str, header: str, sql_type: str) -> str:
    """The typed value of a file's own column: a typed (Parquet) column as it is, text parsed."""
    if _native(code, sql_type):  # no text round trip
        return f'TRY_CAST("{header}" AS {SQL_TYPES[BY_CODE[code].kind]})'
    return _typed(code, f'"{header}"')


def _file_checks(mapped: dict[str, str], types: dict[str, str]) -> dict[str, str]:
    """Code (a field or a :data:`RULES` rule) -> the SQL condition of a bad value or an impossible settlement,
    over one file's own columns (``mapped``: field -> header, ``types``: header -> DuckDB type)."""
    checks = {c: cond for c, h in mapped.items() if (cond := _bad_in_file(c, h, types[h])) is not None}
    typed = {c: _typed_in_file(c, h, types[h]) for c, h in mapped.items()}
    return checks | {r.code: r.violated(typed.get, mapped) for r in RULES if r.fields(mapped)}


def _bad(code: str, expr: str | None = None) -> str | None:
    """The SQL condition (over the raw text column, or ``expr``) of a value of ``code`` that does not parse
    or is missing."""
    fld, raw = BY_CODE[code], _sql_text(expr or code)
    if fld.kind in ("money", "time", "flag"):
        return f"({_typed(code, expr)}) IS NULL" + ("" if fld.required else f" AND {raw} IS NOT NULL")
    return f"{raw} IS NULL" if fld.required else None


def _bad_in_file(code: str, header: str, sql_type: str) -> str | None:
    """:func:`_bad` over one file's own column: a typed Parquet column (numbers for money, dates for times)
    is not turned into text and parsed back, which would cost more than the aggregation."""
    fld, col = BY_CODE[code], f'"{header}"'
    if not _native(code, sql_type):
        return _bad(code, col)
    if fld.kind == "money":  # a number too large for DECIMAL(18,2)
        bad = f"{col} IS NOT NULL AND TRY_CAST({col} AS DECIMAL(18,2)) IS NULL"
        return f"{col} IS NULL OR ({bad})" if fld.required else bad
    return f"{col} IS NULL" if fld.required else None


def check_detail(src: DetailSource, found: dict[str, int] | None = None) -> list[Issue]:
    """Every value that does not parse, located by file, row and column (at most :data:`MAX_BAD_ROWS` per
    column, then a count). Identifier values are never shown.

    Which columns of which file have problems: ``found`` (file -> the OR of the ``_bad`` column of
    ``detail``, bit :data:`BIT` of each field, as the aggregation's first scan computes it), or else one
    parallel scan per file. Only columns with problems are scanned again to locate them, single-threaded,
    which reads each file in order (row numbers from a parallel scan would not be the file's)."""
    failing: list[str] = []
    for shown, read, mapped, types in src.reads:
        conditions = _file_checks(mapped, types)
        if not conditions:
            continue
        if found is not None:
            counts = [found.get(shown, 0) >> BIT[c] & 1 for c in conditions]
        else:
            counts = src.run(
                "SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for c in conditions.values()) + f" FROM {read}"
            ).fetchone()
        failing += [c for c, n in zip(conditions, counts, strict=True) if n and c not in failing]
    rules = {r.code: r for r in RULES}
    conditions = {code: rules[code].violated(_typed, src.columns) if code in rules else _bad(code) for code in failing}
    issues = []
    if not failing:
        return issues
    threads = src.con.execute("SELECT current_setting('threads')").fetchone()[0]
    src.con.execute("SET threads = 1")
    src.con.execute("SET preserve_insertion_order = true")
    try:
        for code in failing:
            if code in rules:
                issues += _rule_issues(src, rules[code], conditions[code])
                continue
            fld, header = BY_CODE[code], src.columns[code]
            rows = src.run(
                f"SELECT _file, _row, {_sql_text(code)}, count(*) OVER () FROM located WHERE {conditions[code]} "
                f"ORDER BY _file, _row LIMIT ?",
                [MAX_BAD_ROWS],
            ).fetchall()
            expected = {
                "money": "金额（数字；千分位逗号须每三位一组，如 1,234.56；小数点用英文句点）",
                "time": "日期时间，如 2024-03-31、2024-03-31 10:20:00 或 20240331",
                "flag": "1/0 或 是/否",
            }.get(fld.kind, "不能为空")
            for file, row, value, _n in rows:
                shown = None if code in IDENTIFIERS or value is None else value
                issues.append(
                    Issue(file, "缺少必填值" if value is None else "无法识别", row=row, column=header, value=shown,
                          expected=expected)
                )  # fmt: skip
            if rows and rows[0][3] > len(rows):
                issues.append(Issue(rows[0][0], f"列「{header}」另有 {rows[0][3] - len(rows)} 行同样的问题"))
    finally:
        src.con.execute(f"SET threads = {int(threads)}")
        src.con.execute("SET preserve_insertion_order = false")
    return issues


def _rule_issues(src: DetailSource, rule: Rule, condition: str) -> list[Issue]:
    """The rows of settlements that break ``rule`` (at most :data:`MAX_BAD_ROWS`, then a count), each with
    the columns the rule reads; no value is shown (the row number locates it, identifiers stay out)."""
    rows = src.run(
        f"SELECT _file, _row, count(*) OVER () FROM located WHERE {condition} ORDER BY _file, _row LIMIT ?",
        [MAX_BAD_ROWS],
    ).fetchall()
    columns = "、".join(src.columns[c] for c in rule.fields(src.columns))
    issues = [Issue(file, rule.message, row=row, column=columns, expected=rule.expected) for file, row, _n in rows]
    if rows and rows[0][2] > len(rows):
        issues.append(Issue(rows[0][0], f"另有 {rows[0][2] - len(rows)} 行{rule.message}"))
    return issues
