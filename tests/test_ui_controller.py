"""The controller's undo history when a step can no longer be carried out."""
from __future__ import annotations

from sqlalchemy import select
from ui_page_fixture import open_controller

from workbench.model.editing import Edit
from workbench.model.schema import Answer, Evidence, new_uuid


def test_edit_is_saved_at_once_and_undone(qapp, store, framework):
    controller = open_controller(qapp, store, framework)
    uuid = controller.assessment().uuid
    assert controller.apply(Edit("answer", uuid, "4.1.1", {"value": True}), "تیک")
    with store.session() as other:  # another connection sees it: it was committed
        assert other.scalar(select(Answer.value).where(Answer.key == "4.1.1")) is True
    controller.undo_stack.undo()
    with store.session() as other:
        assert other.scalar(select(Answer.value).where(Answer.key == "4.1.1")) is None


def test_undo_of_a_row_deleted_elsewhere_is_refused_and_history_cleared(qapp, qtbot, store, framework):
    controller = open_controller(qapp, store, framework)
    uuid = controller.assessment().uuid
    evidence_uuid = new_uuid()
    fields = {"measure_key": "4.1", "kind": "url", "text": "https://example.ir", "number": None,
              "blob_sha256": None, "filename": "", "mime": ""}
    assert controller.apply(Edit("evidence_add", uuid, evidence_uuid, fields), "افزودن مستند")
    assert controller.apply(Edit("answer", uuid, "4.1.2", {"value": True}), "تیک")
    with store.session() as other:  # e.g. a re-import or another window removed it
        other.delete(other.get(Evidence, evidence_uuid))

    refusals = []
    controller.refused.connect(refusals.append)
    controller.undo_stack.undo()  # the tick: fine
    controller.undo_stack.undo()  # removing the evidence that is already gone: refused
    assert any("مستند" in m for m in refusals)
    qtbot.waitUntil(lambda: controller.undo_stack.count() == 0)
    assert any("تاریخچهٔ واگرد" in m for m in refusals)
    assert not controller.undo_stack.canRedo()  # no redo onto rows that no longer match


def test_a_bulk_edit_is_one_step_all_or_nothing(qapp, store, framework):
    controller = open_controller(qapp, store, framework)
    uuid = controller.assessment().uuid
    refused = []
    controller.refused.connect(refused.append)
    ticks = [Edit("answer", uuid, key, {"value": True}) for key in ("4.1.1", "4.1.2")]
    gone = Edit("reform_row", uuid, new_uuid(), {"accepted": True})  # a row that is not there
    assert not controller.apply_all([*ticks, gone], "همه")
    assert refused and controller.undo_stack.count() == 0
    with store.session() as other:  # the two ticks before the refused edit were not kept either
        assert other.scalar(select(Answer.value).where(Answer.key.in_(["4.1.1", "4.1.2"]))) is None
    assert controller.apply_all(ticks, "همه")
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    with store.session() as other:
        assert other.scalars(select(Answer.value).where(Answer.key.in_(["4.1.1", "4.1.2"]))).all() in ([], [None, None])
    assert not controller.apply_all([], "هیچ")
