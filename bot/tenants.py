"""Which Microsoft 365 tenants the bot serves; activities from any other tenant are dropped."""

from __future__ import annotations

import logging

from bot.activity import Activity

log = logging.getLogger(__name__)


class TenantGate:
    """An empty allow-list admits every tenant: fine on a laptop, never in production."""

    def __init__(self, allowed: frozenset[str] = frozenset()) -> None:
        self._allowed = frozenset(tenant.lower() for tenant in allowed)

    def admits(self, activity: Activity) -> bool:
        if not self._allowed:
            return True
        tenant = activity.tenant_id
        if tenant is not None and tenant.lower() in self._allowed:
            return True
        # Only the tenant and the activity type: never what was written or by whom.
        log.warning(
            "Dropped an activity from a tenant that is not allowed: tenant=%r type=%r",
            (tenant or "saknas")[:64],
            str(activity.type)[:40],
        )
        return False
