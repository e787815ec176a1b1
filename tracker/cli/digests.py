"""Commands on digests: list them, rename one, set its date, forget one (each change undoable)."""

from __future__ import annotations

import argparse
import json

from tracker.cli.common import open_library
from tracker.wording import counted

FORGET_LIST_LINES = 20
"""Papers `tracker forget` names that stay because they are annotated (then how many more)."""


def cmd_forget(args: argparse.Namespace) -> int:
    with open_library(args, write=not args.dry_run) as lib:
        if args.dry_run:
            plan = lib.plan_forget(args.digest)
            why = {p.id: lib.annotated_why(p.id) for p in plan.kept}
            verb = "would forget"
        else:
            report = lib.forget_digest(args.digest)
            plan, why, verb = report.plan, report.why_kept, "forgot"
        digest = plan.digest
        stay_elsewhere = "stays" if len(plan.elsewhere) == 1 else "stay"
        kept = len(plan.kept)
        print(
            f"{verb} digest {digest.display_label} ({digest.id}): "
            f"{counted(len(plan.removed), 'paper')} {'would go' if args.dry_run else 'removed'}, "
            f"{len(plan.elsewhere)} {stay_elsewhere} in other digests, "
            f"{kept} {'stays' if kept == 1 else 'stay'} because you annotated "
            f"{'it' if kept == 1 else 'them'}" + (":" if kept else "")
        )
        for paper in plan.kept[:FORGET_LIST_LINES]:
            print(f"  {paper.id}  {' '.join(paper.title.split())}  ({why[paper.id]})")
        if kept > FORGET_LIST_LINES:
            print(f"  … and {kept - FORGET_LIST_LINES} more")
        if not args.dry_run:
            print("`tracker undo` takes it back")
    return 0


def cmd_digests(args: argparse.Namespace) -> int:
    action = args.digests_action or "list"
    if action == "list":
        return _list_digests(args)
    with open_library(args, write=True) as lib:
        if action == "rename":
            change = lib.rename_digest(args.digest, args.label)
        else:
            change = lib.set_digest_date(args.digest, None if args.date == "-" else args.date)
        print(change.label if change.library else f"nothing to change: {change.label}")
    return 0


def _list_digests(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
        stats = lib.digest_stats()
    if args.json:
        for s in stats:
            d = s.digest
            record = {
                "id": d.id,
                "label": d.label,
                "date": d.date,
                "papers": s.total,
                "read": s.read,
                "source": d.source,
                "format": d.format,
                "imported_at": d.imported_at,
            }
            print(json.dumps(record, ensure_ascii=False))
        return 0
    if not stats:
        print("no digests yet; import one with `tracker import FILE`")
        return 0
    width = max(len("label"), *(len(s.digest.label) for s in stats))
    print(f"{'id':<12}  {'label':<{width}}  {'date':<10}  {'papers':>6}  source")
    for s in stats:
        d = s.digest
        print(f"{d.id:<12}  {d.label:<{width}}  {d.date or '-':<10}  {s.total:>6}  {d.source}")
    return 0
