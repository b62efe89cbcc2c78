import io
import unicodedata
from datetime import UTC, date, datetime

import pytest
from docx import Document
from lxml import etree

from workflow.content import DocumentContent, read
from workflow.edxml import NS, EdxmlError, Party, build_envelope, read_envelope

from .conftest import SEED

SENDER = Party("000.00.00.X01", "Bộ Giáo dục và Đào tạo", email="vanthu@bgddt.example")
RECEIVERS = [
    Party("000.00.01.X26", "Sở Giáo dục và Đào tạo thành phố Hà Nội"),
    Party("000.00.01.X79", "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh"),
]


def docx_bytes(text):
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seed():
    return read(SEED)


def build(content, **changes):
    args = {
        "number": "07",
        "issued": date(2021, 9, 20),
        "sender": SENDER,
        "receivers": RECEIVERS,
        "document": docx_bytes("Thông báo kết luận"),
        "filename": "07-TB-BGDĐT.docx",
        "sent_at": datetime(2021, 9, 20, 2, 30, tzinfo=UTC),
        "page_amount": 4,
        "promulgation_amount": 91,
    }
    args.update(changes)
    return build_envelope(content, **args), args


def test_envelope_has_the_digest_structure(seed):
    data, _ = build(seed)
    root = etree.fromstring(data)
    ns = {"e": NS}
    assert root.tag == f"{{{NS}}}edXML"
    assert [etree.QName(c).localname for c in root] == ["edXMLEnvelope", "AttachmentEncoded"]
    env = root.find("e:edXMLEnvelope", ns)
    assert [etree.QName(c).localname for c in env] == ["edXMLHeader", "edXMLBody"]
    header = env.find("e:edXMLHeader", ns)
    assert [etree.QName(c).localname for c in header] == ["MessageHeader", "TraceHeaderList"]
    msg = header.find("e:MessageHeader", ns)
    assert [etree.QName(c).localname for c in msg] == [
        "From", "To", "To", "DocumentId", "Code", "PromulgationInfo", "DocumentType", "Subject",
        "Content", "SignerInfo", "DueDate", "ToPlaces", "OtherInfo", "Business",
    ]  # fmt: skip
    assert msg.findtext("e:Code/e:CodeNotation", namespaces=ns) == "TB-BGDĐT"
    assert msg.findtext("e:PromulgationInfo/e:PromulgationDate", namespaces=ns) == "2021/09/20"
    assert msg.findtext("e:OtherInfo/e:PageAmount", namespaces=ns) == "4"
    assert msg.findtext("e:OtherInfo/e:PromulgationAmount", namespaces=ns) == "91"
    # Trace time in Vietnam time with its offset: 02:30 UTC is 09:30 in Hà Nội.
    trace = header.findtext("e:TraceHeaderList/e:TraceHeader/e:Timestamp", namespaces=ns)
    assert trace == "2021-09-20T09:30:00+07:00"
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_envelope_reads_back_with_every_field(seed):
    data, args = build(seed)
    env = read_envelope(data)
    assert env.sender == "000.00.00.X01"
    assert env.receivers == ["000.00.01.X26", "000.00.01.X79"]
    assert env.document_id == "000.00.00.X01,2021/09/20,07/TB-BGDĐT"
    assert (env.code_number, env.code_notation) == ("07", "TB-BGDĐT")
    assert (env.place, env.promulgation_date) == ("Hà Nội", "2021/09/20")
    assert env.type_name == "Thông báo"
    assert env.subject == " ".join(seed.subject.splitlines())
    assert env.subject.startswith(
        "Kết luận của Thứ trưởng Bộ Giáo dục và Đào tạo Hoàng Minh Sơn tại"
    )
    assert unicodedata.is_normalized("NFC", env.subject)
    assert (env.competence, env.position, env.signer) == (
        "TL. Bộ trưởng",
        "Chánh văn phòng",
        "Trần Quang Nam",
    )
    assert env.to_places == [
        "Bộ trưởng (để b/c)",
        "Các Thứ trưởng (để b/c)",
        "Các đơn vị thuộc Bộ (để t/h)",
        "Các sở giáo dục và đào tạo (để t/h)",
    ]
    assert (env.priority, env.business_doc_type) == (0, 0)
    assert env.attachments == {"07-TB-BGDĐT.docx": args["document"]}
    opened = Document(io.BytesIO(env.attachments["07-TB-BGDĐT.docx"]))
    assert opened.paragraphs[0].text == "Thông báo kết luận"


def test_urgency_and_business_type_are_coded(seed):
    data = seed.model_dump(mode="json")
    urgent = DocumentContent.model_validate({**data, "urgency": "Hỏa tốc"})
    env = read_envelope(build(urgent, business_doc_type=3)[0])
    assert (env.priority, env.business_doc_type) == (3, 3)


def test_a_party_without_organ_id_cannot_be_addressed():
    with pytest.raises(EdxmlError, match="Sở X: no edXML OrganId"):
        Party("", "Sở X")


def test_no_receiver_and_broken_packages_are_refused(seed):
    with pytest.raises(EdxmlError, match="at least one receiver"):
        build(seed, receivers=[])
    with pytest.raises(EdxmlError, match="not well-formed"):
        read_envelope(b"<edXML")
    data, _ = build(seed)
    cut = data.replace(b"<edXML:CodeNumber>07</edXML:CodeNumber>", b"")
    with pytest.raises(EdxmlError, match="missing Code/CodeNumber"):
        read_envelope(cut)
