"""sign reuses what pass-format prepared in the same process, and only that: same content, same
template version, same draft year. An edit, another template or another year prepares again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from workflow.drafts import PreparedDrafts
from workflow.states import Action, State

from .engine_support import RENDERER, SEED_CONTENT, Clock, actor, make_engine, sqlite_db

SEPT = datetime(2021, 9, 20, 2, 0, tzinfo=UTC)
TODAY = date(2021, 9, 20)
TO_FORMAT_CHECK = [("drafter", Action.SUBMIT), ("unit_head", Action.APPROVE)]


class Counting:
    """The real renderer, counting prepares, with a template version a test may change."""

    def __init__(self) -> None:
        self.prepared = 0
        self.version = "v1"

    def prepare(self, content, *, today=None):
        self.prepared += 1
        return RENDERER.prepare(content, today=today)

    def render(self, content, number=None, issued=None, *, today=None):
        return RENDERER.render(content, number, issued, today=today)

    def load_prepared(self, data):
        return RENDERER.load_prepared(data)

    def template_version(self, content):
        return f"{RENDERER.template_version(content)}/{self.version}"


@pytest.fixture
def engine(tmp_path):
    db = sqlite_db(tmp_path)
    yield make_engine(db, Clock(SEPT), renderer=Counting())
    db.dispose()


def to_format_check(engine, content=SEED_CONTENT):
    doc = engine.create(actor("drafter"), content, signer="signer")
    for who, action in TO_FORMAT_CHECK:
        doc = engine.act(actor(who), doc.id, action)
    return doc


def signed_data(engine, doc_id):
    with engine.db.uow(write=False) as uow:
        doc = uow.documents.get(doc_id)
        stored = uow.files.latest(doc_id, "signed")
    assert stored is not None
    return doc, RENDERER.load_prepared(stored[0])


def test_sign_reuses_the_rendition_pass_format_prepared(engine):
    doc = to_format_check(engine)
    engine.act(actor("format_checker"), doc.id, Action.PASS_FORMAT)
    assert engine.renderer.prepared == 1
    engine.act(actor("signer"), doc.id, Action.SIGN)
    assert engine.renderer.prepared == 1  # nothing prepared again
    doc, rendition = signed_data(engine, doc.id)
    assert rendition.content_sha256 == doc.content_sha256 == SEED_CONTENT.sha256()
    assert rendition.fill(None, None) == RENDERER.render(SEED_CONTENT, today=TODAY)


def test_an_edit_after_pass_format_is_prepared_afresh_for_sign(engine):
    doc = to_format_check(engine)
    engine.act(actor("format_checker"), doc.id, Action.PASS_FORMAT)
    engine.act(actor("signer"), doc.id, Action.RETURN, comment="sửa trích yếu")
    edited = SEED_CONTENT.model_copy(update={"subject": SEED_CONTENT.subject + " (sửa)"})
    # The old rendition is still held, and must not be what a signer of the new content gets.
    stale = engine._draft_key(SEED_CONTENT, TODAY)
    assert stale is not None and engine.drafts.get(stale) is not None
    before = engine.renderer.prepared
    assert engine.signed_rendition(edited, today=TODAY) is not None
    assert engine.renderer.prepared == before + 1
    doc = engine.edit(actor("drafter"), doc.id, edited)
    for who, action in [*TO_FORMAT_CHECK, ("format_checker", Action.PASS_FORMAT)]:
        doc = engine.act(actor(who), doc.id, action)
    doc = engine.act(actor("signer"), doc.id, Action.SIGN)
    assert doc.state is State.SIGNED
    doc, rendition = signed_data(engine, doc.id)
    assert rendition.content_sha256 == edited.sha256() == doc.content_sha256
    assert rendition.fill(None, None) == RENDERER.render(edited, today=TODAY)
    assert rendition.fill(None, None) != RENDERER.render(SEED_CONTENT, today=TODAY)


def test_another_template_version_is_not_reused(engine):
    doc = to_format_check(engine)
    engine.act(actor("format_checker"), doc.id, Action.PASS_FORMAT)
    engine.renderer.version = "v2"  # the template changed between pass-format and sign
    engine.act(actor("signer"), doc.id, Action.SIGN)
    assert engine.renderer.prepared == 2


def test_another_draft_year_is_not_reused(engine):
    undated = SEED_CONTENT.model_copy(update={"year": None})
    this_year = engine._draft_key(undated, date(2021, 12, 31))
    next_year = engine._draft_key(undated, date(2022, 1, 1))
    assert this_year is not None and next_year is not None and this_year != next_year
    assert engine._draft_key(SEED_CONTENT, date(2021, 12, 31)) == engine._draft_key(
        SEED_CONTENT, date(2022, 1, 1)
    )  # the content's own year decides


def test_the_cache_is_bounded_least_recently_used_first():
    held: PreparedDrafts[str] = PreparedDrafts(size=2)
    held.put(("a", "t", 1), "A")
    held.put(("b", "t", 1), "B")
    assert held.get(("a", "t", 1)) == "A"  # a is now the most recent
    held.put(("c", "t", 1), "C")
    assert held.get(("b", "t", 1)) is None
    assert held.get(("a", "t", 1)) == "A" and held.get(("c", "t", 1)) == "C"
    assert len(held) == 2


def test_the_checker_reads_each_files_own_styles(tmp_path):
    """Files from one template share their parsed styles; a file whose styles differ does not."""
    import io
    import zipfile

    from workflow.rendering import checker

    def recoloured(data: bytes) -> bytes:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for info in src.infolist():
                part = src.read(info)
                if info.filename == "word/styles.xml":
                    default = b"<w:rPrDefault><w:rPr>"
                    assert default in part
                    part = part.replace(default, default + b'<w:color w:val="FF0000"/>')
                z.writestr(info, part)
        return out.getvalue()

    data = RENDERER.render(SEED_CONTENT, today=TODAY)
    assert checker.check(data, draft=True) == []
    red = checker.check(recoloured(data), draft=True)
    assert "FONT.COLOR" in {v.rule for v in red}
    assert checker.check(data, draft=True) == []  # and the template's own again
