"""A campaign drafted from a plan's text by rules over its structure: the heading block (issuer,
"Số: …", place and date), the title under "KẾ HOẠCH", parts and items (I., 1., a), -), the
sentences a press report of a plan uses ("… vừa ban hành Kế hoạch số …", "Đối tượng là …"),
Vietnamese dates and numerals ("05 tập thể"). Each drafted field keeps the sentence it came
from, for the clerk to check. What the text does not say is left out, never guessed."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.textmatch import fold

# --- the text as lines and sentences ----------------------------------------------------------

_ROMAN = re.compile(r"^([IVXL]+)\s*[.:-]\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s*(.*)$")
_LETTERED = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
_BULLET = re.compile(r"^[-–+•*]\s*(.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ“\"(\-–+•])")
WRAPPED_LINE = 60  # a line this long that stops mid-sentence was wrapped by the page
_CLAUSE_END = re.compile(r";\s+(?=[A-ZĐÀ-Ỹ(])")


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


_LEVELS = {"tỉnh", "quận", "huyện", "xã", "phường", "phố"}  # "thành phố" ends in "phố"
_NOT_A_NAME = {
    "trên", "đến", "định", "giai", "năm", "về", "của", "thực", "và", "với", "trong", "theo",
    "tại", "đoạn", "thi", "đua", "phát", "động", "chuyển", "đổi", "số", "nhằm",
}  # fmt: skip


def sentence_case(text: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG' → 'Ủy ban nhân dân tỉnh Tuyên Quang': lower case, the
    first letter, a quotation's first letter and a place after its level word (tỉnh, thành
    phố, quận …, up to the words that cannot be a name) in capitals; "Sở Xây dựng"."""
    words = text.lower().split()
    out: list[str] = []
    naming = 0
    for n, word in enumerate(words):
        bare = word.strip('“”"(),;:.')
        if naming and (bare in _NOT_A_NAME or not bare):
            naming = 0
        if n == 0 or naming or (out and out[-1].lower() == "sở") or word.startswith(("“", '"')):
            word = _upper_first(word)
        out.append(word)
        naming = max(0, naming - 1) if naming else 0
        if bare in _LEVELS and not word.endswith((",", ";")):
            naming = 4  # a place name is a few words
        if word.endswith((",", ";", "”", '"')):
            naming = 0
    return " ".join(out)


def _upper_first(word: str) -> str:
    for i, ch in enumerate(word):
        if ch.isalpha():
            return word[:i] + ch.upper() + word[i + 1 :]
    return word


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    heading: str | None = None  # "I", "1", "a", "-" for a structured line


def lines_of(text: str) -> list[Line]:
    """Paragraphs as lines; a line a page broke mid-sentence is joined to the next."""
    # Bold marks pasted from a web page ("**30/11/2024**") are not the plan's words.
    raw = [" ".join(part.replace("**", "").split()) for part in text.splitlines()]
    joined: list[str] = []
    for part in raw:
        if not part:
            joined.append("")
            continue
        # The last line with words, across one empty line (a page's break between them).
        last = len(joined) - 1
        if last >= 0 and not joined[last] and last >= 1 and joined[last - 1]:
            last -= 1
        previous = joined[last] if last >= 0 else ""
        adjacent = last == len(joined) - 1  # no empty line between them
        open_ended = bool(previous) and not previous.endswith((".", ";", ":", "!", "?", "…"))
        # A PDF wraps a paragraph into lines of a page's width: a long line that stops
        # mid-sentence goes on in the next, unless that one starts an item or a heading.
        wrapped = (
            adjacent
            and len(previous) >= WRAPPED_LINE
            and not _TOPIC_START.match(part)
            and not _is_upper(previous)
            and not _is_upper(part)
            and not any(p.match(part) for p in (_ROMAN, _NUMBERED, _LETTERED, _BULLET))
        )
        if open_ended and (part[:1].islower() or (wrapped and not previous.endswith(("”", '"')))):
            joined[last] = f"{joined[last]} {part}"
            del joined[last + 1 :]
        else:
            joined.append(part)
    found = []
    for n, part in enumerate(p for p in joined if p):
        heading = None
        for pattern, kind in ((_ROMAN, "I"), (_NUMBERED, "1"), (_LETTERED, "a"), (_BULLET, "-")):
            if pattern.match(part):
                heading = kind
                break
        found.append(Line(n, part, heading))
    return found


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


# --- what is drafted -------------------------------------------------------------------------


@dataclass
class Drafted:
    field: str
    value: Any
    source: str  # the sentence (or line) it came from


@dataclass
class Draft:
    fields: dict[str, Drafted] = field(default_factory=dict)

    def put(self, name: str, value: Any, source: str) -> None:
        if value in (None, "", [], {}) or name in self.fields:
            return
        self.fields[name] = Drafted(name, value, source)

    def get(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.value if found else None


# The fields drafted, in the order the clerk checks them.
FIELDS = (
    "plan.kind",
    "plan.number",
    "plan.date",
    "issuer",
    "plan.signed_by",
    "title",
    "period.start",
    "period.end",
    "theme",
    "purpose",
    "requirements",
    "participants.collectives",
    "participants.individuals",
    "content",
    "criteria.collective",
    "criteria.individual",
    "awards",
    "dossier.documents",
    "dossier.send_to",
    "deadlines",
    "funding",
    "legal_basis",
    "indices",
)

# --- patterns --------------------------------------------------------------------------------

_KINDS = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "QD": "Quyết định",
    "HD": "Hướng dẫn",
    "CT": "Chỉ thị",
    "TB": "Thông báo",
    "CV": "Công văn",
}
_DOC_WORDS = r"(Kế hoạch|Quyết định|Công văn|Hướng dẫn|Chỉ thị|Thông báo|QĐ|KH)"
_NUMBER = r"(\d{1,5}[a-zA-Z]?)\s*/\s*((?:\d{4}/)?[A-ZĐ][A-ZĐa-z0-9&\-]*(?:-[A-ZĐa-z0-9&]+)*)"
_SO_LINE = re.compile(r"^Số\s*[:.]?\s*" + _NUMBER)
_NUMBER_IN_TEXT = re.compile(_DOC_WORDS + r"\s+(?:số\s+)?" + _NUMBER, re.I)
# A report naming no number: "UBND Quận 11 vừa phát động phong trào thi đua …", "Sở Xây dựng
# ban hành Kế hoạch phát động phong trào thi đua …".
_ISSUED = re.compile(
    r"^(?:\([^)]{2,40}\)\s*[-–]?\s*)?((?:UBND|Ủy ban nhân dân|Sở|Bộ|Ban|Thủ tướng)[^,.;]{0,60}?)"
    r"\s+(?:vừa\s+|đã\s+)?(?:ban hành|phát động)\s+(?:Kế hoạch\s+)?(?:phát động\s+)?"
    r"((?:phong trào|đợt) thi đua\b[^.;]*)"
)
_HEADER_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_SLASH_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_SELF = re.compile(r"(vừa|đã)?\s*(ký\s+)?ban hành|vừa có|có Công văn|vừa phát động|phát động", re.I)
_KIND_HEADING = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CÔNG VĂN|HƯỚNG DẪN|CHỈ THỊ|THÔNG BÁO)\s*(.*)$")
_SURNAMES = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "mai", "dinh", "truong", "lam", "to", "ta", "cao", "luong", "ha",
    "dao", "trinh", "chau", "thai", "doan", "kieu", "quach", "luu", "tang", "la", "giang", "tong",
}  # fmt: skip
_ROLE = (
    r"(Phó Thủ tướng|Thủ tướng|Phó Chủ tịch|Chủ tịch|Phó Giám đốc|Giám đốc|Bộ trưởng|Thứ trưởng|"
    r"Bí thư|Chánh Văn phòng|Trưởng ban)"
)
_SIGNED_NEWS = re.compile(_ROLE + r"\s+(.{2,80}?)\s+(?:vừa\s+)?ký\s+ban hành")
_AWARD_FORMS = ("Cờ thi đua", "Bằng khen", "Giấy khen", "Giấy chứng nhận")
_INDICES = {
    "PAR_INDEX": ("par index",),
    "SIPAS": ("sipas",),
    "PAPI": ("papi",),
    "PCI": ("pci",),
    "DTI": ("dti",),
    "DDCI": ("ddci",),
}
_REFERENCE = re.compile(
    r"(Nghị quyết|Nghị định|Quyết định|Chỉ thị|Kế hoạch|Thông tư|Công văn|Hướng dẫn|Luật)\s+"
    r"(?:số\s+)?([0-9][0-9a-zA-Z]*\s*[/-]\s*[0-9A-ZĐa-z/&\-]+|[A-ZĐ][^;,.]{3,60}?năm \d{4})"
    r"(\s+ngày\s+(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
    r"(\s+của\s+(?:[A-ZĐ][\wÀ-ỹđĐ]*|Ủy|UBND|Ban|Bộ|Tỉnh|Thủ)[^;,“”\"]{0,70}?)?"
    r"(?=\s+(?:về|phê duyệt|ban hành|triển khai|thực hiện|quy định|chủ động)\b|[;,.“\"(]|\s+và\s|$)"
)
_RECIPIENTS = {"tap the": "collective", "ca nhan": "individual", "don vi": "collective"}
_PEOPLE = re.compile(r"^(Cán bộ|Công chức|Viên chức|Người lao động|Cá nhân|Toàn thể)", re.I)
_NUMERAL = re.compile(r"(?<![\d/])(\d{1,3})(?![\d/])")


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _said_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


# --- the drafter -----------------------------------------------------------------------------


class Drafter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = lines_of(text)
        self.draft = Draft()
        self.structured: set[str] = set()  # fields found under a heading of their own

    def run(self) -> Draft:
        self._heading_block()
        self._self_reference()
        self._signature()
        self._title()
        self._issued_sentence()
        self._parts()
        self._news_sentences()
        self._period()
        self._legal_basis()
        self._indices()
        return self.draft

    # The heading block: issuer (upper case, before "CỘNG HÒA"), "Số: …", "…, ngày … tháng …".
    def _heading_block(self) -> None:
        top = self.lines[:14]
        issuer_lines: list[str] = []
        for line in top:
            text = line.text
            if re.match(r"^(CỘNG HÒA|CỘNG HOÀ|Độc lập)", text):
                break
            if _SO_LINE.match(text) or _KIND_HEADING.match(text):
                break
            if _is_upper(text):
                issuer_lines.append(text.strip("- "))
            elif issuer_lines:
                break
        if issuer_lines:
            issuer = self._cased(sentence_case(" ".join(issuer_lines)))
            self.draft.put("issuer", issuer, " ".join(issuer_lines))
        for line in top:
            if m := _SO_LINE.match(line.text):
                number = f"{m.group(1)}/{m.group(2)}"
                self.draft.put("plan.number", number, line.text)
                self._kind_from_symbol(m.group(2), line.text)
            if (m := _HEADER_DATE.search(line.text)) and "," in line.text[: m.start() + 1]:
                day = _date(*m.groups())
                if day is not None:
                    self.draft.put("plan.date", _said_date(day), line.text)
        for line in top:
            if m := _KIND_HEADING.match(line.text):
                self.draft.put("plan.kind", sentence_case(m.group(1)), line.text)

    def _cased(self, text: str) -> str:
        """Names written in capitals cased as the document's own sentences write them: a
        title's "“KIÊN GIANG THỰC HIỆN …" is "“Kiên Giang thực hiện …" where the text says
        "Kiên Giang" so."""
        words = text.split()
        for n in range(len(words) - 1):
            a, b = words[n].strip('“”"(),;:'), words[n + 1].strip('“”"(),;:')
            if not a or not b:
                continue
            proper = f"{a[:1].upper()}{a[1:]} {b[:1].upper()}{b[1:]}"
            if proper in self.text and f"{a} {b}" != proper:
                words[n] = words[n].replace(a, proper.split()[0], 1)
                words[n + 1] = words[n + 1].replace(b, proper.split()[1], 1)
        return " ".join(words)

    def _kind_from_symbol(self, symbol: str, source: str) -> None:
        head = symbol.split("-", 1)[0].upper()
        if head in _KINDS:
            self.draft.put("plan.kind", _KINDS[head], source)

    # A report or a letter naming the plan: "… vừa ban hành Kế hoạch số 127/KH-SXD …".
    def _self_reference(self) -> None:
        for line in self.lines[:12]:
            for sentence in sentences(line.text):
                if re.match(r"^(Căn cứ|Thực hiện)\b", sentence):
                    continue
                for m in _NUMBER_IN_TEXT.finditer(sentence):
                    before = sentence[: m.start()]
                    speaks_of_itself = _SELF.search(before) or re.search(r"\bNguồn\b", before)
                    if not speaks_of_itself and not re.match(r"^\s*(Riêng\s.*)?$", before[-40:]):
                        continue
                    if re.search(r"(Thực hiện|Căn cứ|theo)\s*$", before.strip()):
                        continue
                    number = f"{m.group(2)}/{m.group(3)}"
                    self.draft.put("plan.number", number, sentence)
                    word = m.group(1)
                    kind = {"QĐ": None, "KH": "Kế hoạch"}.get(word, word)
                    self._kind_from_symbol(m.group(3), sentence)
                    if kind:
                        self.draft.put("plan.kind", kind, sentence)
                    after = sentence[m.end() :]
                    if d := re.match(r"\s*ngày\s+" + _SLASH_DATE.pattern, after):
                        day = _date(*d.groups())
                        if day is not None:
                            self.draft.put("plan.date", _said_date(day), sentence)
                    if c := re.match(r"\s*của\s+([^,;.]{3,60}?)(?:\s+về\b|[,;.]|$)", after):
                        self.draft.put("issuer", c.group(1).strip(), sentence)
                    self._issuer_before(before, sentence)
                    return

    def _issued_sentence(self) -> None:
        """A report's "… vừa ban hành Kế hoạch số … phát động phong trào thi đua …": the title
        (and the body that issued it, where the heading gave none)."""
        for line in self.lines[:12]:
            for sentence in sentences(line.text):
                if re.match(r"^(Căn cứ|Thực hiện)\b", sentence):
                    continue
                m = _ISSUED.search(sentence)
                numbered = _NUMBER_IN_TEXT.search(sentence)
                if (
                    m is None
                    and numbered is not None
                    and _SELF.search(sentence[: numbered.start()])
                ):
                    after = sentence[numbered.end() :]
                    t = re.search(
                        r"(?:về|phát động)\s+(?:Kế hoạch triển khai\s+|phát động\s+)?"
                        r"((?:phong trào|đợt) thi đua\b.*)$",
                        after,
                        re.I,
                    )
                    if t:
                        self._sentence_title(t.group(1), sentence)
                        return
                if m is not None:
                    issuer = m.group(1).strip()
                    words = issuer.split()
                    if 1 < len(words) <= 12 and fold(words[-1]) not in ("tinh", "pho", "huyen"):
                        self.draft.put("issuer", issuer, sentence)
                    self._sentence_title(m.group(2), sentence)
                    return

    def _sentence_title(self, text: str, source: str) -> None:
        title = re.split(r"\s+(?:nhằm|với|để)\s+|[.;]", text, maxsplit=1)[0].strip(" ,")
        if 10 <= len(title) <= 220:
            self.draft.put("title", _campaign_title(title), source)

    def _issuer_before(self, before: str, sentence: str) -> None:
        """The body that issued it, written before "vừa ban hành": "UBND tỉnh Sóc Trăng"."""
        cut = re.split(r"\s*(?:vừa\s+)?(?:ký\s+)?(?:ban hành|có)\s*$", before.strip())[0]
        cut = re.sub(r"^\(.*?\)\s*[-–]?\s*", "", cut).strip(" -–:")
        cut = re.sub(r"^Riêng\s+", "", cut)
        if m := _SIGNED_NEWS.search(sentence):
            # "Chủ tịch UBND TP Cần Thơ Trần Việt Trường": the body, without who signed.
            body, person = _split_person(m.group(2))
            if person:
                self.draft.put("plan.signed_by", f"{m.group(1)} {m.group(2)}".strip(), sentence)
                if body:
                    self.draft.put("issuer", body, sentence)
            return
        words = cut.split()
        if not 1 < len(words) <= 12:
            return
        if fold(words[-1]) in ("tinh", "thanh", "pho", "huyen", "quan", "xa"):
            return  # "UBND tỉnh": which one the text does not say here
        if re.match(r"^(Ủy ban|UBND|Sở|Bộ|Ban|Thủ tướng|Hội đồng|Văn phòng|Phòng)", cut):
            self.draft.put("issuer", cut, sentence)

    # The signature block: a role in capitals, then a name ("GIÁM ĐỐC" / "Võ Tất Dũng").
    def _signature(self) -> None:
        for line in self.lines:
            if m := re.match(r"^Người ký\s*:?\s*(.+)$", line.text):
                self.draft.put("plan.signed_by", m.group(1).strip(), line.text)
                return
        tail = self.lines[-8:]
        for n, line in enumerate(tail[:-1]):
            role = re.sub(r"^(KT|TM|TL|Q)\.\s*", "", line.text).strip()
            if not _is_upper(role) or not re.search(
                r"(GIÁM ĐỐC|CHỦ TỊCH|TRƯỞNG|THỦ TƯỚNG|BỘ TRƯỞNG|BÍ THƯ)$", role
            ):
                continue
            rest = [x for x in tail[n + 1 :] if not _is_upper(x.text)]
            if rest and _looks_like_name(rest[0].text):
                # "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name": the role of the line just above the name.
                roles = [
                    re.sub(r"^(KT|TM|TL|Q)\.\s*", "", x.text)
                    for x in tail[n : tail.index(rest[0])]
                    if _is_upper(x.text)
                ]
                signer = f"{sentence_case(roles[-1])} {rest[0].text}"
                self.draft.put("plan.signed_by", signer, f"{line.text} … {rest[0].text}")
                return

    # The title: the line(s) under "KẾ HOẠCH", or a report's headline after its colon.
    def _title(self) -> None:
        for n, line in enumerate(self.lines[:16]):
            m = _KIND_HEADING.match(line.text)
            if not m:
                continue
            parts = [m.group(2)] if m.group(2) else []
            for nxt in self.lines[n + 1 : n + 4]:
                if _is_upper(nxt.text) or (not parts and len(nxt.text) < 220):
                    parts.append(nxt.text)
                    if not _is_upper(nxt.text):
                        break
                else:
                    break
            title = " ".join(p for p in parts if p).strip()
            if title:
                said = self._cased(sentence_case(title)) if _is_upper(title) else title
                self.draft.put("title", _campaign_title(said), " ".join(parts))
            return

    # Parts and items: what falls under "Mục đích", "Đối tượng", "Nội dung", "Tiêu chí" …
    def _parts(self) -> None:
        sections = _sections(self.lines)
        for name, items, source in sections:
            self.structured.add(name)
            if name == "purpose":
                self.draft.put("purpose", items, source)
            elif name == "requirements":
                self.draft.put("requirements", items, source)
            elif name == "content":
                self.draft.put("content", items, source)
            elif name == "criteria.collective":
                self.draft.put("criteria.collective", items, source)
            elif name == "criteria.individual":
                self.draft.put("criteria.individual", items, source)
            elif name == "participants":
                self._participants(items, source)
            elif name == "dossier":
                self._dossier_items(items, source)
            elif name == "funding":
                self.draft.put("funding", _capital(" ".join(items).rstrip(".")) + ".", source)
            elif name == "awards":
                for item in items:
                    self._awards(item)

    def _participants(self, items: list[str], source: str) -> None:
        for item in items:
            m = re.match(r"^(?:Đối với\s+)?(tập thể|cá nhân)\s*[:-]\s*(.+)$", item, re.I)
            if m:
                key = (
                    "participants.collectives"
                    if fold(m.group(1)) == "tap the"
                    else ("participants.individuals")
                )
                self.draft.put(key, _capital(m.group(2)), item)
            else:
                self._participants_sentence(item.rstrip("."), item)

    def _participants_sentence(self, text: str, source: str) -> None:
        """ "Tập thể các phòng … và toàn thể công chức, viên chức …": bodies, then people."""
        parts = re.split(
            r"\s+và\s+(?=(?:toàn thể |các |tất cả )?(?:cán bộ|công chức|viên chức|người lao động))",
            text,
            maxsplit=1,
        )
        self.draft.put("participants.collectives", _capital(parts[0]), source)
        if len(parts) == 2:
            self.draft.put("participants.individuals", _capital(parts[1]), source)

    def _dossier_items(self, items: list[str], source: str) -> None:
        documents = [i for i in items if re.search(r"(Tờ trình|Biên bản|Báo cáo|Văn bản)", i)]
        self.draft.put("dossier.documents", documents, source)
        for item in items:
            self._send_to(item)

    def _send_to(self, sentence: str) -> None:
        m = re.search(
            r"(?:gửi|nộp)\s+(?:hồ sơ\s+)?về\s+(.+?)(?:\s+(?:trước|chậm nhất|để|qua)\b|[;.(]|$)",
            sentence,
        )
        if m and ("hồ sơ" in sentence.lower() or "khen thưởng" in sentence.lower()):
            place = m.group(1).strip(" ,")
            if 3 <= len(place) <= 120:
                self.draft.put("dossier.send_to", _capital(place), sentence)
            after = sentence[m.end() - 1 :]
            if d := re.search(r"(trước|chậm nhất|đến)\s+ngày\s+" + _SLASH_DATE.pattern, sentence):
                day = _date(*d.groups()[1:])
                if day is not None:
                    self._deadline(
                        "dossier", "dossier", "Gửi hồ sơ đề nghị khen thưởng", _said_date(day),
                        d.group(1) == "trước", sentence,
                    )  # fmt: skip
            del after

    def _deadline(
        self, key: str, kind: str, label: str, when: str, before: bool, source: str
    ) -> None:
        found = self.draft.fields.get("deadlines")
        item = {"key": key, "kind": kind, "label": label, "date": when, "before": before}
        if found is None:
            self.draft.put("deadlines", [item], source)
        elif all(d["key"] != key for d in found.value):
            found.value.append(item)
            found.source = f"{found.source} … {source}"

    # Award forms with their quotas: "tặng Giấy khen cho 5 tập thể và 10 cá nhân".
    def _awards(self, sentence: str) -> None:
        """ "Hàng năm UBND tỉnh khen thưởng tối đa 10 Bằng khen cho 10 tập thể và 10 Bằng khen
        cho 10 cá nhân; khi kết thúc mỗi giai đoạn … tặng 04 Cờ thi đua cho 04 đơn vị", "dự kiến
        tặng Giấy khen cho 5 tập thể và 10 cá nhân": each award form, for whom, how many."""
        forms = "|".join(_AWARD_FORMS)
        yearly = bool(re.search(r"\bh[àằ]ng năm\b|mỗi năm", sentence, re.I))
        for clause in re.split(r";\s*", sentence):
            occasion = (
                "phase_end"
                if re.search(r"giai đoạn", clause, re.I)
                else ("yearly" if yearly else None)
            )
            expected = bool(re.search(r"dự kiến", clause, re.I))
            granted = re.search(
                r"((?:Chủ tịch |Giám đốc )?(?:UBND|Ủy ban nhân dân|Sở|Bộ|Thủ tướng)[^,;.()]{0,50}?)"
                r"\s+(?:sẽ\s+)?(?:dự kiến\s+)?(?:khen thưởng|tặng)",
                clause,
            )
            granted_by = granted.group(1).strip() if granted else None
            last_form: str | None = None
            pattern = re.compile(
                rf"(?:(\d{{1,3}})\s+)?({forms})(?:\s+của\s+[^,;]+?)?\s+cho\s+(?:(\d{{1,3}})\s+)?"
                rf"(tập thể|cá nhân|đơn vị)|\bvà\s+(\d{{1,3}})\s+(tập thể|cá nhân)"
            )
            for m in pattern.finditer(clause):
                if m.group(2):
                    last_form = m.group(2)
                    count = m.group(3) or m.group(1)
                    recipients = _RECIPIENTS[fold(m.group(4))]
                elif last_form is not None:
                    count, recipients = m.group(5), _RECIPIENTS[fold(m.group(6))]
                else:
                    continue
                if count is None:
                    continue
                self._award(last_form, granted_by, recipients, int(count), occasion, expected,
                            sentence)  # fmt: skip

    def _award(
        self,
        form: str,
        granted_by: str | None,
        recipients: str,
        count: int,
        occasion: str | None,
        expected: bool,
        source: str,
    ) -> None:
        granted_by = granted_by or self.draft.get("issuer")
        if not granted_by:
            return
        who = "tập thể" if recipients == "collective" else "cá nhân"
        item: dict[str, Any] = {"form": form, "granted_by": granted_by, "recipients": recipients}
        if expected:
            # "Dự kiến": how many are foreseen, not a cap on them.
            item["note"] = f"Dự kiến tặng {form} cho {count} {who}."
        else:
            item["quota"] = count
        if occasion:
            item["occasions"] = [occasion]
        found = self.draft.fields.get("awards")
        if found is None:
            self.draft.put("awards", [item], source)
        elif item not in found.value:
            found.value.append(item)

    # A report's sentences: "Đối tượng là …", "Tiêu chí thi đua đối với tập thể là …".
    def _news_sentences(self) -> None:
        for line in self.lines:
            said = sentences(line.text)
            for n, sentence in enumerate(said):
                self._news_sentence(sentence, " ".join(said[n:]))

    def _news_sentence(self, s: str, rest_of_line: str = "") -> None:
        low = s.lower()
        if m := re.match(
            r"^Đối t\w+ (?:tham gia phong trào thi đua |thi đua )?(?:là|gồm|gồm có)\s*:?\s*(.+)$", s
        ):
            rest = m.group(1)
            parts = re.split(r"[.;]\s*Đối với cá nhân,?\s*(?:gồm|là)?\s*:?\s*", rest)
            if len(parts) == 2:
                self.draft.put("participants.collectives", _capital(parts[0]), s)
                self.draft.put("participants.individuals", _capital(parts[1].rstrip(".")), s)
            else:
                # "Sở, ban, ngành tỉnh; …; Cán bộ, công chức, viên chức …": people go apart.
                items = [i.strip() for i in rest.rstrip(".").split(";") if i.strip()]
                if len(items) == 1:
                    self._participants_sentence(items[0], s)
                    items = []
                people = [i for i in items if _PEOPLE.match(i)]
                bodies = [i for i in items if not _PEOPLE.match(i)]
                if bodies:
                    self.draft.put("participants.collectives", _capital("; ".join(bodies)), s)
                if people:
                    self.draft.put("participants.individuals", _capital("; ".join(people)), s)
        if m := re.match(r"^Đối với cá nhân,?\s*(?:gồm|là)\s*:?\s*(.+)$", s):
            self.draft.put("participants.individuals", _capital(m.group(1).rstrip(".")), s)
        if m := re.search(
            r"[Tt]iêu chí thi đua (?:đối với|dành cho) (tập thể|cá nhân)\s+(?:là\s+)?(.+)$", s
        ):
            key = "criteria.collective" if fold(m.group(1)) == "tap the" else "criteria.individual"
            if key not in self.structured:
                # The list runs on to the paragraph's end: "…; Ban hành …; Báo cáo …".
                whole = rest_of_line[rest_of_line.find(m.group(2)[:30]) :] or m.group(2)
                parts = re.split(r"(?:;|\.)\s+(?=[A-ZĐÀ-Ỹ])", whole)
                self.draft.put(key, [_capital(p.rstrip(". ")) + "." for p in parts if p], s)
        purpose = re.match(
            r"^(?:Theo đó,?\s*)?(?:Kế hoạch|(?:[Pp]hong trào|Đợt) thi đua(?: được phát động)?)?"
            r"\s*(?:cũng\s+)?nhằm (?:mục đích\s+)?(.+)$",
            s,
        ) or re.match(r"^Nhằm mục đích\s+(.+)$", s)
        if purpose is None and re.match(r"^(Phong trào|Đợt thi đua|Kế hoạch)\b", s):
            purpose = re.search(r",\s*nhằm\s+(.+)$", s)
        if purpose is None and _SELF.search(s) and _NUMBER_IN_TEXT.search(s):
            purpose = re.search(r"\snhằm\s+(.+)$", s)  # "…vừa ban hành Kế hoạch số … nhằm …"
        if getattr(self, "_purpose_done", False):
            purpose = None
        elif purpose is None and self.draft.get("purpose") and re.match(r"^Qua đó,\s*", s):
            purpose = re.match(r"^Qua đó,\s*(.+)$", s)
        if purpose:
            for part in re.split(r";\s+(?=[A-ZĐÀ-Ỹ])", purpose.group(1)):
                self._add_list("purpose", _capital(part.rstrip(".")) + ".", s)
            # The paragraph goes on with the purpose: "Tập trung …", "Thông qua phong trào …".
            if rest_of_line.startswith(s):
                for more in sentences(rest_of_line[len(s) :]):
                    if _TOPIC_START.match(more) or _SELF.search(more[:60]):
                        break
                    more = re.sub(r"^(?:Thông qua phong trào thi đua|Qua đó),?\s*(?:để\s+)?", "",
                                  more)  # fmt: skip
                    self._add_list("purpose", _capital(more.rstrip(".")) + ".", s)
                self._purpose_done = True
        if m := re.match(r"^Nội dung thi đua (?:gồm|là)\s*:\s*(.+)$", s):
            self._add_list("content", _capital(m.group(1)), s)
        if "content" not in self.structured and re.search(
            r"nội dung thi đua[^:]*:\s*\(1\)", s, re.I
        ):
            # "nội dung thi đua tập trung vào 06 nhiệm vụ: (1) …; (2) …"
            listed = re.split(r"\(\d{1,2}\)\s*", s.split(":", 1)[1])
            for item in listed:
                if item.strip(" ;."):
                    self._add_list("content", _capital(item.strip(" ;.")) + ".", s)
        if m := re.search(
            r"[Kk]inh phí(?: khen thưởng| thực hiện)?\s*(?::|là|lấy|được)?\s*(?:từ\s+)?"
            r"(nguồn\s.+)$",
            s,
        ):
            self.draft.put("funding", "Từ " + m.group(1).rstrip("."), s)
        if m := re.search(
            r"(?:với\s+)?[Cc]hủ đề\s*(?:năm \d{4}\s*)?(?:là\s*)?:?\s*[“\"]([^”\"]{5,200})[”\"]", s
        ):
            self.draft.put("theme", m.group(1).strip(), s)
        if any(form.lower() in low for form in _AWARD_FORMS) and re.search(
            r"\d+\s+(?:\w+\s+){0,3}(tập thể|cá nhân|đơn vị)", s
        ):
            self._awards(s)
        if re.search(r"hồ sơ", low) and re.search(r"(gửi|nộp)\s+(hồ sơ\s+)?về", low):
            self._send_to(s)
        for m in re.finditer(
            r"(sơ kết|tổng kết)(?: phong trào)?(?: thi đua)?\s+(?:vào\s+)?(trong|vào|cuối)\s+"
            r"năm\s+(\d{4})",
            s,
            re.I,
        ):
            word = m.group(1).lower()
            label = (
                "Sơ kết phong trào thi đua" if word == "sơ kết" else "Tổng kết phong trào thi đua"
            )
            key = "so_ket" if word == "sơ kết" else "tong_ket"
            self._deadline(key, "other", label, f"năm {m.group(3)}", False, s)

    def _add_list(self, name: str, item: str, source: str) -> None:
        if name in self.structured:
            return  # the part's own heading said it already
        found = self.draft.fields.get(name)
        if found is None:
            self.draft.put(name, [item], source)
        elif item not in found.value:
            found.value.append(item)
            if source not in found.source:
                found.source = f"{found.source} … {source}"

    # When: "Thời gian thi đua từ … đến …", "triển khai từ năm 2022 đến 2025", "giai đoạn …".
    def _period(self) -> None:
        pattern = re.compile(
            r"(?:Thời gian (?:thi đua|thực hiện|phát động|tổ chức)[^:]{0,40}?|Tổ chức thi đua|"
            r"(?:Phong trào|Đợt thi đua)(?: thi đua)? (?:được (?:triển khai|phát động|tổ chức)|"
            r"diễn ra))"
            r"\s*:?\s*(?:là\s+)?(?:kể\s+)?từ\s+(.+?)\s+(?:đến|tới)\s+(.+?)"
            r"(?:[;.]|,\s*(?:nhằm|trong đó|tổ chức)|\s+với\s|$)",
            re.I,
        )
        for line in self.lines:
            for s in sentences(line.text):
                if m := pattern.search(s):
                    start = self._when(m.group(1), "start")
                    end = self._when(m.group(2), "end")
                    if start:
                        self.draft.put("period.start", start, s)
                    if end:
                        self.draft.put("period.end", end, s)
                    return
        title = self.draft.get("title") or ""
        if m := re.search(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", title):
            source = self.draft.fields["title"].source
            self.draft.put("period.start", f"năm {m.group(1)}", source)
            self.draft.put("period.end", f"năm {m.group(2)}", source)
        elif m := re.search(r"\bnăm\s+(\d{4})\s*$", title):
            source = self.draft.fields["title"].source
            self.draft.put("period.end", f"năm {m.group(1)}", source)

    def _when(self, text: str, side: str) -> str | None:
        text = text.strip()
        if side == "end" and (m := re.match(r"^hết\s+(?:ngày\s+)?(.*)$", text)):
            rest = m.group(1)
            # "đến hết tháng 12 năm 2021": through its last day, which the plan does give.
            if mm := re.match(r"^tháng\s+(\d{1,2})\s*(?:[-/]|năm)\s*(\d{4})", rest):
                month, year = int(mm.group(1)), int(mm.group(2))
                if 1 <= month <= 12:
                    return _said_date(date(year, month, monthrange(year, month)[1]))
            if my := re.match(r"^năm\s+(\d{4})", rest):
                return f"31/12/{my.group(1)}"
            text = rest
        if re.match(r"^(ngày\s+)?(ban hành|ký)", text):
            return self.draft.get("plan.date") if side == "start" else None
        if m := re.match(r"^(?:ngày\s+)?" + _SLASH_DATE.pattern, text):
            day = _date(*m.groups())
            return _said_date(day) if day else None
        if m := re.match(r"^(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text):
            day = _date(*m.groups())
            return _said_date(day) if day else None
        if m := re.match(r"^(?:hết\s+)?tháng\s+(\d{1,2})\s*(?:[-/]|năm)\s*(\d{4})", text):
            return f"tháng {int(m.group(1))}/{m.group(2)}"
        if m := re.match(r"^(?:năm\s+)?(\d{4})\b", text):
            return f"năm {m.group(1)}"
        if side == "end" and re.match(r"^khi\s", text):
            return "đến " + text.rstrip(" ,")
        return None

    # What the plan rests on: "Căn cứ …", "Thực hiện …" before the first part.
    def _legal_basis(self) -> None:
        found: list[str] = []
        sources: list[str] = []
        started = False
        for line in self.lines:
            if line.heading == "I":
                break
            # The preamble: from its first "Căn cứ"/"Thực hiện" to the sentence issuing the
            # plan, the lines a page wrapped included.
            if re.match(r"^(Căn cứ|Thực hiện|-\s*Căn cứ)", line.text):
                started = True
            elif not started or line.heading is not None or _is_upper(line.text):
                continue
            for m in _REFERENCE.finditer(line.text):
                reference = " ".join(m.group(0).split()).strip(" ,;")
                if reference not in found:
                    found.append(reference)
            sources.append(line.text)
            if re.search(r"ban hành Kế hoạch|như sau\s*:?\s*$|cụ thể như sau", line.text):
                break
        self.draft.put("legal_basis", found, " … ".join(sources)[:400])

    def _indices(self) -> None:
        folded = fold(self.text)
        found = [
            code
            for code, words in _INDICES.items()
            if any(w in folded.split() or w in folded for w in words)
        ]
        found = [c for c in found if re.search(r"\b" + _INDICES[c][0] + r"\b", folded)]
        if found:
            where = next(
                (
                    line.text
                    for line in self.lines
                    if any(w in fold(line.text) for c in found for w in _INDICES[c])
                ),
                "",
            )
            self.draft.put("indices", found, where)


def _split_person(text: str) -> tuple[str, str]:
    """'UBND TP Cần Thơ Trần Việt Trường' → ('UBND TP Cần Thơ', 'Trần Việt Trường')."""
    words = text.split()
    for n in range(len(words) - 1, -1, -1):
        name = words[n:]
        if (
            fold(words[n]) in _SURNAMES
            and 2 <= len(name) <= 4
            and all(w[:1].isupper() for w in name)
        ):
            return " ".join(words[:n]), " ".join(name)
    return text, ""


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and fold(words[0]) in _SURNAMES
    )


def _capital(text: str) -> str:
    text = text.strip(" ;,")
    return text[:1].upper() + text[1:]


def _campaign_title(text: str) -> str:
    """'Phát động phong trào thi đua …' → 'Phong trào thi đua …'."""
    m = re.search(r"(phong trào thi đua|đợt thi đua)", text, re.I)
    if m:
        return _capital(text[m.start() :])
    return _capital(text)


# Section headings, by the words they start with (compared without diacritics).
_SECTION_WORDS = (
    ("muc dich", "purpose"),
    ("yeu cau", "requirements"),
    ("doi tuong", "participants"),
    ("noi dung", "content"),
    ("tieu chi", "criteria"),
    ("tieu chuan", "criteria"),
    ("ho so", "dossier"),
    ("hinh thuc khen", "awards"),
    ("khen thuong", "awards"),
    ("co cau", "awards"),
    ("to chuc thuc hien", "organisation"),
    ("kinh phi", "funding"),
    ("thoi gian", "period"),
)


def _heading_name(text: str) -> str | None:
    words = fold(text)
    for start, name in _SECTION_WORDS:
        if words.startswith(start):
            return name
    return None


_FOR_WHOM = re.compile(
    r"^(?:[a-zđ]\)\s*|-\s*|\d\.\d\.?\s*)?Đối với (tập thể|cá nhân)\s*:?\s*(.*)$", re.I
)
# A paragraph that starts another topic ends the part before it.
_TOPIC_START = re.compile(
    r"^(Thời gian|Người ký|Nơi nhận|Trên đây|Đối tượng|Nội dung thi đua|Tiêu chí|Hình thức "
    r"khen|Hồ sơ|Kinh phí|Tổ chức thực hiện)\b",
    re.I,
)


def _sections(lines: list[Line]) -> Iterator[tuple[str, list[str], str]]:
    """Each part's items: "1. Mục đích" then its paragraphs or "- …" lines, until the next
    heading at the same or a higher level, or a paragraph that starts another topic. A
    sentence that opens a list ("Nội dung thi đua tập trung vào …:") is a part too, of the
    list items that follow it."""
    current: str | None = None
    level = ""
    items: list[str] = []
    source = ""
    audience: str | None = None
    lists_only = False

    def flush() -> Iterable[tuple[str, list[str], str]]:
        if current and items:
            name = current
            if current == "criteria":
                name = f"criteria.{audience or 'collective'}"
            yield name, list(items), source

    for line in lines:
        text = line.text
        body = text
        for pattern in (_ROMAN, _NUMBERED, _LETTERED, _BULLET):
            if m := pattern.match(text):
                body = m.group(2) if pattern is not _BULLET else m.group(1)
                break
        name = _heading_name(body) if line.heading in ("I", "1", "a") else None
        if name is not None and len(body) < 90:
            yield from flush()
            current, level, items, source, audience = name, line.heading or "", [], text, None
            lists_only = False
            rest = body.split(":", 1)[1].strip() if ":" in body else ""
            if rest:
                items.append(_capital(rest))
            continue
        opens = _heading_name(text) if line.heading is None else None
        if opens is not None and text.rstrip().endswith(":"):
            yield from flush()
            current, level, items, source, audience = opens, "", [], text, None
            lists_only = True
            continue
        if opens is not None and re.match(r"^[^:]{3,40}(?:gồm|là)\s*:\s*\S", text):
            # "Nội dung thi đua gồm: A; B": the part and its first item.
            yield from flush()
            current, level, items, source, audience = opens, "", [], text, None
            lists_only = False
            items.append(_capital(text.split(":", 1)[1]))
            continue
        if current is not None and (m := _FOR_WHOM.match(text)):
            if current == "criteria":
                yield from flush()
                items = []
                audience = "collective" if fold(m.group(1)) == "tap the" else "individual"
                if m.group(2):
                    items.append(_capital(m.group(2)))
                continue
            if current == "participants":
                items.append(f"{m.group(1)}: {m.group(2)}")
                continue
        if line.heading == "I" or (
            line.heading == "1"
            and level == "1"
            and _heading_name(body) is None
            and len(body) < 60
            and not body.endswith((".", ";"))
        ):
            yield from flush()
            current, items = None, []
            continue
        if current is not None and line.heading is None and _TOPIC_START.match(text):
            yield from flush()
            current, items = None, []
            continue
        if current is None:
            continue
        if lists_only and line.heading is None:
            yield from flush()
            current, items = None, []
            continue
        item = body if line.heading in ("-", "a", "1") else text
        items.append(_capital(item))
    yield from flush()


def draft_campaign(text: str) -> Draft:
    return Drafter(text).run()
