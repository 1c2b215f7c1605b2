"""`srm-tui validate`: every problem as FILE:LINE: message, exit 2 when any."""

from pathlib import Path

import pytest

from srm_tui.catalog import questionnaires

GOOD = """[section]
id = "sample_section"
title = "Sample"

[[questions]]
id = "sample_q"
title = "Do you do the things?"
help = "Some help."
responsibility = "customer"
frameworks = { "nist-csf-2.0" = ["PR.AT"], "cis-aws-7.0" = ["2.2"] }

[[questions.choices]]
id = "sample_a"
title = "Thing A"
improvement = "Do A."

[[questions.choices]]
id = "sample_b"
title = "Thing B"
improvement = "Do B."

[[questions.choices]]
id = "sample_no"
title = "None of these"

[[questions.risk_rules]]
condition = "sample_a && sample_b"
risk = "none"

[[questions.risk_rules]]
condition = "sample_a || sample_b"
risk = "medium"

[[questions.risk_rules]]
condition = "default"
risk = "high"
"""


def folder_with(tmp_path: Path, text: str, name: str = "sample.toml") -> Path:
    folder = tmp_path / "q"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    return folder


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(needle)


def test_shipped_questionnaires_are_valid(run_cli):
    result = run_cli("validate")
    assert result.code == 0, result.out
    assert "no problems" in result.err


def test_good_file_is_valid(run_cli, tmp_path):
    result = run_cli("validate", folder_with(tmp_path, GOOD))
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ('"2.2"]', '"9.99"]', '"9.99"', "unknown cis-aws-7.0 id '9.99'"),
        ('"PR.AT"]', '"PR.ZZ"]', '"PR.ZZ"', "unknown nist-csf-2.0 id 'PR.ZZ'"),
        ('"nist-csf-2.0" =', '"nist-9" =', "nist-9", "unknown framework 'nist-9'"),
        (
            'condition = "sample_a && sample_b"',
            'condition = "sample_a && sample_c"',
            "sample_c",
            "condition names unknown choice 'sample_c'",
        ),
        (
            'condition = "default"\nrisk = "high"',
            'condition = "!sample_a"\nrisk = "high"',
            "[[questions]]",
            "no 'default' rule",
        ),
        (
            'condition = "sample_a || sample_b"',
            'condition = "sample_a ||| sample_b"',
            "|||",
            "condition 'sample_a ||| sample_b'",
        ),
        ('responsibility = "customer"', 'responsibility = "nobody"', "nobody", "responsibility"),
        ('improvement = "Do B."', 'improvement = ""', '"sample_b"', "no improvement text"),
        ('id = "sample_q"', 'id = "q"', "[[questions]]", "question id 'q'"),
        (
            '"2.2"] }',
            '"2.2"], "aws-fsbp" = ["Lambda.3"] }',
            '"Lambda.3"',
            "unknown aws-fsbp id 'Lambda.3'",
        ),
        (
            '"PR.AT"]',
            '"PR.AT"], "aws-wa-security" = ["SEC12-BP01"]',
            '"SEC12-BP01"',
            "unknown aws-wa-security id 'SEC12-BP01'",
        ),
        (
            'improvement = "Do A."',
            'improvement = "Do A."\nchecks = ["nosuch.check"]',
            '"nosuch.check"',
            "choice 'sample_a' names unknown check 'nosuch.check'",
        ),
        (
            'improvement = "Do A."',
            'improvement = "Do A."\nchecks = ["iam.root_mfa"]',
            '"sample_a"',
            "names check 'iam.root_mfa', which the question's checks do not list",
        ),
        (
            'improvement = "Do A."',
            'improvement = "Do A."\nchecks = "iam.root_mfa"',
            '"sample_a"',
            "choice 'sample_a': checks must be a list of strings",
        ),
        (
            'title = "None of these"',
            'title = "None of these"\nchecks = ["iam.root_mfa"]',
            '"sample_no"',
            "'None of these': no check can contradict it",
        ),
        (
            'responsibility = "customer"',
            'responsibility = "customer"\nreview_every = 0',
            "review_every",
            "review_every must be a whole number of days",
        ),
        (
            'title = "Sample"',
            'title = "Sample"\nreview_every = "yearly"',
            "[section]",
            "review_every must be a whole number of days",
        ),
    ],
)
def test_each_problem_is_reported_with_file_and_line(run_cli, tmp_path, old, new, needle, message):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    folder = folder_with(tmp_path, text)
    before = (folder / "sample.toml").read_bytes()
    result = run_cli("validate", folder)
    assert result.code == 2
    expected = f"{folder / 'sample.toml'}:{line_of(text, needle)}: "
    lines = [line for line in result.out.splitlines() if message in line]
    assert lines, result.out
    assert lines[0].startswith(expected), (lines[0], expected)
    assert (folder / "sample.toml").read_bytes() == before


def test_none_of_these_must_give_the_highest_risk(run_cli, tmp_path):
    text = GOOD.replace(
        'condition = "default"\nrisk = "high"',
        'condition = "sample_no"\nrisk = "medium"\n\n[[questions.risk_rules]]\n'
        'condition = "default"\nrisk = "high"',
    )
    # four rules: also too many for a Well-Architected lens
    result = run_cli("validate", folder_with(tmp_path, text))
    assert result.code == 2
    assert "at most 3" in result.out
    # B alone is high risk, but "None of these" only medium.
    text = GOOD.replace('condition = "sample_a || sample_b"', 'condition = "sample_a || sample_no"')
    result = run_cli("validate", folder_with(tmp_path, text))
    assert result.code == 2
    assert "'None of these' gives medium risk, lower than the highest" in result.out


def test_a_practice_that_raises_the_risk_is_refused(run_cli, tmp_path):
    # A alone is fine, but A + B is worse: ticking B raises the risk.
    text = GOOD.replace(
        'condition = "sample_a && sample_b"\nrisk = "none"',
        'condition = "sample_a && !sample_b"\nrisk = "none"',
    )
    result = run_cli("validate", folder_with(tmp_path, text))
    assert result.code == 2
    assert "adding 'sample_b' to sample_a raises the risk from none to medium" in result.out


def test_a_rule_that_can_never_apply_is_reported(run_cli, tmp_path):
    text = GOOD.replace(
        'condition = "sample_a || sample_b"', 'condition = "sample_a && sample_b && sample_no"'
    )
    result = run_cli("validate", folder_with(tmp_path, text))
    assert result.code == 2
    assert "risk rule 2 ('sample_a && sample_b && sample_no') can never apply" in result.out


def test_duplicate_question_ids_across_files(run_cli, tmp_path):
    folder = folder_with(tmp_path, GOOD, "a.toml")
    other = GOOD.replace('id = "sample_section"', 'id = "other_section"')
    other = other.replace("sample_a", "other_a").replace("sample_b", "other_b")
    other = other.replace("sample_no", "other_no")
    (folder / "b.toml").write_text(other, "utf-8")
    result = run_cli("validate", folder)
    assert result.code == 2
    line = line_of(other, 'id = "sample_q"')
    expected = f"{folder / 'b.toml'}:{line}: duplicate question id"
    assert expected in result.out


def test_duplicate_with_shipped_section_is_found(run_cli, tmp_path):
    text = GOOD.replace('id = "sample_q"', 'id = "ir_plan"')
    result = run_cli("validate", folder_with(tmp_path, text))
    assert result.code == 2
    assert "duplicate question id 'ir_plan'" in result.out


def test_toml_syntax_error_names_the_line(run_cli, tmp_path):
    text = GOOD.replace('title = "Thing A"', 'title = "Thing A')
    folder = folder_with(tmp_path, text)
    result = run_cli("validate", folder)
    assert result.code == 2
    assert f"{folder / 'sample.toml'}:{line_of(text, 'Thing A')}: not valid TOML" in result.out


def test_foreign_and_binary_files(run_cli, tmp_path):
    folder = folder_with(tmp_path, 'name = "not a questionnaire"\n')
    (folder / "binary.toml").write_bytes(b"\xff\xfe\x00garbage")
    result = run_cli("validate", folder)
    assert result.code == 2
    assert "sample.toml:1: no [section] table" in result.out
    assert "binary.toml:1: not UTF-8 text" in result.out


def test_missing_or_empty_folder(run_cli, tmp_path):
    result = run_cli("validate", tmp_path / "nowhere")
    assert result.code == 2
    assert "no such folder" in result.err
    # A section file named in place of its folder was called missing too.
    section = folder_with(tmp_path, GOOD) / "sample.toml"
    for args in (("validate", section), ("questions", "--questionnaires", section)):
        result = run_cli(*args)
        assert result.code == 2
        assert "sample.toml" in result.err
        assert "is a file, not a folder: name the folder" in result.err
    (tmp_path / "empty").mkdir()
    result = run_cli("validate", tmp_path / "empty")
    assert result.code == 2
    assert "holds no questionnaire files" in result.err


def test_semantic_checks_over_every_selection():
    catalog = questionnaires.load()
    for question in catalog.questions:
        assert questionnaires.semantic_problems(question) == []


def test_questions_json_lists_contract_fields(run_cli):
    import json

    result = run_cli("questions", "--format", "json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert rows
    for row in rows:
        assert {
            "id",
            "section",
            "title",
            "responsibility",
            "frameworks",
            "choices",
            "checks",
        } <= set(row)
        assert any(c["none"] for c in row["choices"])
        for choice in row["choices"]:
            assert {"id", "title", "none", "checks"} <= set(choice)


def test_user_questionnaires_extend_the_catalogue(run_cli, tmp_path):
    folder = folder_with(tmp_path, GOOD)
    result = run_cli("questions", "--questionnaires", folder)
    assert result.code == 0
    assert "sample_q" in result.out
    broken = folder_with(tmp_path, GOOD.replace('"2.2"]', '"9.99"]'))
    result = run_cli("questions", "--questionnaires", broken)
    assert result.code == 2
    assert "unknown cis-aws-7.0 id '9.99'" in result.err


def test_choice_checks_and_review_every_are_loaded(tmp_path):
    text = GOOD.replace('title = "Sample"', 'title = "Sample"\nreview_every = 365', 1)
    text = text.replace(
        'responsibility = "customer"',
        'responsibility = "customer"\nchecks = ["iam.root_mfa"]\nreview_every = 90',
    )
    text = text.replace('improvement = "Do A."', 'improvement = "Do A."\nchecks = ["iam.root_mfa"]')
    catalog = questionnaires.load([folder_with(tmp_path, text)], known_checks={"iam.root_mfa"})
    assert [str(p) for p in catalog.problems] == []
    question = catalog.question("sample_q")
    assert question is not None
    assert question.choice("sample_a").checks == ("iam.root_mfa",)
    assert question.choice("sample_b").checks == ()
    assert question.review_every == 90
    assert catalog.section("sample_section").review_every == 365
    assert catalog.review_every(question) == 90


def test_review_every_falls_back_to_the_section_then_to_never(tmp_path):
    with_section = GOOD.replace('title = "Sample"', 'title = "Sample"\nreview_every = 30', 1)
    catalog = questionnaires.load([folder_with(tmp_path, with_section)])
    question = catalog.question("sample_q")
    assert question.review_every is None
    assert catalog.review_every(question) == 30
    catalog = questionnaires.load([folder_with(tmp_path, GOOD)])
    assert catalog.review_every(catalog.question("sample_q")) is None


@pytest.mark.parametrize("value", ["0", "-5", "3661", "true", "1.5", '"30"'])
def test_review_every_outside_one_day_to_ten_years_is_refused(tmp_path, value):
    text = GOOD.replace(
        'responsibility = "customer"', f'responsibility = "customer"\nreview_every = {value}'
    )
    catalog = questionnaires.load([folder_with(tmp_path, text)])
    assert [p.message for p in catalog.problems if "review_every" in p.message]
    assert catalog.question("sample_q").review_every is None
