"""UI strings of sync: the header's sync state and the supervisor's merge-conflicts screen."""

from __future__ import annotations

EN: dict[str, str] = {
    "sync.synced": "synced",
    "sync.pending": "{count} pending",
    "sync.offline": "offline since {time}",
    "sync.conflicts": "{count} conflicts",
    "sync.conflicts.title": "Merge conflicts",
    "sync.conflicts.intro": (
        "Concurrent edits from different desks. The newer value is in use; keep it or take the other."
    ),
    "sync.conflicts.empty": "No open conflicts.",
    "sync.conflicts.record": "Record",
    "sync.conflicts.field": "Field",
    "sync.conflicts.kept": "In use",
    "sync.conflicts.other": "Other value",
    "sync.conflicts.review": "Review",
    "sync.conflicts.needs_review": "money/legal",
    "sync.conflicts.resolved": "Conflict resolved; the choice syncs to every desk.",
    "binding.conflicts.keep": "Keep in use",
    "binding.conflicts.other": "Take other",
    "binding.conflicts.refresh": "Refresh",
    "binding.conflicts.back": "Back",
    "action.conflicts": "Merge conflicts",
}

ZH_CN: dict[str, str] = {
    "sync.synced": "已同步",
    "sync.pending": "{count} 条待上传",
    "sync.offline": "{time} 起离线",
    "sync.conflicts": "{count} 个冲突",
    "sync.conflicts.title": "合并冲突",
    "sync.conflicts.intro": "不同坐席同时修改了同一字段。当前使用较新的值；可保留，或改用另一个值。",
    "sync.conflicts.empty": "没有待处理的冲突。",
    "sync.conflicts.record": "记录",
    "sync.conflicts.field": "字段",
    "sync.conflicts.kept": "当前值",
    "sync.conflicts.other": "另一值",
    "sync.conflicts.review": "复核",
    "sync.conflicts.needs_review": "金额/法律",
    "sync.conflicts.resolved": "冲突已解决；该选择会同步到所有坐席。",
    "binding.conflicts.keep": "保留当前值",
    "binding.conflicts.other": "改用另一值",
    "binding.conflicts.refresh": "刷新",
    "binding.conflicts.back": "返回",
    "action.conflicts": "合并冲突",
}
