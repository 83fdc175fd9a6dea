"""Shared fixtures.  Qt runs offscreen; every test gets its own data folder."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "userdata"))


@pytest.fixture(autouse=True)
def steps_question(request, monkeypatch):
    """Accepting a table 4 row whose six steps table 5 lacks asks first (a modal question, which would
    wait forever offscreen): window tests answer «yes» and may read what was asked here."""
    asked: list[str] = []
    if request.node.get_closest_marker("gui") is not None:
        from PySide6.QtWidgets import QMessageBox

        def answer(_parent, _title, text, *_args, **_kwargs):
            asked.append(text)
            return QMessageBox.StandardButton.Yes

        monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


@pytest.fixture
def framework():
    from workbench.model.framework import load_default_framework

    return load_default_framework()


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """Tests of a module marked ``backends`` run on both kinds of store (``tests/backends.py``)."""
    marked = metafunc.definition.get_closest_marker("backends")
    if marked and not metafunc.definition.get_closest_marker("one_backend") and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def pg_server():
    """The tests' PostgreSQL server (``tests/backends.py``), or a skip saying why there is none."""
    from backends import start_server

    server, reason = start_server()
    yield server, reason
    if server is not None:
        server.stop()


@pytest.fixture
def pg_database(pg_server):
    """A fresh, empty PostgreSQL database's URL; dropped after the test."""
    server, reason = pg_server
    if server is None:
        pytest.skip(reason)
    name = server.new_database()
    yield server.url_of(name)
    server.drop(name)


@pytest.fixture
def backend(request):
    """"sqlite", or "postgresql" where the module is marked ``backends``."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_target(backend, tmp_path, request):
    """Where a test's store lives: a new file, or a fresh PostgreSQL database with the schema."""
    if backend == "sqlite":
        yield tmp_path / "test.sqlite"
        return
    server, reason = request.getfixturevalue("pg_server")  # started only when a test needs it
    if server is None:
        pytest.skip(reason)
    name = server.new_database(template=True)
    yield server.url_of(name)
    server.drop(name)


@pytest.fixture
def store(db_target):
    from workbench.model.store import open_store

    st = open_store(db_target, actor="آزمون")
    yield st
    st.close()


@pytest.fixture
def ctl(qapp, store, framework):
    """A controller over the measure pages' database (``tests/ui_page_fixture.py``), closed after."""
    from ui_page_fixture import open_controller

    controller = open_controller(qapp, store, framework)
    yield controller
    controller.session().close()


@pytest.fixture
def window(qtbot, tmp_path, db_path):
    """The main window at 1280×800 on the requesting module's ``db_path``, every total scored."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from workbench.ui.app import setup_application
    from workbench.ui.main_window import MainWindow

    setup_application(QApplication.instance())
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.open_database(db_path)
    w.show()
    qtbot.waitUntil(lambda: all(r.scored for r in w.agencies.model.rows()), timeout=10000)
    yield w
    w.close()


# --------------------------------------------------------------------------- the exchange's tests


@pytest.fixture
def make_master(tmp_path_factory, backend, request):
    """``make(folder)``: a fresh master of the exchange tests (a 4-agency demo, built once a session),
    a file in ``folder`` or, where the module runs on both backends, a database of the tests' server."""
    from exchange_fixture import master_copy

    made = []

    def make(folder):
        folder.mkdir(parents=True, exist_ok=True)
        path = master_copy(folder, tmp_path_factory.getbasetemp())
        if backend == "sqlite":
            return path
        server, reason = request.getfixturevalue("pg_server")
        if server is None:
            pytest.skip(reason)
        name = server.database_like(path, "wb_master")
        made.append((server, name))
        return server.url_of(name)

    yield make
    for server, name in made:
        server.drop(name)


@pytest.fixture
def master(tmp_path, make_master):
    """A fresh copy of the exchange tests' master (``make_master``)."""
    return make_master(tmp_path)


@pytest.fixture
def agency(master):
    """The master's first agency code."""
    from exchange_fixture import codes

    return codes(master)[0]
