"""Fill an empty demo store with a believable desk: staff, customers and 90 days of tickets.

Everything is planned in memory as :class:`~csdesk.data.store.PlannedEvent` objects with
their own wall times, sorted by time and written through :meth:`Store.write_planned`, so
the demo store has a normal hash-chained event log that rebuilds to the same projections.

The plan is deterministic for a given ``seed`` and ``now``: all randomness comes from one
``random.Random(seed)`` and two seeded Faker instances, and entity ids (customers, tickets,
notes) are UUIDv7 strings made from that generator, so they still sort by creation time.
(Event ids are made by the store itself and are random.)

Shape of the history (DOMAIN.md, "Staffing"): arrivals follow a weekday business-hours
profile in China time (UTC+8) with peaks around 10:00 and 15:00, Monday and Friday about
30 % busier than Tuesday to Thursday, weekends about 40 % of a weekday. Each ticket lives
through the status machine of :mod:`csdesk.domain.tickets`; lives that reach past ``now``
are cut there, which leaves the recent days with new, open and waiting tickets.

This module must never import Textual: the CLI uses it too.
"""

from __future__ import annotations

import bisect
import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from faker import Faker

from csdesk.data.api import DEMO_TRAINEE, StoreMode
from csdesk.data.complaint_demo import demo_complaint_events
from csdesk.data.demo_business import demo_business_events
from csdesk.data.demo_callbacks import plan_callbacks
from csdesk.data.demo_surveys import plan_surveys
from csdesk.data.store import PlannedEvent, Store
from csdesk.domain.arrivals import CHINA, DAY_FACTOR, hour_weight
from csdesk.domain.clock import ms
from csdesk.domain.errors import Conflict, StoreUnavailable
from csdesk.domain.roles import Role
from csdesk.domain.tickets import Business, Cause, Channel, Kind, Priority, Status, can_reopen, check_transition

__all__ = [
    "DEMO_TRAINEE",
    "DEMO_USERS",
    "DemoSize",
    "plan_demo_events",
    "queue_targets",
    "seed_demo",
]


@dataclass(frozen=True)
class DemoSize:
    """How much history to make."""

    customers: int = 600
    tickets: int = 2400
    days: int = 90


DEFAULT_SIZE = DemoSize()

TEAM_1 = "一组"
TEAM_2 = "二组"

#: (user_id, name, role, team) of the demo desk's staff.
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("wu.hong", "吴红", Role.SUPERVISOR.value, ""),
    ("chen.jing", "陈静", Role.TEAM_LEAD.value, TEAM_1),
    ("yang.jun", "杨军", Role.TEAM_LEAD.value, TEAM_2),
    ("li.na", "李娜", Role.AGENT.value, TEAM_1),
    ("wang.fang", "王芳", Role.AGENT.value, TEAM_1),
    ("zhang.wei", "张伟", Role.AGENT.value, TEAM_1),
    ("liu.yang", "刘洋", Role.AGENT.value, TEAM_2),
    ("zhao.lei", "赵磊", Role.AGENT.value, TEAM_2),
    ("emily.chen", "Emily Chen", Role.AGENT.value, TEAM_2),
    ("zhou.min", "周敏", Role.SPECIALIST.value, TEAM_1),
    ("sun.li", "孙丽", Role.SPECIALIST.value, TEAM_2),
    ("huang.tao", "黄涛", Role.SPECIALIST.value, TEAM_1),
    ("zheng.xiaomei", "郑晓梅", Role.QA.value, ""),
    ("david.wong", "David Wong", Role.TRAINER.value, ""),
    ("ma.chao", "马超", Role.ANALYST.value, ""),
)


SUPERVISOR = "wu.hong"
QA_INSPECTOR = "zheng.xiaomei"
AGENTS = tuple(u[0] for u in DEMO_USERS if u[2] == Role.AGENT.value)
LEAD_OF_TEAM = {u[3]: u[0] for u in DEMO_USERS if u[2] == Role.TEAM_LEAD.value}
TEAM_OF = {u[0]: u[3] for u in DEMO_USERS}
#: Specialists and what they are routed (DOMAIN.md: consultation, accounts, complaints).
SPECIALTY = {"zhou.min": "complaint", "sun.li": "account", "huang.tao": "consultation"}
ENGLISH_SPEAKERS = ("emily.chen",)

ACCOUNT_BUSINESSES = frozenset({Business.BANK_CARD, Business.DEPOSIT, Business.CREDIT_CARD})

# ------------------------------------------------------------------ identifiers

_MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]

#: Real county-level region codes (GB/T 2260) weighted towards big cities.
_REGION_CODES = [
    "110101",
    "110105",
    "110108",
    "110114",
    "120101",
    "120104",
    "310101",
    "310104",
    "310110",
    "310115",
    "320102",
    "320106",
    "320508",
    "330106",
    "330108",
    "330203",
    "340104",
    "350203",
    "350102",
    "360102",
    "370102",
    "370202",
    "410105",
    "420106",
    "420111",
    "430104",
    "440103",
    "440106",
    "440304",
    "440305",
    "440606",
    "450103",
    "500103",
    "500106",
    "510104",
    "510107",
    "520102",
    "530102",
    "610113",
    "620102",
    "210203",
    "210102",
    "220102",
    "230103",
    "130102",
    "140105",
    "150102",
    "460106",
    "640104",
    "650102",
]

_CARD_PREFIXES = (("6222", 19), ("6217", 19), ("6228", 19), ("4367", 16), ("6259", 16))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def _id_number(rng: random.Random) -> str:
    """A resident ID number with a real region code, a birth date 1950–2004 and a valid check char."""
    region = rng.choice(_REGION_CODES)
    born = date(1950, 1, 1) + timedelta(days=rng.randrange((date(2004, 12, 31) - date(1950, 1, 1)).days + 1))
    first17 = f"{region}{born:%Y%m%d}{rng.randrange(1, 1000):03d}"
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK_CHARS[total % 11]


def _luhn_complete(partial: str) -> str:
    """Append the Luhn check digit to ``partial``."""
    total = 0
    for position, char in enumerate(reversed(partial)):
        digit = int(char)
        if position % 2 == 0:  # these positions double once the check digit is appended
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return partial + str((10 - total % 10) % 10)


def _card_number(rng: random.Random) -> str:
    """A 16- or 19-digit card number with a Chinese bank prefix and a valid Luhn digit."""
    prefix, length = rng.choice(_CARD_PREFIXES)
    body = "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return _luhn_complete(prefix + body)


def _account_number(rng: random.Random) -> str:
    """A 16–19 digit settlement account number (branch code, then serial digits)."""
    length = rng.choice((16, 17, 18, 19))
    head = rng.choice(("1100", "3100", "4403", "3301", "5101", "4201", "3202"))
    return head + "".join(str(rng.randrange(10)) for _ in range(length - len(head)))


def _phone(rng: random.Random) -> str:
    """An 11-digit mainland mobile number."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


class _Uuid7:
    """Deterministic RFC 9562 UUIDv7 strings from ``rng``.

    With ``monotonic`` the ids made in time order also sort in that order within one
    millisecond (the 12-bit ``rand_a`` counts up, as in RFC 9562 §6.2 method 1).
    """

    def __init__(self, rng: random.Random, *, monotonic: bool) -> None:
        self._rng = rng
        self._monotonic = monotonic
        self._last_ms = -1
        self._counter = 0

    def __call__(self, at: datetime) -> str:
        """A new id for an entity created at ``at``."""
        stamp = ms(at)
        if self._monotonic and stamp <= self._last_ms:
            stamp = self._last_ms
            self._counter += 1
            if self._counter > 0xFFF:
                stamp, self._counter = stamp + 1, self._rng.getrandbits(11)
        else:
            self._counter = self._rng.getrandbits(11)
        self._last_ms = max(self._last_ms, stamp)
        value = stamp << 80 | 0x7 << 76 | self._counter << 64 | 0b10 << 62 | self._rng.getrandbits(62)
        return str(uuid.UUID(int=value))


# ------------------------------------------------------------------ ticket templates

# Variable parts, per language.
_VARS: dict[str, dict[str, tuple[str, ...]]] = {
    "zh-CN": {
        "product": (
            "稳享180天理财",
            "安盈债券A",
            "沪深300指数增强",
            "鑫利一号净值型理财",
            "成长精选混合",
            "天天利货币基金",
        ),
        "merchant": ("某电商平台", "美团", "携程旅行", "滴滴出行", "京东商城", "一家境外网站"),
        "branch": ("朝阳支行", "浦东支行", "天河支行", "西湖支行", "南山支行", "高新区支行"),
        "app_error": ("提示“网络异常，请稍后重试”", "人脸识别一直失败", "收不到短信验证码", "升级后一打开就闪退"),
        "dept": ("信用卡中心", "运营管理部", "财富管理部", "零售信贷部", "电子银行部", "个人金融部"),
        "city": ("北京市朝阳区", "上海市浦东新区", "广州市天河区", "深圳市南山区", "杭州市西湖区", "成都市武侯区"),
        "fraudster": ("自称“客服”", "自称“公安局民警”", "自称“贷款平台工作人员”", "自称“快递理赔专员”"),
    },
    "en": {
        "product": (
            "Steady 180-Day Wealth Plan",
            "Anying Bond Fund A",
            "CSI 300 Enhanced Index Fund",
            "Xinli No. 1 NAV product",
            "Growth Select Hybrid Fund",
            "Daily Money Market Fund",
        ),
        "merchant": ("an online shop", "Meituan", "Trip.com", "DiDi", "JD.com", "an overseas website"),
        "branch": (
            "Chaoyang sub-branch",
            "Pudong sub-branch",
            "Tianhe sub-branch",
            "West Lake sub-branch",
            "Nanshan sub-branch",
            "Hi-Tech Zone sub-branch",
        ),
        "app_error": (
            'says "network error, try again later"',
            "fails face recognition every time",
            "never sends the SMS code",
            "crashes on start since the update",
        ),
        "dept": (
            "the Credit Card Centre",
            "Operations",
            "Wealth Management",
            "Retail Lending",
            "E-Banking",
            "Personal Banking",
        ),
        "city": ("Chaoyang, Beijing", "Pudong, Shanghai", "Tianhe, Guangzhou", "Nanshan, Shenzhen", "Xihu, Hangzhou"),
        "fraudster": (
            "claiming to be customer service",
            "claiming to be a police officer",
            "claiming to be from a loan platform",
            "claiming to handle a parcel refund",
        ),
    },
}


@dataclass(frozen=True, slots=True)
class _Template:
    """One kind of contact, in both languages; ``{name}`` fields are filled per ticket."""

    key: str
    kind: Kind
    business: Business
    cause: Cause
    zh_subject: str
    zh_description: str
    en_subject: str
    en_description: str
    weight: float = 1.0
    urgent: bool = False
    dept: int | None = None  # index into the "dept" variables; None: random


_K, _B, _C = Kind, Business, Cause

TEMPLATES: tuple[_Template, ...] = (
    # --- consultations
    _Template(
        "deposit_rate",
        _K.CONSULTATION,
        _B.DEPOSIT,
        _C.OTHER,
        "咨询{months}个月定期存款利率",
        "客户想把{amount}元转存{months}个月定期，询问当前利率、起存金额及提前支取如何计息。",
        "{months}-month time deposit rate",
        "The customer wants to put CNY {amount} in a {months}-month deposit and asks about the current rate, th"
        "e minimum and early withdrawal interest.",
        weight=1.4,
    ),
    _Template(
        "fund_redemption_time",
        _K.CONSULTATION,
        _B.WEALTH_FUND,
        _C.PROCESS,
        "{product}赎回多久到账",
        "客户{date}赎回{product}约{amount}元，询问资金几个工作日到账、节假日是否顺延。",
        "When does the {product} redemption arrive?",
        "The customer redeemed about CNY {amount} of {product} on {date} and asks how many working days the mon"
        "ey takes and whether holidays delay it.",
        weight=1.3,
        dept=2,
    ),
    _Template(
        "installment_fee",
        _K.CONSULTATION,
        _B.CREDIT_CARD,
        _C.PRICING_FEES,
        "信用卡账单分期手续费咨询",
        "客户本期账单{amount}元，想分{months}期，询问每期手续费率、能否提前还清及提前还款是否收费。",
        "Credit card instalment fees",
        "The customer's statement is CNY {amount}; they want {months} instalments and ask the fee per period an"
        "d whether early repayment is charged.",
        weight=1.3,
        dept=0,
    ),
    _Template(
        "loan_progress",
        _K.CONSULTATION,
        _B.LOAN,
        _C.PROCESS,
        "查询{loan}审批进度",
        "客户{date}在{branch}提交{loan}申请，至今未收到审批结果，询问进度及还需补充哪些材料。",
        "Progress of my {loan} application",
        "The customer applied for a {loan} at the {branch} on {date}, has heard nothing yet and asks for the st"
        "atus and any missing documents.",
        weight=1.1,
        dept=3,
    ),
    _Template(
        "transfer_limit",
        _K.CONSULTATION,
        _B.PAYMENT,
        _C.OTHER,
        "手机银行转账限额咨询",
        "客户需向家人转账{amount}元，手机银行提示超出单日限额，询问如何调整限额。",
        "Mobile banking transfer limit",
        "The customer needs to send CNY {amount} to family; the app says it exceeds the daily limit. Asks how t"
        "o raise it.",
        weight=1.3,
        dept=4,
    ),
    _Template(
        "annual_fee_rule",
        _K.CONSULTATION,
        _B.CREDIT_CARD,
        _C.PRICING_FEES,
        "信用卡年费减免条件",
        "客户询问尾号{card4}信用卡年费{fee}元，刷卡几次可以免年费，积分能否抵扣。",
        "Credit card annual fee waiver",
        "The customer asks how many purchases waive the CNY {fee} annual fee on the card ending {card4}, and wh"
        "ether points can pay it.",
        dept=0,
    ),
    _Template(
        "product_risk",
        _K.CONSULTATION,
        _B.WEALTH_FUND,
        _C.DISCLOSURE,
        "{product}风险等级和收益咨询",
        "客户风险测评为稳健型，询问{product}的风险等级、业绩比较基准、是否保本。",
        "Risk level of {product}",
        "The customer's risk profile is balanced; asks the risk level and benchmark of {product} and whether th"
        "e capital is guaranteed.",
        dept=2,
    ),
    _Template(
        "mortgage_prepay",
        _K.CONSULTATION,
        _B.LOAN,
        _C.CONTRACT_TERMS,
        "房贷提前还款流程",
        "客户想提前归还房贷{amount}元，询问预约方式、是否收违约金、还款后月供如何变化。",
        "Prepaying my mortgage",
        "The customer wants to prepay CNY {amount} of the mortgage and asks how to book it, whether there is a "
        "penalty and how the instalment changes.",
        weight=1.1,
        dept=3,
    ),
    _Template(
        "fx_quota",
        _K.CONSULTATION,
        _B.FX,
        _C.OTHER,
        "个人购汇额度咨询",
        "客户孩子出国留学，需购汇约{usd}美元，询问年度便利化额度、所需材料及能否在手机银行办理。",
        "Buying foreign currency for tuition",
        "The customer needs about USD {usd} for a child's tuition abroad and asks about the annual quota, docum"
        "ents and doing it in the app.",
        weight=0.6,
    ),
    _Template(
        "gold_account",
        _K.CONSULTATION,
        _B.PRECIOUS_METALS,
        _C.PRODUCT_DESIGN,
        "积存金定投咨询",
        "客户询问积存金每月定投起点、手续费以及能否提取实物金条。",
        "Gold savings plan",
        "The customer asks about the minimum monthly amount of the gold savings plan, its fees and whether phys"
        "ical bars can be collected.",
        weight=0.5,
    ),
    _Template(
        "insurance_surrender",
        _K.CONSULTATION,
        _B.INSURANCE_AGENCY,
        _C.CONTRACT_TERMS,
        "代理保险退保损失咨询",
        "客户前年在{branch}购买的分红型保险想退保，询问现金价值、退保损失及办理渠道。",
        "Surrendering an insurance policy",
        "The customer bought a participating policy at the {branch} two years ago and asks about its cash value"
        ", the surrender loss and where to do it.",
        weight=0.6,
    ),
    _Template(
        "points",
        _K.CONSULTATION,
        _B.CREDIT_CARD,
        _C.OTHER,
        "信用卡积分兑换与有效期",
        "客户尾号{card4}信用卡积分即将到期，询问兑换里程或礼品的方法。",
        "Credit card points expiring",
        "Points on the card ending {card4} are about to expire; the customer asks how to exchange them for mile"
        "s or gifts.",
        weight=0.8,
    ),
    _Template(
        "branch_hours",
        _K.CONSULTATION,
        _B.OTHER,
        _C.OTHER,
        "{branch}周末营业时间",
        "客户周末想去{branch}办理业务，询问营业时间、是否需要预约以及可办理的业务范围。",
        "Weekend hours of the {branch}",
        "The customer wants to visit the {branch} at the weekend and asks the opening hours, whether to book an"
        "d what can be done there.",
        weight=0.8,
    ),
    _Template(
        "app_login",
        _K.CONSULTATION,
        _B.PAYMENT,
        _C.SYSTEM_FAILURE,
        "手机银行无法登录",
        "客户手机银行登录时{app_error}，已重启手机仍无法登录，询问处理办法。",
        "Cannot log in to the mobile app",
        "When logging in, the mobile app {app_error}; restarting the phone did not help. The customer asks what to do.",
        weight=1.4,
        dept=4,
    ),
    _Template(
        "fraud_call",
        _K.CONSULTATION,
        _B.PAYMENT,
        _C.DATA_SECURITY,
        "疑似诈骗电话：对方要求转账到“安全账户”",
        "客户接到{fraudster}的电话，对方准确说出其身份信息，要求将{amount}元转入“安全账户”。客户尚未转账，来电核实。",
        "Suspected fraud call asking for a transfer to a 'safe account'",
        "The customer got a call from someone {fraudster} who knew their personal details and asked them to mov"
        "e CNY {amount} to a 'safe account'. Nothing sent yet; calling to check.",
        weight=0.5,
        urgent=True,
    ),
    # --- complaints
    _Template(
        "fee_complaint",
        _K.COMPLAINT,
        _B.DEPOSIT,
        _C.PRICING_FEES,
        "投诉被扣小额账户管理费",
        "客户反映尾号{card4}账户连续被扣小额账户管理费，开户时未被告知，要求退还并取消收费。",
        "Complaint: small-balance account fee charged",
        "The customer says the account ending {card4} keeps being charged a small-balance fee they were never t"
        "old about, and wants it refunded and stopped.",
        weight=1.2,
        dept=5,
    ),
    _Template(
        "transfer_failed",
        _K.COMPLAINT,
        _B.PAYMENT,
        _C.SYSTEM_FAILURE,
        "转账失败但资金已扣款",
        "客户{date}通过手机银行转账{amount}元，页面显示失败，但账户余额已扣减，至今未退回。",
        "Transfer failed but the money left my account",
        "On {date} the customer sent CNY {amount} in the app; it showed failed, yet the balance was debited and"
        " nothing has come back.",
        weight=1.3,
        dept=1,
    ),
    _Template(
        "redemption_delay",
        _K.COMPLAINT,
        _B.WEALTH_FUND,
        _C.PROCESS,
        "投诉基金赎回款迟迟未到账",
        "客户{date}赎回{product}，已超过承诺的到账时间{days}天仍未收到{amount}元，影响其还款计划。",
        "Complaint: fund redemption money is late",
        "The customer redeemed {product} on {date}; the CNY {amount} is {days} days past the promised date and "
        "they need it for a repayment.",
        weight=1.1,
        dept=2,
    ),
    _Template(
        "wealth_loss",
        _K.COMPLAINT,
        _B.WEALTH_FUND,
        _C.SALES_PRACTICE,
        "理财产品亏损，投诉销售时未充分揭示风险",
        "客户在{branch}购买{product}{amount}元，目前亏损约{pct}%。客户称理财经理承诺“保本稳赚”，未进行双录，要求赔偿。",
        "Complaint: loss on a wealth product sold as safe",
        "The customer put CNY {amount} into {product} at the {branch} and is down about {pct}%. They say the ad"
        "viser promised it was capital-safe and no recording was made; they want compensation.",
        weight=1.0,
        dept=2,
    ),
    _Template(
        "annual_fee_complaint",
        _K.COMPLAINT,
        _B.CREDIT_CARD,
        _C.PRICING_FEES,
        "投诉未激活信用卡被收取年费",
        "客户称尾号{card4}信用卡从未激活，却被收取年费{fee}元并产生逾期记录，要求撤销年费和征信记录。",
        "Complaint: annual fee on a card never activated",
        "The customer never activated the card ending {card4} but was charged a CNY {fee} annual fee and marked"
        " overdue; wants both reversed.",
        weight=1.0,
        dept=0,
    ),
    _Template(
        "collection",
        _K.COMPLAINT,
        _B.CREDIT_CARD,
        _C.DEBT_COLLECTION,
        "投诉催收人员频繁联系家人",
        "客户信用卡逾期{days}天，称催收人员每天多次致电其父母和同事，言语不当，要求停止骚扰。",
        "Complaint: collectors keep calling my family",
        "The card is {days} days overdue; the customer says collectors call their parents and colleagues severa"
        "l times a day and are rude, and wants it stopped.",
        weight=0.8,
        dept=0,
    ),
    _Template(
        "teller_attitude",
        _K.COMPLAINT,
        _B.DEPOSIT,
        _C.SERVICE_ATTITUDE,
        "投诉{branch}柜员服务态度差",
        "客户{date}在{branch}办理业务排队{minutes}分钟，柜员态度冷淡、不耐烦，客户要求道歉。",
        "Complaint: rude teller at the {branch}",
        "On {date} the customer queued {minutes} minutes at the {branch}; the teller was curt and impatient. Th"
        "e customer wants an apology.",
        weight=1.0,
        dept=5,
    ),
    _Template(
        "app_outage_overdue",
        _K.COMPLAINT,
        _B.CREDIT_CARD,
        _C.SYSTEM_FAILURE,
        "手机银行故障导致还款失败产生逾期",
        "客户还款日当天手机银行{app_error}，未能按时还款，被收取违约金并影响征信，要求减免。",
        "App failure made my repayment late",
        "On the due date the app {app_error}, so the repayment failed; a late fee was charged and the credit re"
        "cord hit. The customer wants them waived.",
        weight=0.9,
        dept=4,
    ),
    _Template(
        "data_leak",
        _K.COMPLAINT,
        _B.OTHER,
        _C.DATA_SECURITY,
        "怀疑个人信息泄露，频繁接到推销电话",
        "客户在本行办理{loan}后频繁接到贷款和理财推销电话，对方知道其姓名和账户信息，怀疑信息泄露。",
        "Suspected data leak: constant sales calls",
        "Since taking a {loan} with us the customer gets constant sales calls from people who know their name a"
        "nd account details, and suspects a leak.",
        weight=0.7,
        dept=5,
    ),
    _Template(
        "insurance_misselling",
        _K.COMPLAINT,
        _B.INSURANCE_AGENCY,
        _C.SALES_PRACTICE,
        "投诉存款被误导购买保险",
        "客户称在{branch}办理定期存款时，被引导购买了{years}年期分红保险{amount}元，直到现在才发现，要求全额退保。",
        "Complaint: deposit turned into an insurance policy",
        "The customer went to the {branch} for a time deposit but was steered into a {years}-year participating"
        " policy of CNY {amount}; only noticed now and wants a full refund.",
        weight=0.7,
        dept=5,
    ),
    _Template(
        "prepay_penalty",
        _K.COMPLAINT,
        _B.LOAN,
        _C.CONTRACT_TERMS,
        "投诉提前还款被收取违约金",
        "客户提前归还{loan}{amount}元，被收取违约金，称签约时未被告知该条款。",
        "Complaint: penalty for repaying a loan early",
        "The customer repaid CNY {amount} of a {loan} early and was charged a penalty they say was never explai"
        "ned at signing.",
        weight=0.7,
        dept=3,
    ),
    _Template(
        "hotline_wait",
        _K.COMPLAINT,
        _B.OTHER,
        _C.SERVICE_ATTITUDE,
        "投诉客服热线等待时间过长",
        "客户{date}拨打客服热线，排队等待{minutes}分钟仍未接通，转人工后被多次转接。",
        "Complaint: long waits on the hotline",
        "On {date} the customer waited {minutes} minutes on the hotline without getting through, then was trans"
        "ferred several times.",
        weight=0.8,
    ),
    _Template(
        "card_frozen",
        _K.COMPLAINT,
        _B.BANK_CARD,
        _C.PROCESS,
        "银行卡被冻结无法收工资",
        "客户尾号{card4}银行卡被风控冻结，无法收取工资，多次到{branch}未能解冻，要求尽快处理。",
        "Card frozen, salary cannot come in",
        "The card ending {card4} was frozen by risk control and the salary cannot be paid in; several visits to"
        " the {branch} did not unfreeze it.",
        weight=1.0,
        dept=1,
    ),
    _Template(
        "unknown_transaction",
        _K.COMPLAINT,
        _B.CREDIT_CARD,
        _C.DATA_SECURITY,
        "信用卡出现不明交易，疑似盗刷",
        "客户发现尾号{card4}信用卡{date}在{merchant}有{amount}元交易，本人未操作，卡片在身边，疑似盗刷。",
        "Unknown charges on my credit card (suspected fraud)",
        "The customer found a CNY {amount} charge at {merchant} on {date} on the card ending {card4}; they did "
        "not make it and still hold the card.",
        weight=0.5,
        urgent=True,
        dept=0,
    ),
    # --- suggestions
    _Template(
        "app_export",
        _K.SUGGESTION,
        _B.PAYMENT,
        _C.PRODUCT_DESIGN,
        "建议手机银行增加账单导出功能",
        "客户建议手机银行支持按月导出交易明细为PDF或Excel，方便报销和记账。",
        "Suggestion: export statements from the app",
        "The customer suggests the app export monthly transactions as PDF or Excel for expenses and bookkeeping.",
        dept=4,
    ),
    _Template(
        "queue_reminder",
        _K.SUGGESTION,
        _B.OTHER,
        _C.PROCESS,
        "建议{branch}增加排队叫号短信提醒",
        "客户建议网点排队时可通过短信或微信提醒叫号，避免在大厅长时间等候。",
        "Suggestion: queue reminders at the {branch}",
        "The customer suggests SMS or WeChat alerts when their number is near so they need not wait in the hall.",
        weight=0.8,
    ),
    _Template(
        "elderly_line",
        _K.SUGGESTION,
        _B.OTHER,
        _C.SERVICE_ATTITUDE,
        "建议开设老年客户专线",
        "客户家中老人使用热线时听不清语音菜单，建议开设老年人一键转人工服务。",
        "Suggestion: a hotline for elderly customers",
        "The customer's elderly parents cannot follow the voice menu and suggests a one-key route to a person.",
        weight=0.8,
    ),
    _Template(
        "nav_push",
        _K.SUGGESTION,
        _B.WEALTH_FUND,
        _C.DISCLOSURE,
        "建议每日推送理财产品净值",
        "客户持有{product}，建议每日推送净值变化和持仓收益，方便及时了解风险。",
        "Suggestion: daily NAV notices",
        "The customer holds {product} and suggests daily notices of NAV changes and returns to see the risk in time.",
        weight=0.7,
        dept=2,
    ),
    # --- business assistance
    _Template(
        "card_loss",
        _K.BUSINESS,
        _B.BANK_CARD,
        _C.OTHER,
        "银行卡挂失",
        "客户尾号{card4}借记卡遗失，要求立即办理挂失并咨询补卡所需材料。",
        "Report a lost debit card",
        "The customer lost the debit card ending {card4}, wants it blocked at once and asks what is needed for "
        "a new one.",
        weight=1.4,
        dept=1,
    ),
    _Template(
        "unfreeze",
        _K.BUSINESS,
        _B.DEPOSIT,
        _C.PROCESS,
        "账户解冻申请",
        "客户账户因长期不动户被限制非柜面交易，申请解除限制，需核实身份并提供用途说明。",
        "Unfreeze a dormant account",
        "The account was restricted for being dormant; the customer asks to lift it. Identity check and a note "
        "on the purpose are needed.",
        dept=1,
    ),
    _Template(
        "password_reset",
        _K.BUSINESS,
        _B.BANK_CARD,
        _C.OTHER,
        "银行卡密码重置",
        "客户多次输错密码导致尾号{card4}的卡被锁，申请重置密码，询问能否线上办理。",
        "Reset a card PIN",
        "Too many wrong PINs locked the card ending {card4}; the customer asks for a reset and whether it can b"
        "e done online.",
        weight=1.3,
        dept=1,
    ),
    _Template(
        "address_change",
        _K.BUSINESS,
        _B.OTHER,
        _C.OTHER,
        "变更通讯地址",
        "客户搬家至{city}，申请变更账户和信用卡账单的通讯地址。",
        "Change my mailing address",
        "The customer moved to {city} and wants the mailing address on the account and card statements updated.",
        dept=1,
    ),
    _Template(
        "installment_apply",
        _K.BUSINESS,
        _B.CREDIT_CARD,
        _C.OTHER,
        "办理信用卡账单分期",
        "客户申请将本期账单{amount}元分{months}期，需确认手续费并签署分期协议。",
        "Set up a statement instalment plan",
        "The customer asks to split this statement's CNY {amount} into {months} instalments; fees to confirm an"
        "d the agreement to sign.",
        weight=1.1,
        dept=0,
    ),
    _Template(
        "loan_apply",
        _K.BUSINESS,
        _B.LOAN,
        _C.OTHER,
        "{loan}申请材料预审",
        "客户准备申请{loan}{amount}元，需要协助准备收入证明、征信授权等材料并预审完整性。",
        "Documents for a {loan} application",
        "The customer plans to apply for a CNY {amount} {loan} and needs help preparing income proof and the cr"
        "edit-check consent.",
        dept=3,
    ),
    _Template(
        "fund_account",
        _K.BUSINESS,
        _B.WEALTH_FUND,
        _C.OTHER,
        "开立基金交易账户",
        "客户希望购买{product}，需开立基金交易账户并完成风险测评。",
        "Open a fund trading account",
        "The customer wants to buy {product} and needs a fund trading account and a risk assessment.",
        weight=0.8,
        dept=2,
    ),
    _Template(
        "phone_change",
        _K.BUSINESS,
        _B.BANK_CARD,
        _C.OTHER,
        "变更预留手机号",
        "客户原手机号已停用，申请将预留手机号变更为{phone}，需本人持身份证办理。",
        "Change the phone number on record",
        "The customer's old number is gone; they ask to change the number on record to {phone}. Must be done in"
        " person with ID.",
        dept=1,
    ),
    _Template(
        "phishing_freeze",
        _K.BUSINESS,
        _B.BANK_CARD,
        _C.DATA_SECURITY,
        "点击钓鱼链接后申请紧急冻结银行卡",
        "客户点击了冒充本行的短信链接并输入了卡号和验证码，担心资金被盗，申请立即冻结尾号{card4}的卡。",
        "Urgent card freeze after a phishing link",
        "The customer clicked an SMS link posing as the bank and typed the card number and code; fears theft an"
        "d wants the card ending {card4} frozen now.",
        weight=0.4,
        urgent=True,
        dept=1,
    ),
    # --- callbacks
    _Template(
        "complaint_followup",
        _K.CALLBACK,
        _B.OTHER,
        _C.OTHER,
        "投诉处理结果回访",
        "按计划回访客户，确认对此前投诉的处理结果是否满意，并记录满意度。",
        "Follow-up call on a complaint",
        "Scheduled call to check the customer is satisfied with how the earlier complaint was handled; record s"
        "atisfaction.",
        weight=1.3,
    ),
    _Template(
        "satisfaction_survey",
        _K.CALLBACK,
        _B.OTHER,
        _C.OTHER,
        "服务满意度回访",
        "对近期来电客户进行满意度回访（1–5分），收集改进意见。",
        "Satisfaction survey call",
        "Survey call (1–5) to a customer who contacted us recently; collect suggestions.",
        weight=1.2,
    ),
    _Template(
        "vip_care",
        _K.CALLBACK,
        _B.WEALTH_FUND,
        _C.OTHER,
        "重点客户关怀回访",
        "重点客户持有的{product}即将到期，回访告知到期安排并了解后续需求。",
        "Key-customer care call",
        "The key customer's {product} matures soon; call to explain the maturity and ask about next steps.",
        weight=0.7,
    ),
    _Template(
        "progress_notice",
        _K.CALLBACK,
        _B.LOAN,
        _C.OTHER,
        "业务办理进度告知",
        "告知客户{loan}申请的最新进度及下一步需要配合的事项。",
        "Business progress call",
        "Tell the customer the latest on the {loan} application and what they need to do next.",
        weight=0.8,
        dept=3,
    ),
)

_AMOUNTS = (200, 500, 1280, 3000, 5000, 8800, 12000, 20000, 50000, 100000)
_LOANS = {
    "zh-CN": ("个人消费贷款", "经营贷款", "住房贷款", "车贷"),
    "en": ("personal loan", "business loan", "mortgage", "car loan"),
}

_KIND_MIX = (
    (Kind.CONSULTATION, 0.55),
    (Kind.COMPLAINT, 0.18),
    (Kind.SUGGESTION, 0.07),
    (Kind.BUSINESS, 0.12),
    (Kind.CALLBACK, 0.08),
)
_CHANNEL_MIX: dict[Kind, tuple[tuple[Channel, float], ...]] = {
    Kind.COMPLAINT: (
        (Channel.PHONE, 0.50),
        (Channel.CHAT, 0.14),
        (Channel.SOCIAL, 0.08),
        (Channel.EMAIL, 0.08),
        (Channel.WALK_IN, 0.06),
        (Channel.LETTER, 0.04),
        (Channel.REGULATOR, 0.10),
    ),
    Kind.CALLBACK: ((Channel.PHONE, 0.88), (Channel.EMAIL, 0.07), (Channel.CHAT, 0.05)),
}
_DEFAULT_CHANNELS = (
    (Channel.PHONE, 0.52),
    (Channel.CHAT, 0.22),
    (Channel.SOCIAL, 0.10),
    (Channel.EMAIL, 0.07),
    (Channel.WALK_IN, 0.07),
    (Channel.LETTER, 0.02),
)
_LIVE_CHANNELS = frozenset({Channel.PHONE, Channel.CHAT, Channel.WALK_IN})

# ------------------------------------------------------------------ handling notes

_NOTES: dict[str, dict[str, tuple[str, ...]]] = {
    "zh-CN": {
        "answered": (
            "已核实客户身份，按知识库说明解答，客户表示清楚。",
            "已根据知识库文章向客户说明办理流程和注意事项，客户无其他疑问。",
            "已解答，并通过短信发送相关说明链接。",
            "客户问题已解答，提醒客户可通过手机银行自助查询。",
        ),
        "ask_dept": (
            "知识库无相关答复，已详细记录问题并咨询{dept}，承诺{hours}小时内回复客户。",
            "需{dept}确认，已提交内部协查单，告知客户{hours}小时内回电。",
        ),
        "dept_reply": (
            "{dept}已回复，已电话告知客户处理结果，客户认可。",
            "收到{dept}答复并回电客户说明，已登记知识库缺口以便补充文章。",
        ),
        "complaint_record": (
            "已耐心倾听并详细记录投诉内容，安抚客户情绪，承诺{days}日内答复。",
            "客户情绪激动，已致歉并记录诉求，告知处理时限为15日，并提交主管。",
            "已受理投诉，核实客户身份及交易信息，承诺在{days}个自然日内给出处理意见。",
        ),
        "complaint_group": (
            "已组建处理小组（客服中心、{dept}），明确牵头人和处理时限。",
            "已转{dept}调查，要求{days}日内反馈原因分析和处理方案。",
        ),
        "complaint_finding": (
            "{dept}反馈：经核查情况属实，同意按规定退还相关费用，已向客户说明依据。",
            "{dept}调查完毕：系统日志显示交易异常，款项将于3个工作日内退回。",
            "经核查，业务办理符合规定，已向客户解释原因并告知其复议、调解及12378投诉渠道。",
            "{dept}反馈：已对相关人员进行批评教育，向客户致歉并给予积分补偿。",
        ),
        "complaint_close": (
            "已书面告知处理决定及救济途径，客户表示接受。根因：{cause}。",
            "回访客户，客户对处理结果满意。根因：{cause}。",
        ),
        "business_docs": (
            "已向客户说明办理流程、所需材料和注意事项，待客户补充材料。",
            "已按清单核对材料，缺少身份证复印件，已提醒客户补充。",
        ),
        "business_review": (
            "材料预审完整，已提交{dept}办理。",
            "已完成材料完整性预审并转{dept}，将跟踪进度并及时告知客户。",
        ),
        "business_done": (
            "{dept}已办理完成，已通知客户并指导后续使用。",
            "业务已办结，短信告知客户，客户确认收到。",
        ),
        "suggestion": (
            "已记录建议并归类，转交{dept}评估。",
            "已感谢客户建议，登记后转{dept}。",
        ),
        "suggestion_ack": (
            "{dept}已确认收到建议并纳入评估，已告知客户。",
            "已回复客户：建议已被采纳评估，感谢支持。",
        ),
        "callback_try": (
            "回访未接通，计划次日再次联系。",
            "客户表示正在开会，约定稍后回电。",
        ),
        "callback_done": (
            "回访已接通，客户满意度评分{score}分，无其他诉求。",
            "已完成回访，客户对处理结果满意（{score}分），已记录反馈。",
            "回访完成，客户提出改进意见，已转相关部门，满意度{score}分。",
        ),
        "fraud": (
            "已提示诈骗风险，告知银行不会要求转账到“安全账户”，建议立即冻结卡片并报警。",
            "紧急处理：已协助客户临时冻结卡片，并上报风险管理部。",
        ),
        "fraud_done": (
            "风险管理部已核实，卡片已冻结，未发生资金损失，已告知客户补卡流程。",
            "已确认账户安全，客户已向公安机关报案，提醒其提高防范意识。",
        ),
        "reopen": (
            "客户对处理结果不满意，要求重新处理。",
            "客户来电称问题未解决，重新打开工单。",
            "补充新的情况说明，需进一步核实。",
        ),
        "qa": (
            "质检抽查：问候、身份核实规范，记录完整，评分{score}。",
            "质检抽查：解答准确，结束语缺失，评分{score}，已反馈坐席。",
        ),
        "waiting_customer": (
            "已请客户补充交易截图，等待客户回复。",
            "客户需确认方案，等待客户答复。",
        ),
        "customer_back": (
            "客户已补充材料，继续处理。",
            "客户回电确认，继续跟进。",
        ),
    },
    "en": {
        "answered": (
            "Identity verified; answered from the knowledge base, customer is clear.",
            "Explained the process and cautions per the KB article; no further questions.",
            "Answered and sent the help link by SMS.",
            "Answered; reminded the customer the app can show this self-service.",
        ),
        "ask_dept": (
            "No KB answer. Recorded the question in detail and asked {dept}; promised a reply within {hours} h.",
            "Needs confirmation from {dept}; internal request filed, will call back within {hours} h.",
        ),
        "dept_reply": (
            "{dept} replied; called the customer with the answer, customer accepts.",
            "Got {dept}'s answer and called back; logged a KB gap so the article gets added.",
        ),
        "complaint_record": (
            "Listened and recorded the complaint in detail, calmed the customer, promised a reply within {days} days.",
            "Customer upset; apologised, recorded the request, explained the 15-day limit, told the supervisor.",
            "Complaint accepted; identity and transaction checked; decision promised within {days} calendar days.",
        ),
        "complaint_group": (
            "Handling group formed (service centre, {dept}); owner and deadline set.",
            "Passed to {dept} for investigation; cause analysis and remedy due within {days} days.",
        ),
        "complaint_finding": (
            "{dept}: complaint founded; fees will be refunded under the rules; basis explained to the customer.",
            "{dept}: system logs show a failed transaction; the money returns within 3 working days.",
            "Checked: handled per the rules; explained to the customer with review, mediation and 12378 options.",
            "{dept}: staff concerned were counselled; apologised to the customer and credited bonus points.",
        ),
        "complaint_close": (
            "Decision and remedies sent in writing; customer accepts. Root cause: {cause}.",
            "Follow-up call: customer satisfied with the outcome. Root cause: {cause}.",
        ),
        "business_docs": (
            "Explained the process, documents and cautions; waiting for the customer's documents.",
            "Checked the documents against the list; ID copy missing, customer reminded.",
        ),
        "business_review": (
            "Pre-review complete; passed to {dept}.",
            "Documents complete; sent to {dept}, will track progress and keep the customer informed.",
        ),
        "business_done": (
            "{dept} completed it; customer notified and shown the next steps.",
            "Done; customer informed by SMS and confirmed.",
        ),
        "suggestion": (
            "Suggestion recorded and categorised; passed to {dept}.",
            "Thanked the customer; logged and forwarded to {dept}.",
        ),
        "suggestion_ack": (
            "{dept} acknowledged the suggestion and will assess it; customer told.",
            "Told the customer the suggestion is under review; thanked them.",
        ),
        "callback_try": (
            "No answer on the callback; will try again tomorrow.",
            "Customer in a meeting; agreed to call back later.",
        ),
        "callback_done": (
            "Reached the customer; satisfaction {score}/5, nothing else needed.",
            "Callback done; customer satisfied with the outcome ({score}/5), feedback logged.",
            "Callback done; customer suggested improvements, passed on; satisfaction {score}/5.",
        ),
        "fraud": (
            "Fraud warning: we never ask for transfers to a 'safe account'; advised a card freeze and a police report.",
            "Urgent: helped the customer freeze the card temporarily; escalated to Risk Management.",
        ),
        "fraud_done": (
            "Risk Management confirmed: card frozen, no money lost; customer told how to get a new card.",
            "Account confirmed safe; customer has reported to the police; reminded of fraud precautions.",
        ),
        "reopen": (
            "Customer is not satisfied with the outcome and asks for another look.",
            "Customer called back: the problem is not solved; reopening.",
            "New facts supplied; needs further checking.",
        ),
        "qa": (
            "QA spot check: greeting and identity check correct, record complete, score {score}.",
            "QA spot check: accurate answer, closing script missing, score {score}; feedback given.",
        ),
        "waiting_customer": (
            "Asked the customer for a screenshot of the transaction; waiting.",
            "Customer needs to confirm the proposal; waiting for their answer.",
        ),
        "customer_back": (
            "Customer sent the documents; continuing.",
            "Customer called back to confirm; following up.",
        ),
    },
}

_CAUSE_TEXT = {
    "zh-CN": {
        Cause.SERVICE_ATTITUDE: "服务态度",
        Cause.PROCESS: "流程环节",
        Cause.PRICING_FEES: "收费定价",
        Cause.PRODUCT_DESIGN: "产品设计",
        Cause.DISCLOSURE: "信息披露",
        Cause.SALES_PRACTICE: "营销行为",
        Cause.CONTRACT_TERMS: "合同条款",
        Cause.DEBT_COLLECTION: "债务催收",
        Cause.DATA_SECURITY: "信息安全",
        Cause.SYSTEM_FAILURE: "系统故障",
        Cause.OTHER: "其他",
    },
    "en": {c: c.value.replace("_", " ") for c in Cause},
}

# ------------------------------------------------------------------ arrival profile


_BUCKET = timedelta(minutes=15)


def _arrivals(rng: random.Random, start: datetime, now: datetime, count: int) -> list[datetime]:
    """``count`` sorted arrival times in [start, now), shaped by day of week and hour."""
    first = start.astimezone(CHINA).replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    buckets: list[datetime] = []
    cumulative: list[float] = []
    total = 0.0
    day_noise: dict[date, float] = {}
    at = first
    while at < now:
        local = at.astimezone(CHINA)
        noise = day_noise.setdefault(local.date(), rng.uniform(0.9, 1.1))
        overlap = (min(at + _BUCKET, now) - max(at, start)) / _BUCKET
        if overlap > 0:
            hour = local.hour + local.minute / 60 + 0.125
            total += DAY_FACTOR[local.weekday()] * noise * hour_weight(hour) * overlap
            buckets.append(at)
            cumulative.append(total)
        at += _BUCKET
    times: list[datetime] = []
    latest = now - timedelta(seconds=90)
    for _ in range(count):
        index = min(bisect.bisect_left(cumulative, rng.random() * total), len(buckets) - 1)
        low = max(buckets[index], start)
        high = min(buckets[index] + _BUCKET, latest)
        span = max(int((high - low).total_seconds()), 1)
        times.append(low + timedelta(seconds=rng.randrange(span)))
    times.sort()
    return times


# ------------------------------------------------------------------ working hours


def _desk_time(at: datetime, rng: random.Random) -> datetime:
    """``at`` if the desk is staffed then (08:30–20:00 local, every day), else the next opening."""
    local = at.astimezone(CHINA)
    opening = local.replace(hour=8, minute=30, second=0, microsecond=0)
    closing = local.replace(hour=20, minute=0, second=0, microsecond=0)
    if opening <= local < closing:
        return at
    if local >= closing:
        opening += timedelta(days=1)
    return (opening + timedelta(seconds=rng.randrange(60, 1500))).astimezone(UTC)


def _office_time(at: datetime, rng: random.Random) -> datetime:
    """``at`` if back-office departments work then (Mon–Fri 09:00–17:30 local), else the next opening."""
    local = at.astimezone(CHINA)
    opening = local.replace(hour=9, minute=0, second=0, microsecond=0)
    closing = local.replace(hour=17, minute=30, second=0, microsecond=0)
    if local.weekday() < 5 and opening <= local < closing:
        return at
    if local >= closing or local.weekday() >= 5:
        opening += timedelta(days=1)
    while opening.weekday() >= 5:
        opening += timedelta(days=1)
    return (opening + timedelta(seconds=rng.randrange(300, 5400))).astimezone(UTC)


# ------------------------------------------------------------------ planning


@dataclass(slots=True)
class _Customer:
    id: str
    at: datetime
    language: str
    vip: bool
    phone: str
    card_no: str | None


class _Life:
    """The events of one ticket, built in time order through the status machine."""

    def __init__(self, plan: _Planner, ticket_id: str, at: datetime, language: str, channel: Channel) -> None:
        self.plan = plan
        self.ticket_id = ticket_id
        self.arrived = at
        self.at = at
        self.channel = channel
        self.language = language
        self.status = Status.NEW
        self.events: list[PlannedEvent] = []

    def wait(self, seconds: float, *, office: bool = False, desk: bool = True) -> datetime:
        """Move this ticket's time on by ``seconds`` (at least 1 s), into working hours."""
        rng = self.plan.rng
        at = self.at + timedelta(seconds=max(1, int(seconds)))
        if office:
            at = _office_time(at, rng)
        elif desk:
            at = _desk_time(at, rng)
        self.at = at
        return at

    def emit(self, actor: str, kind: str, payload: dict[str, Any]) -> None:
        """Record an event at the ticket's current time."""
        self.events.append(PlannedEvent(self.at, actor, "ticket", self.ticket_id, kind, payload))

    def move(self, actor: str, to: Status) -> None:
        """Change status along an allowed transition."""
        check_transition(self.status, to)
        self.emit(actor, "ticket.status_changed", {"from": self.status.value, "to": to.value})
        self.status = to

    def reopen(self, actor: str) -> None:
        """Reopen a resolved or closed ticket with a reason."""
        assert can_reopen(self.status)
        self.emit(actor, "ticket.reopened", {"reason": self.plan.pick_note(self.language, "reopen")})
        self.status = Status.OPEN

    def note(self, actor: str, key: str, **values: Any) -> None:
        """Add a handling note."""
        body = self.plan.pick_note(self.language, key, **values)
        self.emit(actor, "ticket.note_added", {"note_id": self.plan.note_ids(self.at), "body": body})


class _Planner:
    """Builds the whole demo history as planned events (no database access)."""

    def __init__(self, desk_id: str, seed: int, size: DemoSize, now: datetime) -> None:
        self.desk_id = desk_id
        self.size = size
        self.now = now
        self.start = now - timedelta(days=size.days)
        self.rng = random.Random(seed)
        self.fakers = {"zh-CN": Faker("zh_CN"), "en": Faker("en_US")}
        for offset, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed * 2 + offset)
        self.entity_ids = _Uuid7(self.rng, monotonic=True)
        self.note_ids = _Uuid7(self.rng, monotonic=False)
        self.customers: list[_Customer] = []
        self.events: list[PlannedEvent] = []
        self.templates: dict[str, str] = {}  # ticket id -> template key (business cases follow some)

    # -- helpers
    def pick_note(self, language: str, key: str, **values: Any) -> str:
        """A handling note of ``key`` in ``language`` with its blanks filled."""
        text = self.rng.choice(_NOTES[language][key])
        return text.format(**values) if values else text

    def _weighted(self, pairs: Sequence[tuple[Any, float]]) -> Any:
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights)[0]

    # -- users
    def users(self) -> None:
        """Staff records, created before any other history."""
        at = (self.start - timedelta(days=75)).astimezone(CHINA).replace(hour=9, minute=0, second=0, microsecond=0)
        for number, (user_id, name, role, team) in enumerate(DEMO_USERS, start=1):
            actor = user_id if user_id == SUPERVISOR else SUPERVISOR
            staff_no = str(1020 + number)  # li.na, the trainee, is 1024
            payload = {"name": name, "role": role, "team": team, "staff_no": staff_no, "active": True}
            self.events.append(PlannedEvent(at.astimezone(UTC), actor, "user", user_id, "user.created", payload))
            at += timedelta(minutes=self.rng.randrange(2, 9))

    # -- customers
    def make_customers(self) -> None:
        """Customers with valid identifiers; most exist before the ticket window."""
        rng = self.rng
        earliest = self.start - timedelta(days=60)
        times = []
        for _ in range(self.size.customers):
            if rng.random() < 0.06:
                at = self.start + timedelta(
                    seconds=rng.randrange(max(1, int((self.now - self.start).total_seconds()) - 3600))
                )
            else:
                at = earliest + timedelta(seconds=rng.randrange(int((self.start - earliest).total_seconds()) - 3600))
            times.append(_desk_time(at, rng))
        times.sort()
        phones: set[str] = set()
        numbers: set[str] = set()
        front_line = AGENTS + tuple(SPECIALTY)
        for at in times:
            language = "zh-CN" if rng.random() < 0.75 else "en"
            faker = self.fakers[language]
            name = faker.name()
            phone = _phone(rng)
            while phone in phones:
                phone = _phone(rng)
            phones.add(phone)
            has_id = rng.random() < (0.93 if language == "zh-CN" else 0.35)
            id_number = _id_number(rng) if has_id else None
            card_no = None
            if rng.random() < 0.85:
                card_no = _card_number(rng)
                while card_no in numbers:
                    card_no = _card_number(rng)
                numbers.add(card_no)
            account_no = _account_number(rng)
            while account_no in numbers:
                account_no = _account_number(rng)
            numbers.add(account_no)
            vip = rng.random() < 0.05
            customer_id = self.entity_ids(at)
            payload = {
                "name": name,
                "phone": phone,
                "id_number": id_number,
                "account_no": account_no,
                "card_no": card_no,
                "vip": vip,
                "language": language,
            }
            self.events.append(
                PlannedEvent(at, rng.choice(front_line), "customer", customer_id, "customer.created", payload)
            )
            self.customers.append(_Customer(customer_id, at, language, vip, phone, card_no))

    def _customer_for(self, at: datetime, weights: list[float], created: list[datetime]) -> _Customer | None:
        """A customer who already exists at ``at``; heavy users and VIPs call more often."""
        limit = bisect.bisect_left(created, at - timedelta(minutes=5))
        if limit == 0:
            return None
        index = bisect.bisect_left(weights, self.rng.random() * weights[limit - 1], hi=limit)
        return self.customers[min(index, limit - 1)]

    # -- tickets
    def _fill(self, template: _Template, language: str, at: datetime, customer: _Customer | None) -> tuple[str, str]:
        rng = self.rng
        variables = _VARS[language]
        local_day = (at.astimezone(CHINA) - timedelta(days=rng.randrange(1, 12))).date()
        values = {name: rng.choice(options) for name, options in variables.items()}
        if template.dept is not None:
            values["dept"] = variables["dept"][template.dept]
        values.update(
            amount=f"{rng.choice(_AMOUNTS) + rng.randrange(0, 100) * 10:,}",
            months=rng.choice((3, 6, 12, 24)),
            fee=rng.choice((80, 100, 200, 300, 600)),
            card4=(customer.card_no[-4:] if customer and customer.card_no else f"{rng.randrange(10000):04d}"),
            date=f"{local_day.month}月{local_day.day}日" if language == "zh-CN" else f"{local_day:%d %b}",
            days=rng.randrange(3, 40),
            minutes=rng.choice((25, 40, 50, 60, 90)),
            pct=rng.randrange(5, 28),
            usd=f"{rng.randrange(2, 5) * 10_000:,}",
            years=rng.choice((5, 10, 20)),
            loan=rng.choice(_LOANS[language]),
            phone=_phone(rng),
        )
        subject = (template.zh_subject if language == "zh-CN" else template.en_subject).format(**values)
        description = (template.zh_description if language == "zh-CN" else template.en_description).format(**values)
        if customer and rng.random() < 0.3:
            description += (
                f" 联系电话：{customer.phone}。" if language == "zh-CN" else f" Contact phone: {customer.phone}."
            )
        return subject, description

    def _assignee(self, template: _Template) -> str:
        rng = self.rng
        if template.kind is Kind.COMPLAINT and rng.random() < 0.45:
            return "zhou.min"
        if template.business in ACCOUNT_BUSINESSES and template.kind is Kind.BUSINESS and rng.random() < 0.4:
            return "sun.li"
        if template.kind is Kind.CONSULTATION and rng.random() < 0.2:
            return "huang.tao"
        return rng.choice(AGENTS)

    def tickets(self) -> None:
        """Every ticket and its life up to ``now``."""
        rng = self.rng
        weights: list[float] = []
        total = 0.0
        for customer in self.customers:
            total += rng.paretovariate(1.6) * (2.5 if customer.vip else 1.0)
            weights.append(total)
        created = [customer.at for customer in self.customers]
        by_kind: dict[Kind, list[_Template]] = {}
        for template in TEMPLATES:
            by_kind.setdefault(template.kind, []).append(template)
        arrivals = _arrivals(rng, self.start, self.now, self.size.tickets)
        lives: list[_Life] = []
        for number, at in enumerate(arrivals, start=1):
            kind = self._weighted(_KIND_MIX)
            options = by_kind[kind]
            template = rng.choices(options, weights=[t.weight for t in options])[0]
            channel = self._weighted(_CHANNEL_MIX.get(kind, _DEFAULT_CHANNELS))
            if template.urgent and channel not in _LIVE_CHANNELS:
                channel = Channel.PHONE
            customer = self._customer_for(at, weights, created) if rng.random() > 0.02 else None
            language = customer.language if customer else ("zh-CN" if rng.random() < 0.8 else "en")
            priority = self._priority(template, channel, customer)
            subject, description = self._fill(template, language, at, customer)
            assignee = self._assignee(template)
            live = channel in _LIVE_CHANNELS
            creator = assignee if live else rng.choice(AGENTS)
            ticket_id = self.entity_ids(at)
            self.templates[ticket_id] = template.key
            life = _Life(self, ticket_id, at, language, channel)
            life.emit(
                creator,
                "ticket.created",
                {
                    "ref": f"{self.desk_id}-{number:06d}",
                    "kind": kind.value,
                    "channel": channel.value,
                    "priority": priority.value,
                    "subject": subject,
                    "description": description,
                    "business": template.business.value,
                    "cause": template.cause.value if kind in (Kind.COMPLAINT, Kind.SUGGESTION) else None,
                    "customer_id": customer.id if customer else None,
                    "assignee_id": None,
                },
            )
            self._live(life, template, priority, assignee, live)
            life.events = [ev for ev in life.events if ev.at < self.now]
            lives.append(life)
        self._liven_queue(lives)
        for life in lives:
            self.events.extend(life.events)

    def _liven_queue(self, lives: list[_Life]) -> None:
        """Make sure the queue at ``now`` has work in it (see :func:`queue_targets`).

        Natural lives already leave recent tickets unfinished; when they fall short, the
        lives of the most recent tickets are cut earlier (a prefix of a valid life is a
        valid life): just after creation (new), before the resolution (open), or just after
        a move to a waiting status (waiting).
        """
        targets = queue_targets(self.size)
        status = {id(life): _status_of(life.events) for life in lives}
        counts = Counter(status.values())

        def recent(hours: float) -> list[_Life]:
            since = self.now - timedelta(hours=hours)
            return [life for life in reversed(lives) if life.arrived >= since]

        def cut(life: _Life, index: int) -> None:
            life.events = life.events[:index]
            counts[status[id(life)]] -= 1
            status[id(life)] = _status_of(life.events)
            counts[status[id(life)]] += 1

        # Unassigned: the newest contacts from channels that wait in the pool, then any.
        for hours in (8, 24, 72):
            pool = recent(hours)
            pool.sort(key=lambda life: life.channel in _LIVE_CHANNELS)  # stable: newest first within each group
            for life in pool:
                if counts[Status.NEW] >= targets["new"]:
                    break
                if status[id(life)] is not Status.NEW:
                    cut(life, 1)
        finished = (Status.RESOLVED, Status.CLOSED)
        for hours in (72, 168, 24 * self.size.days):
            for life in recent(hours):
                if counts[Status.WAITING_CUSTOMER] + counts[Status.WAITING_DEPARTMENT] >= targets["waiting"]:
                    break
                if status[id(life)] in finished:
                    moves = [i for i, ev in enumerate(life.events) if ev.payload.get("to", "").startswith("waiting")]
                    if moves:
                        cut(life, moves[-1] + 1)
        for hours in (72, 168, 24 * self.size.days):
            for life in recent(hours):
                if counts[Status.NEW] + counts[Status.OPEN] >= targets["new_or_open"]:
                    break
                if status[id(life)] in finished:
                    resolved = [i for i, ev in enumerate(life.events) if ev.payload.get("to") == Status.RESOLVED.value]
                    if resolved and _status_of(life.events[: resolved[0]]) is Status.OPEN:
                        cut(life, resolved[0])

    def _priority(self, template: _Template, channel: Channel, customer: _Customer | None) -> Priority:
        if template.urgent:
            return Priority.URGENT
        roll = self.rng.random()
        if roll < 0.025:
            return Priority.URGENT
        if roll < 0.16 or channel is Channel.REGULATOR or (customer and customer.vip and roll < 0.5):
            return Priority.HIGH
        return Priority.NORMAL

    # -- lives
    def _live(self, life: _Life, template: _Template, priority: Priority, assignee: str, live: bool) -> None:
        rng = self.rng
        lang = life.language
        dept = template.dept if template.dept is not None else rng.randrange(len(_VARS[lang]["dept"]))
        dept_name = _VARS[lang]["dept"][dept]
        lead = LEAD_OF_TEAM[TEAM_OF[assignee]]
        if live:
            life.wait(rng.randrange(5, 90), desk=False)
            life.emit(assignee, "ticket.assigned", {"assignee_id": assignee})
            life.wait(rng.randrange(2, 30), desk=False)
        else:
            # Async contacts wait in the pool until a lead routes them in working hours.
            urgent = priority is Priority.URGENT
            life.wait(rng.randrange(60, 600) if urgent else rng.expovariate(1 / 5400) + 120)
            actor = SUPERVISOR if template.kind is Kind.COMPLAINT and rng.random() < 0.3 else lead
            life.emit(actor, "ticket.assigned", {"assignee_id": assignee})
            life.wait(rng.expovariate(1 / 900) + 30)
        life.move(assignee, Status.OPEN)
        kind = template.kind
        if template.urgent:
            self._fraud(life, assignee, dept_name)
        elif kind is Kind.CONSULTATION:
            self._consultation(life, assignee, dept_name, live)
        elif kind is Kind.COMPLAINT:
            self._complaint(life, template, assignee, dept_name)
        elif kind is Kind.SUGGESTION:
            self._suggestion(life, assignee, dept_name)
        elif kind is Kind.BUSINESS:
            self._business(life, assignee, dept_name)
        else:
            self._callback(life, assignee)
        # Resolved tickets close after the customer confirms or the waiting period ends.
        life.wait(rng.uniform(0.5, 3.5) * 86400)
        life.move(assignee, Status.CLOSED)
        if rng.random() < 0.04:
            life.wait(rng.uniform(0.5, 6) * 86400)
            life.reopen(assignee)
            life.wait(rng.uniform(0.1, 2) * 86400)
            life.note(assignee, "customer_back")
            life.wait(rng.uniform(0.1, 1.5) * 86400)
            life.move(assignee, Status.RESOLVED)
            life.wait(rng.uniform(1, 3) * 86400)
            life.move(assignee, Status.CLOSED)
        if rng.random() < 0.05:
            life.wait(rng.uniform(1, 10) * 86400)
            life.note(QA_INSPECTOR, "qa", score=rng.randrange(72, 100))

    def _fraud(self, life: _Life, agent: str, dept: str) -> None:
        rng = self.rng
        life.wait(rng.randrange(60, 300), desk=False)
        life.note(agent, "fraud")
        life.move(agent, Status.WAITING_DEPARTMENT)
        life.wait(rng.uniform(0.3, 6) * 3600, desk=False)
        life.move(agent, Status.OPEN)
        life.note(agent, "fraud_done")
        life.wait(rng.uniform(0.2, 4) * 3600)
        life.move(agent, Status.RESOLVED)

    def _consultation(self, life: _Life, agent: str, dept: str, live: bool) -> None:
        rng = self.rng
        if rng.random() < 0.72:
            life.wait(rng.randrange(120, 900) if live else rng.expovariate(1 / 7200) + 300)
            life.note(agent, "answered")
            life.wait(rng.randrange(20, 180))
            life.move(agent, Status.RESOLVED)
            return
        hours = rng.choice((2, 4, 24, 48))
        life.wait(rng.randrange(300, 1800))
        life.note(agent, "ask_dept", dept=dept, hours=hours)
        life.wait(rng.randrange(30, 600))
        life.move(agent, Status.WAITING_DEPARTMENT)
        life.wait(rng.uniform(0.2, 1.0) * hours * 3600, office=True)
        life.move(agent, Status.OPEN)
        life.wait(rng.expovariate(1 / 10800) + 600)
        if rng.random() < 0.15:
            life.note(agent, "waiting_customer")
            life.move(agent, Status.WAITING_CUSTOMER)
            life.wait(rng.uniform(0.2, 3) * 86400)
            life.move(agent, Status.OPEN)
            life.note(agent, "customer_back")
            life.wait(rng.randrange(600, 7200))
        life.note(agent, "dept_reply", dept=dept)
        life.wait(rng.randrange(60, 900))
        life.move(agent, Status.RESOLVED)

    def _complaint(self, life: _Life, template: _Template, agent: str, dept: str) -> None:
        rng = self.rng
        promise = rng.choice((7, 10, 15))
        life.wait(rng.randrange(300, 2400))
        life.note(agent, "complaint_record", days=promise)
        # The supervisor forms a handling group, usually on the next working hours.
        life.wait(rng.uniform(0.3, 2.5) * 86400)
        life.note(SUPERVISOR, "complaint_group", dept=dept, days=promise)
        life.wait(rng.randrange(300, 3600))
        life.move(agent, Status.WAITING_DEPARTMENT)
        life.wait(rng.uniform(1, min(promise, 10)) * 86400, office=True)
        life.move(agent, Status.OPEN)
        life.note(agent, "complaint_finding", dept=dept)
        life.wait(rng.uniform(0.1, 1.5) * 86400)
        if rng.random() < 0.35:
            life.note(agent, "waiting_customer")
            life.move(agent, Status.WAITING_CUSTOMER)
            life.wait(rng.uniform(0.3, 3) * 86400)
            life.move(agent, Status.OPEN)
            life.note(agent, "customer_back")
            life.wait(rng.uniform(0.1, 1) * 86400)
        life.note(agent, "complaint_close", cause=_CAUSE_TEXT[life.language][template.cause])
        life.move(agent, Status.RESOLVED)

    def _suggestion(self, life: _Life, agent: str, dept: str) -> None:
        rng = self.rng
        life.wait(rng.randrange(300, 3600))
        life.note(agent, "suggestion", dept=dept)
        life.move(agent, Status.WAITING_DEPARTMENT)
        life.wait(rng.uniform(1, 6) * 86400, office=True)
        life.move(agent, Status.OPEN)
        life.note(agent, "suggestion_ack", dept=dept)
        life.wait(rng.uniform(0.1, 1.5) * 86400)
        life.move(agent, Status.RESOLVED)

    def _business(self, life: _Life, agent: str, dept: str) -> None:
        rng = self.rng
        life.wait(rng.randrange(300, 2400))
        if rng.random() < 0.55:
            life.note(agent, "business_docs")
            life.move(agent, Status.WAITING_CUSTOMER)
            life.wait(rng.uniform(0.3, 4) * 86400)
            life.move(agent, Status.OPEN)
            life.note(agent, "customer_back")
            life.wait(rng.uniform(0.05, 1) * 86400)
        life.note(agent, "business_review", dept=dept)
        life.move(agent, Status.WAITING_DEPARTMENT)
        life.wait(rng.uniform(0.5, 7) * 86400, office=True)
        life.move(agent, Status.OPEN)
        life.note(agent, "business_done", dept=dept)
        life.wait(rng.uniform(0.05, 1) * 86400)
        life.move(agent, Status.RESOLVED)

    def _callback(self, life: _Life, agent: str) -> None:
        rng = self.rng
        # A scheduled callback stays open until its appointed time.
        life.wait(rng.uniform(0.5, 3) * 86400)
        if rng.random() < 0.3:
            life.note(agent, "callback_try")
            life.move(agent, Status.WAITING_CUSTOMER)
            life.wait(rng.uniform(0.5, 2) * 86400)
            life.move(agent, Status.OPEN)
            life.wait(rng.randrange(60, 600))
        life.note(agent, "callback_done", score=rng.choice((3, 4, 4, 5, 5, 5)))
        life.wait(rng.randrange(30, 300))
        life.move(agent, Status.RESOLVED)

    def plan(self) -> list[PlannedEvent]:
        """Users, customers, then tickets; every event before ``now``, sorted by time."""
        self.users()
        self.make_customers()
        self.tickets()
        self.events += demo_complaint_events(self.events, self.now, SUPERVISOR, min(LEAD_OF_TEAM.values()))
        self.events += plan_callbacks(self.events, self.rng, self.now, self.note_ids, DEMO_TRAINEE)
        self.events += plan_surveys(self.events, self.rng, self.now, self.note_ids, SUPERVISOR)
        self.events += demo_business_events(self.events, self.templates, self.now, TEAM_OF)
        self.events.sort(key=lambda ev: ev.at)  # stable: same-time events keep their order
        return self.events


def _status_of(events: Sequence[PlannedEvent]) -> Status:
    """The status a ticket has after ``events`` (its life so far)."""
    status = Status.NEW
    for ev in events:
        if ev.kind == "ticket.status_changed":
            status = Status(ev.payload["to"])
        elif ev.kind == "ticket.reopened":
            status = Status.OPEN
    return status


def queue_targets(size: DemoSize = DEFAULT_SIZE) -> dict[str, int]:
    """How much live work the seeded queue has at least at ``now``, for a history of ``size``.

    Scaled by arrivals per day: at the default size, 40 tickets new or open (8 of them
    new, unassigned) and 16 waiting on the customer or a department.
    """
    per_day = size.tickets / max(size.days, 1)
    return {
        "new": min(size.tickets, math.ceil(0.3 * per_day)),
        "new_or_open": min(size.tickets, math.ceil(1.5 * per_day)),
        "waiting": min(size.tickets, math.ceil(0.6 * per_day)),
    }


def _aware_utc(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got naive {now.isoformat()}")
    return now.astimezone(UTC)


def plan_demo_events(
    desk_id: str, *, seed: int = 7, size: DemoSize = DEFAULT_SIZE, now: datetime
) -> list[PlannedEvent]:
    """The demo history as planned events sorted by time, without touching a store."""
    return _Planner(desk_id, seed, size, _aware_utc(now)).plan()


def seed_demo(
    store: Store,
    *,
    seed: int = 7,
    size: DemoSize = DEFAULT_SIZE,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Fill an empty demo store; return counts {"users":..,"customers":..,"tickets":..,"events":..}.

    Deterministic for a given ``seed`` and ``now`` (default: the store clock's now).
    ``progress(done, total)`` is called after each written batch of events. Refuses a
    live store (:class:`StoreUnavailable`) and a store that already has events
    (:class:`Conflict`).
    """
    if store.mode is not StoreMode.DEMO:
        raise StoreUnavailable("Demo data goes only into a demo store; this is a live desk store.")
    if store.info().events:
        raise Conflict("The demo store already has data; seed only an empty one.")
    events = plan_demo_events(store.desk_id, seed=seed, size=size, now=now or store.clock.now())
    total = len(events)
    report = (lambda done: progress(done, total)) if progress else None
    if progress:
        progress(0, total)
    written = store.write_planned(events, progress=report)
    counts = {"users": 0, "customers": 0, "tickets": 0, "events": written}
    for ev in events:
        if ev.kind in ("user.created", "customer.created", "ticket.created"):
            counts[ev.entity + "s"] += 1
    return counts
