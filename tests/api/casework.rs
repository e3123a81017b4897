//! Casework: referrals to the social worker, the cases they open, and caseloads.

mod audit;
mod caseload;
mod contacts;
mod demo;
mod groups;
mod minutes;
mod referrals;
mod safety;
mod truancy;
