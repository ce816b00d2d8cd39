"""A corpus of bad params files: each gets a located Chinese error from `fundreport check`, exit 1, no traceback."""

from __future__ import annotations

import pytest

from fundreport.cli import main
from fundreport.data.params import iter_params_files

GOOD = 'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\n'

CASES = {
    # class: (file text or bytes, substrings the message must contain)
    "duplicate key": (GOOD + 'region: "420702"\n', ["键“region”重复（第1行和第4行）"]),
    "alias bomb": (
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" + GOOD,
        ["不支持 YAML 锚点", "第1行"],
    ),
    "nul byte": (GOOD.replace("2024M1-3", "2024M1-3\x00"), ["控制字符", "第2行"]),
    "bidi override": (GOOD + "title: 报告\u202e告报\n", ["文字方向字符", "第4行", "U+202E"]),
    "unclosed structure": (
        'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\nsections: [overview,\n  income_expense\n',
        ["YAML 语法错误"],
    ),
    "months bands not a list": (
        GOOD + "thresholds:\n  months_bands: 5\n",
        ["键 thresholds.months_bands", "四个递增的正数"],
    ),
    "months bands three numbers": (GOOD + "thresholds:\n  months_bands: [3, 6, 9]\n", ["个数不对", "四个递增的正数"]),
    "over-long paragraph": (
        GOOD + "commentary:\n  overview: [" + "长" * 2100 + "]\n",
        ["上限 2000 字", "实际 2100 字"],
    ),
    "unknown key with a huge value": (GOOD + "colour: " + "x" * 100_000 + "\n", ["未知的键", "共100000个字符"]),
    "oversized file": (GOOD + "# " + "x" * 300_000 + "\n", ["参数文件过大"]),
    "not utf-8": (GOOD.replace("period", "标题").encode("gbk"), ["不是 UTF-8 编码"]),
    "data outside the project": (GOOD.replace("data/ds", "../../../../../etc"), ["数据路径在项目目录之外", "键 data"]),
    "data path missing": (GOOD.replace("data/ds", "data/nothing"), ["数据路径不存在", "键 data"]),
    "top level not a mapping": ("- a\n- b\n", ["顶层应为键值映射"]),
    "bad period": (GOOD.replace("2024M1-3", "2024Q5"), ["键 period", "期间代码"]),
    "bad money unit": (GOOD + "money_unit: 千元\n", ["键 money_unit", "元、万元或亿元"]),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_params_file_gets_a_located_chinese_error(case, make_project, capsys):
    text, wanted = CASES[case]
    root = make_project({})
    path = root / "params" / "bad" / "2024M1-3.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    code = main(["--root", str(root), "check", str(path)])
    out = capsys.readouterr()
    printed = out.out + out.err
    assert code == 1
    assert "Traceback" not in printed and "Input should" not in printed
    flat = printed.replace("\n", "")
    for w in wanted:
        assert w in flat, (case, w, printed[-600:])
    assert len(printed) < 20_000  # a huge value is elided, not echoed


def test_yml_params_files_are_found(make_project):
    root = make_project({"a/2024M1-3.yml": GOOD, "b/2024M1-3.yaml": GOOD})
    names = sorted(p.name for p in iter_params_files(None, root))
    assert names == ["2024M1-3.yaml", "2024M1-3.yml"]


def test_budget_deviation_levels_must_rise_above_the_band(make_project, capsys):
    from fundreport.cli import main

    root = make_project(
        {
            "e/2024M1-3.yaml": 'region: "420700"\nperiod: 2024M1-3\ndata: data/ds\nthresholds:\n  budget_deviation_levels: [4, 20]\n'
        }
    )
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr().out.replace("\n", "")
    assert code == 1 and "budget_deviation_levels 应为两个递增的百分点数" in out and "thresholds" in out
