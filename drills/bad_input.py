"""Drill: bad input against every form, on a throwaway PostgreSQL.

Runs tests/security with FUZZ_SCALE=1: hypothesis-generated form data (unicode of every kind,
huge strings, control characters, tampered ids, choices and links) against every form, more
than 10,000 cases in all, each answered without a 500 and storing nothing when refused; then
stored-XSS payloads typed into every text field, each checked on the owner's and the
therapist's pages: escaped every time, never as typed.
"""

import os

import pytest

from .infra import ROOT, ThrowawayPostgres
from .report import Report, arguments, exit_with, main_for

MINIMUM_CASES = 10_000


class Outcomes:
    """A pytest plugin that keeps which tests failed."""

    def __init__(self):
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.failed.append(report.nodeid)


def run(args, report: Report) -> None:
    postgres = ThrowawayPostgres()
    try:
        postgres.start()
        os.environ.update(
            FUZZ_SCALE=str(args.scale),
            DATABASE_URL=postgres.url("closer"),
            DJANGO_SETTINGS_MODULE="selfhelp.settings_test",
        )
        os.environ.pop("REDIS_URL", None)  # an in-memory cache: the tests clear it
        report.did(f"pytest tests/security with FUZZ_SCALE={args.scale} on a throwaway PostgreSQL")
        outcomes = Outcomes()
        os.chdir(ROOT)
        # -n 0: in this process (not on pyproject's two), so the counts below are what ran.
        options = ["-q", "-p", "no:cacheprovider", "--no-header", "-n", "0", *args.pytest]
        code = pytest.main(["tests/security", *options], plugins=[outcomes])
    finally:
        postgres.remove()

    from tests.security import test_form_fuzz as fuzz
    from tests.security import test_stored_xss as xss

    for name, count in fuzz.EXAMPLES.items():
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(fuzz.STATUSES[name].items()))
        report.found(f"{name:34} {count:6} cases  ({statuses})")
    total = sum(fuzz.EXAMPLES.values())
    report.found(f"{total} generated cases over {len(fuzz.EXAMPLES)} forms and links", cases=total)
    checked = xss.CHECKED
    report.found(
        f"stored XSS: {checked['payloads']} payloads in {len(xss.SHOWN_ON)} text fields, "
        f"{checked['pages']} pages rendered, each page searched for every field as typed; "
        f"{checked['shown_as_text']} places where a field must show escaped",
        xss=dict(checked),
    )
    report.check(
        code == 0 and not outcomes.failed, f"every test passed (failed: {outcomes.failed})"
    )
    report.check(
        total >= MINIMUM_CASES * args.scale, f"at least {MINIMUM_CASES * args.scale:,.0f} cases ran"
    )


parser = arguments(__doc__.splitlines()[0])
parser.add_argument("--scale", type=float, default=1.0, help="FUZZ_SCALE (1 = the full drill)")
parser.add_argument("pytest", nargs="*", help="extra pytest arguments, after --")
main = main_for(run, parser, "Drill: bad input against every form")

if __name__ == "__main__":
    exit_with(main)
