"""Opening a desk: settings, store, schema upgrade, demo seeding, sign-in.

Shared by the app (in a worker, after the first frame) and the CLI. Every failure is a
:class:`~csdesk.domain.errors.CsdeskError` with one sentence for people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csdesk.desk import Desk
from csdesk.domain.clock import AcceleratedClock, Clock, SystemClock
from csdesk.domain.errors import NotFound
from csdesk.i18n import Translator

if TYPE_CHECKING:
    from csdesk.data.peek import QueuePeek

Progress = Callable[[str], None]


@dataclass
class Launch:
    """How the desk should be opened (from CLI flags)."""

    config_file: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    demo: bool = False
    demo_seed: int = 7
    demo_customers: int | None = None
    demo_tickets: int | None = None
    demo_shaped: bool = False  # --seed/--tickets/--customers given: they only shape a new store
    clock: Clock | None = None


def open_desk(launch: Launch, progress: Progress | None = None) -> Desk:
    """Load settings, open (and if needed create, upgrade, seed) the store, sign in."""
    from csdesk.config import load_settings
    from csdesk.data.api import DEMO_TRAINEE, StoreMode
    from csdesk.data.holiday_files import install_local_holidays
    from csdesk.data.store import Store

    say = progress or (lambda _message: None)
    settings = load_settings(launch.config_file, **launch.overrides)
    if launch.demo:
        clock = launch.clock or AcceleratedClock()  # the trainer speeds it up (x1 to x60) or pauses it
        store = Store.open(settings.demo_store_path, desk_id="DEMO", mode=StoreMode.DEMO, clock=clock, progress=say)
        if not store.list_users():
            _seed(store, launch, say)
        elif launch.demo_shaped:
            say(f"The demo store {store.path} is already seeded; add --reset to seed it with these options.")
        store.trainer.use_scenario_dir(settings.scenario_dir)
        store.trainer.catch_up_clock()
        user_id = settings.user or DEMO_TRAINEE
    else:
        clock = launch.clock or SystemClock()
        store = Store.open(settings.store_path, desk_id=settings.desk_id, clock=clock, progress=say)
        user_id = settings.user
        if not user_id:
            store.close()
            raise NotFound(
                "No user is set for this desk: pass --user ID or set CSDESK_USER "
                "(add one first with `csdesk user add ID --name NAME --role agent`)."
            )
    try:
        user = store.get_user(user_id)
    except NotFound:
        store.close()
        raise NotFound(
            f"The user {user_id!r} is not known on this desk; add it with "
            f"`csdesk user add {user_id} --name NAME --role agent`."
        ) from None
    desk = Desk(store=store, user=user, settings=settings, clock=clock, t=Translator(settings.language))
    desk.warnings.extend(install_local_holidays())
    return desk


def peek_desk(launch: Launch, limit: int) -> QueuePeek | None:
    """The default queue's first ``limit`` rows, read without opening the store (see csdesk.data.peek).

    ``None`` when there is nothing simple to show yet (no store, a first demo run, an
    unknown user); the app then waits for :func:`open_desk` as before.
    """
    from csdesk.data.api import DEMO_TRAINEE
    from csdesk.data.peek import peek_queue
    from csdesk.paths import peek_setting

    path = peek_setting("demo_store_path" if launch.demo else "store_path", launch.config_file, launch.overrides)
    user_id = str(peek_setting("user", launch.config_file, launch.overrides) or (DEMO_TRAINEE if launch.demo else ""))
    peek = peek_queue(Path(str(path)), user_id, limit)
    if peek is None or peek.user is None or peek.demo != launch.demo:
        return None
    return peek


def peek_language(launch: Launch) -> str:
    """The interface language the settings will most likely give (unvalidated)."""
    from csdesk.paths import peek_setting

    return str(peek_setting("language", launch.config_file, launch.overrides))


def _seed(store: Any, launch: Launch, say: Progress) -> None:
    from csdesk.data.demo_seed import DemoSize, seed_demo

    size = DemoSize()
    size = DemoSize(
        customers=launch.demo_customers or size.customers,
        tickets=launch.demo_tickets or size.tickets,
        days=size.days,
    )

    def report(done: int, total: int) -> None:
        say(f"Seeding demo data: {done:,} / {total:,} events")

    seed_demo(store, seed=launch.demo_seed, size=size, progress=report)
