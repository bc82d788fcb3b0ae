"""The team rule, against a table written by hand from the programme's words: per side two
politicians (one of the majority, one of the opposition), one or two civil servants, one
coordinator; in the inception and the project phase, no rule before or after."""

import pytest

from partnernet.workspace.rules import Gap, team_rule_gaps

MAJ, OPP, CIV, COO = "politician_majority", "politician_opposition", "civil_servant", "coordinator"
STEER, PROJ = "steering_group_member", "project_member"
FULL_SIDE = [MAJ, OPP, CIV, COO]


def both(*roles: str) -> list[tuple[str, str]]:
    return [(side, role) for side in ("swedish", "partner") for role in roles]


TABLE = [
    # (members, phase, expected gaps as (side, role, count))
    (both(*FULL_SIDE), "inception", []),
    (both(*FULL_SIDE, CIV), "inception", []),  # two civil servants are fine
    (both(*FULL_SIDE, STEER, PROJ, PROJ), "inception", []),  # others do not count
    (both(*FULL_SIDE, CIV, CIV), "inception", [("swedish", CIV, 3), ("partner", CIV, 3)]),
    (
        [("swedish", r) for r in FULL_SIDE] + [("partner", r) for r in (MAJ, CIV, COO)],
        "inception",
        [("partner", OPP, 0)],
    ),
    (
        [("swedish", r) for r in (MAJ, MAJ, OPP, CIV, COO)] + both(*FULL_SIDE)[4:],
        "inception",
        [("swedish", MAJ, 2)],
    ),
    (
        [],
        "inception",
        [(s, r, 0) for s in ("swedish", "partner") for r in (MAJ, OPP, CIV, COO)],
    ),
    (
        [("swedish", r) for r in FULL_SIDE],
        "project",
        [("partner", MAJ, 0), ("partner", OPP, 0), ("partner", CIV, 0), ("partner", COO, 0)],
    ),
    ([], "interest", []),
    ([], "completed", []),
]


@pytest.mark.parametrize(("members", "phase", "expected"), TABLE)
def test_team_rule_table(members, phase, expected):
    gaps = team_rule_gaps(members, phase)
    assert [(g.side, g.role, g.count) for g in gaps] == expected


def test_a_gap_says_what_is_missing_in_plain_words(settings):
    from django.utils import translation

    with translation.override("en"):
        assert Gap("partner", OPP, 0, 1, 1).sentence == "A politician of the opposition is missing."
        assert Gap("swedish", CIV, 3, 1, 2).sentence == (
            "The team has 3 civil servants; the programme allows two."
        )
    with translation.override("sv"):
        assert "saknas" in Gap("partner", MAJ, 0, 1, 1).sentence
