"""Related papers: topic neighbours first, never the paper itself, nothing while unindexed."""

from __future__ import annotations

from pathlib import Path

from tracker.library import Library
from tracker.search import SearchIndex
from tracker.search.related import related

FILLER = [
    ("Sparse attention kernels for long context", "We speed up attention over long sequences."),
    ("A benchmark of table question answering", "Tables and questions from spreadsheets."),
    ("Speech recognition for low-resource languages", "Audio transcription with few labels."),
    ("Protein folding with geometric networks", "Structures of proteins predicted from sequence."),
    ("Code generation with execution feedback", "Programs are run and the results fed back."),
    ("Federated learning under client drift", "Clients hold private data that drifts."),
]
DIFFUSION = [
    (
        "Latent diffusion for image synthesis",
        "A denoising diffusion model generates images in a latent space.",
    ),
    ("Faster sampling of diffusion models", "Fewer denoising steps for image diffusion sampling."),
    (
        "Video diffusion with temporal attention",
        "We extend image diffusion denoising to video frames.",
    ),
]
ROBOTS = [
    (
        "Reinforcement learning for robot grasping",
        "A robot arm learns grasping with reinforcement rewards.",
    ),
    (
        "Sim-to-real transfer of robot locomotion",
        "Policies trained with reinforcement learning walk on real robots.",
    ),
]


def _index(papers: list[tuple[str, str]]) -> SearchIndex:
    index = SearchIndex()
    for title, abstract in papers:
        index.add(title, abstract)
    index.build()
    return index


def test_papers_on_the_same_topic_come_first() -> None:
    papers = FILLER + DIFFUSION + ROBOTS + FILLER[::-1]
    papers = list(dict.fromkeys(papers))
    index = _index(papers)
    first_diffusion = papers.index(DIFFUSION[0])
    found = [pos for pos, _ in related(index, first_diffusion, k=2)]
    assert {papers[p] for p in found} == set(DIFFUSION[1:])
    first_robot = papers.index(ROBOTS[0])
    assert papers[related(index, first_robot, k=1)[0][0]] == ROBOTS[1]


def test_never_the_paper_itself_and_scores_descend() -> None:
    papers = FILLER + DIFFUSION + ROBOTS
    index = _index(papers)
    for pos in range(len(papers)):
        found = related(index, pos, k=5)
        assert pos not in [p for p, _ in found]
        scores = [s for _, s in found]
        assert scores == sorted(scores, reverse=True)


def test_tiny_or_unrelated_libraries_give_nothing() -> None:
    assert related(_index([("Only one paper", "alone")]), 0) == []
    index = _index([("Alpha beta", "gamma"), ("Delta epsilon", "zeta")])
    assert related(index, 0) == []


def test_library_waits_for_the_index_and_never_builds_it_itself(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        pid = lib.papers[0].id
        assert lib.related(pid) is None  # not built: the app shows "indexing…"
        lib.build_index()
        found = lib.related(pid)
        assert found is not None and 1 <= len(found) <= 5
        assert pid not in [p.id for p in found]
