//! The command line. Every command reads the same configuration as the
//! server: defaults, then `--config FILE`, then `MAILLAGE_*` variables.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use maillage_core::account::Role;

#[derive(Debug, Parser)]
#[command(
    name = "maillage",
    version,
    about = "A federated server for the people of a territory to co-produce goods, services and knowledge",
    after_help = "Configuration: see config/maillage.example.toml. Environment variables such as \
                  MAILLAGE_DOMAIN, MAILLAGE_BIND and MAILLAGE_DATABASE_URL override the file."
)]
pub struct Cli {
    /// Configuration file (TOML); without it, built-in defaults and the environment apply.
    #[arg(long, short = 'c', global = true, env = "MAILLAGE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the node: apply pending migrations, then serve HTTP until SIGTERM or SIGINT.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Validate the configuration without starting; exit code 2 when it is invalid.
    CheckConfig,
    /// Administration tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Manage local accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Federation policies: mode, domain blocks and allows, content filters, blocklist CSV.
    #[command(subcommand)]
    Federation(FederationCommand),
    /// Links with other territories.
    #[command(subcommand)]
    Territory(TerritoryCommand),
    /// The time-credit ledger.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Outgoing e-mail.
    #[command(subcommand)]
    Mail(MailCommand),
    /// The gazetteer: towns and postcodes that searches "near" accept by name.
    #[command(subcommand)]
    Places(PlacesCommand),
    /// Photos and other media: moving them to S3-compatible storage, pruning copies.
    #[command(subcommand)]
    Media(MediaCommand),
}

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Copy every media file from the disk (media.path) to the S3 bucket of the media.s3_* keys. Run again if cut short; the disk copies stay until you remove them.
    Migrate,
    /// Remove copies of other servers' media older than media.remote_cache_days (they are copied again when shown), and uploads never attached.
    Prune {
        /// Remove copies older than this many days instead (0: all of them).
        #[arg(long)]
        older_than_days: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlacesCommand {
    /// Load a GeoNames dump (e.g. FR.txt from https://download.geonames.org/export/dump/) or a French communes CSV (data.gouv, La Poste). Importing again updates; a file with more than 1% malformed lines is refused whole.
    Import { file: PathBuf },
    /// Show the places a text means, best first (as the search's "near" field reads it).
    Find { text: String },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Queue a test mail to each address (the running node sends them), to check `[mail]`.
    Test {
        #[arg(required = true)]
        addresses: Vec<String>,
    },
    /// How many mails wait to be sent.
    Pending,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Check that every balance equals the sum of its movements, that every transfer is two opposite movements, and that all balances sum to zero. Exits 1 when not.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum FederationCommand {
    /// Show the federation mode, or set it: open, blocklist (all but the blocked) or allowlist (only the allowed).
    Mode { mode: Option<String> },
    /// Block a domain (and its subdomains; *.example.org for the subdomains only), or change its block.
    Block(BlockArgs),
    /// Remove a domain's block.
    Unblock { domain: String },
    /// Allow a domain (in allowlist mode, only allowed domains federate).
    Allow { domain: String },
    /// Remove a domain's allow.
    Disallow { domain: String },
    /// List the mode, blocks, allows and content filters.
    List,
    /// Import a blocklist in Mastodon's CSV format (FILE, or - for standard input); all or nothing.
    Import { file: PathBuf },
    /// Export every block in Mastodon's CSV format (to FILE, or standard output).
    Export { file: Option<PathBuf> },
    /// Content filters.
    #[command(subcommand)]
    Filter(FilterCommand),
}

#[derive(Debug, Args)]
pub struct BlockArgs {
    pub domain: String,
    /// suspend (refuse everything, purge), limit (keep out of public views) or noop (flags only).
    #[arg(long, default_value = "suspend")]
    pub severity: String,
    #[arg(long)]
    pub reject_media: bool,
    #[arg(long)]
    pub reject_reports: bool,
    #[arg(long, default_value = "")]
    pub public_comment: String,
    #[arg(long, default_value = "")]
    pub private_comment: String,
    /// Show the domain partly starred in the public list.
    #[arg(long)]
    pub obfuscate: bool,
}

#[derive(Debug, Subcommand)]
pub enum FilterCommand {
    /// Add a filter: KIND is keyword, hashtag, object_types (with --domain), max_distance_km or max_age_days.
    Add {
        kind: String,
        value: String,
        #[arg(long)]
        domain: Option<String>,
        /// reject (drop the object) or flag (keep it and report it to moderators).
        #[arg(long, default_value = "reject")]
        action: String,
    },
    /// Remove a filter by id.
    Remove { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum TerritoryCommand {
    /// Propose a link to another territory (a domain, a handle or an actor URL); the server delivers it.
    Link {
        domain: String,
        #[arg(long, default_value = "full")]
        level: String,
    },
    /// Approve the link another territory proposed.
    Approve { domain: String },
    /// End the link with another territory.
    Unlink { domain: String },
    /// List links and their state.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an active account. Without --password-stdin a password is generated and printed.
    Create(CreateUser),
    /// List every local account.
    List,
    /// Change an account's role.
    Role {
        username: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Set a new password (generated and printed unless --password-stdin); revokes the account's tokens.
    Password {
        username: String,
        /// Read the new password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: it can no longer log in and its tokens are revoked.
    Disable { username: String },
    /// Re-enable a disabled account.
    Enable { username: String },
    /// Approve an account awaiting approval (registration mode "approval").
    Approve { username: String },
}

#[derive(Debug, Args)]
pub struct CreateUser {
    /// Letters a-z, digits and underscores, 1 to 30 characters.
    pub username: String,
    #[arg(long)]
    pub email: String,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    #[arg(long, value_enum, default_value_t = RoleArg::Member)]
    pub role: RoleArg,
    /// Name shown to others; defaults to empty (apps then show the username).
    #[arg(long, default_value = "")]
    pub display_name: String,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a bearer token and print only the token on standard output.
    Create {
        #[arg(long)]
        user: String,
        /// Space-separated OAuth scopes, e.g. "read write follow".
        #[arg(long, default_value = "read")]
        scopes: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Member,
    Moderator,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Member => Role::Member,
            RoleArg::Moderator => Role::Moderator,
            RoleArg::Admin => Role::Admin,
        }
    }
}
