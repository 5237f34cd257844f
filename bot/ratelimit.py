"""A sliding-window rate limit per key (a user, a session, an address), kept in this process."""
from __future__ import annotations

import time
from collections import defaultdict, deque


class RateLimit:
    """At most `per_minute` events per key in any 60 s (sliding window, this process only)."""

    def __init__(self, per_minute: int):
        self.per_minute = int(per_minute)
        self.seen: dict[str, deque] = defaultdict(deque)
        self.last_prune = time.monotonic()

    def check(self, key: str, now: float | None = None) -> int:
        """0 if allowed (and counted), else the seconds to wait."""
        if self.per_minute <= 0:
            return 0
        now = time.monotonic() if now is None else now
        if now - self.last_prune > 60:
            self.last_prune = now
            for k in [k for k, q in self.seen.items() if not q or now - q[-1] >= 60]:
                del self.seen[k]
        q = self.seen[key]
        while q and now - q[0] >= 60:
            q.popleft()
        if len(q) >= self.per_minute:
            return max(1, int(60 - (now - q[0])) + 1)
        q.append(now)
        return 0
