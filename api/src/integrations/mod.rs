//! The integrations floor: other district systems talking to this one, through the domains'
//! services (never their resolvers). Today the SIS bulk push (`sync`).

pub mod sync;
