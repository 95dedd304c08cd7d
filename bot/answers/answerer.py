"""From a typed question to what answers it: which campaign, which part of its plan, which
dates. Knows nothing of chats; the questions handler turns an Answer into a message."""

from __future__ import annotations

import asyncio
import gc
from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from bot.answers.index import CampaignIndex
from bot.answers.passages import Passage
from bot.answers.words import Match, Phrasebook, Speller, syllables
from bot.domain.campaign import Campaign, Occurrence
from bot.i18n import Translator
from bot.textmatch import fold

Audience = Literal["c", "i", "a"]
Kind = Literal[
    "action", "deadlines", "section", "passage", "overview", "which", "unknown", "not_understood"
]

# Parts of a plan, in the order that settles a tie.
SECTIONS = (
    "days_left",
    "deadlines",
    "period",
    "phases",
    "criteria",
    "awards",
    "dossier",
    "funding",
    "participants",
    "content",
    "purpose",
    "requirements",
    "reform_areas",
    "indices",
    "legal_basis",
    "theme",
    "notes",
    "signer",
    "issuer",
)
# What to do rather than what a plan says; these answer only when no part of a plan is asked.
ACTIONS = ("my", "pledge", "initiative", "campaigns", "join", "help", "greeting")
# Asking "how many" names no part by itself: "how many individuals" is about the awards.
HOW_MANY = "how_many"
WHEN = ("days_left", "deadlines")
# A question about when, and what it is about: which deadlines it means.
DEADLINE_TOPICS = {"dossier": "dossier", "pledge": "registration", "initiative": "submission"}
TIME_KEYS = (
    "today",
    "this_week",
    "next_week",
    "this_month",
    "next_month",
    "this_year",
    "next_year",
    "last_year",
    "month",
    "year",
)
MIN_NAMED = 0.7  # a pair of words ("can tho") or a number few campaigns share, or more
NAMED_SHARE = 0.8  # campaigns named almost as strongly as the best are named too


@dataclass(frozen=True)
class Window:
    """The days a question is about ("tuần sau", "tháng 12", "năm 2024")."""

    key: str
    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass
class Question:
    text: str
    words: list[str]
    sections: Counter[str]
    audience: Audience
    window: Window | None
    years: list[int]
    naming: list[str]
    asking: set[str]  # the words that asked for a part ("tiêu chí", "hạn nộp")
    content: list[str]  # the words without those every campaign shares ("kế hoạch", "của")
    found: list[Match] = field(default_factory=list)  # the phrases that asked for a part

    @property
    def asks_when(self) -> bool:
        return any(self.sections[k] for k in WHEN)

    def top(self, keys: Sequence[str]) -> str | None:
        present = [k for k in keys if self.sections[k]]
        return max(present, key=lambda k: (self.sections[k], -keys.index(k)), default=None)


@dataclass
class Answer:
    kind: Kind
    view: str = ""
    campaigns: list[Campaign] = field(default_factory=list)
    audience: Audience = "a"
    passage: Passage | None = None
    window: Window | None = None
    deadline_kind: str | None = None
    deadline_keys: tuple[str, ...] = ()  # only these deadlines ("sơ kết": the one so named)
    days_left: bool = False
    question: Question | None = None

    @property
    def campaign(self) -> Campaign | None:
        return self.campaigns[0] if len(self.campaigns) == 1 else None


@dataclass
class Asker:
    """What the answerer knows of the person asking."""

    mine: list[Campaign]  # the campaigns of their unit, or every one before they join
    about: Campaign | None  # what the conversation was last about, if recent
    today: date
    topic: str | None = None  # the part of that plan it was about ("participants")


class Answerer:
    def __init__(self, translator: Translator) -> None:
        catalogs = [translator.for_language(lang) for lang in translator.catalogs]

        def book(prefix: str, keys: Sequence[str]) -> Phrasebook:
            return Phrasebook(
                {k: [p for m in catalogs for p in m.phrases(f"{prefix}.{k}")] for k in keys}
            )

        self.sections = book("understand.sections", [*SECTIONS, *ACTIONS, HOW_MANY])
        self.audiences = book(
            "understand.audience",
            ["individual", "individual_weak", "collective", "collective_weak"],
        )
        self.times = book("understand.time", TIME_KEYS)
        self.audience_words = self.audiences.words
        # "tp hcm", "q11", "cn tho": read as the words they stand for, so they name a place.
        prefix = "understand.short_forms."
        long_forms: dict[str, Iterable[str]] = {}
        for m in catalogs:
            for key, value in m.items(prefix):
                long_forms[value] = [*long_forms.get(value, ()), key[len(prefix) :]]
        self.short_forms = Phrasebook(long_forms)
        self.generic = Phrasebook(
            {"generic": [p for m in catalogs for p in m.phrases("understand.generic")]}
        )
        self._index: CampaignIndex | None = None
        self._speller: Speller | None = None
        self._lock = asyncio.Lock()

    async def prepare(self, published: list[Campaign]) -> CampaignIndex:
        """The index of these campaigns, rebuilt (off the event loop) only when they change."""
        index = self._index
        if index is not None and _same(index.campaigns, published):
            return index
        async with self._lock:
            current = self._index
            if current is not None and _same(current.campaigns, published):
                return current
            built, speller = await asyncio.to_thread(self._build, list(published))
            self._index, self._speller = built, speller
            # The index lives until the campaigns change: keep the collector from walking its
            # many small objects on every full collection (a 10 ms pause at 1,000 campaigns).
            gc.freeze()
            return built

    def _build(self, published: list[Campaign]) -> tuple[CampaignIndex, Speller]:
        index = CampaignIndex.build(published, self.generic)
        books = (self.sections, self.audiences, self.times)
        vocabulary = Counter(index.vocabulary)
        vocabulary.update({w for b in (*books, self.generic) for w in b.words})
        speller = Speller(vocabulary, [*(p for b in books for p in b.phrases), *index.phrases])
        return index, speller

    def _expand(self, words: list[str]) -> list[str]:
        out: list[str] = []
        at = 0
        for m in self.short_forms.find(words):
            if m.start >= at:
                out += [*words[at : m.start], *syllables(m.key)]
                at = m.end
        return [*out, *words[at:]]

    def read(self, text: str, today: date) -> Question:
        assert self._speller is not None, "prepare() first"
        words = self._speller.correct(self._expand(syllables(text)))
        found = self.sections.find(words)
        sections: Counter[str] = Counter()
        for m in found:
            sections[m.key] += m.weight
        window, years, time_words = _when(self.times.find(words), words, today)
        said = self.audiences.find(words)
        common = {i for m in self.generic.find(words) for i in range(m.start, m.end)}
        used = {i for m in [*found, *said] for i in range(m.start, m.end)} | time_words
        naming = [w for i, w in enumerate(words) if i not in used | common]
        asking = {words[i] for m in found for i in range(m.start, m.end)}
        content = [w for i, w in enumerate(words) if i not in common]
        return Question(
            text, words, sections, self._audience(words), window, years, naming, asking, content,
            found,
        )  # fmt: skip

    def _audience(self, words: list[str]) -> Audience:
        found = {m.key for m in self.audiences.find(words)}
        for individual, collective in (
            ("individual", "collective"),
            ("individual_weak", "collective_weak"),
        ):
            if (individual in found) != (collective in found):
                return "i" if individual in found else "c"
            if individual in found:
                return "a"
        return "a"

    async def answer(self, text: str, published: list[Campaign], asker: Asker) -> Answer:
        index = await self.prepare(published)
        q = self.read(text, asker.today)
        named = self._keep_conversation(index, q, self._named(index, q), asker)
        self._not_asking_names(
            index, q, named[0] if len(named) == 1 else asker.about, named=len(named) == 1
        )
        section = q.top(SECTIONS)
        if section == "funding" and q.sections["legal_basis"]:
            section = "legal_basis"  # "mức chi khen thưởng theo nghị định nào": the decree
        if section is None and q.sections[HOW_MANY] and q.audience != "a":
            section = "awards"  # "bao nhiêu cá nhân?"
        same = not named or (asker.about is not None and named == [asker.about])
        if section is None and q.audience != "a" and asker.topic and not q.asks_when and same:
            section = asker.topic  # "còn cá nhân thì sao?": the part asked about before
        base = Answer("section", audience=q.audience, window=q.window, question=q)
        heading = q.sections["issuer"] or q.sections["signer"]
        if heading and (q.asks_when or section in ("issuer", "signer")):
            # "ban hành ngày nào", "ai ký": the plan's own heading, not its deadlines.
            top = "signer" if q.sections["signer"] else "issuer"
            return self._section_answer(base, top, named, asker, index)
        if q.asks_when and (found := self._when_in_text(base, q, named, asker, index)):
            return found
        if q.asks_when:
            # "Tuần sau có hạn gì?" is about all of the person's campaigns, not the last one.
            if q.window is not None and not named:
                asker = Asker(asker.mine, None, asker.today)
            return self._when_answer(base, q, named, asker)
        if section is not None:
            return self._section_answer(base, section, named, asker, index)
        action = q.top(ACTIONS)
        if action in ("greeting", "help") and (named or asker.about is not None):
            # "đợt thi đua chào mừng Đại hội XIV", "kinh tế số giúp gì": about a plan.
            found = self._search(Answer("section", question=q), named, asker, index)
            if found.kind in ("passage", "overview"):
                return found
        if action is not None and not (action in ("campaigns", "greeting", "help") and named):
            base.kind, base.view = "action", action
            return base
        return self._search(base, named, asker, index)

    def _keep_conversation(
        self, index: CampaignIndex, q: Question, named: list[Campaign], asker: Asker
    ) -> list[Campaign]:
        """Words that name another campaign but that the plan being talked about also uses
        ("xây dựng kế hoạch", "xã hội số") do not switch campaigns: a switch is never silent."""
        about = asker.about
        if about is None or not named or any(c is about for c in named):
            return named
        said = index.plan(about).vocabulary
        if q.naming and all(w in said for w in q.naming):
            return []  # even a number ("quyết định 923") the plan being talked about cites
        return named

    def _not_asking_names(
        self, index: CampaignIndex, q: Question, target: Campaign | None, named: bool = False
    ) -> None:
        """A part's phrase inside the campaign's name ("mục đích của phong trào chính quyền
        số") names the campaign; it does not ask for that part as well."""
        if target is None:
            return
        asked = [m for m in q.found if m.key in SECTIONS]
        for m in asked:
            inside = index.in_name(target, q.words[m.start : m.end])
            others = [o for o in asked if o is not m and o.key != m.key]
            # Alone, the phrase still asks for its part, unless other words named the campaign.
            if inside and (others or named):
                q.sections[m.key] -= m.weight
                if q.sections[m.key] <= 0:
                    del q.sections[m.key]

    def _when_in_text(
        self, base: Answer, q: Question, named: list[Campaign], asker: Asker, index: CampaignIndex
    ) -> Answer | None:
        """ "Quyết định 923/QĐ-TTg ngày nào", "lễ phát động tổ chức ngày nào": a date the plan's
        text gives about something other than its deadlines."""
        campaigns = self._narrow(named, asker) if named else self._unnamed(asker)
        if len(campaigns) != 1:
            return None
        campaign = campaigns[0]
        words, specific = self._search_words(q, campaign, index)
        if not specific:
            return None
        passage = index.plan(campaign).best(words, specific)
        if passage is None or passage.section in ("deadlines", "phases"):
            return None
        base.kind, base.passage, base.campaigns = "passage", passage, [campaign]
        return base

    async def named_in(self, text: str, published: list[Campaign]) -> list[Campaign]:
        """The campaigns a text names ("/stats so noi vu", "/deadlines 127/KH-SXD"), the most
        fully named first; none when it names none."""
        index = await self.prepare(published)
        return self._named(index, self.read(text, date.min))

    def _named(self, index: CampaignIndex, q: Question) -> list[Campaign]:
        scores = index.naming_scores(q.naming, q.years)
        best = max(scores, default=0.0)
        if best < MIN_NAMED:
            return []
        ranked = sorted((s, n) for n, s in enumerate(scores) if s >= best * NAMED_SHARE)
        if len(ranked) > 1:
            # "tp hcm chính quyền số": the words that asked for a part may also tell apart the
            # campaigns the place names.
            asked = [q.words[i] for m in q.found for i in range(m.start, m.end)]
            more = index.naming_scores([*q.naming, *asked], q.years)
            top = max(more[n] for _, n in ranked)
            ranked = [(more[n], n) for _, n in ranked if more[n] >= top * NAMED_SHARE]
            ranked.sort()
        return [index.campaigns[n] for _, n in reversed(ranked)]

    @staticmethod
    def _narrow(candidates: list[Campaign], asker: Asker) -> list[Campaign]:
        """Of several campaigns, the one the conversation was about, else the person's own,
        else those running."""
        if len(candidates) <= 1:
            return candidates
        # By identity: comparing campaigns field by field is slow and not what is meant.
        if asker.about is not None and any(c is asker.about for c in candidates):
            return [asker.about]
        mine = {id(c) for c in asker.mine}
        for keep in (
            lambda c: id(c) in mine,
            lambda c: c.state_on(asker.today) == "running",
        ):
            kept = [c for c in candidates if keep(c)]
            if len(kept) == 1:
                return kept
            if kept:
                candidates = kept
        return candidates

    def _unnamed(self, asker: Asker) -> list[Campaign]:
        if asker.about is not None:
            return [asker.about]
        return self._narrow(list(asker.mine), asker)

    def _when_answer(
        self, base: Answer, q: Question, named: list[Campaign], asker: Asker
    ) -> Answer:
        topic = q.top(("dossier", "pledge", "initiative", "period", "phases"))
        if named:
            campaigns = self._narrow(named, asker)
        else:
            # Deadlines of all the person's campaigns at once answer "what is due" well.
            campaigns = [asker.about] if asker.about is not None else list(asker.mine)
        if topic in ("period", "phases") and not q.sections["days_left"]:
            return self._section_answer(base, topic, campaigns, asker, None)
        base.kind, base.campaigns = "deadlines", campaigns
        base.deadline_kind = DEADLINE_TOPICS.get(topic or "")
        base.days_left = bool(q.sections["days_left"])
        if base.deadline_kind and len(campaigns) == 1:
            kinds = {d.kind for d in campaigns[0].deadlines}
            if base.deadline_kind not in kinds:
                base.kind, base.view = "unknown", f"deadline_{base.deadline_kind}"
        return base

    def _section_answer(
        self,
        base: Answer,
        section: str,
        named: list[Campaign],
        asker: Asker,
        index: CampaignIndex | None,
    ) -> Answer:
        campaigns = self._narrow(named, asker) if named else self._unnamed(asker)
        base.view = section
        if len(campaigns) != 1:
            base.kind, base.campaigns = ("which" if campaigns else "unknown"), campaigns
            return base
        campaign = campaigns[0]
        base.campaigns = campaigns
        q = base.question
        if section == "phases" and not campaign.phases:
            # "khi nào sơ kết": a deadline of that name, else the period.
            named_as = {" ".join(q.words[m.start : m.end]) for m in q.found} if q else set()
            keys = tuple(
                d.key for d in campaign.deadlines if any(a in fold(d.label) for a in named_as)
            )
            if keys:
                base.kind, base.deadline_keys = "deadlines", keys
                return base
            section = base.view = "period"
        if index is None or q is None:
            return base if has_section(campaign, section) else replace_kind(base, "unknown")
        words, specific = self._search_words(q, campaign, index, keep_audience=False)
        if has_section(campaign, section):
            # A detail the part does not hold ("đạt loại gì"): the passage that has it.
            passage = index.plan(campaign).best(words, specific)
        else:
            # The file has nothing for it: the plan's own text may, where it says what was
            # asked ("hình thức khen thưởng" itself, not any "khen thưởng").
            asked = [m.phrase for m in q.found if m.key == section]
            known = [" ".join(p) for p in self.sections.phrases_of(section)]
            # …or a shorter phrase of that part it starts with ("kinh phí" of "kinh phí khen
            # thưởng"), but not one inside it ("khen thưởng" of "hình thức khen thưởng").
            said = [k for k in known if any(f"{a} ".startswith(f"{k} ") for a in asked)]
            passage = index.plan(campaign).best(
                words,
                [w for w in words if w not in index.names(campaign)],
                sections=("plan",),
                speaks_of=said or known,
            )
        if passage is not None and passage.section != section:
            base.kind, base.passage = "passage", passage
        elif not has_section(campaign, section):
            base.kind = "unknown"
        return base

    def _search_words(
        self, q: Question, campaign: Campaign, index: CampaignIndex, keep_audience: bool = True
    ) -> tuple[list[str], list[str]]:
        """The words to rank passages with, and of those the specific ones: not naming the
        campaign, not asking for a part (nor saying who, when a part was asked)."""
        words = q.content
        names = index.names(campaign)
        skip = q.asking | names
        if not keep_audience:
            skip |= self.audience_words
        return words, [w for w in words if w not in skip]

    def _search(
        self, base: Answer, named: list[Campaign], asker: Asker, index: CampaignIndex
    ) -> Answer:
        """No part of a plan was asked by name: the passage that answers it, if one does;
        else the campaign it names."""
        assert base.question is not None
        campaigns = self._narrow(named, asker) if named else self._unnamed(asker)
        for campaign in campaigns[:50]:
            words, specific = self._search_words(base.question, campaign, index)
            passage = index.plan(campaign).best(words, specific)
            if passage is not None:
                base.kind, base.passage, base.campaigns = "passage", passage, [campaign]
                return base
        if named:
            base.kind, base.campaigns = ("overview" if len(campaigns) == 1 else "which"), campaigns
            base.view = "overview"
            return base
        base.kind = "not_understood"
        return base


def replace_kind(answer: Answer, kind: Kind) -> Answer:
    answer.kind = kind
    return answer


def has_section(c: Campaign, section: str) -> bool:
    present = {
        "criteria": bool(c.criteria.collective or c.criteria.individual or c.content),
        "awards": bool(c.awards),
        "dossier": c.dossier is not None,
        "funding": bool(c.funding),
        "purpose": bool(c.purpose),
        "requirements": bool(c.requirements),
        "reform_areas": bool(c.reform_areas),
        "indices": bool(c.indices),
        "legal_basis": bool(c.legal_basis),
        "theme": bool(c.theme),
        "notes": bool(c.notes),
        "phases": bool(c.phases),
        "content": bool(c.content),
        "signer": bool(c.plan.signed_by),
    }
    return present.get(section, True)


def occurrences_asked(
    campaigns: list[Campaign], answer: Answer, today: date
) -> tuple[list[tuple[Campaign, Occurrence]], list[tuple[Campaign, Occurrence]]]:
    """The deadlines a when-question means, ahead (soonest first) and past (latest first)."""
    ahead: list[tuple[Campaign, Occurrence]] = []
    past: list[tuple[Campaign, Occurrence]] = []
    for c in campaigns:
        for o in c.occurrences():
            if answer.deadline_kind and o.deadline.kind != answer.deadline_kind:
                continue
            if answer.deadline_keys and o.deadline.key not in answer.deadline_keys:
                continue
            if answer.window is not None and not _in_window(o, answer.window):
                continue
            (ahead if o.days_left(today) >= 0 else past).append((c, o))
    ahead.sort(key=lambda x: (x[1].last_day, x[0].id))
    past.sort(key=lambda x: (x[1].last_day, x[0].id), reverse=True)
    if answer.window is None:
        # Without a window, the next of each deadline, and the last of those all past.
        ahead = _first_each(ahead)
        keys_ahead = {(c.id, o.deadline.key) for c, o in ahead}
        past = [x for x in _first_each(past) if (x[0].id, x[1].deadline.key) not in keys_ahead]
    return ahead, past


def _first_each(
    items: list[tuple[Campaign, Occurrence]],
) -> list[tuple[Campaign, Occurrence]]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for c, o in items:
        if (c.id, o.deadline.key) not in seen:
            seen.add((c.id, o.deadline.key))
            kept.append((c, o))
    return kept


def _in_window(o: Occurrence, window: Window) -> bool:
    if window.key == "year" and o.emulation_year is not None:
        return o.emulation_year == window.start.year
    return window.holds(o.last_day)


def _when(
    found: list[Match], words: list[str], today: date
) -> tuple[Window | None, list[int], set[int]]:
    """The window a question names, the years it names, and the words that said so."""
    years = [int(w) for w in words if w.isdigit() and len(w) == 4 and 2000 <= int(w) <= 2100]
    used: set[int] = set()
    window: Window | None = None
    monday = today - timedelta(days=today.weekday())
    for m in found:
        nxt = words[m.end] if m.end < len(words) else ""
        span: tuple[date, date] | None = None
        if m.key == "today":
            span = (today, today)
        elif m.key == "this_week":
            span = (today, monday + timedelta(days=6))
        elif m.key == "next_week":
            span = (monday + timedelta(days=7), monday + timedelta(days=13))
        elif m.key in ("this_month", "next_month"):
            month = today.month + (m.key == "next_month")
            year = today.year + (month > 12)
            span = _month(year, (month - 1) % 12 + 1)
        elif m.key in ("this_year", "next_year", "last_year"):
            year = today.year + {"this_year": 0, "next_year": 1, "last_year": -1}[m.key]
            span, years = (date(year, 1, 1), date(year, 12, 31)), [*years, year]
        elif m.key == "month" and nxt.isdigit() and 1 <= int(nxt) <= 12:
            month = int(nxt)
            year = next(iter(years), today.year + (month < today.month))
            span = _month(year, month)
            used.add(m.end)
        elif m.key == "year" and nxt.isdigit() and len(nxt) == 4:
            span = (date(int(nxt), 1, 1), date(int(nxt), 12, 31))
        if span is not None:
            used.update(range(m.start, m.end))
            if window is None:
                window = Window(m.key, *span)
    return window, years, used


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _same(a: list[Campaign], b: list[Campaign]) -> bool:
    # The same objects (the store parses campaigns once per change): list equality checks
    # identity first, in C.
    return len(a) == len(b) and a == b
