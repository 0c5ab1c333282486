//! What a person shares with the other side of an exchange once an
//! interest is accepted: their e-mail address, a phone number, a free
//! text. Sent as a private message into the exchange's conversation, by
//! each side's own node, never before the acceptance and never in public.

use maillage_core::account::User;
use maillage_core::i18n::Lang;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::blocks::{self, ContactRow};
use maillage_db::{transaction, users, DbConnection};

use maillage_core::html::escape_html;

pub const PHONE_MAX: usize = 40;
pub const OTHER_MAX: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub share_email: bool,
    pub phone: String,
    pub other: String,
}

pub fn get(conn: &mut DbConnection, user: Id) -> Result<Contact, Error> {
    Ok(blocks::contact(conn, user.as_i64())?
        .map(|r| Contact { share_email: r.share_email, phone: r.phone, other: r.other })
        .unwrap_or_default())
}

/// Checks and stores `user`'s choice; each problem names its field.
pub fn set(conn: &mut DbConnection, user: &User, contact: &Contact) -> Result<(), Error> {
    let phone = contact.phone.trim();
    if phone.chars().count() > PHONE_MAX {
        return Err(Error::unprocessable(format!(
            "Validation failed: phone: at most {PHONE_MAX} characters"
        )));
    }
    if !phone.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c)) {
        return Err(Error::unprocessable(
            "Validation failed: phone: only digits, spaces and + - . ( ) are allowed",
        ));
    }
    let other = contact.other.trim();
    if other.chars().count() > OTHER_MAX {
        return Err(Error::unprocessable(format!(
            "Validation failed: other: at most {OTHER_MAX} characters"
        )));
    }
    transaction::write(conn, |conn| {
        blocks::set_contact(
            conn,
            &ContactRow {
                user_id: user.id.as_i64(),
                share_email: contact.share_email,
                phone: phone.to_owned(),
                other: other.to_owned(),
                updated_at: Timestamp::now().as_micros(),
            },
        )
    })
}

/// The message that gives `user`'s details, in their language; `None`
/// when they chose to share nothing.
pub fn message_html(conn: &mut DbConnection, user: Id) -> Result<Option<String>, Error> {
    let Some(row) = users::find_by_id(conn, user)? else { return Ok(None) };
    let contact = get(conn, user)?;
    let lang = Lang::of_tag(&row.locale);
    let mut lines = Vec::new();
    if contact.share_email {
        let email = escape_html(&row.email);
        lines.push(format!(
            "{}{} <a href=\"mailto:{email}\">{email}</a>",
            lang.t("conv_contact_email"),
            colon(lang)
        ));
    }
    if !contact.phone.is_empty() {
        let phone = escape_html(&contact.phone);
        let tel: String = contact.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        lines.push(format!(
            "{}{} <a href=\"tel:{tel}\">{phone}</a>",
            lang.t("conv_contact_phone"),
            colon(lang)
        ));
    }
    if !contact.other.is_empty() {
        lines.push(escape_html(&contact.other).replace('\n', "<br>"));
    }
    if lines.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!("<p>{}</p><p>{}</p>", lang.t("conv_contact_intro"), lines.join("<br>"))))
}

/// French puts a space before a colon.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}:",
        Lang::En => ":",
    }
}
