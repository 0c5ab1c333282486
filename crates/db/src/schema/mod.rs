//! Tables, written by hand to match `migrations/{sqlite,postgres}`: the
//! same column types on both backends. One file per part of the node;
//! the joins and the tables that may meet in one query are declared here.

mod accounts;
mod content;
mod exchange;
mod federation;
mod notices;

pub use accounts::*;
pub use content::*;
pub use exchange::*;
pub use federation::*;
pub use notices::*;

diesel::joinable!(territory_links -> actors (partner_id));
diesel::joinable!(access_tokens -> users (user_id));
diesel::joinable!(agreements -> listings (listing_id));
diesel::joinable!(listings -> actors (author_id));
diesel::joinable!(actors -> users (user_id));
diesel::joinable!(posts -> actors (author_id));
diesel::joinable!(post_tags -> posts (post_id));
diesel::joinable!(conversation_members -> conversations (conversation_id));
diesel::joinable!(deliveries -> actors (signer_id));

diesel::allow_tables_to_appear_in_same_query!(
    polls,
    poll_votes,
    media,
    push_subscriptions,
    conversations,
    conversation_members,
    contact_details,
    blocks,
    users,
    ledger_accounts,
    ledger_transfers,
    ledger_movements,
    agreement_confirmations,
    contributions,
    markers,
    bookmarks,
    access_tokens,
    actors,
    follows,
    posts,
    post_tags,
    announces,
    likes,
    reports,
    received_activities,
    deliveries,
    instances,
    listings,
    agreements,
    groups,
    memberships,
    sessions,
    participations,
    domain_blocks,
    domain_allows,
    content_filters,
    node_settings,
    territory_links,
    listing_changes,
    matches,
    mediated_listings,
    pairing_approvals,
    notifications,
    oauth_apps,
    oauth_codes,
    mail_outbox,
    mail_tokens,
);
