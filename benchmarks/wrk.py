"""Reading wrk's report: requests/s, latency percentiles and errors."""

import re
from dataclasses import dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers and socket errors
    requests: int


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse(output: str) -> Figures:
    # Anchored: "62.50%" in the thread stats must not pass for the 50th percentile.
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Figures(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        errors=(int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
    )
