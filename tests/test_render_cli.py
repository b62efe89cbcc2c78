"""`vanthu render`: draft by default, issued with --number and --date, errors with exit 2."""

from __future__ import annotations

import subprocess
import sys

import docx
import pytest

from api.cli import main
from workflow.rendering.checker import check

from .conftest import ROOT, SEED
from .docx_text import sdt_values


def test_draft_by_default(tmp_path, capsys):
    out = tmp_path / "tb.docx"
    assert main(["render", str(SEED), "-o", str(out)]) == 0
    assert sdt_values(out.read_bytes()) == {"so_vb": "     ", "ngay": "    ", "thang": "    "}
    assert check(out, draft=True) == []
    assert "draft" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["tb.docx"]  # no temporary file left


def test_issued_with_number_and_date(tmp_path):
    out = tmp_path / "tb.docx"
    assert main(["render", str(SEED), "-o", str(out), "--number", "7", "--date", "2022-01-05"]) == 0
    assert sdt_values(out.read_bytes()) == {"so_vb": "07", "ngay": "05", "thang": "01"}
    assert check(out) == []
    docx.Document(str(out))


@pytest.mark.parametrize(
    "extra",
    [
        ["--number", "7"],
        ["--date", "2022-01-05"],
        ["--draft", "--date", "2022-01-05"],
        ["--draft", "--number", "7", "--date", "2022-01-05"],
        ["--number", "0", "--date", "2022-01-05"],
        ["--number", "7", "--date", "05/01/2022"],
    ],
)
def test_bad_mode_arguments_exit_2(tmp_path, extra):
    out = tmp_path / "tb.docx"
    with pytest.raises(SystemExit) as exited:
        main(["render", str(SEED), "-o", str(out), *extra])
    assert exited.value.code == 2
    assert not out.exists()


def test_content_errors_name_each_field_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "doc_type: thong_bao\nissuer: {name: Bộ Nội vụ, code: 'B N V'}\nplace: Hà Nội\n"
        "addressees: [Bộ Tài chính]\n"
        "signature: {authority: TL. BỘ TRƯỞNG, name: Nguyễn Văn A}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.docx"
    assert main(["render", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "issuer.code:" in err
    assert "drafting_unit: Field required" in err
    assert "signature.authority:" in err
    assert not out.exists()


def test_layout_errors_exit_2_and_keep_an_existing_file(tmp_path, capsys):
    bad = tmp_path / "tb.yaml"
    bad.write_text(SEED.read_text(encoding="utf-8") + "addressees: [Bộ Nội vụ]\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous")
    assert main(["render", str(bad), "-o", str(out)]) == 2
    assert "addressees: Kính gửi is only for" in capsys.readouterr().err
    assert out.read_bytes() == b"previous"


def test_missing_file_and_unreadable_yaml_exit_2(tmp_path, capsys):
    assert main(["render", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "o.docx")]) == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("doc_type: [unclosed\n", encoding="utf-8")
    assert main(["render", str(broken), "-o", str(tmp_path / "o.docx")]) == 2
    assert capsys.readouterr().err.count("vanthu render:") == 2


def test_console_script_runs(tmp_path):
    out = tmp_path / "tb.docx"
    vanthu = ROOT / ".venv" / "bin" / "vanthu"
    command = [str(vanthu)] if vanthu.exists() else [sys.executable, "-m", "api.cli"]
    done = subprocess.run(
        [*command, "render", str(SEED), "-o", str(out), "--number", "12", "--date", "2021-09-20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert sdt_values(out.read_bytes()) == {"so_vb": "12", "ngay": "20", "thang": "9"}
