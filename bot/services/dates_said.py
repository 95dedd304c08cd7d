"""Dates as a message says them: as the plan gives them (a day, a month, a year, an end in
words), an estimate marked as one, never a day the plan does not give. Every view, notice,
reminder and calendar says a period or a deadline through here, so they all say it alike."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from bot.domain.campaign import Campaign, Occurrence, Period
from bot.domain.dates import Precision, format_vn_date
from bot.i18n import Messages


def _side(t: Messages, day: date, precision: Precision) -> Markup:
    if precision == "year":
        return t("plan_dates.year", year=day.year)
    if precision == "month":
        return t("plan_dates.month", month=day.month, year=day.year)
    return Markup(format_vn_date(day))


def start_said(t: Messages, period: Period) -> Markup:
    said = _side(t, period.start, period.start_precision)
    return t("plan_dates.assumed", date=said) if period.start_assumed else said


def end_said(t: Messages, period: Period) -> Markup | None:
    """The last day or month or year; None for an open end."""
    if period.end is None:
        return None
    return _side(t, period.end, period.end_precision)


def until_said(t: Messages, period: Period) -> Markup:
    """An open end in the plan's words, as "đến khi …"."""
    until = (period.until or "").strip()
    prefix = str(t("plan_dates.until_prefix"))
    if until.casefold().startswith(prefix.casefold()) or until.casefold().startswith("cho "):
        return Markup.escape(until)
    return Markup("{} {}").format(prefix, until)


def period_said(t: Messages, period: Period) -> Markup:
    """ "05/07/2022 – 31/12/2025", "giai đoạn 2021–2030", "năm 2022", "từ tháng 10/2025 đến khi
    tổ chức thành công Đại hội XIV", "từ 12/08/2022 (ước tính …) (kế hoạch không nêu ngày kết
    thúc)"."""
    end = end_said(t, period)
    if end is None or period.end is None:
        key = "plan_dates.from_until" if period.until else "plan_dates.from_open"
        return t(key, start=start_said(t, period), until=until_said(t, period))
    if period.start_precision == "year" and period.end_precision == "year":
        if period.start.year == period.end.year:
            return t("plan_dates.one_year", year=period.start.year)
        return t("plan_dates.years", start=period.start.year, end=period.end.year)
    return t("plan_dates.day_range", start=start_said(t, period), end=end)


def due_said(t: Messages, occurrence: Occurrence) -> Markup:
    """A deadline's day ("trước ngày 01/12/2024", "đến hết ngày 31/12/2026") or, where the plan
    gives only a month or a year, that ("trong năm 2023")."""
    deadline = occurrence.deadline
    if deadline.precision == "year":
        return t("plan_dates.in_year", year=occurrence.due.year)
    if deadline.precision == "month":
        return t("plan_dates.in_month", month=occurrence.due.month, year=occurrence.due.year)
    if deadline.before:
        return t("deadlines.before", date=format_vn_date(occurrence.due))
    return t("deadlines.by", date=format_vn_date(occurrence.due))


def registration_set(campaign: Campaign) -> bool:
    """Whether the plan or the campaign file sets when registration closes; else the
    secretariat's default (each emulation year, to 31/12) applies."""
    return (
        campaign.registration is not None
        or campaign.registration_until is not None
        or any(d.kind == "registration" for d in campaign.deadlines)
    )


def registration_said(t: Messages, campaign: Campaign, year: int) -> Markup:
    """Until when registration for an emulation year is open, said the same in every answer,
    receipt, reminder and /deadlines: "đến hết ngày 31/12/2026 (mặc định của Văn phòng; kế
    hoạch không nêu hạn đăng ký)" where the plan sets none."""
    until = format_vn_date(campaign.registration_window_for(year).end)
    key = (
        "plan_dates.registration_set"
        if registration_set(campaign)
        else ("plan_dates.registration_default")
    )
    return t(key, date=until)
