"""Page geometry and type sizes of Decree 30 (Phụ lục I) as vanthu draws them, in twips and points.

One place for the numbers the template build script and the renderer both use, so a template
and the XML generated into it can never disagree about widths or sizes.
"""

from __future__ import annotations

from pathlib import Path

from numbering.doctypes import Family

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20

# A4 portrait; margins inside the decree's ranges (top/bottom 20–25, left 30–35, right 15–20 mm).
PAGE_WIDTH = 11906
PAGE_HEIGHT = 16838
MARGIN_TOP = 1134  # 20 mm
MARGIN_BOTTOM = 1134  # 20 mm
MARGIN_LEFT = 1701  # 30 mm
MARGIN_RIGHT = 850  # 15 mm
HEADER_DISTANCE = 567  # 10 mm: the page number sits in the top margin
FOOTER_DISTANCE = 567
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 9355

# Two-column blocks: the header (ô 2–3 left, ô 1 and 4 right) and the signature block
# (Nơi nhận left, authority right). The right header column holds the 12 pt Quốc hiệu (~88 mm).
HEADER_LEFT = 3969  # 70 mm
HEADER_RIGHT = TEXT_WIDTH - HEADER_LEFT
SIGN_LEFT = 4253  # 75 mm
SIGN_RIGHT = TEXT_WIDTH - SIGN_LEFT
CELL_MARGIN = 57  # 1 mm each side

FONT = "Times New Roman"
LANG = "vi-VN"

# Sizes in points (the decree's example size where it gives a range).
PARENT_PT = 12
ISSUER_PT = 12
NATIONAL_NAME_PT = 12
MOTTO_PT = 13
NUMBER_PT = 13
VV_PT = 12
PLACE_DATE_PT = 13
MARK_PT = 13
TITLE_PT = 14
SUBJECT_PT = 14
BODY_PT = 14
AUTHORITY_PT = 14
SIGNER_PT = 14
RECIPIENTS_LABEL_PT = 12
RECIPIENTS_PT = 11
PAGE_NUMBER_PT = 13
FOOTNOTE_PT = 12
CONTACT_PT = 11

# Body paragraphs: justified, first-line indent 1.27 cm, 6 pt after, single line spacing.
BODY_INDENT = 720  # 1.27 cm
BODY_AFTER = 120  # 6 pt
BODY_LINE = 240  # "auto" 240 = single
SIGNATURE_SPACE = 1701  # 30 mm between the authority lines and the name: signature and seal
RULE_RATIO = 0.4  # issuer and title rules: 1/3–1/2 of the line above; 0.4 leaves room both ways
KINH_GUI_INDENT = 1701  # "Kính gửi:" of several addressees starts 30 mm in

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "official"

TEMPLATE_NAMES: dict[Family, str] = {
    Family.NGHI_QUYET: "mau-1.1-nghi-quyet.docx",
    Family.QUYET_DINH: "mau-1.2-quyet-dinh.docx",
    Family.TYPED: "mau-1.4-van-ban-co-ten-loai.docx",
    Family.CONG_VAN: "mau-1.5-cong-van.docx",
    Family.CONG_DIEN: "mau-1.6-cong-dien.docx",
    Family.GIAY_MOI: "mau-1.7-giay-moi.docx",
    Family.GIAY_GIOI_THIEU: "mau-1.8-giay-gioi-thieu.docx",
    Family.BIEN_BAN: "mau-1.9-bien-ban.docx",
    Family.GIAY_NGHI_PHEP: "mau-1.10-giay-nghi-phep.docx",
}


def template_path(family: Family) -> Path:
    """The Word template a layout family is drawn with."""
    return TEMPLATES / TEMPLATE_NAMES[family]


def mm(value: float) -> int:
    """Millimetres to twips."""
    return round(value * TWIPS_PER_MM)
