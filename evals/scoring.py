"""Precision and recall tallies shared by the eval scripts (any-overlap span matching)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tally:
    """Counts for precision (hits of the predictions) and recall (gold items found)."""

    predicted: int = 0
    hits: int = 0
    gold: int = 0
    found: int = 0
    pairs: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, hit)

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label:<22} precision {self.precision:.3f} ({self.hits}/{self.predicted})  "
            f"recall {self.recall:.3f} ({self.found}/{self.gold})"
        )

    def cell(self) -> str:
        return f"{self.precision:.2f} / {self.recall:.2f} / {self.f1:.2f}"
