"""Claims to account: the pure mapping of `access.claims`."""

from lotrinh.access.claims import MAX_UNITS_PER_CLAIM, Grant, map_claims, parse_rules

RULES = parse_rules(
    '{"unit_claim": "unit", "role_claim": "groups", "roles": {"g-approver": "approver"},'
    ' "grants": [{"claim": "groups", "value": "so-tttt", "role": "officer", "unit": "52"}]}'
)


def test_a_role_value_gives_its_role_in_every_unit_of_the_unit_claim():
    account = map_claims({"sub": "s", "unit": ["01", "52"], "groups": ["g-approver"]}, RULES)
    assert account.grants == {Grant("approver", "01"), Grant("approver", "52")}
    assert account.username == "s"  # no preferred_username: the subject


def test_a_grant_gives_a_fixed_unit_to_whoever_has_the_value():
    account = map_claims({"preferred_username": "a", "groups": "so-tttt"}, RULES)
    assert account.grants == {Grant("officer", "52")}
    assert account.username == "a"


def test_claims_no_rule_matches_give_no_grant():
    assert map_claims({"sub": "s", "unit": "52", "groups": ["other"]}, RULES).grants == set()
    assert map_claims({"sub": "s", "groups": ["g-approver"]}, RULES).grants == set()


def test_a_huge_unit_claim_is_cut_to_a_bounded_number_of_units():
    units = [f"{n:05d}" for n in range(10_000)]
    account = map_claims({"sub": "s", "unit": units, "groups": ["g-approver"]}, RULES)
    assert len(account.grants) == MAX_UNITS_PER_CLAIM
