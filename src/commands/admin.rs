//! `maillage admin …`: account and token administration from the shell.

use std::io::BufRead;

use maillage_core::account::User;
use maillage_core::config::Config;
use maillage_core::Error;
use maillage_service::accounts::{self, NewAccount};
use maillage_service::tokens;

use super::open_database;
use crate::cli::{AdminCommand, LedgerCommand, MailCommand, TokenCommand, UserCommand};
use crate::exit::CommandError;

pub fn run(config: &Config, cmd: AdminCommand) -> Result<(), CommandError> {
    let pool = open_database(config)?;
    let cmd = match cmd {
        AdminCommand::Federation(cmd) => return super::federation::run(config, &pool, cmd),
        AdminCommand::Territory(cmd) => return super::federation::territory(config, pool, cmd),
        AdminCommand::Places(cmd) => return super::places::run(config, &pool, cmd),
        AdminCommand::Media(cmd) => return super::media::run(config, pool, cmd),
        cmd => cmd,
    };
    let mut conn = pool.get()?;
    let conn = &mut *conn;
    match cmd {
        AdminCommand::User(UserCommand::Create(args)) => {
            let password = args.password_stdin.then(read_password_from_stdin).transpose()?;
            let new = NewAccount {
                username: &args.username,
                email: &args.email,
                password: password.as_deref(),
                display_name: &args.display_name,
                locale: config.territory.languages.first().map(String::as_str).unwrap_or(""),
                reason: "",
            };
            let created = accounts::create_by_admin(conn, &config.local_urls(), &new, args.role.into())?;
            println!(
                "created {} ({}) with role {}",
                created.user.username, created.user.email, created.user.role
            );
            if let Some(pw) = created.generated_password {
                println!("password: {pw}");
            }
        }
        AdminCommand::User(UserCommand::List) => print_users(&accounts::list(conn)?),
        AdminCommand::User(UserCommand::Role { username, role }) => {
            let user = accounts::set_role(conn, &username, role.into())?;
            println!("{} is now {}", user.username, user.role);
        }
        AdminCommand::User(UserCommand::Password { username, password_stdin }) => {
            let password = password_stdin.then(read_password_from_stdin).transpose()?;
            let generated = accounts::set_password(conn, &username, password.as_deref())?;
            println!("password of {username} changed; its tokens are revoked");
            if let Some(pw) = generated {
                println!("password: {pw}");
            }
        }
        AdminCommand::User(UserCommand::Disable { username }) => {
            let user = accounts::disable(conn, &username)?;
            println!("{} is disabled; its tokens are revoked", user.username);
        }
        AdminCommand::User(UserCommand::Enable { username }) => {
            let user = accounts::enable(conn, &username)?;
            println!("{} is active", user.username);
        }
        AdminCommand::User(UserCommand::Approve { username }) => {
            let user = accounts::approve(conn, &username)?;
            println!("{} is approved", user.username);
        }
        AdminCommand::Mail(MailCommand::Test { addresses }) => {
            if !config.mail.enabled() {
                return Err(CommandError::from(Error::unprocessable(
                    "mail.smtp_url is not set: this node sends no mail",
                )));
            }
            for address in &addresses {
                maillage_service::mail::queue_test(conn, config, address)?;
                println!("queued a test mail to {address}");
            }
        }
        AdminCommand::Mail(MailCommand::Pending) => {
            println!("{}", maillage_service::mail::pending_count(conn)?);
        }
        AdminCommand::Token(TokenCommand::Create { user, scopes }) => {
            let issued = tokens::issue_for_username(conn, &user, &scopes)?;
            println!("{}", issued.token);
        }
        AdminCommand::Ledger(LedgerCommand::Verify) => {
            let problems = maillage_service::ledger::verify(conn)?;
            if !problems.is_empty() {
                for p in &problems {
                    eprintln!("{p}");
                }
                return Err(CommandError::Other(format!(
                    "the ledger is inconsistent: {} problem(s)",
                    problems.len()
                )));
            }
            println!("the ledger is consistent");
        }
        AdminCommand::Federation(_)
        | AdminCommand::Territory(_)
        | AdminCommand::Places(_)
        | AdminCommand::Media(_) => {}
    }
    Ok(())
}

/// The first line of standard input, without its line ending.
fn read_password_from_stdin() -> Result<String, CommandError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CommandError::Other(format!("cannot read standard input: {e}")))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(Error::unprocessable("--password-stdin: no password on standard input").into());
    }
    Ok(password)
}

fn print_users(users: &[User]) {
    let width = users.iter().map(|u| u.username.len()).max().unwrap_or(8).max(8);
    let email_width = users.iter().map(|u| u.email.len()).max().unwrap_or(5).max(5);
    println!(
        "{:<20} {:<width$} {:<email_width$} {:<9} {:<8} CREATED",
        "ID", "USERNAME", "EMAIL", "ROLE", "STATE"
    );
    for u in users {
        println!(
            "{:<20} {:<width$} {:<email_width$} {:<9} {:<8} {}",
            u.id.to_string(),
            u.username,
            u.email,
            u.role.as_str(),
            u.state.as_str(),
            u.created_at
        );
    }
}
