"""What the answerer searches, built once per change of the campaigns, not per message: which
words name which campaign, and each campaign's passages ranked with BM25."""

from __future__ import annotations

import itertools
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.answers.passages import Passage, passages_of
from bot.answers.words import Phrasebook, syllables, terms
from bot.domain.campaign import Campaign

# A passage must share this much with the question to be quoted as its answer.
MIN_PASSAGE_SCORE = 3.0
MIN_SHARED_WORDS = 2
MIN_PAIRED_SCORE = 1.0
# Years a campaign runs count for little on their own: 2021-2030 runs in every year.
YEAR_IN_PERIOD = 0.4
SINGLE_SYLLABLE = 0.5


class Ranker:
    """BM25 over every campaign's passages at once (one index, word weights learnt from all
    plans); each campaign asks only about its own slice."""

    def __init__(self, corpus: list[list[str]]) -> None:
        import bm25s  # numpy and friends only once there is something to index

        # bm25s sets its own logger to DEBUG when imported: one line per index built.
        logging.getLogger("bm25s").setLevel(logging.WARNING)

        self._bm25 = bm25s.BM25()
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._empty = not corpus
        # One question is ranked against several campaigns: score the whole corpus once.
        self._last: tuple[tuple[str, ...], Any] | None = None

    def scores(self, query: list[str], start: int, end: int) -> list[float]:
        if self._empty or start == end:
            return [0.0] * (end - start)
        key = tuple(query)
        if self._last is None or self._last[0] != key:
            self._last = (key, self._bm25.get_scores(query))
        return [float(x) for x in self._last[1][start:end]]


@dataclass
class PlanSearch:
    """One campaign's passages, ranked within the shared index."""

    passages: list[Passage]
    words: list[frozenset[str]]
    start: int
    ranker: Ranker | None = None

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every word its passages use."""
        return frozenset().union(*self.words) if self.words else frozenset()

    def best(
        self,
        words: Sequence[str],
        specific: Iterable[str],
        sections: Iterable[str] | None = None,
        speaks_of: Sequence[str] | None = None,
        not_section: str | None = None,
    ) -> Passage | None:
        """The passage that answers the words best, if any answers them well enough: it must
        share at least two of the `specific` words (those that neither name the campaign nor
        ask for a part of it)."""
        asked = set(specific)
        # A number ("923/QĐ-TTg", "05 tập thể") says much: it counts twice.
        weight = len(asked) + sum(w.isdigit() for w in asked)
        if not self.passages or weight < MIN_SHARED_WORDS or self.ranker is None:
            return None
        allowed = set(sections) if sections is not None else None
        scores = self.ranker.scores(terms(list(words)), self.start, self.start + len(self.passages))
        ranked = sorted(range(len(self.passages)), key=lambda i: -scores[i])
        # Two specific words said together ("thủ đức", "khen thưởng") and found together in a
        # passage say more than a score does: a long paragraph scores low for them.
        asked_pairs = {(a, b) for a, b in itertools.pairwise(words) if a in asked and b in asked}
        for i in ranked[:5]:
            passage = self.passages[i]
            if allowed is not None and passage.section not in allowed:
                continue
            if not_section is not None and passage.section == not_section:
                continue
            if speaks_of is not None:
                said = f" {' '.join(syllables(f'{passage.heading} {passage.text}'))} "
                if not any(f" {phrase} " in said for phrase in speaks_of):
                    continue
            together = bool(asked_pairs) and bool(
                asked_pairs & set(itertools.pairwise(syllables(passage.text)))
            )
            if scores[i] < (MIN_PAIRED_SCORE if together else MIN_PASSAGE_SCORE):
                if together:
                    continue
                return None
            shared = asked & self.words[i]
            if len(shared) + sum(w.isdigit() for w in shared) >= MIN_SHARED_WORDS:
                return self._in_context(passage, ranked[:5])
        return None

    def _in_context(self, passage: Passage, near: list[int]) -> Passage:
        """A field's item quoted from the plan's own paragraph that holds it, where one does
        ("Kế hoạch số 593/KH-UBND …" with what the plan says it is about)."""
        if passage.section == "plan":
            return passage
        said = " ".join(syllables(passage.text))
        for i in near:
            other = self.passages[i]
            if other.section == "plan" and said in " ".join(syllables(other.text)):
                return other
        return passage


@dataclass
class CampaignIndex:
    """The published campaigns: the words that name each one (weighted by how few campaigns
    share them), and their passages."""

    campaigns: list[Campaign]
    generic: Phrasebook  # what every campaign says; it names none of them
    _postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    _years: list[range] = field(default_factory=list)
    _plans: dict[str, PlanSearch] = field(default_factory=dict)
    _names: dict[str, frozenset[str]] = field(default_factory=dict)
    _name_texts: dict[str, str] = field(default_factory=dict)  # its naming fields, folded
    vocabulary: Counter[str] = field(default_factory=Counter)
    phrases: list[str] = field(default_factory=list)  # names as folded phrases, for the speller

    @classmethod
    def build(cls, campaigns: list[Campaign], generic: Phrasebook) -> CampaignIndex:
        index = cls(campaigns, generic)
        corpus: list[list[str]] = []
        weights: dict[str, dict[int, float]] = defaultdict(dict)
        for n, c in enumerate(campaigns):
            names: set[str] = set()
            named_as: list[str] = []
            for text, weight in _naming_fields(c):
                index.phrases.append(" ".join(syllables(text)))
                named_as.append(" ".join(syllables(text)))
                words = generic.without(syllables(text))
                names.update(words)
                for term in terms(words):
                    # A pair of words ("can tho") or a number names a campaign; a single
                    # syllable ("nhan", "an") is weak evidence.
                    strong = "_" in term or term.isdigit()
                    value = weight * (1.0 if strong else SINGLE_SYLLABLE)
                    weights[term][n] = max(weights[term].get(n, 0.0), value)
            index._names[c.id] = frozenset(names)
            index._name_texts[c.id] = " | ".join(named_as)
            index.vocabulary.update(names)
            index._years.append(c.years)
            passages = passages_of(c)
            said = [syllables(f"{p.heading} {p.text}") for p in passages]
            for passage_words in said:
                index.vocabulary.update(passage_words)
            index._plans[c.id] = PlanSearch(passages, [frozenset(w) for w in said], len(corpus))
            # A heading says what its paragraphs are about: it counts twice.
            corpus.extend(
                terms(syllables(p.heading)) * 2 + terms(w)
                for p, w in zip(passages, said, strict=True)
            )
        ranker = Ranker(corpus)
        for plan in index._plans.values():
            plan.ranker = ranker
        total = len(campaigns)
        for term, by_campaign in weights.items():
            # 1 for a word only one campaign has, whether there are 2 campaigns or 2,000.
            idf = math.log(1 + total / len(by_campaign)) / math.log(1 + total)
            index._postings[term] = [(n, w * idf) for n, w in by_campaign.items()]
        return index

    def naming_scores(self, words: Sequence[str], years: Iterable[int]) -> list[float]:
        """How strongly the words (generic ones already taken out) name each campaign."""
        scores = [0.0] * len(self.campaigns)
        for term in set(terms(list(words))):
            for n, weight in self._postings.get(term, ()):
                scores[n] += weight
        for year in set(years):
            for n, span in enumerate(self._years):
                if scores[n] and year in span:
                    scores[n] += YEAR_IN_PERIOD
        return scores

    def in_name(self, campaign: Campaign, words: Sequence[str]) -> bool:
        """Whether these words, together and in order, are part of the campaign's name."""
        return f" {' '.join(words)} " in f" {self._name_texts.get(campaign.id, '')} "

    def names(self, campaign: Campaign) -> frozenset[str]:
        """The words that name this campaign (its place, issuer, plan number, title)."""
        return self._names.get(campaign.id, frozenset())

    def plan(self, campaign: Campaign) -> PlanSearch:
        found = self._plans.get(campaign.id)
        return found if found is not None else PlanSearch([], [], 0)


def _naming_fields(c: Campaign) -> list[tuple[str, float]]:
    fields = [
        (c.title, 1.0),
        (c.short_title, 1.0),
        (c.issuer, 1.0),
        *((keyword, 1.0) for keyword in c.keywords),
        (c.plan.number or "", 1.0),
    ]
    if c.theme:
        fields.append((c.theme, 0.5))
    return fields
