"""The stock phrases news attaches to whatever it reports: where a statement came from ("dalam
keterangan tertulis yang diterima Kompas.com", "saat dihubungi", "seperti dilansir …") and the
day it was said ("Senin (16/9/2019)"). Two unrelated reports of one outlet share them word for
word, and a passage made of nothing else called them related (a QA pass: "Telkom dan Jasindo"
and "Jajanan Pasar Semarang", related by "sesuai keterangan rilis yang Kompas.com terima,
Senin (16/9/2019)"). Their words count in alignment as names and numbers do: they may extend
a passage but never make one."""

from __future__ import annotations

import re

_DAY = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"
_SAID_IN = (
    r"(?:keterangan|siaran|rilis|pernyataan|konferensi)\s+"
    r"(?:tertulis|resmi|pers|rilis|persnya|tertulisnya|resminya)"
)
STOCK = re.compile(
    "|".join(
        (
            # "(dalam|melalui|sesuai) keterangan tertulis(nya) (yang diterima|dikutip) X"
            rf"\b(?:(?:dalam|melalui|lewat|berdasarkan|sesuai|menurut)\s+)?{_SAID_IN}"
            r"(?:\s+yang\s+(?:diterima|dikutip|didapat|diperoleh|dikirimkan|disampaikan)"
            r"(?:\s+(?:oleh\s+)?[\w.]+)?|\s+yang\s+[\w.]+\s+terima)?",
            # "saat dihubungi (Kompas.com)", "ketika ditemui (wartawan)"
            r"\b(?:saat|ketika|waktu|usai|seusai)\s+(?:dihubungi|dikonfirmasi|ditemui|dijumpai)"
            r"(?:\s+(?:oleh\s+)?(?:wartawan|awak\s+media|media|[\w]+\.com))?",
            r"\bkepada\s+(?:wartawan|awak\s+media|para\s+wartawan|[\w]+\.com)",
            # "seperti dilansir (dari) X", "sebagaimana dikutip X"
            r"\b(?:(?:seperti|sebagaimana)\s+)?(?:dilansir|dikutip|diberitakan)"
            r"(?:\s+(?:dari\s+)?[\w.]+)?",
            # "Senin (16/9/2019)", "Minggu, (15/9/2019)"
            rf"\b{_DAY}\s*,?\s*\(\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\)",
        )
    ),
    re.IGNORECASE,
)


def stock_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where stock phrases stand in `text[start:end]` (offsets into `text`)."""
    return [m.span() for m in STOCK.finditer(text, start, end)]
