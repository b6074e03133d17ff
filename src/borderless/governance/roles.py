"""What each role may do. Owner-only changes are enforced separately (by `access.may_change`)."""

from enum import StrEnum

from borderless.domain.agencies import Principal
from borderless.domain.codes import Role
from borderless.errors import PermissionDenied


class Permission(StrEnum):
    READ_RECORDS = "read_records"
    WRITE_RECORDS = "write_records"
    IMPORT = "import"
    EXPORT = "export"
    READ_AUDIT = "read_audit"
    MANAGE_USERS = "manage_users"  # users and tokens of one's own agency
    MANAGE_AGENCIES = "manage_agencies"  # admins of the hub agency only
    RUN_RETENTION = "run_retention"
    COOPERATE = "cooperate"  # messages, requests, case workspaces
    REVIEW_NOTICES = "review_notices"  # supervisors of the hub agency only
    COOPERATION_FIGURES = "cooperation_figures"  # oversight figures on cooperation
    MANAGE_AGENCY_PROFILE = "manage_agency_profile"  # liaison contacts, webhooks
    ANALYSE_FLOWS = "analyse_flows"  # trace money, detect typologies, map networks
    SCREEN_TRAVELLERS = "screen_travellers"  # passenger data: intake, screening, hit queue


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OFFICER: frozenset({Permission.READ_RECORDS, Permission.COOPERATE}),
    Role.ANALYST: frozenset(
        {
            Permission.READ_RECORDS,
            Permission.WRITE_RECORDS,
            Permission.IMPORT,
            Permission.EXPORT,
            Permission.COOPERATE,
            Permission.ANALYSE_FLOWS,
            Permission.SCREEN_TRAVELLERS,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.READ_RECORDS,
            Permission.WRITE_RECORDS,
            Permission.IMPORT,
            Permission.EXPORT,
            Permission.COOPERATE,
            Permission.REVIEW_NOTICES,
            Permission.COOPERATION_FIGURES,
            Permission.ANALYSE_FLOWS,
            Permission.SCREEN_TRAVELLERS,
        }
    ),
    Role.AUDITOR: frozenset({Permission.READ_AUDIT, Permission.COOPERATION_FIGURES}),
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_AGENCIES,
            Permission.IMPORT,
            Permission.RUN_RETENTION,
            Permission.MANAGE_AGENCY_PROFILE,
        }
    ),
}


# The local operator administers the node but reads and writes records only as a named user.
OPERATOR_GRANTS = frozenset(
    {
        Permission.IMPORT,
        Permission.READ_AUDIT,
        Permission.MANAGE_USERS,
        Permission.MANAGE_AGENCIES,
        Permission.RUN_RETENTION,
        Permission.MANAGE_AGENCY_PROFILE,
    }
)


# Node-wide administration belongs to the hub agency's admins.
NODE_WIDE = frozenset({Permission.MANAGE_AGENCIES, Permission.RUN_RETENTION})


def allowed(principal: Principal, permission: Permission) -> bool:
    if principal.operator:
        return permission in OPERATOR_GRANTS
    if permission in NODE_WIDE and not principal.is_hub:
        return False
    return permission in GRANTS[principal.role]


def require(principal: Principal, permission: Permission) -> None:
    if not allowed(principal, permission):
        raise PermissionDenied(
            f"role '{principal.role.value}' of agency {principal.agency} may not {permission.value}"
        )
