"""fold strips marks with a translate table below U+3000 and per character above: both paths
give what stripping every combining character gives."""

from __future__ import annotations

import random
import unicodedata

from workflow.vietnamese import fold


def reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def test_fold_agrees_with_stripping_every_combining_character():
    samples = [
        "",
        "Kết luận của Thứ trưởng Bộ Giáo dục và Đào tạo",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "a\u0301\u0323 e\u0302\u0300",  # already decomposed
        "Ủy ban \u302a\u302b 東京 \ufe20x\ufe21",  # marks above U+3000 take the slow path
        "Ελληνικά ἀρχή, кириллица й",
    ]
    rng = random.Random(30)
    pools = [(0x20, 0x250), (0x300, 0x370), (0x1E00, 0x1F00), (0x3000, 0x3100), (0xFE20, 0xFE30)]
    for _ in range(2000):
        chars = []
        for _ in range(rng.randrange(12)):
            lo, hi = rng.choice(pools)
            chars.append(chr(rng.randrange(lo, hi)))
        samples.append("".join(chars))
    for text in samples:
        assert fold(text) == reference(text), repr(text)
    assert fold("Kết luận Hội nghị") == "ket luan hoi nghi"
