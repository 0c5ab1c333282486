use super::*;
use std::collections::HashMap;

fn load(text: Option<&str>, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let env: HashMap<String, String> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let file = text.map(|text| ConfigFile { name: "test.toml", text });
    Config::load(file, &|k| env.get(k).cloned())
}

fn only_issue(result: Result<Config, ConfigError>) -> ConfigIssue {
    match result {
        Err(e) if e.issues.len() == 1 => e.issues[0].clone(),
        other => unreachable!("expected exactly one issue, got {other:?}"),
    }
}

#[test]
fn defaults_are_valid_and_documented_values() {
    let c = load(None, &[]).ok();
    let c = c.as_ref();
    assert_eq!(c.map(|c| c.http.bind.as_str()), Some("127.0.0.1:8080"));
    assert_eq!(c.map(|c| c.instance.domain.as_str()), Some("localhost:8080"));
    assert_eq!(c.map(|c| c.database.url.as_str()), Some("./data/maillage.db"));
    assert_eq!(c.map(|c| c.federation.debug), Some(false));
}

#[test]
fn file_overrides_defaults_and_environment_overrides_file() {
    let text = "[instance]\ndomain = \"file.example\"\n[http]\nbind = \"0.0.0.0:9000\"\n";
    let c = load(Some(text), &[("MAILLAGE_DOMAIN", "env.example")]).ok();
    assert_eq!(c.as_ref().map(|c| c.instance.domain.as_str()), Some("env.example"));
    assert_eq!(c.as_ref().map(|c| c.http.bind.as_str()), Some("0.0.0.0:9000"));
}

#[test]
fn unknown_key_is_named_with_its_section() {
    let issue = only_issue(load(Some("[territory]\nnmae = \"x\"\n"), &[]));
    assert_eq!(issue.key, "territory.nmae");
    assert!(issue.message.contains("unknown key"), "{}", issue.message);
    assert!(issue.message.contains("name"), "lists expected keys: {}", issue.message);

    let issue = only_issue(load(Some("colour = 1\n"), &[]));
    assert_eq!(issue.key, "colour");
}

#[test]
fn wrong_type_is_named() {
    let issue = only_issue(load(Some("[territory]\nlatitude = \"north\"\n"), &[]));
    assert_eq!(issue.key, "territory.latitude");
    assert!(issue.message.contains("f64") || issue.message.contains("float"), "{}", issue.message);
    assert_eq!(issue.source, "file test.toml");
}

#[test]
fn impossible_values_are_named() {
    let issue = only_issue(load(Some("[territory]\nlatitude = 123.0\n"), &[]));
    assert_eq!(issue.key, "territory.latitude");
    assert!(issue.message.contains("between -90 and 90"), "{}", issue.message);
    assert!(issue.message.contains("123"), "{}", issue.message);
}

#[test]
fn all_impossible_values_are_reported_together() {
    let text = "[territory]\nlatitude = 123.0\nlongitude = -500.0\nlanguages = []\n";
    let err = load(Some(text), &[]).err();
    let keys: Vec<String> = err.map(|e| e.issues.into_iter().map(|i| i.key).collect()).unwrap_or_default();
    assert_eq!(keys, ["territory.latitude", "territory.longitude", "territory.languages"]);
}

#[test]
fn bad_environment_values_name_the_variable() {
    let issue = only_issue(load(None, &[("MAILLAGE_FEDERATION_DEBUG", "perhaps")]));
    assert_eq!(issue.key, "federation.debug");
    assert_eq!(issue.source, "environment variable MAILLAGE_FEDERATION_DEBUG");

    let issue = only_issue(load(None, &[("MAILLAGE_DATABASE_URL", "mysql://x/y")]));
    assert_eq!(issue.key, "database.url");
    assert_eq!(issue.source, "environment variable MAILLAGE_DATABASE_URL");
    assert!(issue.message.contains("mysql"), "{}", issue.message);
}

#[test]
fn bad_database_url_gives_the_real_cause() {
    let issue = only_issue(load(Some("[database]\nurl = \"postgres://localhost:5432\"\n"), &[]));
    assert_eq!(issue.key, "database.url");
    assert!(issue.message.contains("names no database"), "{}", issue.message);
}

#[test]
fn domains_must_be_bare_hosts() {
    for bad in ["https://example.org", "example.org/path", "", "user@example.org"] {
        let issue = only_issue(load(None, &[("MAILLAGE_DOMAIN", bad)]));
        assert_eq!(issue.key, "instance.domain", "{bad}");
    }
    for good in ["example.org", "localhost:8080", "maillage.pays-de-quelque-part.fr"] {
        assert!(load(None, &[("MAILLAGE_DOMAIN", good)]).is_ok(), "{good}");
    }
}

#[test]
fn tile_urls_are_https_as_the_message_says() {
    for bad in [
        "http://tiles.example/{z}/{x}/{y}.png",
        "http://localhost:8080/{z}/{x}/{y}.png",
        "https://tiles.example/",
    ] {
        let issue = only_issue(load(Some(&format!("[web]\ntile_url = \"{bad}\"\n")), &[]));
        assert_eq!(issue.key, "web.tile_url", "{bad}");
        assert!(issue.message.contains("https://"), "{}", issue.message);
    }
    for good in ["https://tiles.example/{z}/{x}/{y}.png", ""] {
        assert!(load(Some(&format!("[web]\ntile_url = \"{good}\"\n")), &[]).is_ok(), "{good}");
    }
}

#[test]
fn bad_enum_and_bind_values() {
    let issue = only_issue(load(Some("[registration]\nmode = \"sometimes\"\n"), &[]));
    assert_eq!(issue.key, "registration.mode");
    assert!(issue.message.contains("approval"), "{}", issue.message);

    let issue = only_issue(load(None, &[("MAILLAGE_BIND", "localhost")]));
    assert_eq!(issue.key, "http.bind");
}

#[test]
fn toml_syntax_errors_are_reported() {
    let issue = only_issue(load(Some("[territory\nname = 1"), &[]));
    assert!(issue.message.contains("not valid TOML"), "{}", issue.message);
}

#[test]
fn the_example_file_is_valid_and_complete() {
    let text = include_str!("../../../../config/maillage.example.toml");
    assert!(load(Some(text), &[]).is_ok(), "{:?}", load(Some(text), &[]).err());
    // Every key of every section is documented in the example.
    let table: toml::Table = toml::from_str(text).unwrap_or_default();
    let sections = [
        "instance",
        "http",
        "database",
        "log",
        "registration",
        "territory",
        "federation",
        "mail",
        "rate_limits",
    ];
    for section in sections {
        assert!(table.contains_key(section), "section [{section}] missing from the example");
    }
    for var in ENV_OVERRIDES {
        assert!(text.contains(var), "{var} is not documented in the example");
    }
}

#[test]
fn rate_limits_are_read_and_bad_ones_named() {
    let text = "[rate_limits]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n\
                [rate_limits.login_per_ip]\nmax = 3\nwindow_secs = 2\n";
    let c = load(Some(text), &[]);
    let limits = c.as_ref().map(|c| c.rate_limits.clone()).ok();
    assert_eq!(limits.as_ref().map(|l| (l.login_per_ip.max, l.login_per_ip.window_secs)), Some((3, 2)));
    assert_eq!(limits.as_ref().map(|l| l.proxies().len()), Some(2));
    assert_eq!(limits.map(|l| l.login_per_account), Some(RateLimitsConfig::default().login_per_account));

    let issue = only_issue(load(Some("[rate_limits.sign_up_per_ip]\nmax = 0\nwindow_secs = 60\n"), &[]));
    assert_eq!(issue.key, "rate_limits.sign_up_per_ip.max");
    let issue = only_issue(load(Some("[rate_limits.inbox_per_host]\nmax = 10\nwindow_secs = 0\n"), &[]));
    assert_eq!(issue.key, "rate_limits.inbox_per_host.window_secs");
    let issue = only_issue(load(Some("[rate_limits]\ntrusted_proxies = [\"10.0.0.0/40\"]\n"), &[]));
    assert!(issue.key.starts_with("rate_limits.trusted_proxies"), "{}", issue.key);
    assert!(issue.message.contains("10.0.0.0/40"), "{}", issue.message);
    let issue = only_issue(load(Some("[rate_limits.login_per_ip]\nmax = 3\n"), &[]));
    assert!(issue.key.starts_with("rate_limits.login_per_ip"), "{}", issue.key);
    assert!(issue.message.contains("window_secs"), "{}", issue.message);
    let issue = only_issue(load(Some("[rate_limits]\nlogin_per_ipp = 1\n"), &[]));
    assert_eq!(issue.key, "rate_limits.login_per_ipp");
}

#[test]
fn mail_is_off_by_default_and_checked_when_on() {
    let c = load(None, &[]).ok();
    assert_eq!(c.map(|c| c.mail.enabled()), Some(false));
    let on =
        [("MAILLAGE_SMTP_URL", "smtps://mail.example.org"), ("MAILLAGE_MAIL_FROM", "noreply@example.org")];
    assert!(load(None, &on).is_ok());
    let issue = only_issue(load(None, &[("MAILLAGE_SMTP_URL", "smtp://mail.example.org")]));
    assert_eq!((issue.key.as_str(), issue.source.as_str()), ("mail.from", "default"));
    let issue =
        only_issue(load(Some("[mail]\nsmtp_url = \"mail.example.org\"\nfrom = \"a@example.org\"\n"), &[]));
    assert_eq!((issue.key.as_str(), issue.source.as_str()), ("mail.smtp_url", "file test.toml"));
    let issue = only_issue(load(None, &[("MAILLAGE_REGISTRATION_CONFIRM_EMAIL", "1")]));
    assert_eq!(issue.key, "registration.confirm_email");
}
