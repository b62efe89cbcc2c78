from datetime import UTC, date, datetime

import pytest

from numbering.symbols import format_number, number_line
from workflow.vietnamese import (
    canonical_tones,
    date_words,
    fold,
    format_day,
    format_month,
    place_and_date,
    upper,
    vietnam_date,
)


@pytest.mark.parametrize(
    ("number", "printed"),
    [(1, "01"), (7, "07"), (9, "09"), (10, "10"), (123, "123"), (2000, "2000")],
)
def test_leading_zero_only_below_ten(number, printed):
    assert format_number(number) == printed


def test_number_zero_is_refused():
    with pytest.raises(ValueError, match="starts at 1"):
        format_number(0)


@pytest.mark.parametrize(
    ("month", "printed"), [(1, "01"), (2, "02"), (3, "3"), (9, "9"), (12, "12")]
)
def test_months_padded_only_for_january_and_february(month, printed):
    assert format_month(month) == printed


def test_days_padded_below_ten():
    assert [format_day(d) for d in (1, 5, 9, 10, 31)] == ["01", "05", "09", "10", "31"]


def test_place_and_date_as_the_decree_writes_it():
    assert place_and_date("Hà Nội", date(2022, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2022"
    assert date_words(date(2021, 9, 10)) == "ngày 10 tháng 9 năm 2021"
    assert date_words(date(2021, 12, 3)) == "ngày 03 tháng 12 năm 2021"


def test_number_line_draft_and_issued():
    assert number_line("TB-BGDĐT", 7) == "Số: 07/TB-BGDĐT"
    assert number_line("TB-BGDĐT", None).split() == ["Số:", "/TB-BGDĐT"]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("CỘNG HOÀ", "CỘNG HÒA"),
        ("Uỷ ban", "Ủy ban"),
        ("Hoả tốc", "Hỏa tốc"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("quý", "quý"),  # qu is a consonant: tone stays on y
        ("hoàn thành", "hoàn thành"),  # a final consonant: tone on the main vowel already
        ("ngoài", "ngoài"),
    ],
)
def test_tone_placement_is_canonicalised(text, canonical):
    assert canonical_tones(text) == canonical


def test_upper_is_real_capitals_with_d_stroke():
    assert upper("Bộ Giáo dục và Đào tạo") == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert upper("đ") == "Đ"


def test_fold_removes_marks_and_maps_d_stroke():
    assert fold("Kết luận Hội nghị") == "ket luan hoi nghi"
    assert fold("ĐÀO TẠO") == "dao tao"
    assert fold("BGDĐT") == "bgddt"
    # NFD input folds the same as NFC input
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "đào tạo")) == "dao tao"


def test_year_boundary_is_taken_in_vietnam_time():
    # 00:10 on 1 January in Vietnam is still 31 December in UTC
    moment = datetime(2021, 12, 31, 17, 10, tzinfo=UTC)
    assert vietnam_date(moment) == date(2022, 1, 1)
    assert vietnam_date(datetime(2021, 12, 31, 16, 30, tzinfo=UTC)) == date(2021, 12, 31)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        vietnam_date(datetime(2021, 1, 1))
