//! The reader's tests: sets that read (`valid`) and sets refused (`malformed`), all built by
//! the fixture builders of `kit`.

mod kit;
mod malformed;
mod valid;
