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


def test_the_draft_is_the_unfinished_version_after_every_adopted_one() -> None:
    from app.domain.pip_lifecycle import pip_draft

    assert pip_draft([]) is None
    assert pip_draft([(1, PipState.CONCEPT)]) == 1
    assert pip_draft([(1, PipState.ONDERTEKEND)]) == 1
    assert pip_draft([(1, PipState.VASTGESTELD)]) is None
    assert pip_draft([(1, PipState.VASTGESTELD), (2, PipState.BESPROKEN)]) == 2
    assert pip_draft([(1, "vervangen"), (2, "ingetrokken"), (3, "concept")]) == 3


def test_four_eyes_and_the_day_of_adoption() -> None:
    import datetime as dt

    import pytest

    from app.domain.adoption import check_adoption_date, days_left_words, days_over
    from app.domain.enums import Role
    from app.domain.pip_lifecycle import PipAction, PipRefused, TransitionContext, check_may_adopt

    today = dt.date(2026, 3, 2)

    def ctx(role: Role, actor: str, may: bool = False, four_eyes: bool = True) -> TransitionContext:
        return TransitionContext(role, today, may, actor=actor, drafted_by="Karin", four_eyes=four_eyes)

    check_may_adopt(PipAction.VASTSTELLEN, ctx(Role.SUPERVISOR, "Sam"))
    with pytest.raises(PipRefused, match="vier-ogenprincipe"):
        check_may_adopt(PipAction.VASTSTELLEN, ctx(Role.SUPERVISOR, "karin"))
    check_may_adopt(PipAction.VASTSTELLEN, ctx(Role.SUPERVISOR, "Karin", four_eyes=False))
    check_may_adopt(PipAction.VASTSTELLEN, ctx(Role.KLANTMANAGER, "Kees", may=True))
    # A klantmanager never adopts their own draft, even with four-eyes off for supervisors.
    with pytest.raises(PipRefused, match="vier-ogenprincipe"):
        check_may_adopt(PipAction.VASTSTELLEN, ctx(Role.KLANTMANAGER, "Karin", may=True, four_eyes=False))
    with pytest.raises(PipRefused, match="Alleen een supervisor"):
        check_may_adopt(PipAction.VASTSTELLEN, ctx(Role.KLANTMANAGER, "Kees"))

    signed = [dt.date(2026, 2, 20), None, dt.date(2026, 2, 18)]
    check_adoption_date(dt.date(2026, 2, 20), today, signed)
    check_adoption_date(today, today, signed)
    with pytest.raises(PipRefused, match="toekomst"):
        check_adoption_date(dt.date(2026, 3, 3), today, signed)
    with pytest.raises(PipRefused, match="vóór de laatste handtekening"):
        check_adoption_date(dt.date(2026, 2, 19), today, signed)
    assert days_over(dt.date(2026, 2, 1), dt.date(2026, 2, 13)) == 12
    assert days_over(dt.date(2026, 2, 1), dt.date(2026, 1, 13)) == 0 and days_over(None, today) == 0
    assert days_left_words(-12) == "12 dagen te laat" and days_left_words(5) == "nog 5 dagen"
    assert days_left_words(None).startswith("nog geen termijn")
