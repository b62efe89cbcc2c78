import pytest
from pydantic import ValidationError

from workflow.content import DocumentContent, read
from workflow.directory import Directory
from workflow.recipients import (
    RecipientError,
    check_for_issue,
    dispatch_targets,
    issue_problems,
    plan,
    print_count,
)

from .conftest import SEED, SHARED_SEED


@pytest.fixture(scope="module")
def directory():
    return Directory.load()


@pytest.fixture(scope="module")
def seed():
    return read(SEED)


def with_recipients(content, recipients, **changes):
    data = content.model_dump(mode="json")
    data["recipients"] = recipients
    data.update(changes)
    return DocumentContent.model_validate(data)


def seed_noi_nhan_block():
    """The lines under "Nơi nhận:" in the shared seed text."""
    lines = SHARED_SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("Nơi nhận:")
    return [line for line in lines[start + 1 :] if line.startswith("- ")]


def codes(problems):
    return [p.code for p in problems]


def test_seed_block_is_printed_exactly_as_the_seed(seed):
    assert seed_noi_nhan_block() == seed.recipient_lines()


def test_seed_fans_out_to_63_departments_and_the_ministry(seed, directory):
    targets = dispatch_targets(seed, directory)
    departments = directory.members("cac-sgddt-2021")
    leaders = ["bgddt.bo-truong", *directory.members("bgddt.cac-thu-truong")]
    # Văn phòng drafts the notice: its copy is the "Lưu: VT, VP." copy, not a dispatch target.
    units = [u for u in directory.members("bgddt.cac-don-vi") if u != "bgddt.vp"]
    assert [t.key for t in targets] == leaders + units + departments
    n = len(leaders) + len(units)
    assert len(targets) == 63 + n
    assert {t.channel.kind for t in targets if t.key in departments} == {"email"}
    assert all(t.internal for t in targets if t.key not in departments)
    assert [t.line for t in targets] == sorted(t.line for t in targets)
    ha_noi = next(t for t in targets if t.key == "sgddt-ha-noi")
    assert (ha_noi.purpose, ha_noi.via, ha_noi.line) == ("để t/h", "Các sở giáo dục và đào tạo", 3)
    assert ha_noi.line_text == "- Các sở giáo dục và đào tạo (để t/h)"
    assert print_count(seed, targets) == len(targets) + 2
    assert issue_problems(seed, directory, symbol="07/TB-BGDĐT") == []


def test_a_member_listed_again_beside_its_group_is_refused_naming_both_lines(seed, directory):
    doc = with_recipients(
        seed,
        [
            *seed.model_dump()["recipients"],
            {"name": "Sở GDĐT Hà Nội", "purpose": "để biết", "ref": "sgddt-ha-noi"},
        ],
    )
    with pytest.raises(RecipientError) as info:
        dispatch_targets(doc, directory)
    [problem] = info.value.problems
    assert problem.code == "duplicate_recipient"
    assert problem.field == "recipients[4]"
    assert "'- Sở GDĐT Hà Nội (để biết)'" in problem.message
    assert "recipients[3] '- Các sở giáo dục và đào tạo (để t/h)'" in problem.message
    assert "Sở Giáo dục và Đào tạo thành phố Hà Nội" in problem.message


def test_a_member_listed_before_its_group_and_overlapping_groups_are_refused(seed, directory):
    doc = with_recipients(
        seed,
        [
            {"name": "Thứ trưởng Hoàng Minh Sơn", "ref": "bgddt.thu-truong-1"},
            {"name": "Lãnh đạo Bộ", "purpose": "để b/c", "ref": "bgddt.lanh-dao-bo"},
        ],
    )
    problems = plan(doc, directory).problems
    assert codes(problems) == ["duplicate_recipient"]
    assert problems[0].field == "recipients[1]"
    assert "recipients[0] '- Thứ trưởng Hoàng Minh Sơn'" in problems[0].message


def test_the_same_line_twice_is_refused_without_the_directory(seed):
    with pytest.raises(
        ValidationError,
        match=r"recipients\[1\]: 'BỘ TRƯỞNG' is already listed as recipients\[0\] \('- Bộ trưởng'\)",
    ):
        with_recipients(seed, [{"name": "Bộ trưởng"}, {"name": "BỘ TRƯỞNG", "purpose": "để biết"}])
    with pytest.raises(ValidationError, match=r"ref 'cac-sgddt-2021' is already listed"):
        with_recipients(
            seed,
            [
                {"name": "Các Sở GDĐT", "ref": "cac-sgddt-2021"},
                {"name": "Các sở", "ref": "cac-sgddt-2021"},
            ],
        )


def test_unknown_refs_and_unreachable_receivers_are_named(seed, directory):
    doc = with_recipients(
        seed,
        [
            {"name": "Bộ trưởng", "ref": "bgddt.bo-truong-cu"},
            {"name": "Sở GDĐT Hà Nội", "purpose": "để biết"},
            {"name": "Báo Giáo dục và Thời đại"},
        ],
    )
    problems = issue_problems(doc, directory)
    assert codes(problems) == ["unknown_ref", "no_channel", "no_channel"]
    assert problems[0].field == "recipients[0].ref"
    assert "did you mean ref: sgddt-ha-noi?" in problems[1].message
    assert "'Báo Giáo dục và Thời đại' is not in the directory" in problems[2].message
    with pytest.raises(RecipientError, match=r"bgddt\.bo-truong-cu"):
        check_for_issue(doc, directory)


def test_the_drafting_unit_listed_again_disagrees_with_the_luu_line(seed, directory):
    doc = with_recipients(seed, [{"name": "Văn phòng", "purpose": "để t/h", "ref": "bgddt.vp"}])
    [problem] = issue_problems(doc, directory)
    assert problem.code == "archived_twice"
    assert "'- Lưu: VT, VP.'" in problem.message


def test_symbol_unit_code_and_luu_line_must_agree(seed, directory):
    assert codes(issue_problems(seed, directory, symbol="TB-BGDĐT")) == []
    [problem] = issue_problems(seed, directory, symbol="07/TB-BGD")
    assert problem.code == "symbol_mismatch" and "'- Lưu: VT, VP.'" in problem.message
    cv = with_recipients(
        seed,
        [{"name": "Như trên"}],
        doc_type="cong_van",
        addressees=["Các sở giáo dục và đào tạo"],
        subject="V/v công tác văn phòng",
    )
    assert issue_problems(cv, directory, symbol="12/BGDĐT-VP") == []
    assert codes(issue_problems(cv, directory, symbol="12/BGDĐT-KHTC")) == ["symbol_mismatch"]
    unknown_unit = with_recipients(
        seed, seed.model_dump()["recipients"], drafting_unit={"name": "Phòng X", "code": "PX"}
    )
    [problem] = issue_problems(unknown_unit, directory)
    assert (problem.code, problem.field) == ("unknown_unit", "drafting_unit.code")
    assert "'- Lưu: VT, PX.'" in problem.message
    stranger = with_recipients(seed, [], issuer={"name": "Bộ Khác", "code": "BK"})
    assert codes(issue_problems(stranger, directory)) == ["unknown_issuer"]


def test_printed_block_must_be_the_recipient_list(seed, directory):
    lines = seed_noi_nhan_block()
    assert issue_problems(seed, directory, printed_lines=lines) == []
    wrong = [*lines[:-1], "- Lưu: VT, KHTC."]
    [problem] = issue_problems(seed, directory, printed_lines=wrong)
    assert problem.code == "printed_mismatch"
    assert "line 5" in problem.message and "'- Lưu: VT, KHTC.'" in problem.message
    [problem] = issue_problems(seed, directory, printed_lines=lines[:2])
    assert "printed '(nothing)'" in problem.message


def test_nhu_tren_reaches_the_kinh_gui_addressees(seed, directory):
    cv = with_recipients(
        seed,
        [
            {"name": "Như trên"},
            {"name": "Bộ trưởng", "purpose": "để b/c", "ref": "bgddt.bo-truong"},
        ],
        doc_type="cong_van",
        addressees=["Các sở giáo dục và đào tạo", "Cục Công nghệ thông tin"],
        subject="V/v công tác văn phòng",
    )
    targets = dispatch_targets(cv, directory)
    assert len(targets) == 63 + 2
    assert targets[0].via == "Các sở giáo dục và đào tạo" and targets[0].line == 0
    assert targets[63].key == "bgddt.cntt" and targets[63].via == "Kính gửi"
    assert targets[64].key == "bgddt.bo-truong"
    unknown = with_recipients(cv, [{"name": "Như trên"}], addressees=["Bộ Tài chính"])
    [problem] = plan(unknown, directory).problems
    assert problem.code == "no_channel" and "'Bộ Tài chính'" in problem.message
    twice = with_recipients(cv, [{"name": "Như trên"}, {"name": "Cục CNTT", "ref": "bgddt.cntt"}])
    assert codes(plan(twice, directory).problems) == ["duplicate_recipient"]


QD_BODY = """**Điều 1.** Ban hành kèm theo Quyết định này Quy chế công tác văn thư.

**Điều 2.** Quyết định này có hiệu lực kể từ ngày ký.

**Điều 3.** Chánh Văn phòng, Vụ trưởng Vụ Giáo dục Đại học, Cục trưởng Cục Công nghệ thông tin và thủ trưởng các đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.
"""


def test_nhu_dieu_n_reaches_whoever_the_article_names(seed, directory):
    qd = with_recipients(
        seed,
        [
            {"name": "Như Điều 3"},
            {"name": "Bộ trưởng", "purpose": "để b/c", "ref": "bgddt.bo-truong"},
        ],
        doc_type="quyet_dinh",
        body=QD_BODY,
        drafting_unit={"name": "Vụ Giáo dục Đại học", "code": "GDĐH"},
    )
    targets = dispatch_targets(qd, directory)
    # The drafting unit (GDĐH) is named in Điều 3 but keeps its copy through "Lưu: VT, GDĐH.".
    assert [t.key for t in targets] == ["bgddt.vp.chanh-van-phong", "bgddt.cntt", "bgddt.bo-truong"]
    assert targets[0].via == "Điều 3"
    missing = with_recipients(qd, [{"name": "Như Điều 4"}])
    assert "no 'Điều 4.'" in plan(missing, directory).problems[0].message
    nobody = with_recipients(qd, [{"name": "Như Điều 2"}])
    assert "no directory entry is named in Điều 2" in plan(nobody, directory).problems[0].message
    explicit = with_recipients(qd, [{"name": "Như Điều 2", "ref": "bgddt.cac-thu-truong"}])
    assert len(dispatch_targets(explicit, directory)) == 5
