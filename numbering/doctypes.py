"""The administrative document types of Decree 30 (Điều 7; abbreviations of Phụ lục III, I)
and the layout family (Mẫu of Phụ lục III, II) each one is drawn with."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Family(StrEnum):
    """Layout families of Phụ lục III, II — one Word template each."""

    NGHI_QUYET = "1.1"  # nghị quyết (cá biệt)
    QUYET_DINH = "1.2"  # quyết định, direct (1.2) or issuing an attached text (1.3)
    TYPED = "1.4"  # every other typed document: thông báo, kế hoạch, báo cáo, tờ trình …
    CONG_VAN = "1.5"  # công văn: "V/v" under the number, Kính gửi, "Như trên"
    CONG_DIEN = "1.6"
    GIAY_MOI = "1.7"
    GIAY_GIOI_THIEU = "1.8"
    BIEN_BAN = "1.9"  # two signers, no place-and-date line in ô 4
    GIAY_NGHI_PHEP = "1.10"


@dataclass(frozen=True)
class DocType:
    id: str  # stable identifier used in fixtures, the API and the database
    name: str  # "Thông báo"
    abbr: str | None  # "TB"; None for công văn and thư công (Phụ lục III gives them none)
    family: Family

    @property
    def title(self) -> str:
        """The type name as printed in ô 5a ("THÔNG BÁO"); names above are already canonical."""
        return self.name.upper()

    @property
    def typed(self) -> bool:
        """Typed documents carry their type in the symbol ("TB-BGDĐT"); công văn do not."""
        return self.abbr is not None


_F = Family
DOC_TYPES: tuple[DocType, ...] = (
    DocType("nghi_quyet", "Nghị quyết", "NQ", _F.NGHI_QUYET),
    DocType("quyet_dinh", "Quyết định", "QĐ", _F.QUYET_DINH),
    DocType("chi_thi", "Chỉ thị", "CT", _F.TYPED),
    DocType("quy_che", "Quy chế", "QC", _F.TYPED),
    DocType("quy_dinh", "Quy định", "QyĐ", _F.TYPED),
    DocType("thong_cao", "Thông cáo", "TC", _F.TYPED),
    DocType("thong_bao", "Thông báo", "TB", _F.TYPED),
    DocType("huong_dan", "Hướng dẫn", "HD", _F.TYPED),
    DocType("chuong_trinh", "Chương trình", "CTr", _F.TYPED),
    DocType("ke_hoach", "Kế hoạch", "KH", _F.TYPED),
    DocType("phuong_an", "Phương án", "PA", _F.TYPED),
    DocType("de_an", "Đề án", "ĐA", _F.TYPED),
    DocType("du_an", "Dự án", "DA", _F.TYPED),
    DocType("bao_cao", "Báo cáo", "BC", _F.TYPED),
    DocType("bien_ban", "Biên bản", "BB", _F.BIEN_BAN),
    DocType("to_trinh", "Tờ trình", "TTr", _F.TYPED),
    DocType("hop_dong", "Hợp đồng", "HĐ", _F.TYPED),
    DocType("cong_van", "Công văn", None, _F.CONG_VAN),
    DocType("cong_dien", "Công điện", "CĐ", _F.CONG_DIEN),
    DocType("ban_ghi_nho", "Bản ghi nhớ", "BGN", _F.TYPED),
    DocType("ban_thoa_thuan", "Bản thỏa thuận", "BTT", _F.TYPED),
    DocType("giay_uy_quyen", "Giấy ủy quyền", "GUQ", _F.TYPED),
    DocType("giay_moi", "Giấy mời", "GM", _F.GIAY_MOI),
    DocType("giay_gioi_thieu", "Giấy giới thiệu", "GGT", _F.GIAY_GIOI_THIEU),
    DocType("giay_nghi_phep", "Giấy nghỉ phép", "GNP", _F.GIAY_NGHI_PHEP),
    DocType("phieu_gui", "Phiếu gửi", "PG", _F.TYPED),
    DocType("phieu_chuyen", "Phiếu chuyển", "PC", _F.TYPED),
    DocType("phieu_bao", "Phiếu báo", "PB", _F.TYPED),
    DocType("thu_cong", "Thư công", None, _F.CONG_VAN),
)
"""The 29 types of Điều 7, in the decree's order."""

COPY_TYPES: dict[str, str] = {"SY": "Bản sao y", "TrS": "Bản trích sao", "SL": "Bản sao lục"}
"""Copies (Phụ lục I, Phần II): numbered in one series of their own, never drafted here."""

BY_ID: dict[str, DocType] = {t.id: t for t in DOC_TYPES}


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


_LOOKUP: dict[str, DocType] = {}
for _t in DOC_TYPES:
    _LOOKUP[_key(_t.id)] = _t
    _LOOKUP[_key(_t.name)] = _t
for _t in DOC_TYPES:  # abbreviations are case-sensitive (QĐ vs QyĐ …): exact match only
    if _t.abbr:
        _LOOKUP.setdefault(_t.abbr, _t)


def lookup(value: str) -> DocType:
    """Find a type by id ("thong_bao"), Vietnamese name ("Thông báo") or abbreviation ("TB")."""
    found = _LOOKUP.get(unicodedata.normalize("NFC", value).strip()) or _LOOKUP.get(_key(value))
    if found is None:
        known = ", ".join(t.id for t in DOC_TYPES)
        raise ValueError(f"unknown document type {value!r}; known types: {known}")
    return found
