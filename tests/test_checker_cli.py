"""`vanthu check FILE.docx [--json] [--draft]`: output, JSON shape and exit status 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import main
from tests.checker_docs import build, draft, issued


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("check")
    out = {
        "good": build(issued()),
        "draft": build(draft()),
        "bad": build(issued(number="Số: 7/TB-BGDĐT", margins_mm=(10, 10, 30, 15))),
    }
    paths = {}
    for name, data in out.items():
        paths[name] = root / f"{name}.docx"
        paths[name].write_bytes(data)
    paths["text"] = root / "notes.docx"
    paths["text"].write_text("không phải tệp Word", encoding="utf-8")
    return paths


def test_conforming_file_exits_0(files, capsys):
    assert main(["check", str(files["good"])]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"{files['good']}: conforms to Decree 30's format (no violations)"


def test_violations_exit_1_one_line_each_and_a_summary(files, capsys):
    assert main(["check", str(files["bad"])]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == f"{files['bad']}: 3 violations of 2 rule(s)"
    body = lines[:-1]
    assert [line.split("  ")[0] for line in body] == [
        "PAGE.MARGINS",
        "PAGE.MARGINS",
        "NUMBER.LEADING_ZERO",
    ]
    number = body[2].split("  ")
    assert number[1].startswith("body paragraph 3 ('Số: 7/TB-BGDĐT')")
    assert "'07'" in number[2]


def test_json_output(files, capsys):
    assert main(["check", "--json", str(files["bad"])]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["file"] == str(files["bad"])
    assert report["ok"] is False
    assert {v["rule"] for v in report["violations"]} == {"PAGE.MARGINS", "NUMBER.LEADING_ZERO"}
    assert all(set(v) == {"rule", "message", "where"} for v in report["violations"])

    assert main(["check", str(files["good"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "file": str(files["good"]),
        "ok": True,
        "violations": [],
    }


def test_draft_flag(files, capsys):
    assert main(["check", str(files["draft"])]) == 1
    rules = {line.split("  ")[0] for line in capsys.readouterr().out.splitlines()[:-1]}
    assert rules == {"NUMBER.MISSING", "DATE.MISSING"}
    assert main(["check", "--draft", str(files["draft"])]) == 0
    assert "(draft): conforms" in capsys.readouterr().out


def test_unreadable_file_exits_2(files, capsys):
    assert main(["check", str(files["text"])]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vanthu check: not a .docx file")
    assert main(["check", str(files["text"].with_name("absent.docx"))]) == 2
    assert "no such file" in capsys.readouterr().err


def test_console_script(files):
    """The installed `vanthu` entry point, in a process of its own, run from another folder."""
    vanthu = Path(sys.executable).with_name("vanthu")
    result = subprocess.run(
        [str(vanthu), "check", "--json", str(files["bad"])],
        capture_output=True,
        text=True,
        cwd=files["bad"].parent,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["ok"] is False
    result = subprocess.run(
        [str(vanthu), "check", str(files["text"])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "not a .docx file" in result.stderr
