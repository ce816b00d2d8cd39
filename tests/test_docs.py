from fundreport.data.contract_doc import BEGIN, END, render_reference

from .conftest import ROOT


def test_data_contract_reference_is_up_to_date():
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    generated = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert generated == render_reference().strip(), "run: python -m fundreport.data.contract_doc docs/data.md"
