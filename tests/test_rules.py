import pytest

from srm_tui import rules


def ev(condition: str, *selected: str) -> bool:
    return rules.parse(condition).evaluate(set(selected))


def test_default_is_always_true():
    assert ev("default")
    assert ev("  default ")


def test_not_binds_tighter_than_and_and_and_tighter_than_or():
    # a || b && c  ==  a || (b && c)
    assert ev("a || b && c", "a")
    assert not ev("a || b && c", "b")
    assert ev("a || b && c", "b", "c")
    # !a && b  ==  (!a) && b
    assert ev("!a && b", "b")
    assert not ev("!a && b", "a", "b")


def test_parentheses_override_precedence():
    assert not ev("(a || b) && c", "a")
    assert ev("(a || b) && c", "a", "c")
    assert ev("!(a && b)", "a")
    assert not ev("!(a && b)", "a", "b")
    assert ev("!!a", "a")


def test_names_lists_every_choice_mentioned():
    assert rules.names(rules.parse("a && (b || !c_no)")) == {"a", "b", "c_no"}
    assert rules.names(rules.parse("default")) == set()


@pytest.mark.parametrize(
    ("condition", "column", "fragment"),
    [
        ("", 1, "empty"),
        ("a &&", 5, "ended"),
        ("a && && b", 6, "'&&'"),
        ("(a || b", 8, "')'"),
        ("a b", 3, "unexpected 'b'"),
        ("a & b", 3, "unexpected character '&'"),
        ("a || default", 6, "'default' must stand alone"),
        ("a)", 2, "unexpected ')'"),
        ("a == b", 3, "unexpected character '='"),
        ("__import__('os')", 12, "unexpected character"),
    ],
)
def test_malformed_conditions_name_the_column(condition, column, fragment):
    with pytest.raises(rules.RuleError) as info:
        rules.parse(condition)
    assert info.value.column == column
    assert fragment in str(info.value)


def test_deep_nesting_is_refused_not_a_recursion_error():
    with pytest.raises(rules.RuleError, match="nested too deeply"):
        rules.parse("(" * 500 + "a" + ")" * 500)
    with pytest.raises(rules.RuleError, match="nested too deeply"):
        rules.parse("!" * 500 + "a")
