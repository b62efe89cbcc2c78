"""Dispatch on real databases: the seed issued, dispatched to 63 departments + the ministry,
emailed through a loopback SMTP server, registered, filed and handed over."""

from __future__ import annotations

import email
import email.policy
import io
import zipfile
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from workflow import dispatching
from workflow.content import DocumentContent
from workflow.deliveries import DeliveryError
from workflow.directory import Directory
from workflow.edxml import read_envelope
from workflow.errors import Forbidden, GuardFailed, NotFound
from workflow.handover import verify_package
from workflow.registers_export import COLUMNS, FIRST_ROW, HEADER_ROW
from workflow.states import Action, State
from workflow.store.tables import counters, deliveries, number_ledger

from .engine_support import (
    RENDERER,
    SEED_CONTENT,
    Clock,
    actor,
    make_engine,
    open_db,
    signed_document,
)
from .smtp_support import free_port, settings_for
from .test_recipients import seed_noi_nhan_block

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
SEPT = datetime(2021, 9, 20, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


@pytest.fixture
def engine(db):
    return make_engine(db, Clock(SEPT))


def issued_seed(engine, content=SEED_CONTENT):
    doc = signed_document(engine, content)
    return engine.act(actor("clerk"), doc.id, Action.ISSUE)


def variant(**changes):
    return DocumentContent.model_validate({**SEED_CONTENT.model_dump(mode="json"), **changes})


def test_seed_dispatch_fans_out_to_63_departments_and_the_ministry(engine, db):
    doc = issued_seed(engine)
    # The Nơi nhận block of the issued document is the seed's, line for line.
    assert doc.content.recipient_lines() == seed_noi_nhan_block()
    outcome = dispatching.dispatch(engine, actor("clerk"), doc.id)
    assert outcome.document.state is State.DISPATCHED
    directory = Directory.load()
    departments = directory.members("cac-sgddt-2021")
    ministry = ["bgddt.bo-truong", *directory.members("bgddt.cac-thu-truong")] + [
        u for u in directory.members("bgddt.cac-don-vi") if u != "bgddt.vp"
    ]
    n = len(ministry)
    rows = outcome.deliveries
    assert len(rows) == 63 + n == 89
    assert [d.target_key for d in rows] == ministry + departments
    by_channel = {c: [d for d in rows if d.channel == c] for c in ("email", "internal")}
    assert len(by_channel["email"]) == 63 and len(by_channel["internal"]) == n
    assert {d.status for d in by_channel["email"]} == {"queued"}
    assert {d.status for d in by_channel["internal"]} == {"sent"}
    ha_noi = next(d for d in rows if d.target_key == "sgddt-ha-noi")
    assert (ha_noi.address, ha_noi.purpose, ha_noi.line) == (
        "vanthu@sogddt-ha-noi.example",
        "để t/h",
        3,
    )
    with db.engine.connect() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(deliveries)).scalar_one()
    assert stored == 63 + n


def test_the_issued_file_prints_the_seed_noi_nhan_block(engine, db):
    doc = issued_seed(engine)
    with db.uow(write=False) as uow:
        issued_file, _ = uow.files.latest(doc.id, "issued")
    assert dispatching.printed_recipient_lines(issued_file) == seed_noi_nhan_block()


class Misprinting:
    """The real renderer, except that the issued file's Lưu line names another unit."""

    def __init__(self, renderer):
        self.renderer = renderer

    def prepare(self, content, *, today=None):
        inner = self.renderer.prepare(content, today=today)

        class Prepared:
            def fill(self, number, issued):
                data = inner.fill(number, issued)
                src = zipfile.ZipFile(io.BytesIO(data))
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                    for info in src.infolist():
                        part = src.read(info)
                        if info.filename == "word/document.xml":
                            part = part.replace("Lưu: VT, VP.".encode(), "Lưu: VT, KHTC.".encode())
                        z.writestr(info, part)
                return out.getvalue()

        return Prepared()

    def render(self, content, number=None, issued=None, *, today=None):
        return self.prepare(content, today=today).fill(number, issued)


def test_a_file_that_misprints_the_block_is_not_issued(db):
    engine = make_engine(db, Clock(SEPT), renderer=Misprinting(RENDERER), format_checker=None)
    doc = signed_document(engine)
    with pytest.raises(
        GuardFailed, match=r"printed '- Lưu: VT, KHTC\.', expected '- Lưu: VT, VP\.'"
    ):
        engine.act(actor("clerk"), doc.id, Action.ISSUE)
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(number_ledger)).scalar_one() == 0
    assert engine.get(actor("clerk"), doc.id).state is State.SIGNED


def test_email_dispatch_through_a_loopback_smtp_server(engine, db, smtp_server):
    inbox, port = smtp_server
    doc = issued_seed(engine)
    outcome = dispatching.dispatch(engine, actor("clerk"), doc.id, mail_settings=settings_for(port))
    emailed = [d for d in outcome.deliveries if d.channel == "email"]
    assert {d.status for d in emailed} == {"sent"}
    assert all(d.message_id and d.attempts == 1 and d.sent_at for d in emailed)
    with db.uow(write=False) as uow:
        issued_file, _ = uow.files.latest(doc.id, "issued")
    assert len(inbox.messages) == 63
    assert sorted(r for _, rcpts, _ in inbox.messages for r in rcpts) == sorted(
        d.address for d in emailed
    )
    for _, _, raw in inbox.messages:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg["Subject"].startswith("Thông báo số 01/TB-BGDĐT: Kết luận của Thứ trưởng")
        [attachment] = list(msg.iter_attachments())
        assert attachment.get_filename().startswith("01-TB-BGDĐT Kết luận")
        assert attachment.get_content() == issued_file


def test_failed_sends_are_failed_deliveries_not_a_rolled_back_dispatch(engine, db, smtp_server):
    inbox, port = smtp_server
    doc = issued_seed(engine)
    outcome = dispatching.dispatch(
        engine, actor("clerk"), doc.id, mail_settings=settings_for(free_port())
    )
    assert outcome.document.state is State.DISPATCHED
    failed = [d for d in outcome.deliveries if d.channel == "email"]
    assert {d.status for d in failed} == {"failed"} and len(failed) == 63
    assert all(d.error.startswith("cannot send through 127.0.0.1:") for d in failed)
    assert engine.get(actor("clerk"), doc.id).state is State.DISPATCHED
    # The clerk queues one again and it goes out once the server is reachable.
    retry = dispatching.set_delivery_status(
        db, actor("clerk"), failed[0].id, "queued", document_id=doc.id
    )
    assert retry.status == "queued"
    sent = dispatching.send_email(db, doc.id, settings_for(port))
    assert [(d.id, d.status, d.attempts) for d in sent] == [(failed[0].id, "sent", 2)]
    assert len(inbox.messages) == 1
    # Or all failed ones at once.
    again = dispatching.send_email(db, doc.id, settings_for(port), retry_failed=True)
    assert len(again) == 62 and {d.status for d in again} == {"sent"}


def test_issue_is_refused_when_a_receiver_has_no_channel_and_no_number_is_used(engine, db):
    bad = variant(
        recipients=[
            *SEED_CONTENT.model_dump()["recipients"],
            {"name": "Báo Giáo dục và Thời đại", "purpose": "để đưa tin"},
        ]
    )
    doc = signed_document(engine, bad)
    with pytest.raises(GuardFailed) as info:
        engine.act(actor("clerk"), doc.id, Action.ISSUE)
    assert info.value.guard == "recipients"
    assert "'Báo Giáo dục và Thời đại' is not in the directory" in str(info.value)
    twice = variant(
        recipients=[
            *SEED_CONTENT.model_dump()["recipients"],
            {"name": "Sở GDĐT Hà Nội", "ref": "sgddt-ha-noi"},
        ]
    )
    doc2 = signed_document(engine, twice)
    with pytest.raises(GuardFailed, match=r"recipients\[4\].*already reached by recipients\[3\]"):
        engine.act(actor("clerk"), doc2.id, Action.ISSUE)
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(number_ledger)).scalar_one() == 0
        assert (
            conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(counters.c.last_number), 0))
            ).scalar_one()
            == 0
        )
    assert engine.get(actor("clerk"), doc.id).state is State.SIGNED
    # The same document issues once its odd line refers to the directory.
    assert issued_seed(engine).number == 1


def test_an_empty_directory_blocks_issue(db):
    engine = make_engine(db, Clock(SEPT))
    with db.uow() as uow:
        for table in (
            "dir_delegations",
            "dir_group_members",
            "dir_groups",
            "dir_positions",
            "dir_units",
            "dir_people",
            "dir_organisations",
            "dir_revision",
        ):
            uow.conn.execute(sa.text(f"DELETE FROM {table}"))
        uow.commit()
    doc = signed_document(engine)
    with pytest.raises(GuardFailed, match="the directory is empty"):
        engine.act(actor("clerk"), doc.id, Action.ISSUE)


def test_delivery_status_updates_follow_the_rules(engine, db):
    doc = issued_seed(engine)
    rows = dispatching.dispatch(engine, actor("clerk"), doc.id).deliveries
    internal = next(d for d in rows if d.channel == "internal")
    queued = next(d for d in rows if d.channel == "email")
    received = dispatching.set_delivery_status(db, actor("clerk"), internal.id, "received")
    assert received.status == "received" and received.received_at is not None
    with pytest.raises(DeliveryError, match="a delivery that is queued cannot become received"):
        dispatching.set_delivery_status(db, actor("clerk"), queued.id, "received")
    with pytest.raises(DeliveryError, match="needs the error"):
        dispatching.set_delivery_status(db, actor("clerk"), queued.id, "failed")
    failed = dispatching.set_delivery_status(
        db, actor("clerk"), queued.id, "failed", error="hộp thư đầy"
    )
    assert (failed.status, failed.error) == ("failed", "hộp thư đầy")
    with pytest.raises(Forbidden, match="only clerk or admin"):
        dispatching.set_delivery_status(db, actor("drafter"), queued.id, "queued")
    with pytest.raises(DeliveryError, match="status must be one of"):
        dispatching.set_delivery_status(db, actor("clerk"), queued.id, "lost")
    with pytest.raises(NotFound, match="is not a delivery of document 999"):
        dispatching.set_delivery_status(db, actor("clerk"), queued.id, "queued", document_id=999)
    listed = {d.id: d.status for d in dispatching.deliveries(db, doc.id)}
    assert (listed[internal.id], listed[queued.id]) == ("received", "failed")


def test_register_2021_opens_in_openpyxl_with_every_issued_document_filled(engine, db, smtp_server):
    _, port = smtp_server
    contents = [
        SEED_CONTENT,
        variant(urgency="Khẩn", subject="Kết luận của Bộ trưởng tại cuộc họp giao ban tháng 9"),
        variant(
            doc_type="cong_van",
            subject="V/v báo cáo công tác văn phòng",
            addressees=["Các sở giáo dục và đào tạo"],
            recipients=[
                {"name": "Như trên"},
                {"name": "Bộ trưởng", "purpose": "để b/c", "ref": "bgddt.bo-truong"},
            ],
        ),
    ]
    issued = [issued_seed(engine, c) for c in contents]
    for doc in issued:
        dispatching.dispatch(engine, actor("clerk"), doc.id, mail_settings=settings_for(port))
    data = dispatching.export_register(db, "BGDĐT/VB", 2021, "xlsx")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.cell(1, 1).value == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 11)] == list(COLUMNS)
    table = [[ws.cell(r, c).value for c in range(1, 11)] for r in range(FIRST_ROW, ws.max_row + 1)]
    assert len(table) == len(issued) == 3
    for row in table:
        assert all(v not in (None, "") for v in row), row
    assert [r[0] for r in table] == ["01/TB-BGDĐT", "02/TB-BGDĐT", "03/BGDĐT-VP"]
    assert table[0][1] == datetime(2021, 9, 20)
    assert table[0][6] == 89 + 2 and table[2][6] == 64 + 2
    assert table[0][8] == "đã gửi 89"
    assert table[0][9] == "nội bộ 26, thư điện tử 63"
    assert table[1][9].startswith("Khẩn; ")
    assert table[2][2] == "Công văn V/v báo cáo công tác văn phòng"
    for fmt in ("csv", "docx"):
        assert dispatching.export_register(db, "BGDĐT/VB", 2021, fmt)
    with pytest.raises(NotFound, match="no register BGDĐT/XYZ"):
        dispatching.register_rows(db, "BGDĐT/XYZ", 2021)


def test_case_file_hand_over_round_trip(engine, db):
    first, second = issued_seed(engine), issued_seed(engine)
    dispatching.dispatch(engine, actor("clerk"), first.id)
    draft = engine.create(actor("drafter"), SEED_CONTENT, signer="signer")
    case_id, case = dispatching.create_case_file(
        db, actor("archivist"), issuer_code="BGDĐT", year=2021, heading="VP",
        title="Hồ sơ Hội nghị công tác văn phòng năm 2021", retention="Vĩnh viễn", owner="Văn phòng",
    )  # fmt: skip
    assert case.code == "01.VP"
    _, other = dispatching.create_case_file(
        db,
        actor("clerk"),
        issuer_code="BGDĐT",
        year=2021,
        heading="TĐKT",
        title="Hồ sơ thi đua",
        retention=20,
        owner="X",
    )
    assert other.code == "02.TĐKT"
    assert [f.code for _, f in dispatching.file_plan(db, "BGDĐT", 2021)] == ["01.VP", "02.TĐKT"]
    assert dispatching.assign_document(db, actor("archivist"), case_id, first.id) == 1
    assert dispatching.assign_document(db, actor("archivist"), case_id, second.id) == 2
    with pytest.raises(Exception, match="is draft: only issued documents"):
        dispatching.assign_document(db, actor("archivist"), case_id, draft.id)
    with pytest.raises(Forbidden):
        dispatching.assign_document(db, actor("drafter"), case_id, second.id)
    package = dispatching.handover_package(db, case_id, created=SEPT)
    assert verify_package(package) == []
    at = len(package) // 3
    tampered = package[:at] + bytes([package[at] ^ 0x20]) + package[at + 1 :]
    assert verify_package(tampered)


def test_edxml_and_paper_deliveries(engine, db):
    data = Directory.load().data.model_dump()
    for org in data["organisations"]:
        if org["id"] == "bgddt":
            org["organ_id"] = "000.00.00.X01"
        if org["id"] == "sgddt-ha-noi":
            org["organ_id"] = "000.00.01.X26"
            org["channels"] = [{"kind": "edxml"}, *org["channels"]]
        if org["id"] == "sgddt-ho-chi-minh":
            org["channels"] = [c for c in org["channels"] if c["kind"] == "paper"]
    with db.uow() as uow:
        uow.entries.replace(type(Directory.load().data).model_validate(data), SEPT)
        uow.commit()
    assert dispatching.stored_directory(db).organisation("sgddt-ha-noi").organ_id == "000.00.01.X26"
    doc = issued_seed(engine)
    rows = {
        d.target_key: d for d in dispatching.dispatch(engine, actor("clerk"), doc.id).deliveries
    }
    ha_noi, hcm = rows["sgddt-ha-noi"], rows["sgddt-ho-chi-minh"]
    assert (ha_noi.channel, ha_noi.organ_id, hcm.channel) == ("edxml", "000.00.01.X26", "paper")
    envelope = read_envelope(dispatching.edxml_package(db, ha_noi.id))
    assert (envelope.sender, envelope.receivers) == ("000.00.00.X01", ["000.00.01.X26"])
    assert (envelope.code_number, envelope.code_notation) == ("01", "TB-BGDĐT")
    with db.uow(write=False) as uow:
        issued_file, _ = uow.files.latest(doc.id, "issued")
    assert list(envelope.attachments.values()) == [issued_file]
    from docx import Document as Docx

    slip = Docx(io.BytesIO(dispatching.paper_slip(db, hcm.id)))
    texts = [p.text for p in slip.paragraphs]
    assert "PHIẾU GỬI" in texts
    assert "Kính gửi: Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh" in texts
    assert any("số 01/TB-BGDĐT ngày 20 tháng 9 năm 2021" in t for t in texts)
    with pytest.raises(DeliveryError, match="only paper has a slip"):
        dispatching.paper_slip(db, ha_noi.id)


def test_the_directory_round_trips_through_the_database(db):
    loaded = dispatching.load_directory(db)
    stored = dispatching.stored_directory(db)
    assert stored.data == loaded.data
    assert len(stored.members("cac-sgddt-2021")) == 63
    with db.uow(write=False) as uow:
        first = uow.entries.revision()
    dispatching.load_directory(db)
    with db.uow(write=False) as uow:
        assert uow.entries.revision() == first + 1
