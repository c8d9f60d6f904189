"""tui.toml: every mistake reported in one line (and the defaults used), rebound keys shown
where keys are shown, and the theme chosen in the app kept for next time."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsreader.tui import keymap
from newsreader.tui.app import NewsreaderApp, run_app
from newsreader.tui.config import Settings, load_settings, save_theme
from newsreader.tui.screens.help import HelpScreen

from tests.conftest import APP_SIZE, app_settings, started


def settings_from(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "tui.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('theme = "nonexistent"\n', 'no theme "nonexistent"'),
        ('[keys]\n"nope.quit" = "x"\n', 'unknown binding id "nope.quit"'),
        ("theme = \n", "not valid TOML"),
        ("debounce_ms = -5\n", "debounce_ms must be"),
        ('[keys]\n"app.quit" = 3\n', 'keys for "app.quit" must be'),
        ('[keys]\n"app.quit" = "ctrl+shift+foo"\n', '"ctrl+shift+foo" for "app.quit" is not a key'),
        ("colour = 1\n", "unknown setting 'colour'"),
    ],
)
def test_each_mistake_is_one_line_and_the_default_stands(tmp_path, text, needle) -> None:
    settings = settings_from(tmp_path, text)
    assert len(settings.problems) == 1
    assert needle in settings.problems[0] and "\n" not in settings.problems[0]
    assert settings.theme == Settings().theme
    assert settings.keys == {}
    assert settings.debounce == Settings().debounce


def test_a_key_given_to_two_live_bindings_is_reported_once(tmp_path) -> None:
    settings = settings_from(tmp_path, '[keys]\n"app.quit" = "j"\n"main.search" = "f5"\n')
    assert settings.keys == {"app.quit": "j", "main.search": "f5"}  # kept, as asked
    (problem,) = settings.problems
    assert problem.startswith('tui.toml: "j" for app.quit is also the key of results.down, ')
    assert "article.down" in problem and "main.search" not in problem
    # Keys shared by default (Escape leaves the search box and goes back) are no mistake.
    assert settings_from(tmp_path, '[keys]\n"search.leave" = "escape,f6"\n').problems == ()


def test_good_settings_load_without_problems(tmp_path) -> None:
    settings = settings_from(
        tmp_path, 'theme = "nord"\ndebounce_ms = 150\n[keys]\n"app.quit" = "x, ctrl+x"\n'
    )
    assert settings.problems == ()
    assert (settings.theme, settings.debounce) == ("nord", 0.15)
    assert settings.keys == {"app.quit": "x,ctrl+x"}


def test_problems_go_to_stderr_and_to_a_notification(
    tmp_path, monkeypatch, capsys, sample_library
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "tui.toml").write_text('theme = "nonexistent"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(config))
    started_apps = []
    monkeypatch.setattr(NewsreaderApp, "run", lambda self: started_apps.append(self))
    run_app(sample_library)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'no theme "nonexistent"' in err[0]
    assert started_apps and started_apps[0].settings.problems


async def test_the_app_notifies_each_problem(make_app) -> None:
    app = make_app(problems=("tui.toml: one thing", "tui.toml: another"))
    async with app.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        messages = [n.message for n in app._notifications]
        assert "tui.toml: one thing" in messages and "tui.toml: another" in messages


async def test_rebound_keys_show_in_the_footer_and_help_and_work(make_app) -> None:
    app = make_app(keys={"app.quit": "x", "main.full_screen": "v"})
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        footer = {k.description: k.key_display for k in app.screen.query("FooterKey")}
        assert footer["Quit"] == "x"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-keys"))
        lines = {line.split()[-1]: line.split()[:2] for line in text.splitlines()}
        assert lines["app.quit"] == ["x", "Quit"] and lines["main.full_screen"][0] == "v"
        for _, binding in keymap.all_bindings():  # every id is listed
            assert binding.id in text
        await pilot.press("escape", "q")  # q no longer quits
        await pilot.pause()
        assert app.is_running and app.screen is screen
        await pilot.press("x")
        await pilot.pause()
        assert not app.is_running


def test_save_theme_keeps_the_rest_of_the_file(tmp_path) -> None:
    path = tmp_path / "tui.toml"
    original = (
        "# my settings\n"
        'theme = "gruvbox"   # dark, please\n'
        "debounce_ms = 150\n"
        "\n"
        "[keys]\n"
        '"app.quit" = "x"  # like my editor\n'
    )
    path.write_text(original, encoding="utf-8")
    save_theme("nord", path)
    saved = path.read_text(encoding="utf-8")
    assert saved == original.replace('theme = "gruvbox"   # dark', 'theme = "nord"  # dark')
    path.write_text('debounce_ms = 150\n[keys]\n"app.quit" = "x"\n', encoding="utf-8")
    save_theme("nord", path)
    assert path.read_text(encoding="utf-8").splitlines()[:2] == [
        "debounce_ms = 150",
        'theme = "nord"',
    ]
    assert load_settings(path).theme == "nord" and load_settings(path).keys == {"app.quit": "x"}


async def test_the_theme_chosen_in_the_app_is_kept(make_app, tmp_path) -> None:
    path = tmp_path / "tui.toml"
    path.write_text('# keep me\n[keys]\n"app.quit" = "x"\n', encoding="utf-8")
    app = make_app(path=path)
    async with app.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        app.theme = "nord"  # what the palette's theme picker does
        await pilot.pause()
    assert load_settings(path).theme == "nord"
    assert path.read_text(encoding="utf-8").startswith("# keep me\n")
    again = NewsreaderApp(app.engine.library, app_settings(theme=load_settings(path).theme))
    async with again.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        assert again.theme == "nord"


async def test_a_theme_is_not_added_to_a_broken_file_and_the_app_says_so(
    make_app, tmp_path
) -> None:
    path = tmp_path / "tui.toml"
    broken = '[keys\n"app.quit" = "x"\n'
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML: mend it"):
        save_theme("nord", path)
    app = make_app(path=path)
    async with app.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        app.theme = "nord"
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any(m.startswith("The theme is not saved: ") for m in shown), shown
    assert path.read_text(encoding="utf-8") == broken


async def test_a_settings_problem_is_shown_as_written_in_the_app(make_app, tmp_path) -> None:
    path = tmp_path / "tui.toml"
    path.write_text('[keys]\n"bogus.id" = "x"\n', encoding="utf-8")
    settings = load_settings(path)
    assert any("[keys]" in p for p in settings.problems)
    app = make_app(path=path, problems=settings.problems)
    async with app.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        shown = [n.message for n in app._notifications]
        assert any("[keys]" in m and "bogus.id" in m for m in shown), shown
        # Markup is off for every notice, wherever it comes from: brackets show as written.
        assert all(not n.markup for n in app._notifications)
