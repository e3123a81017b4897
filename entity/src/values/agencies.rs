//! The values of the agency directory, consent, referrals to agencies and disclosures.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Whether a service is offered (HSDS `service.status`).
    ServiceStatus {
        Active = "active",
        Inactive = "inactive",
        Defunct = "defunct",
        TemporarilyClosed = "temporarily closed",
    }
);

text_enum!(
    /// What kind of place a location is (HSDS `location.location_type`).
    LocationType {
        Physical = "physical",
        Postal = "postal",
        Virtual = "virtual",
    }
);

text_enum!(
    /// What a consent lets go to the parties it names.
    ConsentField {
        Name = "NAME",
        BirthDate = "BIRTH_DATE",
        Grade = "GRADE",
        School = "SCHOOL",
        GuardianContact = "GUARDIAN_CONTACT",
        Needs = "NEEDS",
    }
);

text_enum!(
    /// Where a referral to an agency stands: the HL7 FHIR Task status.
    AgencyReferralStatus {
        Draft = "DRAFT",
        Requested = "REQUESTED",
        Accepted = "ACCEPTED",
        Rejected = "REJECTED",
        InProgress = "IN_PROGRESS",
        OnHold = "ON_HOLD",
        Completed = "COMPLETED",
        Failed = "FAILED",
        Cancelled = "CANCELLED",
        EnteredInError = "ENTERED_IN_ERROR",
    }
);

text_enum!(
    /// What came of a referral to an agency.
    ReferralOutcome {
        GotHelp = "GOT_HELP",
        NoCapacity = "NO_CAPACITY",
        NotEligible = "NOT_ELIGIBLE",
        CouldNotContact = "COULD_NOT_CONTACT",
        NoLongerInterested = "NO_LONGER_INTERESTED",
        ReferredElsewhere = "REFERRED_ELSEWHERE",
    }
);

text_enum!(
    /// Who outside the district received a student's data.
    PartyType {
        Agency = "AGENCY",
        ExportClient = "EXPORT_CLIENT",
    }
);

text_enum!(
    /// The legal ground of a disclosure (34 CFR 99.30 and 99.31).
    DisclosureBasis {
        Consent = "CONSENT",
        SchoolOfficial = "SCHOOL_OFFICIAL",
        HealthOrSafetyEmergency = "HEALTH_OR_SAFETY_EMERGENCY",
        CourtOrder = "COURT_ORDER",
        StudiesOrAudit = "STUDIES_OR_AUDIT",
        None = "NONE",
    }
);
