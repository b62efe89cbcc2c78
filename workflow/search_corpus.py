"""A deterministic corpus of issued documents for search tests and bench/search.py.

Issuers across ministries, provincial departments and people's committees; types in realistic
proportions; subjects and bodies put together from real administrative phrasing (accented
Vietnamese); numbers run 1, 2, 3 … per (issuer, register, year) as a register would give them.
Each document's content is one of the fixtures of its type (fixtures/documents/) with issuer,
subject, body, signer and recipients replaced, so it is content the engine accepts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"

# (doc type, fixture it takes its shape from, share of documents, symbol abbreviation or None)
TYPES: tuple[tuple[str, str, int, str | None], ...] = (
    ("cong_van", "cong-van-khan-mat-2023", 46, None),
    ("quyet_dinh", "quyet-dinh-thanh-lap-to-cong-tac-2022", 16, "QĐ"),
    ("thong_bao", "seed-conclusion-notice-2021", 11, "TB"),
    ("ke_hoach", "ke-hoach-hai-phu-luc-2024", 9, "KH"),
    ("bao_cao", "bao-cao-nhieu-noi-nhan-2023", 9, "BC"),
    ("giay_moi", "giay-moi-hop-ban-chi-dao-2023", 5, "GM"),
    ("to_trinh", "to-trinh-kinh-gui-2023", 4, "TTr"),
)


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str
    parent: str | None
    place: str
    head: str  # authority line of a deputy signing: "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"
    short: str  # how the body names it


MINISTRIES = (
    ("BGDĐT", "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Bộ Giáo dục và Đào tạo"),
    ("BYT", "BỘ Y TẾ", "Bộ Y tế"),
    ("BTC", "BỘ TÀI CHÍNH", "Bộ Tài chính"),
    ("BNV", "BỘ NỘI VỤ", "Bộ Nội vụ"),
    ("BTNMT", "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Bộ Tài nguyên và Môi trường"),
    ("BGTVT", "BỘ GIAO THÔNG VẬN TẢI", "Bộ Giao thông vận tải"),
    ("BKHĐT", "BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "Bộ Kế hoạch và Đầu tư"),
    ("BTTTT", "BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "Bộ Thông tin và Truyền thông"),
)
PROVINCES = ("Lào Cai", "Đắk Lắk", "Đà Nẵng", "Cần Thơ", "Thái Bình", "Quảng Ngãi")
DEPARTMENTS = (
    ("SGDĐT", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
    ("SYT", "SỞ Y TẾ", "Sở Y tế"),
    ("STC", "SỞ TÀI CHÍNH", "Sở Tài chính"),
    ("SNV", "SỞ NỘI VỤ", "Sở Nội vụ"),
    ("STNMT", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở Tài nguyên và Môi trường"),
)


def _province_code(province: str) -> str:
    from workflow.search import fold

    return "".join(w[0] for w in fold(province).split()).upper()


def issuers() -> list[Issuer]:
    found = [
        Issuer(code, name, None, "Hà Nội", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG", short)
        for code, name, short in MINISTRIES
    ]
    for province in PROVINCES:
        suffix = _province_code(province)
        parent = (
            f"UBND TỈNH {province.upper()}" if province != "Đà Nẵng" else "UBND THÀNH PHỐ ĐÀ NẴNG"
        )
        for code, name, short in DEPARTMENTS:
            found.append(
                Issuer(
                    f"{code}{suffix}", name, parent, province, "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", short
                )
            )
        found.append(
            Issuer(
                f"UBND{suffix}",
                f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}",
                None,
                province,
                "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
                f"Ủy ban nhân dân tỉnh {province}",
            )
        )
    return found


FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Minh", "Quang", "Thanh", "Đức", "Hữu", "Ngọc", "Thu", "Hoàng", "Xuân",
          "Đình", "Kim", "Bảo")  # fmt: skip
GIVEN = ("An", "Bình", "Cường", "Dũng", "Đạt", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Lan", "Long",
         "Mai", "Nam", "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến",
         "Đông", "Đức", "Khánh", "Linh", "Oanh", "Thắng", "Thủy")  # fmt: skip

TOPICS = (
    "phòng, chống dịch COVID-19",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "cải cách hành chính",
    "chuyển đổi số",
    "bảo đảm trật tự, an toàn giao thông",
    "phòng cháy, chữa cháy",
    "xây dựng nông thôn mới",
    "quản lý, sử dụng đất đai",
    "bảo vệ môi trường",
    "thực hành tiết kiệm, chống lãng phí",
    "phòng, chống tham nhũng, tiêu cực",
    "thi đua, khen thưởng",
    "đào tạo, bồi dưỡng cán bộ, công chức, viên chức",
    "tuyển sinh vào lớp 10 trung học phổ thông",
    "kiểm định chất lượng giáo dục",
    "bảo hiểm y tế học sinh, sinh viên",
    "bảo đảm an toàn thực phẩm",
    "tiêm chủng mở rộng",
    "quyết toán ngân sách nhà nước",
    "giải ngân vốn đầu tư công",
    "ứng dụng công nghệ thông tin",
    "văn thư, lưu trữ",
    "dân số và phát triển",
    "giảm nghèo bền vững",
    "phổ biến, giáo dục pháp luật",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục",
    "phòng, chống bệnh sốt xuất huyết",
    "quản lý tài sản công",
    "kiểm soát thủ tục hành chính",
)
EVENTS = (
    "Hội nghị tổng kết năm học",
    "Hội nghị sơ kết 6 tháng đầu năm",
    "Hội nghị triển khai nhiệm vụ",
    "Hội nghị công tác văn phòng, truyền thông",
    "Hội nghị trực tuyến toàn quốc",
    "Hội thảo khoa học",
    "Lễ phát động phong trào thi đua",
    "Đoàn kiểm tra liên ngành",
)
LEADERS = ("Bộ trưởng", "Thứ trưởng", "Chủ tịch Ủy ban nhân dân tỉnh",
           "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Giám đốc Sở", "Phó Giám đốc Sở")  # fmt: skip
BASES = (
    "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    "Chỉ thị số 23/CT-TTg ngày 02 tháng 9 năm 2021 của Thủ tướng Chính phủ",
    "Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ phê duyệt "
    "Chương trình Chuyển đổi số quốc gia",
    "Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng "
    "thể cải cách hành chính nhà nước giai đoạn 2021-2030",
    "Luật Giáo dục ngày 14 tháng 6 năm 2019",
    "Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015",
    "Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013",
    "Kế hoạch công tác năm của cơ quan",
)
RECIPIENTS = (
    ("Bộ trưởng", "để b/c"),
    ("Các Thứ trưởng", "để b/c"),
    ("Văn phòng Chính phủ", "để b/c"),
    ("Các đơn vị thuộc Bộ", "để t/h"),
    ("Sở Giáo dục và Đào tạo các tỉnh, thành phố", "để t/h"),
    ("Ủy ban nhân dân các huyện, thị xã, thành phố", "để t/h"),
    ("Các phòng, ban chuyên môn", "để t/h"),
    ("Kho bạc Nhà nước tỉnh", "để phối hợp"),
    ("Cổng thông tin điện tử", "để đăng tải"),
    ("Thường trực Hội đồng nhân dân tỉnh", "để b/c"),
    ("Các trường trung học phổ thông", "để t/h"),
    ("Trung tâm Kiểm soát bệnh tật tỉnh", "để t/h"),
)
CLOSINGS = (
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh về {unit} để được"
    " hướng dẫn, giải quyết./.",
    "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.",
    "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.",
    "{short} trân trọng đề nghị các đơn vị phối hợp thực hiện./.",
)


def _subject(rng: random.Random, doc_type: str, year: int, issuer: Issuer) -> str:
    topic = rng.choice(TOPICS)
    event = rng.choice(EVENTS)
    if doc_type == "cong_van":
        return rng.choice(
            (
                f"V/v triển khai nhiệm vụ năm học {year}-{year + 1}",
                f"V/v tăng cường công tác {topic}",
                f"V/v báo cáo kết quả thực hiện công tác {topic} năm {year}",
                f"V/v hướng dẫn thực hiện công tác {topic}",
                f"V/v đề nghị cung cấp thông tin, số liệu về {topic}",
                f"V/v góp ý dự thảo văn bản về {topic}",
            )
        )
    if doc_type == "thong_bao":
        return rng.choice(
            (
                f"Kết luận của {rng.choice(LEADERS)} tại {event} năm {year}",
                f"Kết luận của {rng.choice(LEADERS)} tại cuộc họp về công tác {topic}",
                f"Kết quả kiểm tra công tác {topic} năm {year}",
            )
        )
    if doc_type == "quyet_dinh":
        return rng.choice(
            (
                f"Về việc ban hành Kế hoạch thực hiện công tác {topic} năm {year}",
                f"Về việc thành lập Ban Chỉ đạo công tác {topic}",
                f"Về việc phê duyệt kết quả {topic} năm {year}",
                f"Về việc khen thưởng tập thể, cá nhân có thành tích trong công tác {topic}",
            )
        )
    if doc_type == "ke_hoach":
        return f"Triển khai công tác {topic} năm {year}"
    if doc_type == "bao_cao":
        period = rng.choice(("6 tháng đầu năm", "quý I", "quý III", "năm"))
        return f"Kết quả thực hiện công tác {topic} {period} {year}"
    if doc_type == "giay_moi":
        return f"Dự {event} về công tác {topic}"
    return f"Đề nghị phê duyệt Đề án {topic} giai đoạn {year}-{year + 5}"


def _body(rng: random.Random, subject: str, issuer: Issuer, year: int) -> str:
    topics = rng.sample(TOPICS, 3)
    basis = rng.choice(BASES)
    day = date(year, rng.randint(1, 12), rng.randint(1, 28))
    lines = [
        f"Thực hiện {basis}, {issuer.short} đề nghị các cơ quan, đơn vị triển khai thực hiện"
        f" các nội dung sau:",
        f"1. Tăng cường công tác {topics[0]}; chủ động xây dựng kế hoạch, phân công nhiệm vụ cụ"
        f" thể cho từng tổ chức, cá nhân.",
        f"2. Đẩy mạnh {topics[1]}, bảo đảm hoàn thành các mục tiêu, nhiệm vụ năm {year}.",
        f"3. Phối hợp chặt chẽ với các cơ quan liên quan trong công tác {topics[2]}; kịp thời"
        f" tổng hợp khó khăn, vướng mắc.",
        f"4. Báo cáo kết quả thực hiện về {issuer.short} trước ngày {day.day:02d} tháng"
        f" {day.month:02d} năm {year} để tổng hợp, báo cáo cấp có thẩm quyền.",
        rng.choice(CLOSINGS).format(unit="Văn phòng", short=issuer.short),
    ]
    return "\n\n".join(lines[: 2 + rng.randint(2, 4)] + lines[-1:])


@dataclass(frozen=True)
class Generated:
    """One issued document: the row values the engine would have stored, content as JSON."""

    doc_type: str
    issuer_code: str
    unit_code: str
    symbol: str
    number: int
    issued_date: date
    content: dict[str, Any]


def _templates() -> dict[str, dict[str, Any]]:
    found = {}
    for doc_type, fixture, _share, _abbr in TYPES:
        data = yaml.safe_load((FIXTURES / f"{fixture}.yaml").read_text(encoding="utf-8"))
        for mark in ("secrecy", "urgency", "circulation", "appendices", "contact"):
            data.pop(mark, None)
        found[doc_type] = data
    return found


def generate(
    count: int, *, seed: int = 30, years: tuple[int, int] = (2015, 2026)
) -> Iterator[Generated]:
    """`count` issued documents, dated in order across `years`, numbered per issuer and year."""
    rng = random.Random(seed)
    templates = _templates()
    all_issuers = issuers()
    signers = {
        i.code: [f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(3)]
        for i in all_issuers
    }
    kinds = [t[0] for t in TYPES]
    weights = [t[2] for t in TYPES]
    abbr = {t[0]: t[3] for t in TYPES}
    first, last = date(years[0], 1, 2), date(years[1], 12, 30)
    span = (last - first).days
    counters: dict[tuple[str, int], int] = {}
    for i in range(count):
        day = first + timedelta(days=span * i // max(count, 1))
        issuer = all_issuers[rng.randrange(len(all_issuers))]
        doc_type = rng.choices(kinds, weights)[0]
        unit = "VP"
        symbol = f"{abbr[doc_type]}-{issuer.code}" if abbr[doc_type] else f"{issuer.code}-{unit}"
        number = counters[(issuer.code, day.year)] = counters.get((issuer.code, day.year), 0) + 1
        subject = _subject(rng, doc_type, day.year, issuer)
        content = dict(templates[doc_type])
        content["issuer"] = {"name": issuer.name, "code": issuer.code} | (
            {"parent": issuer.parent} if issuer.parent else {}
        )
        content["drafting_unit"] = {"name": "Văn phòng", "code": unit}
        content["place"] = issuer.place
        content["year"] = day.year
        content["subject"] = subject
        content["body"] = _body(rng, subject, issuer, day.year)
        content["signature"] = {"authority": issuer.head, "name": rng.choice(signers[issuer.code])}
        picked = rng.sample(RECIPIENTS, rng.randint(2, 5))
        content["recipients"] = [{"name": n, "purpose": p} for n, p in picked]
        yield Generated(doc_type, issuer.code, unit, symbol, number, day, content)
