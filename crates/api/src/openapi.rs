//! The OpenAPI document of the native API, generated from the handlers'
//! `#[utoipa::path]` annotations and the request and response structs they
//! name: a field added to a struct is documented by the same change, and a
//! route of `configure` left out of [`NativeApi`] fails the tests below.
//! The Mastodon client API is not described here: it follows Mastodon's
//! own documentation.

use std::borrow::Cow;
use std::sync::OnceLock;

use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Maillage native API",
        version = "0.1.0",
        description = "Offers and needs, interest in them, groups and knowledge-exchange sessions. JSON bodies; bearer tokens (OAuth 2, Mastodon scopes). Every invalid field answers 422 with {\"error\": \"Validation failed: field: rule; …\"}.",
        license(name = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerToken),
    // The error answers name `Error` by reference (`crate::error::Unauthorized`…).
    components(schemas(crate::error::ErrorJson)),
    paths(
        crate::listings::create,
        crate::listings::search,
        crate::listings::get,
        crate::listings::update,
        crate::listings::delete,
        crate::listings::set_status,
        crate::agreements::interest,
        crate::agreements::mine,
        crate::agreements::accept,
        crate::agreements::reject,
        crate::agreements::fulfil,
        crate::groups::create,
        crate::groups::get,
        crate::groups::members,
        crate::groups::join,
        crate::groups::leave,
        crate::groups::approve,
        crate::groups::reject,
        crate::groups::set_role,
        crate::events::create,
        crate::events::get,
        crate::events::join,
        crate::events::leave,
        crate::events::cancel,
        crate::events::participants,
        crate::matches::list,
        crate::matches::preferences,
        crate::matches::set_preferences,
        crate::matches::dismiss,
        crate::matches::respond,
        crate::mediation::set_mediator,
        crate::mediation::queue,
        crate::mediation::approve,
        crate::mediation::reject,
        crate::ledger::confirm,
        crate::ledger::my_account,
        crate::ledger::set_limits,
        crate::ledger::set_link_limit,
        crate::ledger::correct,
        crate::ledger::stats,
        crate::ledger::stats_csv,
        crate::contributions::list,
        crate::contributions::record,
        crate::contributions::confirm,
        crate::contributions::reject,
        crate::territory::list,
        crate::territory::propose,
        crate::territory::approve,
        crate::territory::end,
        crate::admin::federation::show_mode,
        crate::admin::federation::set_mode,
        crate::admin::federation::list_filters,
        crate::admin::federation::add_filter,
        crate::admin::federation::remove_filter,
        crate::admin::federation::export_csv,
        crate::admin::federation::import_csv,
    )
)]
pub struct NativeApi;

/// Bearer tokens from `/oauth/token`, checked against Mastodon scopes.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Mastodon's Account entity as it appears inside native responses. The
/// Mastodon module renders it as an untyped value, so its schema is kept
/// here by hand with the fields native clients rely on.
pub struct AccountSchema;

impl utoipa::PartialSchema for AccountSchema {
    fn schema() -> RefOr<Schema> {
        let string = || ObjectBuilder::new().schema_type(Type::String);
        ObjectBuilder::new()
            .description(Some("Mastodon's Account entity."))
            .additional_properties(Some(AdditionalProperties::FreeForm(true)))
            .property("id", string())
            .property("username", string())
            .property("acct", string())
            .property("group", ObjectBuilder::new().schema_type(Type::Boolean))
            .into()
    }
}

impl utoipa::ToSchema for AccountSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Account")
    }
}

/// The document as served at `/api/openapi.json`, serialised once.
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT
        .get_or_init(|| NativeApi::openapi().to_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    /// The sources of the native API's `configure` functions. The Mastodon
    /// admin routes of `domain_blocks` are left out but for its CSV export
    /// and import, which are ours.
    const NATIVE_MODULES: [&str; 11] = [
        include_str!("listings.rs"),
        include_str!("agreements.rs"),
        include_str!("groups.rs"),
        include_str!("events.rs"),
        include_str!("matches.rs"),
        include_str!("mediation.rs"),
        include_str!("ledger.rs"),
        include_str!("contributions.rs"),
        include_str!("territory.rs"),
        include_str!("admin/federation.rs"),
        include_str!("admin/domain_blocks.rs"),
    ];

    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

    /// `(method, path)` of every route registered in a `configure` source:
    /// a line naming `"/api/v1/…"` sets the path that the `web::method()`
    /// calls on it and the lines after it register.
    fn registered(source: &str) -> BTreeSet<(String, String)> {
        let body = source.split("pub fn configure").nth(1).unwrap().split("\n}\n").next().unwrap();
        let mut routes = BTreeSet::new();
        let mut path = String::new();
        for line in body.lines() {
            if let Some(rest) = line.split("\"/api/v1/").nth(1) {
                path = format!("/api/v1/{}", rest.split('"').next().unwrap());
            }
            for method in METHODS {
                if line.contains(&format!("web::{method}()")) {
                    routes.insert((method.to_string(), path.clone()));
                }
            }
        }
        routes
    }

    fn document() -> Value {
        serde_json::from_str(super::document()).unwrap()
    }

    #[test]
    fn every_native_route_is_documented_and_nothing_else() {
        let mut routes = BTreeSet::new();
        for source in NATIVE_MODULES {
            routes.extend(registered(source));
        }
        routes.retain(|(_, path)| {
            !path.starts_with("/api/v1/admin/domain_blocks")
                || path.ends_with("/export")
                || path.ends_with("/import")
        });
        routes.remove(&("get".to_string(), "/api/v1/instance/domain_blocks".to_string()));
        assert!(routes.len() > 50, "the route scan found only {routes:?}");

        let doc = document();
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if METHODS.contains(&method.as_str()) {
                    documented.insert((method.clone(), path.clone()));
                }
            }
        }
        let undocumented: Vec<_> = routes.difference(&documented).collect();
        let unrouted: Vec<_> = documented.difference(&routes).collect();
        assert!(undocumented.is_empty(), "routes missing from the document: {undocumented:?}");
        assert!(unrouted.is_empty(), "documented but not routed: {unrouted:?}");
    }

    #[test]
    fn every_reference_points_at_a_defined_schema() {
        let doc = document();
        let text = doc.to_string();
        for reference in text.split("\"$ref\":\"").skip(1).map(|r| r.split('"').next().unwrap()) {
            assert!(
                doc.pointer(reference.trim_start_matches('#')).is_some(),
                "dangling reference {reference}"
            );
        }
    }

    /// Every answer with a JSON body says what it holds: a typed struct, not
    /// `serde_json::Value` (which documents as `{}`, anything).
    #[test]
    fn every_json_answer_has_a_schema() {
        let doc = document();
        let mut untyped = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for (status, response) in op["responses"].as_object().into_iter().flatten() {
                    let Some(schema) = response.pointer("/content/application~1json/schema") else {
                        continue;
                    };
                    if schema.as_object().is_none_or(|o| o.is_empty()) {
                        untyped.push(format!("{method} {path} {status}"));
                    }
                }
            }
        }
        assert!(untyped.is_empty(), "answers without a schema: {untyped:?}");
        let any = serde_json::to_value(<Value as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(
            any,
            serde_json::json!({}),
            "what an untyped body documents as, which the check above catches"
        );
        let errors = doc.pointer("/paths/~1api~1v1~1listings/post/responses").unwrap();
        for status in ["401", "403", "422"] {
            assert_eq!(
                errors[status]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                "{status}"
            );
        }
        assert_eq!(errors["401"]["description"], "No valid token");
    }
}
