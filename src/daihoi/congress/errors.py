"""Domain errors of the web layer: a stable code for tests and a translated message for people."""

from __future__ import annotations

from typing import Any


class ActionError(Exception):
    """An action refused. `code` is stable; `message` is already translated and says why, with numbers."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            **({"params": self.params} if self.params else {}),
        }
