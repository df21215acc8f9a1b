"""A directive draft between the document and the confirmation: kept in the account's
conversation state (the reading with the officer's corrections) beside its draft row, and
shown with its buttons."""

from __future__ import annotations

import logging
from dataclasses import replace

from handlers.context import Turn
from handlers.intake_draft import Draft, render_draft
from handlers.messages import Choice, Outgoing
from handlers.scope import home_unit, scope_unit_ids
from handlers.states import State
from schedules.button_prefixes import ButtonPrefix
from storage import conversations, directives, task_reach, units
from storage.models import ConversationState, Directive, Unit

log = logging.getLogger(__name__)


def load_draft(turn: Turn, state: ConversationState) -> tuple[Draft | None, Directive | None]:
    """The draft and its row; a draft whose officer lost the right to it is forgotten."""
    try:
        draft = Draft.from_data(state.data)
    except (KeyError, TypeError, ValueError):
        log.warning("unreadable intake state of account %s dropped", turn.account.id)
        conversations.clear_state(turn.session, account_id=account_id(turn))
        return None, None
    directive = directives.get_directive(turn.session, directive_id=draft.directive_id)
    allowed = turn.standing is not None and turn.standing.is_officer
    if directive is None or not directive.is_draft or not allowed:
        conversations.clear_state(turn.session, account_id=account_id(turn))
        if directive is not None and directive.is_draft:
            directives.delete_draft(turn.session, directive_id=draft.directive_id)
        return None, None
    return draft, directive


def save_and_show(turn: Turn, draft: Draft) -> list[Outgoing]:
    """Keep the corrected draft (a restart loses nothing) and show it again."""
    conversations.set_state(
        turn.session,
        account_id=account_id(turn),
        name=State.INTAKE,
        data=draft.to_data(),
        now=turn.now,
    )
    return [show_draft(turn, draft)]


def show_draft(turn: Turn, draft: Draft, *, resumed: bool = False) -> Outgoing:
    """The draft as the officer checks it, with its confirm, cancel and all-units buttons."""
    chosen = units.units_by_ids(turn.session, unit_ids=draft.unit_ids)
    order = {unit_id: index for index, unit_id in enumerate(draft.unit_ids)}
    chosen.sort(key=lambda unit: order.get(unit.id or 0, 0))
    names = [f"{unit.name} ({unit.code})" for unit in chosen]
    text = render_draft(draft, names, today=turn.now.astimezone(turn.zone).date())
    if resumed:
        text = "Văn bản này anh/chị đang kiểm tra dở:\n" + text
    key = draft.directive_id
    return Outgoing(
        text,
        choices=(
            (
                Choice("✅ Xác nhận", f"{ButtonPrefix.INTAKE}:ok:{key}"),
                Choice("✖️ Hủy", f"{ButtonPrefix.INTAKE}:no:{key}"),
            ),
            (Choice("Giao cho mọi đơn vị trực thuộc", f"{ButtonPrefix.INTAKE}:all:{key}"),),
        ),
    )


def branch_units(turn: Turn) -> list[Unit]:
    """The units the officer may give tasks to."""
    return units.units_by_ids(turn.session, unit_ids=scope_unit_ids(turn))


def own_unit_ids(turn: Turn) -> set[int]:
    """The officer's own units (the tops of their branches); an administrator without a
    branch acts for the root of the tree (`scope.home_unit`)."""
    if turn.standing is not None and turn.standing.officer_unit_ids:
        return set(turn.standing.officer_unit_ids)
    home = home_unit(turn)
    return {home.id} if home is not None and home.id is not None else set()


def _all_below(turn: Turn) -> tuple[int, ...]:
    """The units a directive given at the officer's own unit(s) reaches
    (`storage.task_reach`: those directly below)."""
    reached = (
        task_reach.reached_unit_ids(turn.session, root_id=root) for root in own_unit_ids(turn)
    )
    return tuple(dict.fromkeys(unit_id for ids in reached for unit_id in ids))


def everyone_below(turn: Turn, draft: Draft) -> Draft:
    """The draft given to every unit directly below the officer's own."""
    return replace(draft, unit_ids=_all_below(turn), from_addressees=False)


def account_id(turn: Turn) -> int:
    assert turn.account.id is not None
    return turn.account.id
