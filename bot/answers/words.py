"""Words as people type them on a phone: folded (no diacritics, đ → d), split into syllables,
mistyped letters put right against the words the bot knows, and phrases found in them."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.textmatch import fold

_SYLLABLE = re.compile(r"[a-z]+|[0-9]+")
# Words this short are too often another real word one letter away ("han" / "hai").
MIN_CORRECTED = 4


def syllables(text: str) -> list[str]:
    """Folded syllables and numbers: "127/KH-SXD" → 127 kh sxd; "Hồ sơ" → ho so."""
    return _SYLLABLE.findall(fold(text))


def terms(words: Sequence[str]) -> list[str]:
    """What retrieval counts: each syllable and each pair of neighbours, so "ho so" (a dossier)
    is a term of its own and does not match "so" (a department) alone."""
    return [*words, *(f"{a}_{b}" for a, b in itertools.pairwise(words))]


class Speller:
    """Puts right one wrong, missing, extra or swapped letter in a word the bot does not know,
    when a known word is that close; words run together ("tieuchi") are split again. Among
    close words, one that makes a known phrase with its neighbour wins ("tieu chj" → "tieu
    chi"); a three-letter word is put right only then."""

    def __init__(self, vocabulary: Counter[str], phrases: Iterable[str] = ()) -> None:
        self.known = frozenset(vocabulary)
        self._frequency = vocabulary
        self._choices = sorted(w for w in self.known if len(w) >= MIN_CORRECTED - 1)
        split = [p.split() for p in phrases]
        self._pairs = {pair for words in split for pair in itertools.pairwise(words)}
        # "tieuchi" → "tieu chi": phrases typed without their spaces.
        self._joined = {"".join(words): words for words in split if len(words) > 1}

    def correct(self, words: Sequence[str]) -> list[str]:
        out: list[str] = []
        for i, word in enumerate(words):
            if word in self.known or word.isdigit() or len(word) < MIN_CORRECTED - 1:
                out.append(word)
            elif word in self._joined:
                out.extend(self._joined[word])
            else:
                before = out[-1] if out else ""
                after = words[i + 1] if i + 1 < len(words) else ""
                out.append(self._closest(word, before, after))
        return out

    def _closest(self, word: str, before: str, after: str) -> str:
        found = process.extract(word, self._choices, scorer=OSA.distance, score_cutoff=1, limit=30)

        def in_phrase(candidate: str) -> bool:
            return (before, candidate) in self._pairs or (candidate, after) in self._pairs

        # "giagn" is "giang" (two letters swapped) sooner than "gian" (one dropped).
        ranked = sorted(
            found,
            key=lambda f: (
                not in_phrase(f[0]),
                abs(len(f[0]) - len(word)),
                -self._frequency[f[0]],
                f[0],
            ),
        )
        if not ranked or (len(word) < MIN_CORRECTED and not in_phrase(ranked[0][0])):
            return word
        return str(ranked[0][0])


@dataclass(frozen=True)
class Match:
    key: str
    phrase: str
    start: int
    end: int

    @property
    def weight(self) -> int:
        return len(self.phrase)


class Phrasebook:
    """Phrases (several words each) under keys; in a text, the longest phrase at each place
    takes its words, so "hạn nộp hồ sơ" is not also read as "hồ sơ"."""

    def __init__(self, phrases: dict[str, Iterable[str]]) -> None:
        self._keys: dict[tuple[str, ...], list[str]] = {}
        self._phrases: dict[str, list[tuple[str, ...]]] = {}
        for key, items in phrases.items():
            for phrase in items:
                words = tuple(syllables(phrase))
                if words and key not in self._keys.setdefault(words, []):
                    self._keys[words].append(key)
                    self._phrases.setdefault(key, []).append(words)
        self.longest = max((len(w) for w in self._keys), default=0)

    @property
    def words(self) -> set[str]:
        return {w for phrase in self._keys for w in phrase}

    @property
    def phrases(self) -> list[str]:
        return [" ".join(p) for p in self._keys]

    def without(self, words: Sequence[str]) -> list[str]:
        """The words outside every phrase of the book ("kế hoạch", "nhiệm vụ" taken out of
        "kế hoạch nhiệm vụ Sở Nội vụ", leaving "sở nội vụ")."""
        covered = {i for m in self.find(words) for i in range(m.start, m.end)}
        return [w for i, w in enumerate(words) if i not in covered]

    def mentions(self, key: str, words: frozenset[str]) -> bool:
        """Whether a text with these words uses one of the key's phrases (its words at least)."""
        return any(all(w in words for w in phrase) for phrase in self._phrases.get(key, ()))

    def phrases_of(self, key: str) -> list[tuple[str, ...]]:
        return list(self._phrases.get(key, ()))

    def says(self, key: str, words: Sequence[str]) -> bool:
        """Whether the words hold one of the key's phrases, its words together and in order."""
        return any(m.key == key for m in self.find(words))

    def find(self, words: Sequence[str]) -> list[Match]:
        found: list[Match] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                keys = self._keys.get(tuple(words[i : i + size]))
                if keys:
                    phrase = " ".join(words[i : i + size])
                    found.extend(Match(k, phrase, i, i + size) for k in keys)
                    i += size
                    break
            else:
                i += 1
        return found
