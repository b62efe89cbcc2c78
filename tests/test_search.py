"""Search: folding, the query language, and the same hits on SQLite and PostgreSQL over a corpus
of a few thousand issued documents (14 issued through the engine, the rest loaded in bulk),
checked against a plain-Python reading of the same documents."""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from workflow import retrieval
from workflow.dispatching import assign_document, create_case_file
from workflow.search import (
    SEARCHABLE_STATES,
    Cursor,
    QueryError,
    SearchQuery,
    fold,
    highlights,
    parse,
    sort_key,
    words,
)
from workflow.search_corpus import generate
from workflow.states import Action
from workflow.store import Database
from workflow.store.bulk import load_issued
from workflow.store.tables import documents, search

from .engine_support import SEED_CONTENT, Clock, actor, bulk_signed, make_engine, pg_database

BULK = 3000
ARCHIVIST = actor("archivist")

# -- folding and parsing (no database) ----------------------------------------------------------


def test_fold_strips_marks_and_d_bar():
    assert fold("Kết luận của Thứ trưởng tại Hội nghị") == "ket luan cua thu truong tai hoi nghi"
    assert fold("ĐÀO TẠO, Đào tạo, đào tạo") == "dao tao, dao tao, dao tao"
    decomposed = "Đa\u0300o ta\u0323o"  # marks as separate code points: NFC first
    assert fold(decomposed) == "dao tao"
    assert words("V/v triển khai nhiệm vụ năm học 2021-2022") == [
        "v", "v", "trien", "khai", "nhiem", "vu", "nam", "hoc", "2021", "2022",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "07/TB-BGDĐT",
        "7/TB-BGDĐT",
        "số 7 TB-BGDĐT",
        "so 07/tb-bgddt",
        "Số: 07/TB-BGDDT",
        "số 07 / TB-BGDĐT",
    ],
)
def test_a_number_and_symbol_however_written(text):
    q = parse(text)
    assert (q.number, q.symbol, q.terms, q.year) == (7, "tb-bgddt", (), None)


def test_cong_van_numbers_years_in_the_number_and_the_rest_as_words():
    assert (parse("07/BGDĐT-VP").number, parse("07/BGDĐT-VP").symbol) == (7, "bgddt-vp")
    q = parse("Nghị định 30/2020/NĐ-CP công tác văn thư")
    assert (q.number, q.symbol, q.year) == (30, "nd-cp", 2020)
    assert q.terms == ("nghi", "dinh", "cong", "tac", "van", "thu")
    q = parse("TB-BGDĐT hội nghị")
    assert (q.number, q.symbol, q.terms) == (None, "tb-bgddt", ("hoi", "nghi"))
    assert parse("số 12").number == 12 and parse("số 12").symbol is None
    # hyphenated words are words, not symbols
    assert parse("kinh tế-xã hội").symbol is None
    assert parse("Thi đua - Khen thưởng").terms == ("thi", "dua", "khen", "thuong")
    assert parse("COVID-19").symbol is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"date_from": date(2022, 1, 2), "date_to": date(2022, 1, 1)}, "date_from"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": Cursor(1, 5).encode()}, "cursor"),  # a text cursor for a listing
        ({"doc_type": "XYZ"}, "type"),
        ({"year": 1066}, "year"),
        ({"signer": "--"}, "signer"),
    ],
)
def test_bad_parameters_are_named(kwargs, field):
    with pytest.raises(QueryError) as err:
        parse("", **kwargs)
    assert err.value.field == field


def test_types_by_abbreviation_id_or_name_with_or_without_accents():
    for text in ("TB", "thong_bao", "Thông báo", "thong bao", "tb"):
        assert parse("", doc_type=text).doc_type == "thong_bao"
    assert parse("", doc_type="QĐ").doc_type == "quyet_dinh"
    assert parse("", doc_type="cong van").doc_type == "cong_van"


def test_highlights_land_on_the_accented_original():
    subject = "Kết luận của Thứ trưởng tại Hội nghị công tác văn phòng"
    spans = highlights(subject, parse("ket luan hoi nghi").terms)
    assert [subject[s:e] for s, e in spans] == ["Kết", "luận", "Hội", "nghị"]
    spans = highlights("Đào tạo, bồi dưỡng", parse("DAO TAO").terms)
    assert spans == [(0, 3), (4, 7)]


# -- the corpus on both databases ---------------------------------------------------------------


@dataclass
class Corpus:
    db: Database
    kind: str
    docs: dict[int, dict]  # id → what the oracle needs
    numbered: list[int]  # the 07/TB-BGDĐT documents issued through the engine
    draft_id: int
    case_file_id: int


def _oracle_row(row) -> dict:
    content = row.content
    recipients = " ".join(r["name"] for r in content.get("recipients") or ())
    recipients += " " + " ".join(content.get("addressees") or ())
    return {
        "id": row.id,
        "state": row.state,
        "key": sort_key(row.issued_date, row.id) if row.issued_date else None,
        "issued_date": row.issued_date,
        "number": row.number,
        "symbol": fold(row.symbol or ""),
        "doc_type": row.doc_type,
        "issuer": fold(row.issuer_code),
        "subject": set(words(content["subject"])),
        "all": set(
            words(
                " ".join(
                    [content["subject"], content.get("body", ""), content["signature"]["name"]]
                )
                + " "
                + recipients
            )
        ),
        "signer": set(words(content["signature"]["name"])),
        "recipients": set(words(recipients)),
    }


def _build(db: Database, kind: str, bulk: int = BULK) -> Corpus:
    clock = Clock(datetime(2021, 9, 20, 3, 0, tzinfo=UTC))
    engine = make_engine(db, clock)
    numbered = []
    for year in (2021, 2022):
        clock.now = datetime(year, 9, 20, 3, 0, tzinfo=UTC)
        for doc_id in bulk_signed(engine, 7):
            issued = engine.issue(actor("clerk"), doc_id)
            numbered.append(issued.id)
    draft = engine.create(actor("drafter"), SEED_CONTENT.model_copy(update={"subject": "Xyzzy"}))
    # The bulk corpus: no search rows written, so the first search must catch up on its own.
    generated = list(generate(bulk, seed=7))
    with db.uow() as uow:
        for start in range(0, bulk, 500):
            load_issued(uow.conn, generated[start : start + 500], now=clock(), index=False)
        uow.commit()
    case_file_id, _ = create_case_file(
        db,
        actor("clerk"),
        issuer_code="BGDĐT",
        year=2021,
        heading="VP",
        title="Hồ sơ hội nghị công tác văn phòng năm 2021",
        retention="Vĩnh viễn",
        owner="Văn phòng",
    )
    for doc_id in numbered[:3]:
        assign_document(db, actor("clerk"), case_file_id, doc_id)
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(documents)).all()
    docs = {r.id: _oracle_row(r) for r in rows}
    return Corpus(db, kind, docs, numbered, draft.id, case_file_id)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def corpus(request, tmp_path_factory):
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('search') / 'search.sqlite3'}"
        else:
            url = stack.enter_context(pg_database(request.getfixturevalue("pg_url")))
        db = Database(url)
        stack.callback(db.dispose)
        db.migrate()
        yield _build(db, request.param)


def expected(corpus: Corpus, q: SearchQuery) -> list[int]:
    """The hits of `q` read off the documents in Python: the specification of the order."""
    low, high = q.key_range()
    found = []
    for d in corpus.docs.values():
        if d["state"] not in SEARCHABLE_STATES:
            continue
        checks = [
            set(q.terms) <= d["all"],
            set(q.signer) <= d["signer"],
            set(q.recipient) <= d["recipients"],
            q.number is None or d["number"] == q.number,
            q.symbol is None or d["symbol"] == q.symbol,
            q.doc_type is None or d["doc_type"] == q.doc_type,
            q.issuer is None or d["issuer"] == q.issuer,
            low is None or d["key"] >= low,
            high is None or d["key"] < high,
            q.case_file is None or d["id"] in corpus.numbered[:3],
        ]
        if all(checks):
            tier = (1 if set(q.terms) <= d["subject"] else 2) if q.terms else 0
            found.append((tier, -d["key"], d["id"]))
    return [i for _, _, i in sorted(found)]


def every_page(corpus: Corpus, text: str = "", **kwargs) -> list[int]:
    """All hits, page by page through the cursor."""
    ids: list[int] = []
    cursor = None
    for _ in range(1000):
        page = retrieval.search(corpus.db, ARCHIVIST, parse(text, cursor=cursor, **kwargs))
        ids += [h.id for h in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            return ids
    raise AssertionError("the pages never end")


QUERIES: list[tuple[str, dict]] = [
    ("ket luan hoi nghi", {}),
    ("Kết luận Hội nghị", {}),
    ("KẾT LUẬN HỘI NGHỊ", {}),
    ("dao tao", {}),
    ("đào tạo", {}),
    ("Đào Tạo", {}),
    ("DAO TAO", {}),
    ("phong chong thien tai", {}),
    ("chuyen doi so", {"year": 2021}),
    ("", {"year": 2020, "doc_type": "QĐ", "issuer": "BYT"}),
    ("", {"issuer": "bgddt"}),
    ("", {"doc_type": "cong_van", "date_from": date(2019, 3, 1), "date_to": date(2019, 6, 30)}),
    ("", {"signer": "Trần Quang Nam"}),
    ("", {"signer": "nguyen", "year": 2018}),
    ("truyen thong", {"recipient": "so giao duc va dao tao"}),
    ("", {"recipient": "kho bac", "year": 2024}),
    ("", {"case_file": None}),
    ("ban chi dao", {"doc_type": "quyet_dinh", "issuer": "SYTLC"}),
    ("07/TB-BGDĐT", {}),
    ("hoi nghi", {"year": 2021, "issuer": "BGDĐT", "doc_type": "TB"}),
]


def _ids(corpus: Corpus, text: str, kwargs: dict) -> tuple[list[int], list[int]]:
    if "case_file" in kwargs:
        kwargs = {"case_file": corpus.case_file_id}
    got = every_page(corpus, text, limit=50, **kwargs)
    return got, expected(corpus, parse(text, limit=50, **kwargs))


@pytest.mark.parametrize(("text", "kwargs"), QUERIES)
def test_hits_are_the_documents_that_match_in_the_specified_order(corpus, text, kwargs):
    got, want = _ids(corpus, text, kwargs)
    assert want, "a query the corpus must answer"
    assert got == want


def test_accents_and_case_do_not_matter(corpus):
    base = every_page(corpus, "ket luan hoi nghi", limit=200)
    assert len(base) > 20
    for text in (
        "Kết luận Hội nghị",
        "KẾT LUẬN HỘI NGHỊ",
        "kết luận hội nghị",
        "Ket Luan Hoi Nghi",
    ):
        assert every_page(corpus, text, limit=200) == base
    subjects = {corpus.docs[i]["id"]: corpus.docs[i]["subject"] for i in base}
    assert all({"ket", "luan", "hoi", "nghi"} <= subjects[i] for i in base[:5])
    assert every_page(corpus, "dao tao", limit=200) == every_page(corpus, "ĐÀO TẠO", limit=200)


def test_the_number_written_several_ways_finds_both_years_newest_first(corpus):
    seventh = [corpus.numbered[13], corpus.numbered[6]]  # 2022's 7th, then 2021's
    for text in ("07/TB-BGDĐT", "7/TB-BGDĐT", "số 7 TB-BGDĐT", "so 07/tb-bgddt", "07/TB-BGDDT"):
        page = retrieval.search(corpus.db, ARCHIVIST, parse(text))
        assert [h.id for h in page.hits] == seventh, text
        assert {h.number_symbol for h in page.hits} == {"07/TB-BGDĐT"}
        assert [h.issued_date.year for h in page.hits] == [2022, 2021]
    page = retrieval.search(corpus.db, ARCHIVIST, parse("07/TB-BGDĐT", year=2021))
    assert [h.id for h in page.hits] == [corpus.numbered[6]]


def test_hits_show_number_date_subject_and_highlights(corpus):
    page = retrieval.search(corpus.db, ARCHIVIST, parse("ket luan hoi nghi", issuer="BGDĐT"))
    hit = next(h for h in page.hits if h.id == corpus.numbered[0])
    assert hit.number_symbol == "01/TB-BGDĐT" and hit.issued_date == date(2021, 9, 20)
    assert hit.signer == "Trần Quang Nam" and hit.state == "issued"
    marked = [hit.subject[s:e] for s, e in hit.subject_highlights]
    assert marked == ["Kết", "luận", "Hội", "nghị"]
    assert hit.snippet and all(
        fold(hit.snippet[s:e]) in {"ket", "luan", "hoi", "nghi"} for s, e in hit.snippet_highlights
    )


def test_drafts_never_appear(corpus):
    assert retrieval.search(corpus.db, ARCHIVIST, parse("xyzzy")).hits == []
    assert corpus.draft_id not in every_page(corpus, "", issuer="BGDĐT", limit=200)


def test_pages_have_no_duplicates_or_holes(corpus):
    for text, kwargs in [("truyen thong", {}), ("", {"year": 2019, "doc_type": "cong_van"})]:
        whole = every_page(corpus, text, limit=200, **kwargs)
        paged = every_page(corpus, text, limit=7, **kwargs)
        assert paged == whole and len(set(paged)) == len(paged) > 30, len(paged)


def test_the_index_heals_itself(corpus):
    db = corpus.db
    victim = corpus.numbered[2]
    with db.uow() as uow:  # an index write that never happened
        uow.search.remove([victim])
        uow.commit()
    assert victim not in every_page(corpus, "", issuer="BGDĐT", year=2021, limit=200)
    assert retrieval.catch_up(db, full=True) == 1  # vanthu search --reindex
    assert victim in every_page(corpus, "", issuer="BGDĐT", year=2021, limit=200)
    assert retrieval.catch_up(db, full=True) == 0
    # documents added behind the index's back are found by the next search
    extra = list(generate(3, seed=99, years=(2030, 2030)))
    with db.uow() as uow:
        new_ids = load_issued(uow.conn, extra, now=datetime.now(UTC), index=False)
        uow.commit()
    try:
        assert every_page(corpus, "", year=2030) == sorted(new_ids, reverse=True)
    finally:
        with db.uow() as uow:
            uow.search.remove(new_ids)
            uow.conn.execute(sa.delete(documents).where(documents.c.id.in_(new_ids)))
            uow.commit()


def test_recalled_documents_stay_findable_with_their_state(corpus):
    db = corpus.db
    engine = make_engine(db, Clock(datetime(2022, 10, 1, 3, 0, tzinfo=UTC)))
    doc_id = corpus.numbered[8]
    engine.act(actor("clerk"), doc_id, Action.RECALL, comment="Sai nội dung")
    page = retrieval.search(db, ARCHIVIST, parse("02/TB-BGDĐT", year=2022))
    assert [(h.id, h.state) for h in page.hits] == [(doc_id, "recalled")]


@pytest.mark.postgres
def test_both_databases_give_the_same_pages(request, tmp_path_factory):
    """The same corpus on SQLite and PostgreSQL, page for page (ids and highlights)."""
    with ExitStack() as stack:
        pg = stack.enter_context(pg_database(request.getfixturevalue("pg_url")))
        corpora = []
        for url in (f"sqlite:///{tmp_path_factory.mktemp('both') / 'x.sqlite3'}", pg):
            db = Database(url)
            stack.callback(db.dispose)
            db.migrate()
            corpora.append(_build(db, url.split(":")[0], bulk=400))
        for text, kwargs in [*QUERIES[:8], ("07/TB-BGDĐT", {}), ("", {"year": 2016})]:
            pages = []
            for c in corpora:
                page = retrieval.search(c.db, ARCHIVIST, parse(text, limit=25, **kwargs))
                pages.append(page)
            assert pages[0] == pages[1], text


def test_search_rows_are_only_issued_or_later(corpus):
    with corpus.db.engine.connect() as conn:
        states = conn.execute(
            sa.select(documents.c.state)
            .distinct()
            .join(search, search.c.document_id == documents.c.id)
        ).scalars()
        assert set(states) <= set(SEARCHABLE_STATES)


def test_the_command_line(corpus, capsys):
    from api.cli import main

    url = corpus.db.url
    assert main(["search", "so", "7", "tb-bgddt", "--database", url, "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in page["items"]] == [corpus.numbered[13], corpus.numbered[6]]
    assert main(["search", "ket luan hoi nghi", "--issuer", "BGDDT", "--year", "2021",
                 "--limit", "3", "--database", url]) == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert out.count("/TB-BGDĐT") == 3 and "[Kết] [luận]" in out and "--cursor" in err
    assert main(["search", "--reindex", "--database", url]) == 0
    assert "indexed 0 document(s)" in capsys.readouterr().err
    assert (
        main(["search", "x", "--from", "2022-02-01", "--to", "2022-01-01", "--database", url]) == 2
    )
    assert "--date-from" in capsys.readouterr().err


def test_small_windows_give_the_same_pages(corpus, monkeypatch):
    """PostgreSQL looks at the newest candidates in windows before asking GIN for the rest:
    with windows of 3 and 5 rows every path is taken, and the hits must not change."""
    from workflow.store import search_index

    monkeypatch.setattr(search_index, "WINDOWS", (3, 5))
    for text, kwargs in [
        ("ket luan hoi nghi", {}),
        ("dao tao", {"year": 2021}),
        ("kho bac", {}),
        ("phong chong", {"issuer": "BYT"}),
    ]:
        got = every_page(corpus, text, limit=20, **kwargs)
        assert got == expected(corpus, parse(text, **kwargs)), text
