//! The limits of a session (an event people sign up for), shared by the
//! form's checks and by what is read from other servers.

pub const TITLE_MAX: usize = 200;
pub const PLACE_NAME_MAX: usize = 200;
/// Characters of a description, as for listings.
pub const DESCRIPTION_MAX: usize = 5000;
pub const CAPACITY_MAX: i32 = 100_000;
