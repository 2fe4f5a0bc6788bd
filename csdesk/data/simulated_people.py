"""The customers who call during a training run: named by the scenario, or made up.

A made-up customer gets a Faker name in their language, a mobile number, an ID number
and (unless the scenario says otherwise) a bank card, all valid for the store's checks
and reproducible from the ``random.Random`` the simulator passes. Recorded through the
store's own use case, as the trainer running the simulation.
"""

from __future__ import annotations

import random
from functools import cache
from typing import TYPE_CHECKING

from csdesk.data.api import CustomerView
from csdesk.data.demo_seed import _card_number, _id_number, _phone
from csdesk.domain.scenario import CustomerSpec

if TYPE_CHECKING:
    from faker import Faker

    from csdesk.data.store import Store

#: Share of made-up callers who speak English (the demo desk serves both).
ENGLISH_SHARE = 0.15


@cache
def _faker(language: str) -> Faker:
    from faker import Faker

    return Faker("zh_CN" if language == "zh-CN" else "en_US")


def make_customer(store: Store, actor_id: str, rng: random.Random, spec: CustomerSpec | None) -> CustomerView:
    """Record the caller of a scenario contact and return it (masked)."""
    spec = spec or CustomerSpec()
    language = spec.language if spec.name is not None else ("en" if rng.random() < ENGLISH_SHARE else "zh-CN")
    if spec.name is not None:
        name = spec.name.get(language)
    else:
        faker = _faker(language)
        faker.seed_instance(rng.randrange(2**31))
        name = faker.name()
    return store.create_customer(
        actor_id,
        name=name,
        phone=_phone(rng),
        id_number=_id_number(rng),
        card_no=_card_number(rng) if spec.card else None,
        vip=spec.vip,
        language=language,
    )
