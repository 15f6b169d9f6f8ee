"""Drill: back up, lose the database, restore, and find every row as it was.

Users with daily reminders take a lesson and write through the app (gunicorn on a throwaway
PostgreSQL): gratitude entries, bids and apologies, some private; clients invite therapists,
who accept, read their journals (access-log rows) and comment, and clients reply. Then
`scripts/backup`, `DROP DATABASE`, `scripts/restore` into the empty server, and every table
compared with what it held before: its rows (a hash of each, in order), its indexes and
constraints, and every sequence's position. A second restore over the restored database
must be refused and change nothing. Then the same gunicorn serves the restored database:
users sign in with their old sessions and write again. Then one comment changed by a
character must show as a difference.

Last, crypto-shredding: one client deletes their account through the site, the backup taken
before restores into a second database, and every sealed text there is tried with the live
keys (the live database's data keys, the master key): the deleted person's texts must refuse,
their data key row being gone from the live database, while everyone else's still open.
"""

import hashlib
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

from .infra import ROOT, DrillError, Stack
from .report import Report, arguments, exit_with, main_for
from .web import Visitor, gratitude_form, saved

TABLES = """
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
"""
# A CHECK constraint, and a partial index's condition, are compared without their
# condition: PostgreSQL prints a restored `x IN (...)` differently from the one Django
# created (the same test).
SCHEMA = """
    SELECT 'index ' || split_part(indexdef, ' WHERE ', 1)
    FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || contype::text
           || ' ' || CASE contype WHEN 'c' THEN '' ELSE pg_get_constraintdef(oid) END
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'sequence ' || sequencename || ' at ' || coalesce(last_value::text, 'unused')
    FROM pg_sequences WHERE schemaname = 'public'
    ORDER BY 1
"""


def snapshot(url: str) -> dict[str, tuple[int, object]]:
    """Every table's row count and a hash over its rows' hashes in order (by the whole row's
    text, so tables without an id are covered too); under "(schema)", how many indexes,
    constraints and sequence positions there are, and each as a line."""
    found = {}
    with psycopg.connect(url) as conn:  # one transaction: one snapshot of every table
        for (table,) in conn.execute(TABLES).fetchall():
            digest = hashlib.sha256()
            count = 0
            query = sql.SQL("SELECT md5(t::text) FROM {} t ORDER BY t::text")
            query = query.format(sql.Identifier(table))
            with conn.cursor(name=f"rows_{table}") as rows:  # server-side: any table size
                for (row_hash,) in rows.execute(query):
                    digest.update(row_hash.encode())
                    count += 1
            found[table] = (count, digest.hexdigest())
        schema = [line for (line,) in conn.execute(SCHEMA).fetchall()]
    found["(schema)"] = (len(schema), tuple(schema))
    return found


def _script(name: str, *argv: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / name), *argv], env=env, cwd=ROOT, capture_output=True, text=True
    )


def _ok(result: subprocess.CompletedProcess, what: str) -> str:
    if result.returncode:
        raise DrillError(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def _write_journals(visitors: list[Visitor], *, day, entries: int) -> list[str]:
    """Each user writes `entries` entries of three kinds through the site; returns problems."""
    from django.urls import reverse

    problems = []
    forms = {
        "gratitude": lambda n: gratitude_form(f"backup drill gratitude {n}", day=day),
        "bid": lambda n: {
            "day": day.isoformat(),
            "made_by": "partner",
            "what": f"backup drill bid {n}",
            "response": "toward",
        },
        "apology": lambda n: {
            "day": day.isoformat(),
            "acknowledgement": f"backup drill apology {n}",
            "empathy": "It hurt.",
            "reassurance": "I am here.",
            "status": "draft",
            "save": "1",
        },
    }
    for user, visitor in enumerate(visitors):
        for n in range(entries):
            kind = list(forms)[n % len(forms)]
            form = forms[kind](f"{user}.{n}")
            if n % 4 == 3:
                form["is_private"] = "on"
            answer = visitor.post(reverse(f"journal:{kind}_new"), form)
            if answer.status != 302:
                problems.append(f"{kind} by user {user}: {answer.status} {answer.error}")
    return problems


def _share_and_comment(pairs, visitors, therapist_visitors) -> list[str]:
    """Each client shares with one therapist, who reads their journal and each shared entry
    and comments on one; the client replies. Every step through the site but the invitation
    link (whose token only the email holds), accepted by the service the link's page calls."""
    from django.urls import reverse

    from journal.models import Entry
    from sharing import services

    problems = []
    for (client, therapist), visitor in zip(pairs, visitors, strict=True):
        share = services.share_invite(
            client=client,
            email=therapist.email,
            shared_from=client.local_today(),
            share_gratitude=True,
            share_bids=True,
            share_apologies=True,
        )
        services.invitation_accept(invitation=share.invitations.get(), user=therapist)
        reader = therapist_visitors[therapist.pk]
        pages = [reverse("sharing:client_journal", args=[client.pk])]
        shared = Entry.objects.filter(user=client, is_private=False).order_by("pk")
        pages += [reverse("sharing:client_entry", args=[client.pk, e.pk]) for e in shared]
        for page in pages:
            if (answer := reader.get(page)).status != 200:
                problems.append(f"GET {page}: {answer.status}")
        first = shared.first()
        comment = reverse("sharing:comment_create", args=[client.pk, first.pk])
        reply = reverse("sharing:reply_create", args=[first.pk, therapist.pk])
        for who, path, body in ((reader, comment, "Lovely."), (visitor, reply, "Thank you.")):
            if (answer := who.post(path, {"body": body})).status != 302:
                problems.append(f"POST {path}: {answer.status}")
    return problems


def _take_a_lesson(visitors: list[Visitor]) -> list[str]:
    """Each user opens the first lesson (progress started) and marks it done."""
    from django.urls import reverse

    from lessons.models import Lesson

    lesson = Lesson.objects.filter(is_published=True).first()
    if lesson is None:
        return ["no lesson was loaded"]
    done = reverse("lessons:done", args=[lesson.slug])
    opened = [visitor.get(lesson.get_absolute_url()).status for visitor in visitors]
    marked = [visitor.post(done, {}).status for visitor in visitors]
    return [f"opening {lesson.slug}: {code}" for code in opened if code != 200] + [
        f"marking {lesson.slug} done: {code}" for code in marked if code != 302
    ]


def _differences(before: dict, after: dict) -> list[str]:
    lines = []
    for table in sorted(before.keys() | after.keys()):
        was, now = before.get(table), after.get(table)
        if was == now:
            continue
        if table == "(schema)":
            lines += [f"schema, only before: {line}" for line in set(was[1]) - set(now[1])]
            lines += [f"schema, only after: {line}" for line in set(now[1]) - set(was[1])]
        elif was and now and was[0] == now[0]:
            lines.append(f"{table}: the same {now[0]} rows, not all as they were")
        else:
            lines.append(f"{table}: {was and was[0]} rows before, {now and now[0]} after")
    return lines


def _write_through_the_site(stack: Stack, args, report: Report) -> tuple[list[Visitor], object]:
    """Clients and therapists, and what they write; returns the clients' browsers and the
    gunicorn serving them."""
    from accounts.services import session_create
    from sharing.models import AccessLog, Comment, Share

    from . import seed

    stack.manage("load_lessons", "-v0")
    clients = seed.users_create(prefix="client", count=args.users)
    therapists = seed.users_create(prefix="therapist", count=max(1, args.users // 2))
    for therapist in therapists:  # a therapist's client pages open only with two-step login
        seed.two_step_set_up(therapist)
    seed.reminders_due(clients, at=datetime.now(UTC) + timedelta(days=1))  # no worker runs
    server, port = stack.gunicorn(workers=2)
    visitors = [Visitor(port, session_create(user=user)) for user in clients]
    readers = {t.pk: Visitor(port, session_create(user=t)) for t in therapists}
    problems = _write_journals(visitors, day=datetime.now(UTC).date(), entries=args.entries)
    problems += _take_a_lesson(visitors)
    pairs = [(c, therapists[n % len(therapists)]) for n, c in enumerate(clients)]
    problems += _share_and_comment(pairs, visitors, readers)
    written = {
        "shares": Share.objects.count(),
        "comments": Comment.objects.count(),
        "access log rows": AccessLog.objects.count(),
    }
    report.did(
        f"{len(clients)} clients with daily reminders took a lesson, wrote {args.entries} "
        "entries each (gratitude, bids, apologies; every fourth private) and shared with "
        f"{len(therapists)} therapists, "
        f"who read and commented: " + ", ".join(f"{n} {what}" for what, n in written.items())
    )
    failed = f" ({len(problems)} failed: {'; '.join(problems[:3])})" if problems else ""
    report.check(not problems, f"every write through the site succeeded{failed}")
    return visitors, server


def _report_snapshot(report: Report, before: dict) -> None:
    rows = sum(count for table, (count, _) in before.items() if table != "(schema)")
    report.found(
        f"before: {len(before) - 1} tables, {rows} rows, {before['(schema)'][0]} indexes, "
        "constraints and sequences",
        tables=len(before) - 1,
        rows=rows,
    )
    report.found(
        "rows by table: "
        + ", ".join(f"{t} {n}" for t, (n, _) in sorted(before.items()) if n and t[0] != "(")
    )


def _back_up(report: Report, env: dict[str, str], folder: Path) -> Path:
    made = _ok(_script("backup", env=env), "scripts/backup")
    report.did(f"scripts/backup: {made}")
    dumps = sorted(folder.glob("closer-*.dump"))
    report.check(len(dumps) == 1, f"one backup file in BACKUP_DIR ({len(dumps)})")
    report.check(dumps[0].read_bytes()[:5] == b"PGDMP", "it is a pg_dump custom-format archive")
    mode = os.stat(folder).st_mode & 0o777
    report.check(mode == 0o700, f"the backup folder is the owner's alone ({mode:o})")
    return dumps[0]


def _compare(report: Report, before: dict, after: dict) -> None:
    differences = _differences(before, after)
    for line in differences[:10]:
        report.found(f"differs: {line}")
    report.found(
        f"after: {len(after) - 1} tables; {len(differences)} differ",
        differences=len(differences),
    )
    report.check(
        not differences,
        "every row of every table, every index, constraint and sequence is as it was",
    )


def _restore_again(report: Report, env: dict[str, str], dump: Path, url: str, after: dict):
    again = _script("restore", str(dump), env=env)
    said = again.stderr.splitlines()[0] if again.stderr else again.stdout
    report.found(f"restoring again over it: exit {again.returncode}: {said}")
    report.check(
        again.returncode == 1 and "Refusing" in again.stderr,
        "a restore into a database that is not empty is refused",
    )
    report.check(snapshot(url) == after, "the refused restore changed nothing")


def run(args, report: Report) -> None:
    with Stack.up() as stack:
        stack.use_in_this_process()
        from django.db import connections

        url = stack.env["DATABASE_URL"]
        folder = stack.workdir / "backups"
        env = {**stack.env, "BACKUP_DIR": str(folder), "PG_BIN": str(stack.postgres.bin)}
        visitors, server = _write_through_the_site(stack, args, report)
        connections.close_all()

        before = snapshot(url)
        _report_snapshot(report, before)
        dump = _back_up(report, env, folder)
        with psycopg.connect(stack.postgres.url("postgres"), autocommit=True) as conn:
            conn.execute("DROP DATABASE closer WITH (FORCE)")
        report.did("DROP DATABASE closer (WITH FORCE: gunicorn's connections cut)")
        restored = _ok(_script("restore", str(dump), env=env), "scripts/restore")
        report.did("scripts/restore: " + restored.replace("\n", " / "))
        after = snapshot(url)
        _compare(report, before, after)
        _restore_again(report, env, dump, url, after)

        form = gratitude_form("after restore", day=datetime.now(UTC).date())
        saves = sum(saved(v.post("/journal/gratitude/new/", form)) for v in visitors)
        report.check(
            saves == len(visitors) and server.alive(),
            "the same gunicorn serves the restored database: old sessions sign in and write "
            f"({saves}/{len(visitors)} saved)",
        )
        _comparison_notices_a_change(report, url)
        _crypto_shredding(report, stack, env, dump, before, visitors)


def _comparison_notices_a_change(report: Report, url: str) -> None:
    """The comparison is not vacuous: one comment changed by one character is found."""
    before = snapshot(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE sharing_comment SET body = body || '.' "
            "WHERE id = (SELECT min(id) FROM sharing_comment)"
        )
    found = _differences(before, snapshot(url))
    count = before["sharing_comment"][0]
    report.check(
        found == [f"sharing_comment: the same {count} rows, not all as they were"],
        f"the comparison finds one comment changed by one character: {found}",
    )


def _sealed_texts(url: str) -> list[str]:
    """Every text stored encrypted in the database at `url`: each EncryptedTextField's
    column, read as it is stored (the drill's own Django reads the live database only)."""
    from django.apps import apps

    from core.fields import EncryptedTextField

    query = sql.SQL("SELECT {column} FROM {table} WHERE {column} LIKE 'enc1:%%' ORDER BY 1")
    texts = []
    with psycopg.connect(url) as conn:
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    statement = query.format(
                        column=sql.Identifier(field.column),
                        table=sql.Identifier(model._meta.db_table),
                    )
                    texts += [text for (text,) in conn.execute(statement)]
    return texts


def _delete_through_the_site(report: Report, user, port: int) -> None:
    """The user deletes their account on its page, confirming with their password."""
    from django.urls import reverse

    from accounts.services import session_create

    password = "drill-only-password-to-delete-this-account"
    user.set_password(password)  # drill users are made without one
    user.save(update_fields=["password"])
    visitor = Visitor(port, session_create(user=user))  # a new password ends old sessions
    answer = visitor.post(reverse("accounts:delete"), {"password": password})
    report.did(f"{user.email} deleted their account on {reverse('accounts:delete')}")
    report.check(
        answer.status == 302 and answer.location.endswith(reverse("accounts:deleted")),
        f"the deletion was accepted ({answer.status} to {answer.location or 'nowhere'})",
    )


def _crypto_shredding(report, stack: Stack, env: dict, dump: Path, before: dict, visitors):
    """Delete one account in the live database; restore the backup taken before into a second
    database; the deleted person's texts there must not open with the live keys, everyone
    else's must."""
    from accounts.models import DataKey, User
    from core import crypto

    gone = User.objects.filter(role=User.Role.CLIENT).order_by("pk").last()
    gone_id = gone.pk
    # The last client: the comment changed above is on the first client's entry.
    _delete_through_the_site(report, gone, visitors[0].port)
    live_keys = DataKey.objects.filter(user_id=gone_id).count()
    report.check(
        not User.objects.filter(pk=gone_id).exists() and live_keys == 0,
        f"the live database holds no account and no data key of user {gone_id} ({live_keys})",
    )

    copy_url = stack.postgres.url("closer_before_deletion")
    restored = _ok(_script("restore", str(dump), env={**env, "DATABASE_URL": copy_url}), "restore")
    report.did(
        "scripts/restore of the backup taken before the deletion into a second database: "
        + restored.replace("\n", " / ")
    )
    copy = snapshot(copy_url)
    rows = sum(count for table, (count, _) in copy.items() if table != "(schema)")
    differences = _differences(before, copy)
    report.found(
        f"second database: {len(copy) - 1} tables, {rows} rows compared with the backup's, "
        f"{len(differences)} differ",
        shred_rows_compared=rows,
    )
    report.check(not differences, "the second database holds every row the backup was taken with")
    with psycopg.connect(copy_url) as conn:
        kept = "SELECT count(*) FROM accounts_datakey WHERE user_id = %s"
        backup_keys = conn.execute(kept, [gone_id]).fetchone()[0]
    report.found(
        f"the backup still holds user {gone_id}'s data key wrapped ({backup_keys} row); "
        "the live keys are what the site reads with"
    )

    crypto.forget_keys()  # as a server started after the deletion: no key held in memory
    tally = {(mine, result): 0 for mine in (True, False) for result in ("open", "refuse")}
    reasons = set()
    texts = _sealed_texts(copy_url)
    for text in texts:
        mine = crypto.owner_of(text) == gone_id
        try:
            crypto.decrypt_text(text)
            tally[mine, "open"] += 1
        except crypto.DecryptionError as error:
            tally[mine, "refuse"] += 1
            reasons.add(str(error))
    theirs = tally[True, "open"] + tally[True, "refuse"]
    others = tally[False, "open"] + tally[False, "refuse"]
    opened = tally[True, "open"] + tally[False, "open"]
    refused = tally[True, "refuse"] + tally[False, "refuse"]
    report.found(
        f"texts checked in the restored backup with the live keys: {len(texts)}; {opened} open, "
        f"{refused} refuse. The deleted person's: {theirs}, {tally[True, 'open']} open, "
        f"{tally[True, 'refuse']} refuse; everyone else's: {others}, "
        f"{tally[False, 'open']} open, {tally[False, 'refuse']} refuse"
        + (f" ({'; '.join(sorted(reasons))})" if reasons else ""),
        shred_texts=len(texts),
        shred_open=opened,
        shred_refused=refused,
        shred_deleted_texts=theirs,
        shred_deleted_open=tally[True, "open"],
        shred_others_texts=others,
        shred_others_refused=tally[False, "refuse"],
    )
    report.check(
        theirs > 0 and tally[True, "refuse"] == theirs,
        f"none of the deleted person's {theirs} texts in the backup opens with the live keys",
    )
    report.check(
        others > 0 and tally[False, "open"] == others,
        f"every other person's text in the backup still opens ({tally[False, 'open']}/{others})",
    )


parser = arguments(__doc__.splitlines()[0], users=4)
parser.add_argument("--entries", type=int, default=9, help="entries each client writes")
main = main_for(run, parser, "Drill: backup, drop the database, restore")

if __name__ == "__main__":
    exit_with(main)
