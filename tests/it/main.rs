//! The integration tests, in one binary so that the server is linked once:
//! the real binary as a process (`common`), and complete nodes talking over
//! real HTTP on localhost (`harness`). One module per area; run one with
//! `scripts/test --test it -- <module>::`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod harness;

mod abuse;
mod architecture;
mod audience;
mod browser;
mod browser_scenarios;
mod calendars;
mod cli;
mod client_views;
mod clients;
mod contributions;
mod conversations;
mod crash;
mod discovery;
mod federation;
mod federation_doc;
mod fetching;
mod groups;
mod hardening;
mod inbox;
mod interactions;
mod interop;
mod ledger;
mod links;
mod listings;
mod local_time;
mod mail;
mod mastodon_api;
mod match_notices;
mod matching;
mod media;
mod media_remote;
mod media_s3;
mod notifications;
mod oauth;
mod places;
mod policies;
mod polls;
mod push;
mod robustness;
mod server;
mod sessions;
mod web_account;
mod web_community;
mod web_editing;
mod web_listing;
mod web_matches;
mod web_organising;
mod web_pages;
mod web_photos;
mod web_places;
mod web_search;
mod web_sessions;
mod web_territory;
