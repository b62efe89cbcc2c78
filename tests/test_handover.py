import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from workflow.casefiles import CaseFile
from workflow.content import DocumentContent, read
from workflow.directory import Directory
from workflow.handover import (
    MANIFEST,
    HandoverDocument,
    _write_zip,
    build_package,
    handover_document,
    save_package,
    verify_package,
)
from workflow.recipients import dispatch_targets, print_count

from .conftest import SEED

CASE = CaseFile(
    year=2021,
    number=1,
    heading="VP",
    title="Hồ sơ Hội nghị công tác văn phòng, truyền thông khối Sở GDĐT năm 2021",
    retention="Vĩnh viễn",
    owner="Văn phòng",
)
WHEN = datetime(2021, 12, 31, 3, 0, tzinfo=UTC)


def docx_bytes(*lines):
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def documents():
    directory = Directory.load()
    seed = read(SEED)
    cv = DocumentContent.model_validate(
        {
            **seed.model_dump(mode="json"),
            "doc_type": "cong_van",
            "subject": "V/v gửi tài liệu hội nghị",
            "addressees": ["Các sở giáo dục và đào tạo"],
            "recipients": [{"name": "Như trên"}],
            "urgency": "Khẩn",
        }
    )
    docs = []
    for number, content, issued in (("07", seed, date(2021, 9, 20)), ("15", cv, date(2021, 10, 4))):
        targets = dispatch_targets(content, directory)
        docs.append(
            handover_document(
                content,
                number=number,
                issued=issued,
                filename=f"{number}-{content.symbol}.docx",
                data=docx_bytes(content.type.name, *content.recipient_lines()),
                targets=targets,
                directory=directory,
                issued_amount=print_count(content, targets),
                pages=3,
            )
        )
    return docs


@pytest.fixture(scope="module")
def package(documents):
    return build_package(CASE, documents, organ_id="000.00.00.X01", created=WHEN)


def members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def test_package_holds_metadata_files_and_manifest(package, documents):
    assert verify_package(package) == []
    names = [n for n, _ in members(package)]
    assert names == [
        "casefile.xml",
        "documents/001/metadata.xml",
        "documents/001/07-TB-BGDĐT.docx",
        "documents/002/metadata.xml",
        "documents/002/15-BGDĐT-VP.docx",
        MANIFEST,
    ]
    content = dict(members(package))
    case = etree.fromstring(content["casefile.xml"])
    assert case.findtext("FileCode/OrganId") == "000.00.00.X01"
    assert case.findtext("FileCode/FileCatalog") == "2021"
    assert case.findtext("FileCode/FileNotation") == "01.VP"
    assert case.findtext("Maintenance") == "Vĩnh viễn"
    assert (case.findtext("StartDate"), case.findtext("EndDate")) == ("20/09/2021", "04/10/2021")
    assert (case.findtext("DocTotal"), case.findtext("PageTotal")) == ("2", "6")
    first = etree.fromstring(content["documents/001/metadata.xml"])
    assert [first.findtext(f) for f in ("DocOrdinal", "TypeName", "CodeNumber", "CodeNotation", "IssuedDate")] == [
        "1", "Thông báo", "07", "TB-BGDĐT", "20/09/2021",
    ]  # fmt: skip
    assert first.findtext("SignerInfo/FullName") == "Trần Quang Nam"
    assert first.findtext("SignerInfo/Position") == "CHÁNH VĂN PHÒNG"
    assert len(first.findall("To")) == 89
    assert first.findtext("IssuedAmount") == "91"
    second = etree.fromstring(content["documents/002/metadata.xml"])
    assert (second.findtext("Priority"), second.findtext("CodeNotation")) == ("1", "BGDĐT-VP")
    assert content["documents/001/07-TB-BGDĐT.docx"] == documents[0].data
    opened = Document(io.BytesIO(content["documents/001/07-TB-BGDĐT.docx"]))
    assert opened.paragraphs[0].text == "Thông báo"


def test_the_build_is_reproducible(package, documents):
    assert build_package(CASE, documents, organ_id="000.00.00.X01", created=WHEN) == package


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
def test_manifest_checks_with_sha256sum(package, tmp_path):
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        z.extractall(tmp_path)
    run = subprocess.run(
        ["sha256sum", "-c", MANIFEST], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(": OK") == 5


@pytest.mark.parametrize(
    "which",
    ["casefile.xml", "documents/001/metadata.xml", "documents/002/15-BGDĐT-VP.docx", MANIFEST],
)
@pytest.mark.parametrize("where", [0, 0.5, -1])
def test_one_byte_changed_in_any_member_is_reported(package, which, where):
    parts = members(package)
    i = next(k for k, (n, _) in enumerate(parts) if n == which)
    name, data = parts[i]
    at = len(data) - 1 if where == -1 else int(len(data) * where)
    parts[i] = (name, data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
    problems = verify_package(_write_zip(parts, (2021, 12, 31, 10, 0, 0)))
    assert problems
    assert any(which in p or MANIFEST in p for p in problems), problems


def test_every_single_byte_flip_of_a_small_package_is_reported():
    docs = [
        HandoverDocument(
            type_name="Thông báo",
            number=f"0{n}",
            symbol="TB-BGDĐT",
            issued=date(2021, 9, n),
            organ_name="BỘ GIÁO DỤC VÀ ĐÀO TẠO",
            subject="Kết luận",
            signer_position="CHÁNH VĂN PHÒNG",
            signer_name="Trần Quang Nam",
            to=(("000.00.01.X26", "Sở GDĐT Hà Nội"),),
            issued_amount=3,
            filename=f"0{n}.txt",
            data=f"văn bản số {n}".encode(),
        )
        for n in (1, 2)
    ]
    data = build_package(CASE, docs, organ_id=None, created=WHEN)
    assert verify_package(data) == []
    missed = []
    for at in range(len(data)):
        for mask in (0x01, 0x80):
            tampered = data[:at] + bytes([data[at] ^ mask]) + data[at + 1 :]
            if not verify_package(tampered):
                missed.append((at, mask))
    assert missed == [], f"{len(missed)} flips of {2 * len(data)} went unnoticed: {missed[:10]}"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_byte_changes_of_a_real_package_are_reported(package, data):
    at = data.draw(st.integers(0, len(package) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda v: v != package[at]))
    assert verify_package(package[:at] + bytes([value]) + package[at + 1 :])


def test_added_removed_and_truncated(package, tmp_path):
    parts = members(package)
    extra = verify_package(
        _write_zip([*parts[:-1], ("notes.txt", b"x"), parts[-1]], (2021, 1, 1, 0, 0, 0))
    )
    assert "notes.txt: in the package but not in the manifest" in extra
    without = verify_package(
        _write_zip(
            [p for p in parts if p[0] != "documents/001/07-TB-BGDĐT.docx"], (2021, 1, 1, 0, 0, 0)
        )
    )
    assert (
        "documents/001/07-TB-BGDĐT.docx: listed in the manifest but not in the package" in without
    )
    no_manifest = verify_package(_write_zip(parts[:-1], (2021, 1, 1, 0, 0, 0)))
    assert no_manifest == [f"{MANIFEST}: missing"]
    assert verify_package(package[: len(package) // 2])[0].startswith("not a readable zip")
    path = save_package(package, tmp_path / "01.VP-2021.zip")
    assert verify_package(path) == [] and verify_package(str(path)) == []
    assert [p.name for p in tmp_path.iterdir()] == ["01.VP-2021.zip"]
