"""Many records at once for the benchmarks: people joined to units, their pledges (and an
audit entry each), initiatives with authors, written straight into SQLite in a few statements,
so 100,000 pledges take seconds rather than the hours one chat each would."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

STAMP = "2026-11-01T02:00:00+00:00"
STATUSES = ("submitted", "confirmed", "accepted", "achieved", "returned")


def bulk_seed(
    path: Path, campaign_id: str, commitments: list[str], unit_ids: list[int], names: list[str],
    pledges: int, initiatives: int, year: int = 2026,
) -> None:  # fmt: skip
    """`pledges` people each with an individual pledge of `year`, one unit in turn; the first
    `initiatives` of them also an initiative with two authors."""
    db = sqlite3.connect(path)
    try:
        with db:
            first = int(db.execute("SELECT coalesce(max(id), 0) FROM people").fetchone()[0]) + 1
            people = range(first, first + pledges)
            db.executemany(
                "INSERT INTO people (id, channel, external_id, full_name, position, unit_id, "
                "role, locale, joined_at, created_at, confirmed) "
                "VALUES (?, 'seed', ?, ?, 'Chuyên viên', ?, 'staff', 'vi', ?, ?, 1)",
                ((p, str(p), f"Cán bộ số {p}", unit_ids[p % len(unit_ids)], STAMP, STAMP)
                 for p in people),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO accounts (channel, external_id, person_id, linked_at) "
                "VALUES ('seed', ?, ?, ?)",
                ((str(p), p, STAMP) for p in people),
            )
            chosen = json.dumps(commitments[:3], ensure_ascii=False)
            own = json.dumps(["Số hoá toàn bộ hồ sơ lưu trữ của phòng trong năm"])
            db.executemany(
                "INSERT INTO pledges (ref, campaign_id, kind, person_id, unit_id, title, "
                "commitments, own_commitments, status, created_at, updated_at, year, filed_name, "
                "filed_position, filed_unit) VALUES (?, ?, 'individual', ?, ?, "
                "'Bằng khen (UBND tỉnh)', ?, ?, ?, ?, ?, ?, ?, 'Chuyên viên', ?)",
                ((f"TD-{year}-{n + 1:06d}", campaign_id, p, unit_ids[p % len(unit_ids)], chosen,
                  own, STATUSES[n % len(STATUSES)], STAMP, STAMP, year, f"Cán bộ số {p}",
                  names[p % len(names)]) for n, p in enumerate(people)),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO audit_log (at, actor_id, channel, entity, entity_id, action, new) "
                "VALUES (?, ?, 'seed', 'pledge', ?, 'create', ?)",
                ((STAMP, p, f"TD-{year}-{n + 1:06d}", json.dumps({"campaign": campaign_id}))
                 for n, p in enumerate(people)),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO initiatives (ref, campaign_id, person_id, title, reform_area, "
                "applied_on, description, conditions, benefits, trialled_by, status, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'thu_tuc_hanh_chinh', '15/03/2026', ?, "
                "'Máy tính nối mạng nội bộ', 'Giảm 80% hồ sơ trễ hạn', 'Bộ phận một cửa', "
                "'submitted', ?, ?)",
                ((f"SK-{year}-{n + 1:06d}", campaign_id, first + n,
                  f"Sáng kiến rút ngắn thời gian giải quyết hồ sơ số {n + 1}",
                  "Mô tả cách làm mới " * 30, STAMP, STAMP) for n in range(initiatives)),
            )  # fmt: skip
            db.executemany(
                "INSERT INTO initiative_authors (initiative_id, position, full_name, unit_name, "
                "share, person_id) SELECT id, ?, ?, 'Phòng Cải cách hành chính', ?, ? "
                "FROM initiatives WHERE ref = ?",
                (row for n in range(initiatives) for row in (
                    (0, f"Cán bộ số {first + n}", 70, first + n, f"SK-{year}-{n + 1:06d}"),
                    (1, "Trần Văn Bình", 30, None, f"SK-{year}-{n + 1:06d}"),
                )),
            )  # fmt: skip
    finally:
        db.close()
