//! Community agencies: the directory and its searches, consent, closed-loop referrals with
//! their FHIR Task statuses, the agency partner's view, and the records of disclosure.

mod bi;
mod demo;
mod directory;
mod hsds;
mod partner;
mod referrals;
mod roles;
