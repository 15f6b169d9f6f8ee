"""How a drill tells what it did and what it found, and decides pass or fail."""

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from .infra import DrillError


class Report:
    def __init__(self, title: str):
        self.title = title
        self.started = time.monotonic()
        self.failures: list[str] = []
        self.figures: dict[str, object] = {}
        print(f"\n== {title}", flush=True)

    def _line(self, tag: str, text: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {tag:5} {text}", flush=True)

    def did(self, text: str) -> None:
        self._line("did", text)

    def found(self, text: str, **figures: object) -> None:
        """A finding; `figures` are kept for the JSON summary the pytest wrappers read."""
        self._line("found", text)
        self.figures.update(figures)

    def check(self, ok: bool, text: str) -> bool:
        """A condition the drill requires; a failed one makes the drill fail."""
        self._line("ok" if ok else "FAIL", text)
        if not ok:
            self.failures.append(text)
        return ok

    def finish(self) -> int:
        seconds = time.monotonic() - self.started
        if self.failures:
            print(f"-> FAILED in {seconds:.0f}s: " + "; ".join(self.failures), flush=True)
            return 1
        print(f"-> passed in {seconds:.0f}s", flush=True)
        return 0

    def summary(self) -> dict:
        return {"title": self.title, "failures": self.failures, "figures": self.figures}


# Options that mean the same in every drill that has them: name -> (type, help).
SHARED_OPTIONS = {
    "users": (int, "signed-in users generating the load"),
    "workers": (int, "gunicorn sync workers"),
    "before": (float, "seconds of load before the fault"),
    "after": (float, "seconds of load after it"),
    "pause": (float, "each user's pause between requests"),
    "timeout": (float, "seconds to wait for the nudges to go out"),
    "nudged": (int, "reminders that fall due during the drill"),
    "kill_after": (int, "kill the worker once this many nudges are sent"),
    "visibility": (int, "CELERY_VISIBILITY, seconds"),
}


def arguments(description: str, **defaults: float) -> argparse.ArgumentParser:
    """A drill's options: --json, then the shared options named in `defaults` (with their
    defaults); the drill adds its own after."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", type=Path, help="also write the findings to this file")
    for name, default in defaults.items():
        kind, help_text = SHARED_OPTIONS[name]
        option = "--" + name.replace("_", "-")
        parser.add_argument(option, type=kind, default=default, help=help_text)
    return parser


def main_for(run: Callable[[argparse.Namespace, Report], None], parser, title: str) -> Callable:
    """A drill's main(): parse, run, print the verdict, write --json, return the exit code."""

    def main(argv: list[str] | None = None) -> int:
        args = parser.parse_args(argv)
        report = Report(title)
        try:
            run(args, report)
        except DrillError as error:
            report.check(False, f"the drill could not run: {error}")
        except Exception:
            traceback.print_exc()
            report.check(False, "the drill itself crashed (traceback above)")
        code = report.finish()
        if args.json:
            args.json.write_text(json.dumps(report.summary(), indent=2, default=str))
        return code

    return main


def exit_with(main: Callable[[], int]) -> None:
    sys.exit(main())
