"""Official public-holiday schedules of mainland China (放假安排), 2024–2026.

Source: the annual notices of the General Office of the State Council
(国务院办公厅关于<year>年部分节假日安排的通知):
- 2024: 国办发明电〔2023〕7号 (published 2023-10-25)
- 2025: 国办发明电〔2024〕12号 (published 2024-11-12; first year under the revised
  national holiday regulations: Spring Festival and Labour Day one day longer)
- 2026: 国办发明电〔2025〕7号 (published 2025-11-04)
Cross-checked against the ``chinese-calendar`` package, version 1.11.0.

``HOLIDAYS`` lists each festival's consecutive days off, weekends inside the span
included, as (name, first day, last day). ``MAKEUP_WORKDAYS`` lists the weekend
days that are working days (调休上班). Add a year by appending its notice here and
its number to ``YEARS`` and ``NOTICES``. A desk adds a year
without a release through ``holidays.toml`` (csdesk.domain.holiday_schedule).
"""

from __future__ import annotations

YEARS: tuple[int, ...] = (2024, 2025, 2026)
NOTICES: dict[int, str] = {2024: "国办发明电〔2023〕7号", 2025: "国办发明电〔2024〕12号", 2026: "国办发明电〔2025〕7号"}

HOLIDAYS: tuple[tuple[str, str, str], ...] = (
    # 2024
    ("元旦 New Year's Day", "2024-01-01", "2024-01-01"),
    ("春节 Spring Festival", "2024-02-10", "2024-02-17"),
    ("清明节 Qingming", "2024-04-04", "2024-04-06"),
    ("劳动节 Labour Day", "2024-05-01", "2024-05-05"),
    ("端午节 Dragon Boat Festival", "2024-06-10", "2024-06-10"),
    ("中秋节 Mid-Autumn Festival", "2024-09-15", "2024-09-17"),
    ("国庆节 National Day", "2024-10-01", "2024-10-07"),
    # 2025
    ("元旦 New Year's Day", "2025-01-01", "2025-01-01"),
    ("春节 Spring Festival", "2025-01-28", "2025-02-04"),
    ("清明节 Qingming", "2025-04-04", "2025-04-06"),
    ("劳动节 Labour Day", "2025-05-01", "2025-05-05"),
    ("端午节 Dragon Boat Festival", "2025-05-31", "2025-06-02"),
    ("国庆节、中秋节 National Day and Mid-Autumn", "2025-10-01", "2025-10-08"),
    # 2026
    ("元旦 New Year's Day", "2026-01-01", "2026-01-03"),
    ("春节 Spring Festival", "2026-02-15", "2026-02-23"),
    ("清明节 Qingming", "2026-04-04", "2026-04-06"),
    ("劳动节 Labour Day", "2026-05-01", "2026-05-05"),
    ("端午节 Dragon Boat Festival", "2026-06-19", "2026-06-21"),
    ("中秋节 Mid-Autumn Festival", "2026-09-25", "2026-09-27"),
    ("国庆节 National Day", "2026-10-01", "2026-10-07"),
)

MAKEUP_WORKDAYS: tuple[str, ...] = (
    # 2024
    "2024-02-04",
    "2024-02-18",
    "2024-04-07",
    "2024-04-28",
    "2024-05-11",
    "2024-09-14",
    "2024-09-29",
    "2024-10-12",
    # 2025
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    # 2026
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
)
