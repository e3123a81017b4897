//! The values of casework: referrals, cases, the service log, assessments and crises.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

text_enum!(
    /// Who referred a student to the social worker.
    ReferrerType {
        Staff = "STAFF",
        Parent = "PARENT",
        SelfReferral = "SELF_REFERRAL",
        Agency = "AGENCY",
        Court = "COURT",
    }
);

text_enum!(
    /// Why a student was referred to the social worker.
    ReferralReason {
        Attendance = "ATTENDANCE",
        Behavior = "BEHAVIOR",
        Academic = "ACADEMIC",
        MentalHealth = "MENTAL_HEALTH",
        BasicNeeds = "BASIC_NEEDS",
        Housing = "HOUSING",
        AbuseNeglect = "ABUSE_NEGLECT",
        Family = "FAMILY",
        Substance = "SUBSTANCE",
        Bullying = "BULLYING",
        Grief = "GRIEF",
        Other = "OTHER",
    }
);

text_enum!(
    /// How soon a referral needs an answer.
    ReferralUrgency {
        Routine = "ROUTINE",
        Soon = "SOON",
        Urgent = "URGENT",
    }
);

text_enum!(
    /// Where a referral to the social worker stands.
    ReferralStatus {
        New = "NEW",
        Assigned = "ASSIGNED",
        InProgress = "IN_PROGRESS",
        Closed = "CLOSED",
    }
);

text_enum!(
    /// A case's area of focus (the four areas of school social work, and three more).
    AreaOfFocus {
        Assessment = "ASSESSMENT",
        DropoutPrevention = "DROPOUT_PREVENTION",
        McKinneyVento = "MCKINNEY_VENTO",
        CrisisIntervention = "CRISIS_INTERVENTION",
        AttendanceTruancy = "ATTENDANCE_TRUANCY",
        SpecialEducation = "SPECIAL_EDUCATION",
        General = "GENERAL",
    }
);

text_enum!(
    /// Why a case was closed.
    CaseClosingReason {
        GoalsMet = "GOALS_MET",
        NoLongerNeeded = "NO_LONGER_NEEDED",
        ReferredOut = "REFERRED_OUT",
        Declined = "DECLINED",
        Transferred = "TRANSFERRED",
        Withdrew = "WITHDREW",
        Graduated = "GRADUATED",
        Other = "OTHER",
    }
);

text_enum!(
    /// The kind of a service contact (DESIGN.md section 2, the service log).
    ContactType {
        IndividualCounseling = "INDIVIDUAL_COUNSELING",
        GroupCounseling = "GROUP_COUNSELING",
        HomeVisit = "HOME_VISIT",
        ParentConference = "PARENT_CONFERENCE",
        StudentConference = "STUDENT_CONFERENCE",
        Consultation = "CONSULTATION",
        ClassroomSupport = "CLASSROOM_SUPPORT",
        CrisisResponse = "CRISIS_RESPONSE",
        SstMeeting = "SST_MEETING",
        IepMeeting = "IEP_MEETING",
        Court = "COURT",
        AgencyContact = "AGENCY_CONTACT",
        PhoneCall = "PHONE_CALL",
        Other = "OTHER",
    }
);

text_enum!(
    /// Where a contact took place.
    ContactSetting {
        InPerson = "IN_PERSON",
        Phone = "PHONE",
        Virtual = "VIRTUAL",
    }
);

text_enum!(
    /// Why a scheduled contact did not happen.
    MissedReason {
        StudentAbsent = "STUDENT_ABSENT",
        ProviderAbsent = "PROVIDER_ABSENT",
        SchoolClosed = "SCHOOL_CLOSED",
        StudentUnavailable = "STUDENT_UNAVAILABLE",
    }
);

text_enum!(
    /// Why a contact is left out of Medicaid billing.
    OmitReason {
        NotACoveredService = "NOT_A_COVERED_SERVICE",
        StudentNotEnrolledInMedicaid = "STUDENT_NOT_ENROLLED_IN_MEDICAID",
        NoParentalConsent = "NO_PARENTAL_CONSENT",
        Other = "OTHER",
    }
);

text_enum!(
    /// Who may read a note's text.
    Confidentiality {
        Standard = "STANDARD",
        Restricted = "RESTRICTED",
    }
);

text_enum!(
    /// The kind of an assessment.
    AssessmentType {
        SocialHistory = "SOCIAL_HISTORY",
        SuicideRiskScreening = "SUICIDE_RISK_SCREENING",
        ThreatAssessment = "THREAT_ASSESSMENT",
        FunctionalBehavior = "FUNCTIONAL_BEHAVIOR",
        SelScreener = "SEL_SCREENER",
        AttendanceBarriers = "ATTENDANCE_BARRIERS",
        Other = "OTHER",
    }
);

text_enum!(
    /// An assessment's risk level.
    RiskLevel {
        Low = "LOW",
        Moderate = "MODERATE",
        High = "HIGH",
    }
);

text_enum!(
    /// The kind of a crisis.
    CrisisType {
        SuicideRisk = "SUICIDE_RISK",
        SelfHarm = "SELF_HARM",
        ThreatOfViolence = "THREAT_OF_VIOLENCE",
        AbuseDisclosure = "ABUSE_DISCLOSURE",
        DeathGrief = "DEATH_GRIEF",
        Runaway = "RUNAWAY",
        DomesticViolence = "DOMESTIC_VIOLENCE",
        Other = "OTHER",
    }
);

text_enum!(
    /// A step of the truancy ladder, in order.
    TruancyStepKind {
        Letter = "LETTER",
        Conference = "CONFERENCE",
        AttendanceContract = "ATTENDANCE_CONTRACT",
        HomeVisit = "HOME_VISIT",
        CourtReferral = "COURT_REFERRAL",
    }
);

text_enum!(
    /// What a counseling group works on.
    GroupTopic {
        AngerManagement = "ANGER_MANAGEMENT",
        SocialSkills = "SOCIAL_SKILLS",
        Grief = "GRIEF",
        CareerPathways = "CAREER_PATHWAYS",
        FamilyChange = "FAMILY_CHANGE",
        StressAndAnxiety = "STRESS_AND_ANXIETY",
        SelfEsteem = "SELF_ESTEEM",
        Substance = "SUBSTANCE",
        Other = "OTHER",
    }
);
