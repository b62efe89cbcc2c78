"""Which register a document is numbered in, and the advisory_body content field."""

from __future__ import annotations

import pytest

from numbering.registers import RegisterConfig, SeriesKey
from workflow.content import DocumentContent

from .engine_support import SEED_CONTENT

DEFAULT = RegisterConfig()


def test_ordinary_documents_of_an_issuer_share_one_register():
    assert DEFAULT.register_for("BGDĐT", "thong_bao", "TB") == "VB"
    assert DEFAULT.register_for("BGDĐT", "quyet_dinh", "QĐ") == "VB"
    assert DEFAULT.register_for("BGDĐT", "cong_van", None) == "VB"


def test_separate_series():
    assert DEFAULT.register_for("BGDĐT", "thong_bao", "TB", secret=True) == "MAT"
    assert DEFAULT.register_for("BGDĐT", "sy", "SY", copy=True) == "SAO"
    assert DEFAULT.register_for("BGDĐT", "sl", "SL", copy=True) == "SAO"
    assert DEFAULT.register_for("BGDĐT", "trs", "TrS", copy=True) == "SAO"
    assert DEFAULT.register_for("BGDĐT", "thong_bao", "TB", advisory_body="HĐKH") == "HĐTV-HĐKH"
    assert DEFAULT.register_for("BGDĐT", "thong_tu", "TT", legal_normative=True) == "QPPL-TT"
    # A secret advisory-body document is still secret: Điều 15.2 comes first.
    assert DEFAULT.register_for("X", "thong_bao", "TB", secret=True, advisory_body="HĐ") == "MAT"
    with pytest.raises(ValueError, match="copy"):
        DEFAULT.register_for("BGDĐT", "thong_bao", "TB", copy=True)


def test_per_issuer_override_from_configuration(tmp_path):
    path = tmp_path / "registers.yaml"
    path.write_text("registers:\n  UBND:\n    QĐ: QĐ\n    ke_hoach: KH\n", encoding="utf-8")
    config = RegisterConfig.from_yaml(path)
    assert config.register_for("UBND", "quyet_dinh", "QĐ") == "QĐ"
    assert config.register_for("UBND", "ke_hoach", "KH") == "KH"
    assert config.register_for("UBND", "thong_bao", "TB") == "VB"
    assert config.register_for("BGDĐT", "quyet_dinh", "QĐ") == "VB"  # only that issuer
    assert config.series_for("UBND", "quyet_dinh", "QĐ") == SeriesKey("UBND", "QĐ")


def test_series_key_text_round_trip():
    assert SeriesKey.parse("BGDĐT/VB") == SeriesKey("BGDĐT", "VB")
    assert str(SeriesKey("BGDĐT", "HĐTV-HĐKH")) == "BGDĐT/HĐTV-HĐKH"
    with pytest.raises(ValueError, match="ISSUER/REGISTER"):
        SeriesKey.parse("VB")


def test_advisory_body_is_a_code_in_content():
    data = SEED_CONTENT.model_dump()
    content = DocumentContent.model_validate({**data, "advisory_body": " HĐKH "})
    assert content.advisory_body == "HĐKH"
    assert content.sha256() != SEED_CONTENT.sha256()
    with pytest.raises(ValueError, match="not a code"):
        DocumentContent.model_validate({**data, "advisory_body": "Hội đồng khoa học"})
