"""The Council's papers, each in the state's form (see layout.py): the tờ trình with the
nominee list as its annex, the nominee list as a workbook with its title block, the minutes
with the ballot count, the draft decision with its annex, and the achievement reports.
Counts are exact: by award form, and collectives apart from individuals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.i18n import Messages
from bot.papers.layout import Heading, Paper, Signature, new_paper
from bot.services.safe_files import text_cell
from storage.council import IssuingBody

BLANK_DAY = "ngày      tháng      năm"


@dataclass(frozen=True)
class NomineeLine:
    ref: str
    kind: str  # individual | collective
    name: str
    position: str
    unit: str
    form: str  # "Bằng khen (UBND tỉnh)"
    summary: str = ""


@dataclass(frozen=True)
class Bodies:
    """Who writes which paper, as the organisation file names them."""

    secretariat: IssuingBody  # the Council's standing secretariat: drafts the tờ trình
    secretariat_superior: str
    council: str  # Hội đồng Thi đua – Khen thưởng tỉnh Sóc Trăng
    decider: IssuingBody  # the body whose head signs the decision
    decider_superior: str = ""


@dataclass(frozen=True)
class Basis:
    """What every paper cites: the Law and decree in force, the plan, the campaign's own."""

    standing: Sequence[str]
    plan: str  # "Kế hoạch số 52/KH-UBND ngày 06 tháng 4 năm 2022 của UBND tỉnh Sóc Trăng"
    campaign_title: str
    year: int
    own: Sequence[str] = field(default_factory=list)


def long_date(day: date) -> str:
    """As NĐ 30/2020 writes dates: a zero before days 1–9 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(body: IssuingBody, year: int) -> str:
    """Left for the day of signing: "Sóc Trăng, ngày      tháng      năm 2026"."""
    place = body.place or "……"
    return f"{place}, {BLANK_DAY} {year}"


def symbol(kind: str, body: IssuingBody) -> str:
    return f"Số:      /{kind}-{body.abbreviation or '……'}"


def counted(t: Messages, lines: Sequence[NomineeLine]) -> str:
    """ "1 tập thể và 2 cá nhân", "2 cá nhân" — never "2 tập thể, cá nhân"."""
    collectives = sum(1 for n in lines if n.kind == "collective")
    individuals = len(lines) - collectives
    parts = []
    if collectives:
        parts.append(t.plain("papers.collectives", count=collectives))
    if individuals:
        parts.append(t.plain("papers.individuals", count=individuals))
    return t.plain("papers.and").join(parts) if parts else t.plain("papers.nobody")


def by_form(t: Messages, lines: Sequence[NomineeLine]) -> list[str]:
    """One line per award form, its collectives and individuals counted apart."""
    forms = list(dict.fromkeys(n.form for n in lines))
    return [
        t.plain(
            "papers.form_line", form=form, counted=counted(t, [n for n in lines if n.form == form])
        )
        for form in forms
    ]


def _bases(t: Messages, basis: Basis, extra: Sequence[str] = ()) -> list[str]:
    items = [*basis.standing, basis.plan, *basis.own, *extra]
    return [t.plain("papers.basis", basis=item) for item in dict.fromkeys(items) if item]


def _nominee_table(paper: Paper, t: Messages, lines: Sequence[NomineeLine]) -> None:
    headers = [
        t.plain(f"papers.h_{k}") for k in ("no", "name", "position", "unit", "form", "summary")
    ]
    rows = [
        [n, line.name, line.position, line.unit, line.form, line.summary]
        for n, line in enumerate(lines, 1)
    ]
    paper.table(headers, rows, [1.2, 4.5, 3.2, 4.5, 4.0, 7.8])


def write_submission(
    t: Messages, bodies: Bodies, basis: Basis, lines: Sequence[NomineeLine], path: Path
) -> Path:
    """Tờ trình of the standing secretariat to the Council, the list as its annex."""
    s = bodies.secretariat
    paper = new_paper()
    paper.heading(
        Heading(bodies.secretariat_superior, s.name, symbol("TTr", s), place_date(s, basis.year))
    )
    subject = t.plain("papers.submission_subject", campaign=basis.campaign_title, year=basis.year)
    paper.title(t.plain("papers.submission"), subject)
    paper.addressed(t.plain("papers.to", council=bodies.council))
    paper.body(*_bases(t, basis))
    paper.body(t.plain("papers.submission_results", campaign=basis.campaign_title, year=basis.year))
    paper.body(
        t.plain(
            "papers.submission_proposes", issuer=s.name, total=len(lines), counted=counted(t, lines)
        )
    )
    for line in by_form(t, lines):
        paper.paragraph(f"- {line}")
    paper.body(
        t.plain("papers.attached_list"), t.plain("papers.submission_close", council=bodies.council)
    )
    paper.signature(
        Signature(s.on_behalf, s.signer or t.plain("papers.head")),
        [t.plain("papers.to_council", council=bodies.council), t.plain("papers.archive")],
    )
    _annex(paper, t, [t.plain("papers.annex_title"), subject], "submission", "TTr", s, basis, lines)
    return paper.save(path)


def _annex(
    paper: Paper,
    t: Messages,
    titles: Sequence[str],
    kind: str,
    code: str,
    issuer: IssuingBody,
    basis: Basis,
    lines: Sequence[NomineeLine],
) -> None:
    """The list as an annex on a page laid wide: its title, what it is attached to, the table."""
    paper.annex()
    for title in titles:
        paper.paragraph(title, bold=True, align="center", after=0)
    attached = t.plain(
        "papers.annex_of",
        kind=t.plain(f"papers.{kind}_short"),
        symbol=f"     /{code}-{issuer.abbreviation or '……'}",
        year=basis.year,
        issuer=issuer.name,
    )
    paper.paragraph(attached, italic=True, align="center")
    _nominee_table(paper, t, lines)


def write_nominee_book(
    t: Messages, bodies: Bodies, basis: Basis, lines: Sequence[NomineeLine], path: Path
) -> Path:
    """The same list as a workbook: the title block above, the table below; every cell of
    people's text a string cell (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(t.plain("papers.sheet"))
    for column, width in zip("ABCDEF", (6, 28, 20, 32, 28, 60), strict=True):
        sheet.column_dimensions[column].width = width
    s = bodies.secretariat
    bold = Font(name="Times New Roman", bold=True, size=13)
    italic = Font(name="Times New Roman", italic=True, size=12)
    for text, font in (
        (s.name.upper(), bold),
        (t.plain("papers.annex_title"), bold),
        (
            t.plain("papers.submission_subject", campaign=basis.campaign_title, year=basis.year),
            bold,
        ),
        (
            t.plain(
                "papers.annex_of",
                kind=t.plain("papers.submission_short"),
                symbol=f"     /TTr-{s.abbreviation or '……'}",
                year=basis.year,
                issuer=s.name,
            ),
            italic,
        ),
    ):
        cell = text_cell(sheet, text)
        cell.font = font
        sheet.append([cell])
    sheet.append([])
    headers = []
    for k in ("no", "name", "position", "unit", "form", "summary"):
        cell = WriteOnlyCell(sheet, value=t.plain(f"papers.h_{k}"))
        cell.font = Font(name="Times New Roman", bold=True)
        headers.append(cell)
    sheet.append(headers)
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, line in enumerate(lines, 1):
        row = [
            text_cell(sheet, v)
            for v in (n, line.name, line.position, line.unit, line.form, line.summary)
        ]
        for cell in row:
            cell.alignment = wrap
        sheet.append(row)
    totals = text_cell(sheet, t.plain("papers.total", total=len(lines), counted=counted(t, lines)))
    totals.font = Font(name="Times New Roman", bold=True)
    sheet.append([None, totals])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@dataclass(frozen=True)
class Count:
    """One nominee's line in the ballot count."""

    line: NomineeLine
    yes: int
    no: int
    needed: str  # "trên 50 %", "từ 90 % trở lên"
    passed: bool


@dataclass(frozen=True)
class Sitting:
    """How the vote went, without anyone's choice: who took part and how."""

    opened: str
    closed: str
    members: Sequence[tuple[str, str, str]]  # name, role, how they took part
    total: int
    present: int
    written: int


def write_minutes(
    t: Messages,
    bodies: Bodies,
    basis: Basis,
    sitting: Sitting,
    counts: Sequence[Count],
    path: Path,
) -> Path:
    """Biên bản họp Hội đồng, with the kết quả kiểm phiếu against the whole membership."""
    d = bodies.decider
    paper = new_paper()
    paper.heading(
        Heading(
            d.name,
            bodies.council,
            symbol("BB", IssuingBody(0, "", "HĐTĐKT")),
            place_date(d, basis.year),
        )
    )
    paper.title(
        t.plain("papers.minutes"),
        t.plain("papers.minutes_subject", campaign=basis.campaign_title, year=basis.year),
    )
    paper.body(
        *_bases(t, basis),
        t.plain("papers.minutes_when", opened=sitting.opened, closed=sitting.closed),
        t.plain("papers.minutes_how"),
        t.plain(
            "papers.minutes_who",
            total=sitting.total,
            voted=sitting.present + sitting.written,
            present=sitting.present,
            written=sitting.written,
            absent=sitting.total - sitting.present - sitting.written,
        ),
    )
    for name, role, how in sitting.members:
        paper.paragraph(f"- {name}, {role}: {how}." if role else f"- {name}: {how}.")
    paper.paragraph(t.plain("papers.count_title"), bold=True, align="center")
    headers = [
        t.plain(f"papers.c_{k}")
        for k in ("no", "name", "unit", "form", "yes", "no_", "share", "needed", "result")
    ]
    rows = [
        [
            n,
            c.line.name,
            c.line.unit,
            c.line.form,
            c.yes,
            c.no,
            f"{c.yes}/{sitting.total} ({100 * c.yes / sitting.total:.1f} %)"
            if sitting.total
            else "—",
            c.needed,
            t.plain("papers.passed" if c.passed else "papers.not_passed"),
        ]
        for n, c in enumerate(counts, 1)
    ]
    paper.table(headers, rows, [0.9, 3.0, 2.4, 2.2, 1.2, 1.4, 2.0, 1.8, 1.6], size=10)
    passed = [c.line for c in counts if c.passed]
    paper.paragraph("")
    paper.body(
        t.plain(
            "papers.minutes_conclusion",
            passed=len(passed),
            total=len(counts),
            counted=counted(t, passed),
        )
    )
    for line in by_form(t, passed):
        paper.paragraph(f"- {line}")
    paper.body(t.plain("papers.minutes_end"))
    paper.two_signers(
        Signature("", t.plain("papers.council_secretary")),
        Signature("", t.plain("papers.council_chair")),
    )
    return paper.save(path)


def write_decision(
    t: Messages, bodies: Bodies, basis: Basis, passed: Sequence[NomineeLine], path: Path
) -> Path:
    """The draft award decision, with its annex of those the Council passed."""
    d = bodies.decider
    paper = new_paper()
    paper.heading(
        Heading(bodies.decider_superior, d.name, symbol("QĐ", d), place_date(d, basis.year))
    )
    forms = ", ".join(dict.fromkeys(n.form for n in passed)) or "—"
    paper.title(
        t.plain("papers.decision"),
        t.plain(
            "papers.decision_subject", forms=forms, campaign=basis.campaign_title, year=basis.year
        ),
    )
    head = f"{d.signer} {d.name}".strip() if d.signer else d.name
    paper.paragraph(head.upper(), bold=True, align="center")
    for line in _bases(t, basis, [t.plain("papers.decision_minutes", council=bodies.council)]):
        paper.paragraph(line, italic=True)
    paper.paragraph(
        t.plain("papers.decision_on_proposal", issuer=bodies.secretariat.name), italic=True
    )
    paper.paragraph(t.plain("papers.decides"), bold=True, align="center")
    first = t.plain(
        "papers.article_1",
        counted=counted(t, passed),
        campaign=basis.campaign_title,
        year=basis.year,
    )
    paper.paragraph(t.plain("papers.article", n=1) + " " + first)
    for line in by_form(t, passed):
        paper.paragraph(f"- {line}")
    paper.paragraph(t.plain("papers.article", n=2) + " " + t.plain("papers.article_2"))
    paper.paragraph(
        t.plain("papers.article", n=3)
        + " "
        + t.plain("papers.article_3", issuer=bodies.secretariat.name)
    )
    paper.signature(
        Signature(d.on_behalf, d.signer or t.plain("papers.head")),
        [
            t.plain("papers.as_article_3"),
            t.plain("papers.to_named", name=bodies.council),
            t.plain("papers.archive"),
        ],
    )
    _annex(paper, t, [t.plain("papers.decision_annex_title")], "decision", "QĐ", d, basis, passed)
    return paper.save(path)


@dataclass(frozen=True)
class ReportPaper:
    line: NomineeLine
    answers: dict[str, str]
    initiatives: Sequence[str]
    earlier: Sequence[str]
    confirmed: bool


REPORT_HEADINGS = ("duties", "pledge", "solutions")


def write_reports(
    t: Messages, year: int, place: str, reports: Sequence[ReportPaper], path: Path
) -> Path:
    """Each nominee's báo cáo thành tích, one after another, each from a new page."""
    paper = new_paper()
    for n, report in enumerate(reports):
        if n:
            paper.annex(landscape=False)
        line = report.line
        table_heading = Heading("", "", "", f"{place or '……'}, {BLANK_DAY} {year}")
        _report_heading(paper, table_heading)
        paper.title(
            t.plain("papers.report"), t.plain("papers.report_subject", form=line.form, year=year)
        )
        paper.paragraph(t.plain("papers.report_part_1"), bold=True, indent=False)
        who = "collective" if line.kind == "collective" else "individual"
        paper.body(
            t.plain(
                f"papers.report_who_{who}", name=line.name, position=line.position, unit=line.unit
            )
        )
        paper.paragraph(t.plain("papers.report_part_2"), bold=True, indent=False)
        for k, key in enumerate(REPORT_HEADINGS, 1):
            paper.paragraph(f"{k}. {t.plain(f'achievement.h_{key}')}", bold=True, indent=False)
            paper.body(report.answers.get(key) or "—")
        paper.paragraph(
            f"{len(REPORT_HEADINGS) + 1}. {t.plain('papers.report_initiatives')}",
            bold=True,
            indent=False,
        )
        paper.body(*(report.initiatives or [t.plain("papers.none")]))
        paper.paragraph(t.plain("papers.report_part_3"), bold=True, indent=False)
        paper.body(*(report.earlier or [t.plain("papers.none")]))
        paper.two_signers(
            Signature(
                t.plain("papers.report_confirm"),
                "",
                t.plain("papers.confirmed" if report.confirmed else "papers.unconfirmed"),
            ),
            Signature("", t.plain("papers.reporter")),
        )
    return paper.save(path)


def _report_heading(paper: Paper, heading: Heading) -> None:
    """A report has no issuer: the national heading and the place and date, centred."""
    from bot.papers.layout import MOTTO, NATIONAL

    paper.paragraph(NATIONAL, size=12, bold=True, align="center", after=0)
    paper.paragraph(MOTTO, size=13, bold=True, align="center", after=0)
    paper.rule()
    paper.paragraph(heading.place_date, italic=True, align="right")


def count_forms(lines: Sequence[NomineeLine]) -> Counter[tuple[str, str]]:
    return Counter((n.form, n.kind) for n in lines)
