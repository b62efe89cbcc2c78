import email
import email.policy
import io
from datetime import date

import pytest
from docx import Document

from workflow.content import read
from workflow.directory import Channel, Directory
from workflow.mail import (
    MailError,
    SmtpSettings,
    attachment_filename,
    mail_subject,
    send,
    send_issued,
)
from workflow.recipients import Target, dispatch_targets

from .conftest import SEED
from .smtp_support import free_port, settings_for

ISSUED = date(2021, 9, 20)
# The loopback test server takes AUTH without TLS on purpose; aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(scope="module")
def notice():
    """The seed notice as a real .docx (the rendering branch provides the official layout)."""
    content = read(SEED)
    doc = Document()
    doc.add_paragraph("THÔNG BÁO")
    for line in content.subject.splitlines():
        doc.add_paragraph(line)
    for line in content.recipient_lines():
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return content, out.getvalue()


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_issued_notice_goes_to_every_department_with_the_file_attached(smtp_server, notice):
    inbox, port = smtp_server
    content, data = notice
    targets = dispatch_targets(content, Directory.load())
    emailed = [t for t in targets if t.channel.kind == "email"]
    assert len(emailed) == 63

    results = send_issued(
        settings_for(port), content, number="07", issued=ISSUED, document=data, targets=targets
    )

    assert [r.key for r in results] == [t.key for t in emailed]
    assert all(r.ok and r.message_id for r in results)
    assert inbox.logins == [("PLAIN", b"vanthu", b"mat-khau")]
    assert len(inbox.messages) == 63
    addresses = sorted(rcpt for _, rcpts, _ in inbox.messages for rcpt in rcpts)
    assert addresses == sorted(t.channel.address for t in emailed)
    expected_name = attachment_filename("07", content)
    assert expected_name.startswith("07-TB-BGDĐT Kết luận của Thứ trưởng")
    for sender, rcpts, raw in inbox.messages:
        assert sender == "vanthu@bgddt.example"
        msg = parse(raw)
        assert msg["To"] == rcpts[0]
        assert msg["Subject"] == mail_subject("07", content)
        assert msg["Subject"].startswith("Thông báo số 07/TB-BGDĐT: Kết luận của Thứ trưởng")
        [attachment] = list(msg.iter_attachments())
        assert attachment.get_content_type().endswith("wordprocessingml.document")
        assert attachment.get_filename() == expected_name
        assert attachment.get_content() == data
        body = msg.get_body(("plain",)).get_content()
        assert "số 07/TB-BGDĐT ngày 20 tháng 9 năm 2021" in body
    # The Vietnamese filename travels RFC 2231-encoded, not as raw 8-bit bytes.
    raw = inbox.messages[0][2]
    assert b"filename*0*=utf-8''07-TB-BGD%C4%90T" in raw
    received_hanoi = next(
        parse(m) for _, r, m in inbox.messages if r == ["vanthu@sogddt-ha-noi.example"]
    )
    assert (
        "Kính gửi: Sở Giáo dục và Đào tạo thành phố Hà Nội"
        in received_hanoi.get_body(("plain",)).get_content()
    )
    opened = Document(io.BytesIO(next(received_hanoi.iter_attachments()).get_content()))
    assert opened.paragraphs[-1].text == "- Lưu: VT, VP."


def email_target(key, address):
    return Target(key, key, 0, "- x", None, None, (Channel(kind="email", address=address),))


def test_a_refused_mailbox_fails_alone(smtp_server, notice):
    inbox, port = smtp_server
    content, data = notice
    targets = [
        email_target("a", "a@x.example"),
        email_target("b", "refuse@x.example"),
        email_target("c", "c@x.example"),
    ]
    results = send_issued(
        settings_for(port), content, number="07", issued=ISSUED, document=data, targets=targets
    )
    assert [(r.key, r.ok) for r in results] == [("a", True), ("b", False), ("c", True)]
    assert results[1].error.startswith("refused 550")
    assert len(inbox.messages) == 2


def test_wrong_password_or_no_server_fails_every_target_without_raising(smtp_server, notice):
    _, port = smtp_server
    content, data = notice
    targets = [email_target("a", "a@x.example"), email_target("b", "b@x.example")]
    results = send_issued(
        settings_for(port, "sai"),
        content,
        number="07",
        issued=ISSUED,
        document=data,
        targets=targets,
    )
    assert [r.ok for r in results] == [False, False]
    assert "535" in results[0].error
    nobody = settings_for(free_port())
    results = send(
        nobody,
        [("a", "a@x.example"), ("b", "b@x.example")],
        subject="s",
        body="b",
        document=data,
        filename="f.docx",
    )
    assert [r.ok for r in results] == [False, False]
    assert results[1].error.startswith("cannot send through 127.0.0.1:")


def test_internal_and_paper_targets_are_not_emailed(smtp_server, notice):
    inbox, port = smtp_server
    content, data = notice
    internal = Target("i", "i", 0, "- x", None, "i", (Channel(kind="internal"),))
    paper = Target(
        "p", "p", 0, "- x", None, "p", (Channel(kind="paper", address="35 Đại Cồ Việt"),)
    )
    assert (
        send_issued(
            settings_for(port),
            content,
            number="07",
            issued=ISSUED,
            document=data,
            targets=[internal, paper],
        )
        == []
    )
    assert inbox.messages == []


def test_settings_come_from_the_environment():
    with pytest.raises(MailError, match="VANTHU_SMTP_HOST and VANTHU_SMTP_FROM must be set"):
        SmtpSettings.from_env({})
    with pytest.raises(MailError, match="VANTHU_SMTP_PORT must be a port number"):
        SmtpSettings.from_env(
            {"VANTHU_SMTP_HOST": "h", "VANTHU_SMTP_FROM": "f@x.example", "VANTHU_SMTP_PORT": "smtp"}
        )
    s = SmtpSettings.from_env(
        {
            "VANTHU_SMTP_HOST": "h",
            "VANTHU_SMTP_FROM": "f@x.example",
            "VANTHU_SMTP_STARTTLS": "true",
            "VANTHU_SMTP_PORT": "587",
        }
    )
    assert (s.host, s.port, s.starttls, s.user) == ("h", 587, True, None)


def test_filename_and_subject_for_a_cong_van(notice):
    content, _ = notice
    data = content.model_dump(mode="json")
    cv = type(content).model_validate(
        {
            **data,
            "doc_type": "cong_van",
            "subject": "V/v hướng dẫn: công tác/văn phòng",
            "recipients": [],
        }
    )
    assert mail_subject("12", cv) == "Công văn số 12/BGDĐT-VP V/v hướng dẫn: công tác/văn phòng"
    assert attachment_filename("12", cv) == "12-BGDĐT-VP hướng dẫn_ công tác_văn phòng.docx"
