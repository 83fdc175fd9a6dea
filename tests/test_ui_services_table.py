"""The services table: per-service judgements, counted into indicators 1–3 and 8.1's GSB item."""
from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import event, select
from ui_page_fixture import open_controller, planned, type_text

from workbench.model.schema import Service, ServiceJudgement
from workbench.model.terms import REQUEST_CAPABILITIES
from workbench.model.text import persian_digits
from workbench.ui.assessment.services_table import ServicesPanel, column

pytestmark = pytest.mark.gui
CHECKED = Qt.CheckState.Checked.value
UNCHECKED = Qt.CheckState.Unchecked.value


@pytest.fixture
def panel(ctl, qtbot):
    widget = ServicesPanel(ctl)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def proxy_row(panel, service_id: str) -> int:
    proxy = panel.proxy
    for r in range(proxy.rowCount()):
        if proxy.index(r, column("service_id")).data(Qt.ItemDataRole.DisplayRole) == persian_digits(service_id):
            return r
    raise AssertionError(f"{service_id} not shown")


def tick(panel, service_id: str, field: str, state=CHECKED) -> bool:
    """What the view's delegate does when the user clicks a check box."""
    index = panel.proxy.index(proxy_row(panel, service_id), column(field))
    return panel.proxy.setData(index, state, Qt.ItemDataRole.CheckStateRole)


def judgement(store, ctl, service_id):
    with store.session() as s:
        return s.scalar(
            select(ServiceJudgement).where(
                ServiceJudgement.assessment_uuid == ctl.assessment().uuid, ServiceJudgement.service_id == service_id
            )
        )


def test_rows_show_services_with_persian_ids_and_only_the_stage_plan(panel):
    assert panel.model.rowCount() == 30
    assert panel.proxy.rowCount() == len(planned("request")) == 24
    first = panel.proxy.index(0, column("service_id"))
    assert first.data() == persian_digits(sorted(planned("request"))[0])
    panel.only_planned.click()
    assert panel.proxy.rowCount() == 30
    panel.set_stage("counter")
    panel.only_planned.click()
    assert panel.proxy.rowCount() == len(planned("counter"))
    # Only the stage's own columns are shown.
    assert not panel.view.isColumnHidden(column("counter"))
    assert panel.view.isColumnHidden(column("request_portal"))
    assert panel.view.isColumnHidden(column("delivery"))


def test_search_normalises_letters_and_digits(panel, qtbot):
    panel.only_planned.setChecked(False)
    type_text(panel.search, "کسب")  # stored with Arabic kaf: «كسب»
    assert panel.proxy.rowCount() == 5
    panel.search.clear()
    panel.search.setText("تجاری ۱۲۱۰۹۶۱")  # Persian yeh and digits; stored «تجاري», 1210961..
    ids = {panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())}
    assert ids == {persian_digits(f"12109610{k}") for k in range(4)}
    panel.search.clear()
    assert panel.proxy.rowCount() == 30


def test_marking_services_moves_indicator_1_to_the_ratio(panel, ctl, store):
    planned_ids = sorted(planned("request"))
    assert ctl.card()["1"].answered == 0
    for sid in planned_ids[:6]:
        for field in REQUEST_CAPABILITIES:
            assert tick(panel, sid, field)
    # A seventh service has three of the four capabilities: judged, not achieved.
    for field in REQUEST_CAPABILITIES[:3]:
        tick(panel, planned_ids[6], field)
    assert ctl.card()["1"].earned == pytest.approx(30 * 6 / 24)
    assert panel.model.counts("request") == (6, 7, 24)
    result = panel.proxy.index(proxy_row(panel, planned_ids[6]), column("result")).data()
    assert result == "تحقق‌نیافته"
    stored = judgement(store, ctl, planned_ids[0])
    assert all(getattr(stored, f) is True for f in REQUEST_CAPABILITIES)


def test_an_edit_announces_only_its_row_and_undo_restores(panel, ctl, store):
    sid = sorted(planned("delivery"))[2]
    panel.set_stage("delivery")
    changed_rows = []
    panel.model.dataChanged.connect(lambda a, b, *_: changed_rows.extend(range(a.row(), b.row() + 1)))
    assert tick(panel, sid, "delivery")
    source_row = [r.service_id for r in panel.model.rows()].index(sid)
    assert changed_rows == [source_row]
    assert ctl.card()["2"].earned == pytest.approx(30 / len(planned("delivery")))
    assert ctl.undo_stack.count() == 1

    ctl.undo_stack.undo()
    assert judgement(store, ctl, sid).delivery is None
    assert panel.model.row(source_row).stage_result("delivery") is None
    assert ctl.card()["2"].answered == 0
    ctl.undo_stack.redo()
    assert judgement(store, ctl, sid).delivery is True


def test_unticking_records_not_achieved(panel, ctl, store):
    sid = sorted(planned("request"))[0]
    tick(panel, sid, "request_portal")
    tick(panel, sid, "request_portal", UNCHECKED)
    assert judgement(store, ctl, sid).request_portal is False
    assert panel.model.counts("request") == (0, 1, 24)


def test_services_outside_the_stage_plan_cannot_be_judged(panel, ctl, store):
    sid = next(s for s in planned("request") if s not in planned("gsb"))
    panel.only_planned.setChecked(False)
    index = panel.proxy.index(proxy_row(panel, sid), column("gsb"))
    assert not index.flags() & Qt.ItemFlag.ItemIsEnabled
    assert index.data(Qt.ItemDataRole.CheckStateRole) is None
    assert not panel.proxy.setData(index, CHECKED, Qt.ItemDataRole.CheckStateRole)
    assert judgement(store, ctl, sid) is None


def test_url_column_is_validated(panel, ctl, store):
    sid = sorted(planned("request"))[0]
    index = panel.proxy.index(proxy_row(panel, sid), column("url"))
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    assert not panel.proxy.setData(index, "service page", Qt.ItemDataRole.EditRole)
    assert "http" in panel.message.text() and not panel.message.isHidden()
    assert judgement(store, ctl, sid) is None
    # An address typed without its scheme is completed, not refused.
    assert panel.proxy.setData(index, "mimt.gov.ir/service", Qt.ItemDataRole.EditRole)
    assert judgement(store, ctl, sid).url == "https://mimt.gov.ir/service"
    assert panel.proxy.setData(index, " https://mimt.gov.ir/s/1 ", Qt.ItemDataRole.EditRole)
    assert judgement(store, ctl, sid).url == "https://mimt.gov.ir/s/1"
    assert panel.proxy.index(proxy_row(panel, sid), column("url")).data() == "https://mimt.gov.ir/s/1"


def test_rest_not_achieved_is_one_undo_step(panel, ctl, qtbot):
    panel.set_stage("counter")
    counter = sorted(planned("counter"))
    tick(panel, counter[0], "counter")
    assert panel.rest_button.isEnabled()
    qtbot.mouseClick(panel.rest_button, Qt.MouseButton.LeftButton)
    assert panel.model.counts("counter") == (1, len(counter), len(counter))
    assert ctl.card()["3"].earned == pytest.approx(20 / len(counter))
    assert ctl.card()["3"].answered == 1
    assert not panel.rest_button.isEnabled()
    ctl.undo_stack.undo()
    assert panel.model.counts("counter") == (1, 1, len(counter))


def test_read_only_refuses_edits(qapp, store, framework, qtbot):
    ctl = open_controller(qapp, store, framework, status="final")
    widget = ServicesPanel(ctl)
    qtbot.addWidget(widget)
    sid = sorted(planned("request"))[0]
    index = widget.proxy.index(proxy_row(widget, sid), column("request_portal"))
    assert not index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert not widget.proxy.setData(index, CHECKED, Qt.ItemDataRole.CheckStateRole)
    assert not widget.rest_button.isEnabled()
    assert ctl.undo_stack.count() == 0
    ctl.session().close()


@contextlib.contextmanager
def counted_statements(ctl):
    """The SQL statements sent while the block runs (a count can be asserted; a time cannot)."""
    statements: list[str] = []
    engine = ctl.session().get_bind()

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_hundreds_of_services_load_once_and_refresh_with_two_queries(ctl, store, qtbot):
    assessment = ctl.assessment()
    with store.session() as s:
        for i in range(600):
            s.add(
                Service(
                    round_uuid=assessment.round_uuid,
                    agency_uuid=assessment.agency_uuid,
                    service_id=f"{500000000 + i}",
                    title=f"خدمت آزمایشی {i}",
                    in_request_plan=True,
                    in_delivery_plan=i % 2 == 0,
                )
            )
    with counted_statements(ctl) as statements:
        widget = ServicesPanel(ctl)
        qtbot.addWidget(widget)
    assert widget.model.rowCount() == 630
    # The table loads its rows in a few queries, not one per service (630 rows).
    assert len(statements) <= 10, statements

    with counted_statements(ctl) as statements:
        widget.model.refresh()
    # The services, their judgements and 4.7's SLA sections (rows of their own): three, whatever their number.
    assert len([q for q in statements if q.lstrip().upper().startswith("SELECT")]) == 3
    # Sorting and filtering are in memory.
    widget.view.sortByColumn(column("title"), Qt.SortOrder.DescendingOrder)
    widget.search.setText("آزمایشی ۵۹۹")
    assert widget.proxy.rowCount() == 1
    assert widget.proxy.index(0, column("service_id")).data() == "۵۰۰۰۰۰۵۹۹"
    assert widget.proxy.index(0, 0).parent() == QModelIndex()

    # «The rest not achieved» over 600 services: one commit and one re-read, not 600 of each
    # (it took 12 s for 235 services, the window frozen).
    widget.search.clear()
    changes = []
    ctl.changed.connect(lambda: changes.append(1))
    planned_request = 600 + len(planned("request"))
    with counted_statements(ctl) as statements:
        assert widget.model.mark_unjudged_not_achieved("request") == planned_request
    assert len(changes) == 1 and ctl.undo_stack.count() == 1
    assert widget.model.counts("request") == (0, planned_request, planned_request)
    # A bulk edit is a bulk write: the judgements are read in one query per 500 services and
    # written (with their audit entries) in batches, not a select and a flush per service
    # (1,874 statements for 624 services before).
    assert len(statements) <= 40, len(statements)
    with counted_statements(ctl) as statements:
        ctl.undo_stack.undo()
    assert len(statements) <= 40, len(statements)
    assert widget.model.counts("request") == (0, 0, planned_request) and len(changes) == 2


def test_an_edit_refused_meanwhile_is_explained_here(panel, ctl, store):
    ctl.assessment().status = "final"  # finalized from the menu while the table was open
    ctl.session().commit()
    sid = sorted(planned("request"))[0]
    # The delegate calls setData with flags read before; the controller refuses.
    assert not panel.model.set_judgement(sid, {"request_portal": True}, "آزمون")
    assert "نهایی" in panel.message.text() and panel.message.isVisibleTo(panel)
    assert judgement(store, ctl, sid) is None
    panel.show_message("")
    ctl.refused.emit("پیام ویرایشی دیگر")  # another page's refusal is not shown here
    assert panel.message.isHidden()


def test_narrow_panel_keeps_the_search_readable(panel, qtbot):
    assert not panel.top.wrapped()
    panel.resize(480, 600)
    qtbot.waitUntil(panel.top.wrapped)
    qtbot.waitUntil(lambda: panel.search.width() >= panel.search.minimumWidth() > 150)
    assert panel.only_planned.isVisible() and panel.rest_button.isVisible()


def test_tab_leaves_the_table(panel, qtbot):
    from PySide6.QtWidgets import QApplication

    assert not panel.view.tabKeyNavigation()
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel.window())
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.proxy.index(0, column("request_portal")))
    qtbot.keyClick(panel.view, Qt.Key.Key_Tab)
    assert not panel.view.hasFocus()  # moved on (Qt's default walked Tab from cell to cell)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)  # arrows still move within
    assert panel.view.hasFocus() and panel.view.currentIndex().row() == 0
