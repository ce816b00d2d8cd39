"""Rebuild lib/fundreport/render/templates/gongwen.docx, the Word reference template (see word_template)."""

from fundreport.render.word_template import build_template

if __name__ == "__main__":
    print(build_template())
