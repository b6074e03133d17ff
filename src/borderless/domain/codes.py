"""Fixed vocabularies shared by every layer.

They are `StrEnum`s so that they serialise to the same strings in JSON, the database,
the CLI and the API.
"""

from enum import StrEnum


class AgencyKind(StrEnum):
    POLICE = "police"
    FIU = "fiu"
    BORDER = "border"  # border guard and customs
    PROSECUTOR = "prosecutor"
    NCB = "ncb"  # national central bureau
    HUB = "hub"  # publishes shared lists (UN, sanctions) to all members


class Role(StrEnum):
    OFFICER = "officer"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"  # also the compliance reviewer
    AUDITOR = "auditor"
    ADMIN = "admin"


class Purpose(StrEnum):
    """Why a request reads or changes records; every such request states one."""

    LOCATE_WANTED_PERSON = "locate_wanted_person"
    IDENTIFY = "identify"  # identify a person or an object
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    COUNTER_TERRORISM = "counter_terrorism"
    BORDER_CONTROL = "border_control"
    FINANCIAL_INVESTIGATION = "financial_investigation"
    SECURITY_CHECK = "security_check"
    DATA_MANAGEMENT = "data_management"  # the owner maintaining its own data (imports, fixes)
    OVERSIGHT = "oversight"  # audit and data-protection review


class HandlingCode(StrEnum):
    """Europol-style handling codes: how a recipient may use the information."""

    H0 = "H0"  # for law-enforcement purposes
    H1 = "H1"  # not for judicial proceedings without the provider's permission
    H2 = "H2"  # not to be disseminated further without the provider's permission
    H3 = "H3"  # other restrictions, stated in free text


class Reliability(StrEnum):
    """Source reliability (Europol 4x4): A reliable, B mostly, C not reliable, X unknown."""

    A = "A"
    B = "B"
    C = "C"
    X = "X"


class Accuracy(StrEnum):
    """Information accuracy (Europol 4x4): 1 known true ... 4 unverified."""

    KNOWN = "1"
    KNOWN_TO_SOURCE = "2"
    NOT_KNOWN_TO_SOURCE = "3"
    CANNOT_BE_JUDGED = "4"


class Dissemination(StrEnum):
    ALL_MEMBERS = "all"
    LISTED = "listed"  # only the listed countries and agencies
    HIT_ONLY = "hit_only"  # others learn that it exists, its reference, kind and owner


class RecordKind(StrEnum):
    PERSON = "person"
    DOCUMENT = "document"
    VEHICLE = "vehicle"
    FIREARM = "firearm"
    BIOMETRIC = "biometric"
    ORGANISATION = "organisation"
    ACCOUNT = "account"
    TRANSACTION = "transaction"
    NOTICE = "notice"
    CASE = "case"


class AliasKind(StrEnum):
    PRIMARY = "primary"
    AKA = "aka"
    FKA = "fka"
    WEAK = "weak"  # low-quality alias


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    UNKNOWN = "unknown"


class DocumentStatus(StrEnum):
    VALID = "valid"
    STOLEN = "stolen"
    LOST = "lost"
    REVOKED = "revoked"
    STOLEN_BLANK = "stolen_blank"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    ID_CARD = "id_card"
    RESIDENCE_PERMIT = "residence_permit"
    VISA = "visa"
    DRIVING_LICENCE = "driving_licence"
    TRAVEL_DOCUMENT = "travel_document"
    NATIONAL_ID = "national_id"  # a national identity number, not a physical document
    OTHER = "other"


class VehicleStatus(StrEnum):
    REGISTERED = "registered"
    STOLEN = "stolen"
    WANTED = "wanted"  # used in a crime
    RECOVERED = "recovered"


class FirearmStatus(StrEnum):
    REGISTERED = "registered"
    LOST = "lost"
    STOLEN = "stolen"
    TRAFFICKED = "trafficked"
    SEIZED = "seized"


class Modality(StrEnum):
    FACE = "face"
    FINGERPRINT = "fingerprint"


class OrganisationKind(StrEnum):
    COMPANY = "company"
    CHARITY = "charity"  # charities and other non-profit organisations
    FRONT_COMPANY = "front_company"
    GROUP = "group"  # e.g. an armed group on a sanctions list
    OTHER = "other"


class NoticeKind(StrEnum):
    RED = "red"  # locate and arrest with a view to extradition
    YELLOW = "yellow"  # locate a missing person
    BLUE = "blue"  # more information about a person
    BLACK = "black"  # unidentified body
    GREEN = "green"  # warning about a person's criminal activities
    ORANGE = "orange"  # imminent threat
    PURPLE = "purple"  # modus operandi
    UNSC = "unsc"  # INTERPOL-UN Security Council special notice


class NoticeStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    REFUSED = "refused"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class AuditAction(StrEnum):
    VIEW = "view"
    LIST = "list"
    SEARCH = "search"
    EXPORT = "export"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"
    PURGE = "purge"
    ADMIN = "admin"  # agencies, users, tokens
    AUDIT_QUERY = "audit_query"
    DENIED = "denied"  # a refused attempt is audited too
    TRACE = "trace"  # following money from or to accounts (finance)
    DETECT = "detect"  # typology scan of the flows an agency may see (finance)
    NETWORK = "network"  # grouping accounts and holders into networks (finance)
    MESSAGE = "message"  # threads between agencies
    NOTICE = "notice"  # notice workflow and compliance review
    REQUEST = "request"  # structured requests, grants and refusals
    CASE = "case"  # case workspaces
    RELEASE = "release"  # a record read under a follow-up grant
    COOPERATION_ADMIN = "coop_admin"  # liaison contacts, webhooks
    PASSENGER_INTAKE = "pax_intake"  # an API/PNR message or manifest stored (travel)
    SCREEN = "screen"  # travellers screened against watchlists (travel)
    ADJUDICATE = "adjudicate"  # a decision on a screening hit (travel)
    MASK = "mask"  # passenger data depersonalised after its masking period (travel)
