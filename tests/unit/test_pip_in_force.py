"""pip_in_force(): the latest adopted version that was not withdrawn; later drafts do not count."""

from app.domain.pip_lifecycle import PipState, pip_in_force


def test_the_latest_adopted_version_is_in_force() -> None:
    assert pip_in_force([]) is None
    assert pip_in_force([(1, PipState.CONCEPT)]) is None
    assert pip_in_force([(1, PipState.VASTGESTELD)]) == 1
    assert pip_in_force([(1, PipState.VASTGESTELD), (2, PipState.BESPROKEN)]) == 1
    assert pip_in_force([(1, "vervangen"), (2, "vastgesteld"), (3, "concept")]) == 2


def test_a_withdrawn_version_is_not_in_force() -> None:
    assert pip_in_force([(1, PipState.VERVANGEN), (2, PipState.INGETROKKEN)]) is None
    assert pip_in_force([(1, PipState.INGETROKKEN), (2, PipState.ONDERTEKEND)]) is None
