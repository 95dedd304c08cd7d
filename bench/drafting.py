"""How well campaigns are drafted from their plans' text: the seed plans (campaigns/*.txt
against campaigns/*.yaml) and the held-out plans (tests/heldout/plans against the hand-checked
tests/heldout/expected), field by field.

    .venv/bin/python -m bench.drafting

precision = fields drafted right / fields drafted; recall = fields the document states that
were drafted right / fields it states. A text field is right when it reads as the checked one
(folded, near enough to allow punctuation and case); a list when most items of each side are in
the other; awards and deadlines by what they are (form, for whom, how many; kind and date).
The anchor, in the same run, is reading each plan into lines (the least drafting costs).
Prints one JSON object."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.domain.campaign import Campaign, Index
from bot.domain.dates import Precision, format_vn_date
from bot.plans.drafting import FIELDS, draft_campaign, lines_of
from bot.plans.reading import read_plan
from bot.services.definition_files import read_definition
from bot.settings import PROJECT_ROOT
from bot.textmatch import fold

SEEDS = PROJECT_ROOT / "campaigns"
HELD_OUT = PROJECT_ROOT / "tests" / "heldout"


def _said(day: Any, precision: Precision) -> str:
    if precision == "year":
        return f"năm {day.year}"
    if precision == "month":
        return f"tháng {day.month}/{day.year}"
    return format_vn_date(day)


def stated(c: Campaign) -> dict[str, Any]:
    """The checked campaign's fields, as the drafter writes them."""
    p = c.period
    fields: dict[str, Any] = {
        "plan.kind": c.plan.kind,
        "plan.number": c.plan.number,
        "plan.date": format_vn_date(c.plan.date) if c.plan.date else None,
        "plan.signed_by": c.plan.signed_by,
        "issuer": c.issuer,
        "title": c.title,
        "period.start": None if p.start_assumed else _said(p.start, p.start_precision),
        "period.end": _said(p.end, p.end_precision) if p.end else p.until,
        "theme": c.theme,
        "purpose": c.purpose,
        "requirements": c.requirements,
        "participants.collectives": c.participants.collectives,
        "participants.individuals": c.participants.individuals,
        "content": c.content,
        "criteria.collective": c.criteria.collective,
        "criteria.individual": c.criteria.individual,
        "awards": [_award(a.model_dump()) for a in c.awards],
        "dossier.documents": c.dossier.documents if c.dossier else [],
        "dossier.send_to": c.dossier.send_to if c.dossier else None,
        "deadlines": [_deadline(d.model_dump(mode="json")) for d in c.deadlines if d.date],
        "funding": c.funding,
        "legal_basis": c.legal_basis,
        "indices": sorted(i.value for i in c.indices),
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


_DATES = re.compile(
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
)


def _days_in(text: str) -> set[str]:
    found = set()
    for m in _DATES.finditer(text):
        day, month, year = (g for g in m.groups() if g is not None)
        found.add(f"{int(day):02d}/{int(month):02d}/{year}")
    return found


def in_text(value: Any, text: str) -> bool:
    """Whether the document states this checked value (a field the checker wrote from outside
    the text — a title of their own, an index inferred — is not the drafter's to find)."""
    folded = fold(text)
    if isinstance(value, tuple):  # an award (form, recipients, quota) or a deadline (kind, date)
        return all(in_text(v, text) for v in value if isinstance(v, str) and v != "other")
    if isinstance(value, list):
        items = [v for v in value if not isinstance(v, str) or v]
        return bool(items) and sum(in_text(v, text) for v in items) >= len(items) / 2
    value = str(value)
    if re.fullmatch(r"\d{2}/\d{2}/\d{4}", value):
        return value in _days_in(text)
    if m := re.fullmatch(r"(?:nam|năm) (\d{4})", value):
        return m.group(1) in text
    if m := re.fullmatch(r"tháng (\d{1,2})/(\d{4})", value):
        return m.group(2) in text
    if value in ("collective", "individual"):
        return True
    if value in {i.value for i in Index}:
        return value.replace("_", " ").lower() in folded
    target = fold(value)
    if len(target) <= 40:
        return fuzz.partial_ratio(target, folded) >= 90
    return fuzz.partial_ratio(target, folded) >= 80


def _award(a: dict[str, Any]) -> tuple[str, str, int | None]:
    return fold(a["form"]), a["recipients"], a.get("quota")


def _deadline(d: dict[str, Any]) -> tuple[str, str]:
    when = d["date"]
    if d.get("precision", "day") == "year":
        when = f"nam {when[:4]}"
    elif "-" in when:  # an ISO day from the checked file
        year, month, day = when.split("-")
        when = f"{day}/{month}/{year}"
    return d.get("kind", "other"), fold(when)


def _same_text(a: str, b: str) -> bool:
    x, y = fold(a), fold(b)
    if not x or not y:
        return False
    x, y = _expanded(x), _expanded(y)
    if fuzz.ratio(x, y) >= 85 or fuzz.token_sort_ratio(x, y) >= 90:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) / len(long_) >= 0.6 and fuzz.token_set_ratio(short, long_) >= 92:
        return True  # the same words, a few left out
    return len(short) / len(long_) >= 0.5 and fuzz.partial_ratio(short, long_) >= 92


# Abbreviations plans and checkers use interchangeably (compared folded).
_ABBREVIATIONS = {
    "cchc": "cai cach hanh chinh",
    "ubnd": "uy ban nhan dan",
    "gddt": "giao duc va dao tao",
    "tp": "thanh pho",
    "nd cp": "nghi dinh",
}


def _expanded(folded: str) -> str:
    words = f" {folded} "
    for short, long_ in _ABBREVIATIONS.items():
        words = words.replace(f" {short} ", f" {long_} ")
    return words.strip()


def _covered(items: list[str], by: list[str]) -> float:
    if not items:
        return 1.0
    return sum(any(_same_text(i, j) for j in by) for i in items) / len(items)


def right(name: str, drafted: Any, checked: Any) -> bool:
    if name in ("awards", "deadlines"):
        read = _award if name == "awards" else _deadline
        found: set[tuple[Any, ...]] = {read(a) for a in drafted}
        want: set[tuple[Any, ...]] = set(checked)
        return len(found & want) >= 0.7 * max(len(found), len(want))
    if name == "indices":
        return bool(sorted(drafted) == checked)
    if isinstance(checked, list):
        items = [str(i) for i in drafted]
        return _covered(checked, items) >= 0.7 and _covered(items, checked) >= 0.7
    return _same_text(str(drafted), str(checked))


def pairs() -> Iterable[tuple[str, str, str, Campaign]]:
    for path in sorted(SEEDS.glob("*.yaml")):
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        yield "seed", path.stem, text, read_definition(path, Campaign)
    for path in sorted((HELD_OUT / "expected").glob("*.yaml")):
        text = (HELD_OUT / "plans" / f"{path.stem}.txt").read_text(encoding="utf-8")
        yield "held_out", path.stem, text, read_definition(path, Campaign)


def as_document(text: str, kind: str) -> str:
    """The text as the bot reads it back from a document of that kind (made from the text)."""
    if kind == "text":
        return text
    from tests.heldout.documents import make_docx, make_pdf

    data = make_pdf(text) if kind == "pdf" else make_docx(text)
    return read_plan(f"plan.{kind}", data).text


def measure(kind: str = "text") -> dict[str, Any]:
    plans: dict[str, Any] = {}
    totals: dict[str, dict[str, int]] = {}
    for group, plan_id, text, checked in pairs():
        draft = draft_campaign(as_document(text, kind))
        checked_fields = stated(checked)
        drafted = {k: v.value for k, v in draft.fields.items() if k in FIELDS}
        ok = {
            k for k, v in drafted.items() if k in checked_fields and right(k, v, checked_fields[k])
        }
        # Stated: what the checked file says that the text says too (a title of the checker's
        # own is not the drafter's to find), and whatever was drafted as the checker wrote it.
        want = {k: v for k, v in checked_fields.items() if k in ok or in_text(v, text)}
        plans[plan_id] = {
            "group": group,
            "stated": len(want),
            "drafted": len(drafted),
            "right": len(ok),
            "wrong": sorted(set(drafted) - ok),
            "missed": sorted(set(want) - set(drafted)),
        }
        for key in (group, "all"):
            t = totals.setdefault(key, {"stated": 0, "drafted": 0, "right": 0})
            t["stated"] += len(want)
            t["drafted"] += len(drafted)
            t["right"] += len(ok)
    summary = {
        key: {
            **t,
            "precision": round(t["right"] / t["drafted"], 4) if t["drafted"] else 1.0,
            "recall": round(t["right"] / t["stated"], 4) if t["stated"] else 1.0,
        }
        for key, t in totals.items()
    }
    return {"plans": plans, "totals": summary}


def main() -> None:
    texts = [text for _, _, text, _ in pairs()]
    started = time.perf_counter()
    for text in texts:
        lines_of(text)
    anchor = time.perf_counter() - started
    started = time.perf_counter()
    result = measure()
    drafting = time.perf_counter() - started
    result["seconds"] = {"draft_all": round(drafting, 4), "anchor_read_lines": round(anchor, 4)}
    # The same plans sent as documents: read back from a PDF and a Word file made from them.
    result["from_documents"] = {kind: measure(kind)["totals"] for kind in ("pdf", "docx")}
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()


__all__ = ["Path", "measure", "right", "stated"]
