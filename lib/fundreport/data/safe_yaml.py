"""Reading a params file safely: a size limit, no aliases, no duplicate keys, located errors in Chinese.

Params files are short, hand-written YAML. Anything a hand-written file never needs is refused with
the line where it occurs: aliases and anchors (an alias bomb of a few kB expands to billions of
nodes), duplicate keys (the last one would silently win: a second ``region:`` line would write
another district's report), control or bidi characters, and files over :data:`MAX_BYTES`.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from fundreport.errors import Issue, unsafe_characters

MAX_BYTES = 256 * 1024
"""A params file is a few kB; 256 kB leaves room for long commentary."""


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate keys (with their line numbers)."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("不支持 YAML 别名（*引用）：请直接写出取值", event.start_mark.line + 1)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused("不支持 YAML 锚点（&名称）：请直接写出取值", event.start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _Refused(f"键“{key}”重复（第{seen[key]}行和第{line}行）：每个键只能写一次", line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def read_params_yaml(path: Path, issues: list[Issue]) -> dict | None:
    """The mapping in a params file, or None with the problems added to ``issues``."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        issues.append(Issue(str(path), "参数文件不存在"))
        return None
    if size > MAX_BYTES:
        issues.append(
            Issue(str(path), f"参数文件过大（{size // 1024} kB）", expected=f"不超过 {MAX_BYTES // 1024} kB 的参数文件")
        )
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        issues.append(
            Issue(str(path), f"参数文件不是 UTF-8 编码（第{exc.start + 1}个字节起）", expected="UTF-8 编码的文本")
        )
        return None
    text = text.removeprefix("\ufeff")  # a BOM written by some Windows editors is harmless
    for number, line in enumerate(text.splitlines(), start=1):
        bad = [c for c in unsafe_characters(line) if not c.startswith("U+0009")]
        if bad:
            issues.append(
                Issue(str(path), f"含不可见的控制字符或文字方向字符：{'、'.join(bad)}", row=number, expected="普通文字")
            )
            return None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _Refused as exc:
        issues.append(Issue(str(path), exc.message, row=exc.line))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        start = getattr(exc, "context_mark", None)
        where = (
            f"（该结构从第{start.line + 1}行开始）"
            if start is not None and mark is not None and start.line != mark.line
            else ""
        )
        problem = getattr(exc, "problem", None) or str(exc)
        issues.append(Issue(str(path), f"YAML 语法错误：{problem}{where}", row=mark.line + 1 if mark else None))
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        issues.append(
            Issue(str(path), "参数文件顶层应为键值映射", value=type(data).__name__, expected="key: value 形式")
        )
        return None
    return data
