"""Strangers, forwarded cards, unknown commands, used codes and bad dates, in process: each
gets its answer and nothing is stored."""

from __future__ import annotations

from sqlalchemy import select

from storage.engine import Database
from storage.models import Assignment, Reply
from tests.factories import invite_code
from tests.handlers.harness import World


def test_bad_input_changes_nothing(world: World, db: Database) -> None:
    world.import_roster()
    stranger = world.person(300, "Người lạ")
    officer = world.person(100, "Phạm Văn Đức", phone="0912000003")

    assert "chưa đăng ký" in stranger.says("xong").text
    assert "chưa đăng ký" in stranger.says("/tonghop").text
    assert "không đúng" in stranger.says("/start ABCDEFGHJK").text
    assert "chưa có trong danh sách" in stranger.shares_contact("0987654321").text
    forwarded = stranger.shares_contact("0912000003", owner=100)
    assert "của chính mình" in forwarded.text

    officer.shares_contact()
    assert "không có" in officer.says("/khongcolenhnay").text
    assert "Không tìm thấy đơn vị" in officer.says("/moi CDCS-11").text  # other district
    code = invite_code(officer.says("/moi CDCS-02").text)
    chair = world.person(202, "Lê Thị Bình")
    assert "Chủ tịch CĐCS Trạm Y tế Sơn Bình" in chair.says(f"/start {code}").text
    late = world.person(203, "Ai đó")
    assert "đã được dùng" in late.says(f"/start {code}").text
    assert "chưa đăng ký" in late.says("xong").text
    assert "Hạn chưa đúng" in officer.gives_task("/giaoviec 31/02/2026 Việc gì đó").text
    with db.session() as session:
        assert session.scalars(select(Reply)).all() == []
        assert session.scalars(select(Assignment)).all() == []
