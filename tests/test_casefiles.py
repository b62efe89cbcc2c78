import pytest
from pydantic import ValidationError

from workflow.casefiles import CaseFile, CaseFileError, FilePlan, check_assignment, parse_code

VP = {"year": 2021, "heading": "VP", "owner": "Nguyễn Văn A"}


def test_code_and_retention():
    f = CaseFile(
        number=1, title="Hồ sơ Hội nghị công tác văn phòng năm 2021", retention="vĩnh viễn", **VP
    )
    assert f.code == "01.VP" and f.retention == "Vĩnh viễn" and f.permanent
    assert CaseFile(number=12, title="T", retention=20, **VP).retention == "20 năm"
    assert CaseFile(number=112, title="T", retention="10  NĂM", **VP).code == "112.VP"
    assert parse_code("01.TCCB") == (1, "TCCB")
    with pytest.raises(CaseFileError, match=r"number\.heading"):
        parse_code("VP-01")
    with pytest.raises(ValidationError, match="retention is 'Vĩnh viễn' or a number of years"):
        CaseFile(number=1, title="T", retention="mãi mãi", **VP)
    with pytest.raises(ValidationError, match="retention"):
        CaseFile(number=1, title="T", retention="0 năm", **VP)


def test_file_plan_numbers_over_the_list_or_per_heading():
    plan = FilePlan(organisation="Bộ Giáo dục và Đào tạo", year=2021)
    plan, a = plan.add(heading="VP", title="Hồ sơ A", retention="Vĩnh viễn", owner="X")
    plan, b = plan.add(heading="TCCB", title="Hồ sơ B", retention=20, owner="Y")
    assert (a.code, b.code) == ("01.VP", "02.TCCB")
    assert plan.file("02.TCCB") == b
    per_heading = FilePlan(organisation="X", year=2021, numbering="heading")
    per_heading, c = per_heading.add(heading="VP", title="C", retention=5, owner="X")
    per_heading, d = per_heading.add(heading="TCCB", title="D", retention=5, owner="X")
    assert (c.code, d.code) == ("01.VP", "01.TCCB")
    with pytest.raises(CaseFileError, match=r"no case file .09\.VP."):
        plan.file("09.VP")


def test_file_plan_refuses_clashes():
    one = CaseFile(number=1, title="A", retention=5, **VP)
    with pytest.raises(ValidationError, match=r"code 01\.VP is used twice"):
        FilePlan(organisation="X", year=2021, files=[one, one])
    other = CaseFile(number=1, title="B", retention=5, year=2021, heading="TCCB", owner="Y")
    with pytest.raises(ValidationError, match="number 01 is taken"):
        FilePlan(organisation="X", year=2021, files=[one, other])
    assert FilePlan(organisation="X", year=2021, numbering="heading", files=[one, other])
    with pytest.raises(ValidationError, match="is of 2021, the list is of 2022"):
        FilePlan(organisation="X", year=2022, files=[one])


def test_only_issued_documents_are_filed_once_each():
    f = CaseFile(number=1, title="A", retention=5, **VP)
    assert check_assignment(f, document="17", state="issued", already=[]) == 1
    assert check_assignment(f, document="18", state="dispatched", already=["17"]) == 2
    with pytest.raises(CaseFileError, match="document 19 is draft: only issued documents"):
        check_assignment(f, document="19", state="draft", already=[])
    with pytest.raises(CaseFileError, match=r"already in case file 01\.VP"):
        check_assignment(f, document="17", state="archived", already=["17"])
