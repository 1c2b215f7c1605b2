"""The command line as a whole: version, help on every command, module entry point."""

import subprocess
import sys

import pytest

from srm_tui import __version__, cli


def test_version(run_cli):
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"srm-tui {__version__}"


def test_python_dash_m_works():
    done = subprocess.run(
        [sys.executable, "-m", "srm_tui", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"srm-tui {__version__}"


def registered():
    cli.register_all()
    return sorted(cli.COMMANDS)


@pytest.mark.parametrize("name", registered())
def test_every_command_has_help(run_cli, name):
    result = run_cli(name, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: srm-tui {name}")
    assert cli.COMMANDS[name][0] in " ".join(result.out.split())


def test_top_level_help_lists_every_command(run_cli):
    result = run_cli("--help")
    assert result.code == 0
    for name in registered():
        assert name in result.out


def test_bad_usage_exits_2(run_cli):
    result = run_cli("report")
    assert result.code == 2
    assert "usage:" in result.err
    result = run_cli("questions", "--format", "yaml")
    assert result.code == 2


def test_ctrl_c_while_the_commands_load_is_one_line(monkeypatch, capsys):
    # Ctrl-C can land before any command runs (its modules are still importing).
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "register_all", interrupted)
    assert cli.main(["checks"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err


def test_debug_before_the_command_shows_the_traceback(run_cli, tmp_path):
    # The top-level --debug was overwritten by the command's own, which defaulted to off.
    from srm_tui.errors import InputFileError

    with pytest.raises(InputFileError):
        run_cli("--debug", "accepted", tmp_path / "missing.toml")
    with pytest.raises(InputFileError):
        run_cli("accepted", tmp_path / "missing.toml", "--debug")
    result = run_cli("accepted", tmp_path / "missing.toml")
    assert result.code == 2 and "no such file" in result.err


def test_options_may_stand_between_positionals(run_cli, tmp_path):
    # argparse left an optional positional empty when an option stood before it, then
    # called it unrecognized: 'milestone FILE --debug NAME' kept no milestone.
    from srm_tui import milestones, store
    from srm_tui.model import Assessment

    review = tmp_path / "review.toml"
    store.save(Assessment(name="review"), review)
    result = run_cli("milestone", review, "--debug", "q3")
    assert result.code == 0, result.err
    assert [m.name for m in milestones.list_milestones(review)] == ["q3"]


def test_an_unknown_option_is_said_with_the_commands_usage(run_cli):
    result = run_cli("checks", "--service", "iam")
    assert result.code == 2
    assert "usage: srm-tui checks" in result.err
    assert "unrecognized arguments: --service iam" in result.err


def test_accounts_of_a_one_account_review_is_bad_usage(run_cli, tmp_path):
    # It was exit 1, a runtime failure; 'answer --account' on such a file is exit 2.
    from srm_tui import store
    from srm_tui.model import Assessment

    review = tmp_path / "review.toml"
    store.save(Assessment(name="review"), review)
    result = run_cli("accounts", review)
    assert result.code == 2
    assert "is a review of one account, not of an organization" in result.err


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("acounts", "no command 'acounts'; did you mean 'accounts'?"),
        ("repot", "no command 'repot'; did you mean 'report'?"),
        ("help", "no command 'help': 'srm-tui --help' says it."),
    ],
)
def test_a_mistyped_command_is_not_opened_as_a_new_assessment(
    run_cli, tmp_path, monkeypatch, word, said
):
    # The wizard took the word for a file to create, named after the typo.
    monkeypatch.chdir(tmp_path)
    result = run_cli(word, "review.toml")
    assert result.code == 2
    assert said in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_like_a_command_still_opens_the_wizard(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "acounts").write_text("", "utf-8")  # it exists: the user means it
    for name in ("acounts", "acounts.toml", "reviews/repot"):
        result = run_cli(name)
        assert "no command" not in result.err, name


def test_a_file_named_like_an_option_follows_a_double_dash(run_cli, tmp_path, monkeypatch):
    from srm_tui import store
    from srm_tui.model import Assessment

    monkeypatch.chdir(tmp_path)
    store.save(Assessment(name="dashed"), tmp_path / "-dashed.toml")
    for args in (("report", "--", "-dashed.toml"), ("report", "-o", "-", "--", "-dashed.toml")):
        result = run_cli(*args)
        assert result.code == 0, result.err
        assert result.out.startswith("# Shared Responsibility review: dashed")


def test_an_empty_output_name_is_said_so(run_cli, tmp_path):
    # '-o "$UNSET"' was refused as "Cannot write .: it is a folder", naming no option.
    result = run_cli("lens", "-o", "")
    assert result.code == 2
    assert "argument -o/--output: give a file name, or - for standard output" in result.err


def test_words_quoted_in_a_usage_error_carry_no_terminal_escape(run_cli):
    # argparse quoted an unknown word as typed: "\x1b[2J" cleared the user's screen.
    for args in (("checks", "\x1b[2Jboom"), ("--\x1b[2Jboom", "checks")):
        result = run_cli(*args)
        assert result.code == 2
        assert "boom" in result.err and "\x1b" not in result.err
