"""The agency list's order (issue 16): the rows come in code order, and the proxy does not sort them
again through thousands of Python ``data()`` calls to find that order; any other order is sorted."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.ui.agencies.model import COL_CODE, COL_NAME, COL_SCORE, SORT_ROLE
from workbench.ui.agencies.pane import AgenciesPane
from workbench.workspace.agencies import AgencyRow

pytestmark = pytest.mark.gui


def _rows(codes: list[str]) -> list[AgencyRow]:
    return [AgencyRow(f"u{code}", code, f"دستگاه {code}", "national", "", "draft", float(i % 7), True)
            for i, code in enumerate(codes)]


def _listed(pane: AgenciesPane) -> list[str]:
    proxy = pane.proxy
    return [proxy.index(r, COL_CODE).data(SORT_ROLE) for r in range(proxy.rowCount())]


@pytest.fixture
def counted(qapp, qtbot, monkeypatch):
    """A pane, and how many times the list's model was asked a value to sort by."""
    pane = AgenciesPane()
    qtbot.addWidget(pane)
    asked = []
    model = type(pane.model)
    data = model.data

    def counting(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == SORT_ROLE:
            asked.append(index.row())
        return data(self, index, role)

    monkeypatch.setattr(model, "data", counting)
    return pane, asked


def test_rows_in_code_order_are_listed_without_sorting_them_again(counted):
    pane, asked = counted
    codes = [f"{1000 + i}" for i in range(2500)]
    pane.set_rows(_rows(codes))
    assert pane.table.horizontalHeader().sortIndicatorSection() == COL_CODE
    assert asked == []  # Qt's sort asked ~60,000 times before
    assert _listed(pane) == codes[: len(_listed(pane))] and pane.proxy.rowCount() == 2500


def test_rows_out_of_order_and_other_columns_are_still_sorted(counted):
    pane, asked = counted
    codes = ["1003", "1001", "1002", "0999"]
    pane.set_rows(_rows(codes))
    asked_at_start = len(asked)
    assert asked_at_start > 0
    assert _listed(pane) == sorted(codes)
    pane.table.sortByColumn(COL_CODE, Qt.SortOrder.DescendingOrder)
    assert _listed(pane) == sorted(codes, reverse=True)
    pane.table.sortByColumn(COL_SCORE, Qt.SortOrder.AscendingOrder)
    scores = [pane.proxy.index(r, COL_SCORE).data(SORT_ROLE) for r in range(4)]
    assert scores == sorted(scores)
    # Back to code order, then the rows read again in code order: listed in that order, not sorted.
    pane.table.sortByColumn(COL_CODE, Qt.SortOrder.AscendingOrder)
    assert _listed(pane) == sorted(codes)
    del asked[:]
    pane.set_rows(_rows(sorted(codes)))
    assert asked == []
    assert _listed(pane) == sorted(codes)
    # A name search keeps the order.
    pane.search.setText("دستگاه 100")
    assert _listed(pane) == ["1001", "1002", "1003"]
    assert pane.proxy.index(0, COL_NAME).data() == "دستگاه 1001"
