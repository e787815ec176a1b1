"""A seeded, realistic synthetic library: digest text files like the seeds.

What is generated (everything from one ``random.Random(seed)``):

* A vocabulary of ``VOCAB_SIZE`` (30,000) words with Zipf-like frequencies
  (Zipf-Mandelbrot, exponent 1.07). The top ranks are the words the seed
  digests use at least ``COMMON_MIN`` times, in their seed order ("the", "of",
  "models", "attention", "transformer", ...), so that real queries match a
  realistic share of papers. The tail is pronounceable pseudo-words
  ("velorant", "quipasmo") with the seeds' rarer words scattered among them,
  so that those stay rare.
* Titles of 6-14 words (a third of them with a ``Name:`` prefix such as
  ``VeloRant:``, ``Velo-Rant:``, ``VeloLM:``, ``DrE2:``, ``K8FE:`` or ``DBS:``,
  see :meth:`_Generator.reshape`; 3% of the others mention an earlier name),
  words drawn half from the title words the seeds
  use in at least two titles and half from the general vocabulary; every title
  is unique after :func:`tracker.models.normalize_title`.
* Abstracts of 120-250 words in sentences of 10-28 words; a few title words
  recur in the abstract, as in real abstracts.
* Digest files in the Hugging Face Daily Papers plain-text format: a page header
  of noise lines (a random subset, as in real copies), a date line, then
  blank-line separated title / abstract blocks. ``per_file`` (default 100) new
  papers per file, plus about 3% papers from earlier files (papers recur across
  digests; the seeds share 19 of their titles). The last file always holds
  ``last_digest`` (100) new papers: a normal day, imported on its own. Each
  file has a distinct date, written with its year (``Aug 25, 2024``, a form
  the text parser reads) so that one ``tracker import`` call can take many files and
  every digest still gets its own date.

The two real seed digests are part of the library too (114 papers), so the
library has exactly ``n_papers`` distinct papers: ``n_papers - 114`` synthetic
ones plus the seeds.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from bisect import bisect
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from tracker.models import normalize_title

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
VOCAB_SIZE = 30_000
ZIPF_EXPONENT = 1.07
ZIPF_SHIFT = 2.7
PER_FILE = 100
COMMON_MIN = 3  # seed words seen this often keep a top rank
LAST_DIGEST = 100
REPEAT_RATE = 0.03
MENTION_RATE = 0.03  # titles that mention an earlier paper's method name
FIRST_DATE = dt.date(2021, 1, 4)

HEADER_LINES = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
)
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "over",
        "the",
        "to",
        "via",
        "vs",
        "with",
        "without",
    ]
)
_DATE_LINE = re.compile(r"[A-Z][a-z]{2} \d{1,2}")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")

_ONSETS = [
    "b",
    "bl",
    "br",
    "c",
    "ch",
    "cl",
    "cr",
    "d",
    "dr",
    "f",
    "fl",
    "fr",
    "g",
    "gl",
    "gr",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "ph",
    "pl",
    "pr",
    "qu",
    "r",
    "s",
    "sc",
    "sh",
    "sk",
    "sl",
    "sm",
    "sn",
    "sp",
    "st",
    "str",
    "t",
    "th",
    "tr",
    "v",
    "w",
    "z",
]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ia", "io", "ou"]
_CODAS = ["", "", "", "n", "r", "s", "l", "m", "nt", "st", "x", "rk", "nd"]


@dataclass(frozen=True, slots=True)
class SeedPaper:
    title: str
    abstract: str


@dataclass(slots=True)
class SynthLibrary:
    """What :func:`generate` wrote and what the benchmark needs to know about it."""

    directory: Path
    seed_files: list[Path]
    files: list[Path]
    titles: list[str]  # every distinct paper (seeds first), as the library will hold them
    synthetic: int
    entries: int  # title/abstract blocks written in the synthetic files (with repeats)
    vocabulary: list[str]
    quality_queries: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, what a person types, the expected title) for synthetic papers."""
    typed_words: list[str] = field(default_factory=list)
    """Distinctive synthetic title words, for keystroke queries."""
    abstracts: list[str] = field(default_factory=list)
    """The abstracts of ``titles``, in the same order (only with ``keep_texts``)."""

    @property
    def papers(self) -> int:
        return len(self.titles)


def seed_papers() -> list[SeedPaper]:
    """The real papers of the seed digests (first occurrence of each title)."""
    seen: dict[str, SeedPaper] = {}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        blocks = [b.strip() for b in re.split(r"\n\s*\n", path.read_text("utf-8")) if b.strip()]
        start = next(i for i, b in enumerate(blocks) if _DATE_LINE.fullmatch(b)) + 1
        body = blocks[start:]
        for title, abstract in zip(body[::2], body[1::2], strict=True):
            seen.setdefault(normalize_title(title), SeedPaper(title, abstract))
    return list(seen.values())


def seed_files() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt"))


def _zipf_cum_weights(n: int) -> list[float]:
    return list(accumulate(1.0 / (r + ZIPF_SHIFT) ** ZIPF_EXPONENT for r in range(n)))


def _surface_forms(texts: list[str], min_count: int = 1) -> list[str]:
    """Words of ``texts`` by frequency, most frequent first, in their commonest spelling.

    Only words that occur at least ``min_count`` times.
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        for word in _WORD.findall(text):
            key = word.casefold()
            counts[key] += 1
            spellings.setdefault(key, Counter())[word] += 1
    return [
        spellings[key].most_common(1)[0][0] for key, n in counts.most_common() if n >= min_count
    ]


def _pseudo_word(rng: random.Random) -> str:
    syllables = rng.choices((1, 2, 3, 4), weights=(1, 6, 5, 2))[0]
    parts = []
    for _ in range(syllables):
        parts.append(rng.choice(_ONSETS) + rng.choice(_VOWELS))
    parts.append(rng.choice(_CODAS))
    return "".join(parts)


def _abstract_form(word: str) -> str:
    """Lower case, unless the seeds write it with inner capitals (``LLMs``, ``CopySpec``)."""
    keep_case = any(c.isupper() for c in word[1:]) or word.isupper()
    return word if keep_case else word.lower()


def build_vocabulary(rng: random.Random, seeds: list[SeedPaper]) -> list[str]:
    """``VOCAB_SIZE`` words in rank order (rank 0 is the most frequent).

    The seeds' words that occur at least ``COMMON_MIN`` times there take the top
    ranks in their seed order ("the", "of", "models", ..., "attention"). The
    seeds' rarer words ("homopolymers", "Giraffe") are scattered over the tail
    among the pseudo-words, so that they stay rare: otherwise a word the seeds
    use once would sit in the top few thousand ranks and occur in hundreds of
    synthetic papers, and half-remembered queries for seed papers would be
    ambiguous in a way they are not in a real library.
    """
    texts = [p.abstract for p in seeds] + [p.title for p in seeds]
    taken: set[str] = set()
    common: list[str] = []
    rare: list[str] = []
    frequent = {w.casefold() for w in _surface_forms(texts, COMMON_MIN)}
    for word in _surface_forms(texts):
        key = word.casefold()
        if key in taken or len(word) > 24:
            continue
        taken.add(key)
        (common if key in frequent else rare).append(_abstract_form(word))
    tail: list[str] = []
    while len(common) + len(tail) + len(rare) < VOCAB_SIZE:
        word = _pseudo_word(rng)
        if len(word) >= 3 and word not in taken:
            taken.add(word)
            tail.append(word)
    # Rare seed words go to random places in the tail, never into the top ranks.
    for word in rare:
        tail.insert(rng.randrange(len(tail) + 1), word)
    return (common + tail)[:VOCAB_SIZE]


class _Generator:
    def __init__(
        self, rng: random.Random, seeds: list[SeedPaper], names_rng: random.Random | None = None
    ) -> None:
        self.rng = rng
        # Method names are reshaped and mentioned from their own stream, so that
        # every other word of the library stays what it was before they were.
        self.names_rng = names_rng or random.Random(rng.random())
        self.names: list[str] = []  # every paper's name, in the order made
        self.vocab = build_vocabulary(rng, seeds)
        self.rank = {w.casefold(): i for i, w in enumerate(self.vocab)}
        self.cum = _zipf_cum_weights(len(self.vocab))
        # Title words: the seeds' title words used in at least two titles, by frequency
        # (names such as "Giraffe" or "LASP-2" stay with their own paper).
        self.title_vocab = [
            w
            for w in _surface_forms([p.title for p in seeds], 2)
            if w.casefold() not in SMALL_WORDS
        ]
        self.title_cum = _zipf_cum_weights(len(self.title_vocab))
        # The general vocabulary minus its ~60 most frequent (function) words.
        self.content_offset = 60
        self.content_cum = _zipf_cum_weights(len(self.vocab) - self.content_offset)
        seed_keys = self._seed_keys(seeds)
        self.pseudo_words = [w for w in self.vocab if w.casefold() not in seed_keys]

    @staticmethod
    def _seed_keys(seeds: list[SeedPaper]) -> set[str]:
        return {
            w.casefold()
            for p in seeds
            for text in (p.title, p.abstract)
            for w in _WORD.findall(text)
        }

    def words(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def content_word(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return self.title_vocab[
                bisect(
                    self.title_cum, rng.random() * self.title_cum[-1], 0, len(self.title_cum) - 1
                )
            ]
        i = bisect(
            self.content_cum, rng.random() * self.content_cum[-1], 0, len(self.content_cum) - 1
        )
        return self.vocab[self.content_offset + i]

    def name(self) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.35:  # an acronym: DBS, LOCO-2
            letters = "".join(rng.choice("ABCDEFGHIKLMNOPRSTVWX") for _ in range(rng.randint(2, 5)))
            return letters + (f"-{rng.randint(1, 4)}" if rng.random() < 0.2 else "")
        pseudo = rng.choice(self.pseudo_words)
        if style < 0.7:  # CamelCase of two words: CopySpec, VeloRant
            other = rng.choice(self.pseudo_words)
            return pseudo.capitalize() + other.capitalize()[: rng.randint(3, 6)]
        return pseudo.capitalize()

    def reshape(self, title: str, abstract: str, taken: set[str]) -> tuple[str, str]:
        """Give a named paper a name of the shapes people half-remember, and let some
        titles mention an earlier paper's name (as later work does: "... with VeloRant").

        Names from :meth:`name` are acronyms (DBS, LOCO-2), CamelCase (VeloRant) or
        one capitalized word (Velorant); some become ``M4LE``-like (a digit inside),
        hyphenated (``Velo-Rant``, as LM-Infinite), a word and an acronym
        (``VeloLM``, as InfLLM) or a short word and a letter with a digit
        (``VeT5``, as MrT5). The abstract says the name as the title does. A
        changed title's normalized form goes into ``taken``; one that is taken
        already stays as it was.
        """
        rng = self.names_rng
        head, colon, rest = title.partition(": ")
        shaped = title
        if colon and " " not in head:
            name = self._reshaped(head, rng)
            shaped = name + colon + rest
        elif self.names and rng.random() < MENTION_RATE:
            words = title.split(" ")
            if len(words) > 3:
                words[rng.randrange(2, len(words))] = rng.choice(self.names)
                shaped = " ".join(words)
        if shaped != title:
            key = normalize_title(shaped)
            if key in taken:
                shaped = title
            else:
                taken.add(key)
                if colon and shaped.startswith(name + colon):
                    pattern = rf"\b{re.escape(head)}\b"
                    abstract = re.sub(pattern, name, abstract, flags=re.IGNORECASE)
        if colon and " " not in head:
            self.names.append(shaped.partition(": ")[0])
        return shaped, abstract

    @staticmethod
    def _reshaped(name: str, rng: random.Random) -> str:
        roll = rng.random()
        if name.isupper() and name.isalpha() and len(name) >= 3:
            if roll < 0.3:  # M4LE, S4
                return name[0] + str(rng.randint(2, 9)) + name[1:]
            return name
        humps: list[str] = re.findall(r"[A-Z][a-z]+", name)
        if len(humps) == 2 and "".join(humps) == name:
            first, second = humps
            if roll < 0.3:
                return f"{first}-{second}"
            if roll < 0.5:
                return first + "".join(rng.choice("ABCDEFGHKLMNPRSTV") for _ in range(2))
            if roll < 0.65:
                return first[:2] + rng.choice("ABCDEFGHKLMNPRSTV") + str(rng.randint(2, 9))
        return name

    def title(self) -> str:
        rng = self.rng
        k = rng.randint(6, 14)
        parts: list[str] = []
        if rng.random() < 0.33:
            parts.append(self.name() + ":")
            k -= 1
        small = sorted(SMALL_WORDS)  # not the set's order: that changes with PYTHONHASHSEED
        for i in range(k):
            if 0 < i < k - 1 and rng.random() < 0.22:
                parts.append(rng.choice(small))
                continue
            word = self.content_word()
            parts.append(word if any(c.isupper() for c in word) else word.capitalize())
        return " ".join(parts)

    def abstract(self, title: str) -> str:
        rng = self.rng
        n = rng.randint(120, 250)
        words = self.words(n)
        echo = [w for w in _WORD.findall(title) if w.casefold() not in SMALL_WORDS]
        for word in rng.sample(echo, min(len(echo), rng.randint(2, 4))):
            words[rng.randrange(n)] = word if word.isupper() else word.lower()
        sentences: list[str] = []
        i = 0
        while i < n:
            length = rng.randint(10, 28)
            chunk = words[i : i + length]
            i += length
            if rng.random() < 0.3 and len(chunk) > 6:
                chunk[rng.randrange(2, len(chunk) - 2)] += ","
            first = chunk[0]
            chunk[0] = first if first[:1].isupper() else first.capitalize()
            sentences.append(" ".join(chunk) + ".")
        return " ".join(sentences)


def _header(rng: random.Random) -> list[str]:
    return [line for line in HEADER_LINES if rng.random() < 0.85]


def _date_line(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _typo(rng: random.Random, word: str) -> str:
    """A transposition or a dropped letter inside the word (never the first letter)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.6:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def generate(
    n_papers: int,
    directory: Path,
    *,
    seed: int = 20240825,
    per_file: int = PER_FILE,
    repeat_rate: float = REPEAT_RATE,
    last_digest: int = LAST_DIGEST,
    n_quality: int = 40,
    n_names: int = 24,
    keep_texts: bool = False,
    first_date: dt.date = FIRST_DATE,
) -> SynthLibrary:
    """Write the synthetic digest files for a library of ``n_papers`` distinct papers.

    ``keep_texts``: also return every abstract (``SynthLibrary.abstracts``), for
    tests that index the papers without importing the files. ``first_date``:
    the first file's day (each next file is a day later).
    """
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    seeds = seed_papers()
    gen = _Generator(rng, seeds, random.Random(seed + 1))
    taken = {normalize_title(p.title) for p in seeds}
    target = max(0, n_papers - len(seeds))
    titles: list[str] = [p.title for p in seeds]
    synth: list[tuple[str, str]] = []
    files: list[Path] = []
    entries = 0
    day = first_date

    def write_file(new_papers: int) -> None:
        """One digest with ``new_papers`` new papers and a few earlier ones."""
        nonlocal entries, day
        blocks = [*_header(rng), _date_line(day)]
        in_file: set[int] = set()
        goal = len(synth) + new_papers
        while len(synth) < goal:
            if synth and rng.random() < repeat_rate:
                old = rng.randrange(len(synth))
                if old not in in_file:
                    in_file.add(old)
                    blocks.extend(synth[old])
                    entries += 1
                continue
            title = gen.title()
            key = normalize_title(title)
            while key in taken:
                title = gen.title()
                key = normalize_title(title)
            taken.add(key)
            title, abstract = gen.reshape(title, gen.abstract(title), taken)
            in_file.add(len(synth))
            synth.append((title, abstract))
            titles.append(title)
            blocks.extend(synth[-1])
            entries += 1
        path = directory / f"{len(files):05d}_{day.isoformat()}.txt"
        path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
        files.append(path)
        day += dt.timedelta(days=1)

    # The last digest is a normal day's page (``last_digest`` new papers), imported
    # on its own to time adding one digest to an almost full library.
    last = min(last_digest, target)
    while len(synth) < target - last:
        write_file(min(per_file, target - last - len(synth)))
    if last:
        write_file(last)
    lib = SynthLibrary(
        directory=directory,
        seed_files=seed_files(),
        files=files,
        titles=titles,
        synthetic=len(synth),
        entries=entries,
        vocabulary=gen.vocab,
        abstracts=[p.abstract for p in seeds] + [a for _, a in synth] if keep_texts else [],
    )
    _add_quality_queries(lib, gen, synth, rng, n_quality)
    _add_name_queries(lib, gen, synth, n_names)
    return lib


def name_query(name: str, rest: str, rng: random.Random, gen: _Generator | None = None) -> str:
    """How a person who half-remembers the paper named ``name`` types it.

    By the name's shape: an acronym lower-cased (``dbs``, ``loco 2``), a
    CamelCase or hyphenated name split or joined (``velo rant``, ``velorant``),
    the start of a long one (``velora``), a word and an acronym split
    (``velo lm``), one with a digit in its first part as one word (``m4le``,
    ``vet5``), a letter-and-digit part split off (``ve t5``); a quarter of
    the time (and always for a plain word, which other papers use too) with
    a word of the rest of the title (``mr t5 byte``).
    """
    folded = name.casefold()
    parts: list[str] = [
        p.casefold() for p in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)
    ]
    joined = "".join(parts)
    roll = rng.random()
    if parts[-1].isdigit() and len(parts) >= 3 and not name[1].isupper():  # VeT5
        query = f"{''.join(parts[:-2])} {parts[-2]}{parts[-1]}" if roll < 0.5 else joined
    elif any(c.isdigit() for c in name.partition("-")[0]):
        query = joined  # M4LE: said as one word
    elif len(parts) >= 2 and roll < 0.45:
        query = " ".join(parts)
    elif len(joined) >= 7 and roll < 0.75:
        query = joined[: max(5, len(joined) - rng.randint(2, 3))]
    else:
        query = joined if "-" in folded or len(parts) >= 2 else folded
    plain = name[:1].isupper() and name[1:].islower() and name.isalpha()
    if plain or rng.random() < 0.25:
        words: list[str] = (
            _distinctive(gen, rest) if gen is not None else re.findall(r"\w{4,}", rest)
        )
        if words:
            query += " " + rng.choice(words[:2]).casefold()
    return query


def extra_digest(directory: Path, papers: int, *, seed: int) -> tuple[Path, str]:
    """One digest file of ``papers`` papers that a library of :func:`generate` does not have,
    and a word of one of its titles that a person would search for.

    Made from another seed (other made-up words and names) and dated after
    any library's files: a day's import into a library already in use.
    """
    lib = generate(
        papers + len(seed_papers()),
        directory,
        seed=seed,
        per_file=papers,
        last_digest=0,
        n_quality=0,
        n_names=0,
        first_date=dt.date(2030, 1, 1),
    )
    assert len(lib.files) == 1, lib.files
    return lib.files[0], lib.typed_words[0]


def _add_name_queries(
    lib: SynthLibrary, gen: _Generator, synth: list[tuple[str, str]], n: int
) -> None:
    """Method names typed as people say them, for papers whose name no other paper has."""
    counts = Counter(gen.names)
    named = [
        (i, title.partition(": ")[0], title.partition(": ")[2])
        for i, (title, _) in enumerate(synth)
        if ": " in title and counts[title.partition(": ")[0]] == 1
    ]
    rng = gen.names_rng
    for i, name, rest in rng.sample(named, min(n, len(named))):
        lib.quality_queries.append(("name", name_query(name, rest, rng, gen), synth[i][0]))


def _distinctive(gen: _Generator, text: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Words of ``text`` from rarest to commonest (by vocabulary rank), each once."""
    words: dict[str, int] = {}
    for word in _WORD.findall(text):
        key = word.casefold()
        if key in SMALL_WORDS or key in exclude or len(key) < 3:
            continue
        words.setdefault(key, gen.rank.get(key, len(gen.vocab)))
    return sorted(words, key=lambda w: -words[w])


def _add_quality_queries(
    lib: SynthLibrary,
    gen: _Generator,
    synth: list[tuple[str, str]],
    rng: random.Random,
    n: int,
) -> None:
    """Half-remembered queries for synthetic papers: typos, reordering, prefixes, abstract words."""
    if not synth:
        return
    kinds = ("typo", "reorder", "prefix", "abstract")
    picks = rng.sample(range(len(synth)), min(n, len(synth)))
    for i, index in enumerate(picks):
        title, abstract = synth[index]
        kind = kinds[i % len(kinds)]
        rare = _distinctive(gen, title)
        if kind == "abstract":
            title_words = frozenset(w.casefold() for w in _WORD.findall(title))
            words = _distinctive(gen, abstract, title_words)[:2]
            query = " ".join(words)
        elif kind == "typo":
            query = " ".join(_typo(rng, w) for w in rare[:2])
        elif kind == "reorder":
            chosen = rare[:3]
            query = " ".join(reversed(chosen))
        else:
            query = " ".join(w[: max(3, min(5, len(w) - 1))] for w in rare[:2])
        if query.strip():
            lib.quality_queries.append((kind, query, title))
    # Words a person would type that exist only in this library (pseudo-words).
    for title, _ in synth[:: max(1, len(synth) // 8)][:8]:
        rare = _distinctive(gen, title)
        if rare and len(rare[0]) >= 5:
            lib.typed_words.append(rare[0][:8])
