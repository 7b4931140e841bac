"""Database tables and the API shapes around them, one module per resource.

Importing this package registers every table on ``SQLModel.metadata`` (Alembic reads it from here).
"""

from service_catalog.models.audit import AuditEntry
from service_catalog.models.feedback import Feedback, LabCase, SharedMessage
from service_catalog.models.maintainer import Maintainer, MaintainerMunicipality
from service_catalog.models.municipality import DoorAbsence, Municipality
from service_catalog.models.routing_rule import RoutingRule
from service_catalog.models.service import ClosedDate, Schedule, Service, ServiceArea

__all__ = [
    "AuditEntry",
    "ClosedDate",
    "DoorAbsence",
    "Feedback",
    "LabCase",
    "Maintainer",
    "MaintainerMunicipality",
    "Municipality",
    "RoutingRule",
    "Schedule",
    "Service",
    "ServiceArea",
    "SharedMessage",
]
