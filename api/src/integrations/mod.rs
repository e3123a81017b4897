//! The integrations floor: other district systems talking to this one, through the domains'
//! services (never their resolvers): the SIS bulk push (`sync`), the OneRoster 1.2 CSV import
//! (`oneroster`), and what BI tools pull (`bi`: the change feed).

pub mod bi;
pub mod oneroster;
pub mod sync;
