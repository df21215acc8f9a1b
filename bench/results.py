"""What a benchmark reports: one figure, its unit and the target it is held to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    figure: float
    unit: str
    target: str
    met: bool

    def line(self) -> str:
        mark = "" if self.met else "  MISSED"
        return f"{self.name}: {self.figure:,.2f} {self.unit} (target {self.target}){mark}"


def at_least(name: str, figure: float, unit: str, minimum: float) -> Result:
    return Result(name, figure, unit, f">= {minimum:,g} {unit}", figure >= minimum)


def at_most(name: str, figure: float, unit: str, maximum: float) -> Result:
    return Result(name, figure, unit, f"<= {maximum:,g} {unit}", figure <= maximum)


Benchmark = Callable[[], list[Result]]
