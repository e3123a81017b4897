//! The integrations floor: other district systems talking to this one, through the domains'
//! services (never their resolvers). Today the SIS bulk push (`sync`) and the
//! OneRoster CSV reader (`oneroster`).

pub mod oneroster;
pub mod sync;
