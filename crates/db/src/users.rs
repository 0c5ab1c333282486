//! The `users` table: local accounts.

use diesel::prelude::*;
use maillage_core::account::{AccountState, Role};
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;

use crate::connection::DbConnection;
use crate::error::{db_error, is_unique_violation_on};
use crate::schema::users;

/// A local account as stored. Never serialized to clients.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub username_lower: String,
    pub email: String,
    pub email_lower: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub state: String,
    pub registration_reason: String,
    pub locale: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_login_at: Option<i64>,
    /// IANA name; empty for the territory's.
    pub timezone: String,
    /// Secret of their private calendar address; empty until asked for.
    pub calendar_token: String,
}

impl UserRow {
    pub fn id(&self) -> Id {
        Id::from_i64(self.id)
    }

    /// The stored role; a value the CHECK constraint let through but this
    /// version does not know is a corrupt row, reported as an internal error.
    pub fn role(&self) -> Result<Role, Error> {
        self.role.parse().map_err(|_| Error::internal(format!("user {} has role {:?}", self.id, self.role)))
    }

    pub fn state(&self) -> Result<AccountState, Error> {
        self.state
            .parse()
            .map_err(|_| Error::internal(format!("user {} has state {:?}", self.id, self.state)))
    }

    pub fn created_at(&self) -> Timestamp {
        Timestamp::from_micros(self.created_at)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: i64,
    pub username: &'a str,
    pub username_lower: &'a str,
    pub email: &'a str,
    pub email_lower: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub state: &'a str,
    pub registration_reason: &'a str,
    pub locale: &'a str,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Inserts a user; a taken username or e-mail address is a 409 that says
/// which one.
pub fn insert(conn: &mut DbConnection, user: &NewUser<'_>) -> Result<(), Error> {
    diesel::insert_into(users::table).values(user).execute(conn).map(drop).map_err(|e| {
        if is_unique_violation_on(&e, "username_lower") {
            Error::conflict(format!("username \"{}\" is already taken", user.username)).with_cause(e)
        } else if is_unique_violation_on(&e, "email_lower") {
            Error::conflict("this e-mail address is already in use").with_cause(e)
        } else {
            db_error(e)
        }
    })
}

pub fn find_by_id(conn: &mut DbConnection, id: Id) -> Result<Option<UserRow>, Error> {
    users::table.find(id.as_i64()).select(UserRow::as_select()).first(conn).optional().map_err(db_error)
}

/// Looks a user up by the lower-case username.
pub fn find_by_username(conn: &mut DbConnection, canonical: &str) -> Result<Option<UserRow>, Error> {
    users::table
        .filter(users::username_lower.eq(canonical))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

/// Looks a user up by the lower-case e-mail address.
pub fn find_by_email(conn: &mut DbConnection, canonical: &str) -> Result<Option<UserRow>, Error> {
    users::table
        .filter(users::email_lower.eq(canonical))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn list(conn: &mut DbConnection, limit: i64, after_id: Option<Id>) -> Result<Vec<UserRow>, Error> {
    let mut query =
        users::table.select(UserRow::as_select()).order(users::id.asc()).limit(limit).into_boxed();
    if let Some(after) = after_id {
        query = query.filter(users::id.gt(after.as_i64()));
    }
    query.load(conn).map_err(db_error)
}

pub fn count_by_state(conn: &mut DbConnection, state: AccountState) -> Result<i64, Error> {
    users::table.filter(users::state.eq(state.as_str())).count().get_result(conn).map_err(db_error)
}

fn update_one(affected: QueryResult<usize>, id: Id) -> Result<(), Error> {
    match affected.map_err(db_error)? {
        0 => Err(Error::not_found(format!("no user with id {id}"))),
        _ => Ok(()),
    }
}

pub fn set_role(conn: &mut DbConnection, id: Id, role: Role, now: Timestamp) -> Result<(), Error> {
    let affected = diesel::update(users::table.find(id.as_i64()))
        .set((users::role.eq(role.as_str()), users::updated_at.eq(now.as_micros())))
        .execute(conn);
    update_one(affected, id)
}

pub fn set_state(conn: &mut DbConnection, id: Id, state: AccountState, now: Timestamp) -> Result<(), Error> {
    let affected = diesel::update(users::table.find(id.as_i64()))
        .set((users::state.eq(state.as_str()), users::updated_at.eq(now.as_micros())))
        .execute(conn);
    update_one(affected, id)
}

pub fn set_password_hash(conn: &mut DbConnection, id: Id, hash: &str, now: Timestamp) -> Result<(), Error> {
    let affected = diesel::update(users::table.find(id.as_i64()))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now.as_micros())))
        .execute(conn);
    update_one(affected, id)
}

pub fn touch_login(conn: &mut DbConnection, id: Id, now: Timestamp) -> Result<(), Error> {
    let affected = diesel::update(users::table.find(id.as_i64()))
        .set(users::last_login_at.eq(now.as_micros()))
        .execute(conn);
    update_one(affected, id)
}

/// A person's language (`fr`, `en`) and time zone (an IANA name, empty
/// for the territory's).
pub fn set_locale_and_zone(conn: &mut DbConnection, id: Id, locale: &str, zone: &str) -> Result<(), Error> {
    let affected = diesel::update(users::table.find(id.as_i64()))
        .set((users::locale.eq(locale), users::timezone.eq(zone)))
        .execute(conn);
    update_one(affected, id)
}

pub fn set_calendar_token(conn: &mut DbConnection, id: Id, token: &str) -> Result<(), Error> {
    let affected =
        diesel::update(users::table.find(id.as_i64())).set(users::calendar_token.eq(token)).execute(conn);
    update_one(affected, id)
}

/// The person whose private calendar address holds `token`.
pub fn find_by_calendar_token(conn: &mut DbConnection, token: &str) -> Result<Option<UserRow>, Error> {
    if token.is_empty() {
        return Ok(None);
    }
    users::table
        .filter(users::calendar_token.eq(token))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
        .map_err(db_error)
}

pub fn set_display_name(conn: &mut DbConnection, id: Id, name: &str) -> Result<(), Error> {
    let affected =
        diesel::update(users::table.find(id.as_i64())).set(users::display_name.eq(name)).execute(conn);
    update_one(affected, id)
}

/// The ids of the active admins and moderators, who hear of reports.
pub fn staff(conn: &mut DbConnection) -> Result<Vec<Id>, Error> {
    users::table
        .filter(users::role.eq_any(["admin", "moderator"]))
        .filter(users::state.eq("active"))
        .select(users::id)
        .load::<i64>(conn)
        .map(|ids| ids.into_iter().map(Id::from_i64).collect())
        .map_err(db_error)
}
