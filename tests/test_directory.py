import unicodedata

import pytest
import yaml

from workflow.directory import Directory, DirectoryError, Organisation, UnknownEntry

from .conftest import FIXTURES, SHARED_SEED


@pytest.fixture(scope="module")
def directory():
    return Directory.load()


def write(tmp_path, data, name="d.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_63_departments_of_2021_form_the_seed_group(directory):
    members = directory.members("cac-sgddt-2021")
    assert len(members) == len(set(members)) == 63
    assert directory.entry("cac-sgddt-2021").name == "Các sở giáo dục và đào tạo"
    names = [directory.entry(m).name for m in members]
    assert all(isinstance(directory.entry(m), Organisation) for m in members)
    # The seed's footnote: 62 Sở GDĐT and Bạc Liêu's Sở Giáo dục, Khoa học và Công nghệ.
    assert sum(n.startswith("Sở Giáo dục và Đào tạo ") for n in names) == 62
    assert "Sở Giáo dục, Khoa học và Công nghệ tỉnh Bạc Liêu" in names
    assert "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh" in names
    assert "Sở Giáo dục và Đào tạo tỉnh Thừa Thiên Huế" in names
    assert len(set(names)) == 63


def test_every_email_address_is_fictional_and_every_receiver_reachable(directory):
    for org_id in directory.ids("organisation"):
        channels = directory.channels(org_id)
        assert channels, f"{org_id} has no channel"
        for ch in channels:
            if ch.kind == "email":
                assert ch.address.endswith(".example"), ch.address


def test_the_ministry_units_named_in_the_seed_are_there(directory):
    seed = SHARED_SEED.read_text(encoding="utf-8")
    for name in ("Văn phòng", "Vụ Thi đua - Khen thưởng", "Cục Công nghệ thông tin"):
        assert name in seed
        found = directory.find(name, "bgddt")
        assert found is not None, name
        assert directory.kind(found) == "unit"
        assert found in directory.members("bgddt.cac-don-vi")
    assert directory.unit_by_code("bgddt", "VP").name == "Văn phòng"
    assert directory.organisation_by_code("BGDĐT").id == "bgddt"


def test_people_are_only_those_the_record_makes_certain(directory):
    names = {p.name for p in directory.data.people}
    assert names == {"Nguyễn Kim Sơn", "Hoàng Minh Sơn", "Trần Quang Nam"}
    assert directory.holder("bgddt.vp.chanh-van-phong").name == "Trần Quang Nam"
    thu_truong = directory.members("bgddt.cac-thu-truong")
    holders = [directory.holder(p) for p in thu_truong]
    assert [h.name for h in holders if h] == ["Hoàng Minh Sơn"]


def test_delegations_reach_the_seed_signer(directory):
    tl = [d for d in directory.delegations("bgddt.vp.chanh-van-phong")]
    assert [(d.principal, d.prefix) for d in tl] == [("bgddt.bo-truong", "TL.")]


def test_units_receive_internally_from_their_own_body_and_externally_from_others(directory):
    assert [c.kind for c in directory.channels("bgddt.vp", sender="bgddt")] == ["internal"]
    outside = directory.channels("bgddt.vp", sender="sgddt-ha-noi")
    assert [c.kind for c in outside] == ["email", "paper"]
    assert directory.display_name("bgddt.vp", "sgddt-ha-noi") == "Văn phòng, Bộ Giáo dục và Đào tạo"
    assert directory.display_name("bgddt.thu-truong-1", "bgddt") == "Thứ trưởng (Hoàng Minh Sơn)"
    with pytest.raises(UnknownEntry, match="is a group"):
        directory.channels("cac-sgddt-2021")


def test_find_by_name_is_accent_and_case_aware_but_unique(directory):
    assert directory.find("CÁC SỞ GIÁO DỤC VÀ ĐÀO TẠO") == "cac-sgddt-2021"
    assert directory.find("Sở GDĐT Hà Nội") == "sgddt-ha-noi"
    assert directory.find("bộ trưởng", "bgddt") == "bgddt.bo-truong"
    # Five posts are called "Thứ trưởng": the name alone does not pick one.
    assert directory.find("Thứ trưởng", "bgddt") is None
    # A unit is only found by name from inside its own body.
    assert directory.find("Văn phòng") is None
    assert directory.find("Sở Giáo dục và Đào tạo tỉnh Không Có") is None


def test_names_are_stored_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Sở Giáo dục và Đào tạo tỉnh Hà Giang")
    path = write(tmp_path, {"organisations": [{"id": "x", "name": nfd, "code": "SGDĐT"}]})
    org = Directory.load(path).entry("x")
    assert unicodedata.is_normalized("NFC", org.name)


BASE_ORG = {"id": "o", "name": "Cơ quan", "code": "CQ"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisations": [BASE_ORG, BASE_ORG]}, "'o' is used twice"),
        (
            {"organisations": [BASE_ORG], "groups": [{"id": "g", "name": "G", "members": ["z"]}]},
            "member 'z' is not in the directory",
        ),
        (
            {
                "organisations": [BASE_ORG],
                "groups": [
                    {"id": "g", "name": "G", "members": ["h"]},
                    {"id": "h", "name": "H", "members": ["g"]},
                ],
            },
            "contains itself",
        ),
        (
            {
                "organisations": [BASE_ORG],
                "groups": [
                    {"id": "g", "name": "G", "members": ["o", "h"]},
                    {"id": "h", "name": "H", "members": ["o"]},
                ],
            },
            "o is a member twice",
        ),
        (
            {"organisations": [{**BASE_ORG, "channels": [{"kind": "edxml"}]}]},
            "needs the organisation's organ_id",
        ),
        (
            {"organisations": [{**BASE_ORG, "channels": [{"kind": "email"}]}]},
            "needs an email address",
        ),
        ({"organisations": [{**BASE_ORG, "channels": [{"kind": "fax", "address": "1"}]}]}, "kind"),
        (
            {
                "organisations": [
                    {**BASE_ORG, "positions": [{"id": "p", "title": "T", "holder": "nobody"}]}
                ]
            },
            "no person 'nobody'",
        ),
        (
            {
                "organisations": [{**BASE_ORG, "positions": [{"id": "p", "title": "T"}]}],
                "delegations": [{"id": "d", "principal": "p", "delegate": "o", "prefix": "TL."}],
            },
            "'o' is not a position",
        ),
        ({"organisations": [{**BASE_ORG, "id": "Bad Id"}]}, "lower-case ASCII"),
        ({"organisations": [BASE_ORG], "things": []}, "unknown section"),
    ],
)
def test_broken_directories_are_refused_with_the_rule(tmp_path, data, message):
    with pytest.raises(DirectoryError, match=message):
        Directory.load(write(tmp_path, data))


def test_a_post_must_belong_to_a_unit_of_its_own_body(tmp_path):
    data = {
        "organisations": [
            {**BASE_ORG, "units": [{"id": "o.u", "name": "U", "code": "U"}]},
            {
                "id": "p",
                "name": "Khác",
                "code": "K",
                "positions": [{"id": "p.x", "title": "T", "unit": "o.u"}],
            },
        ]
    }
    with pytest.raises(DirectoryError, match=r"'o\.u' is not a unit of p"):
        Directory.load(write(tmp_path, data))


def test_the_fixture_folder_is_what_load_reads_by_default():
    files = sorted((FIXTURES / "directory").glob("*.yaml"))
    assert [f.name for f in files] == ["bgddt.yaml", "sgddt-2021.yaml"]
    assert len(Directory.from_files(files).ids()) == len(Directory.load().ids())
