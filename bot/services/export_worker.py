"""The export's own process: `python -m bot.services.export_worker` reads what to write as JSON
on stdin and prints the rows written by sheet. Writing 200,000 rows is pure-Python CPU; in a
thread it would fight the event loop for the interpreter lock and both would crawl, so it runs
here, on the machine's other core, while the bot keeps answering."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.campaign import Campaign
from bot.i18n import Translator
from bot.services.reports import write_export


def main() -> None:
    order = json.loads(sys.stdin.read())
    counts = write_export(
        Path(order["database"]),
        Clock(ZoneInfo(order["zone"])),
        Campaign.model_validate_json(order["campaign"]),
        Translator(order["language"]).for_language(order["language"]),
        order["year"],
        order["scope"],
        Path(order["path"]),
    )
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
