//! The command line, as an admin uses it: exit codes, messages, and what
//! each command changes.

use crate::common;

use common::{maillage, run, stderr, stdout, write_file};
use maillage_test_support::TestDb;

#[test]
fn help_is_available_on_every_command() {
    let commands: &[&[&str]] = &[
        &[],
        &["serve"],
        &["migrate"],
        &["check-config"],
        &["admin"],
        &["admin", "user"],
        &["admin", "user", "create"],
        &["admin", "user", "list"],
        &["admin", "user", "role"],
        &["admin", "user", "password"],
        &["admin", "user", "disable"],
        &["admin", "user", "enable"],
        &["admin", "user", "approve"],
        &["admin", "token", "create"],
        &["admin", "federation", "mode"],
        &["admin", "federation", "block"],
        &["admin", "federation", "import"],
        &["admin", "federation", "export"],
        &["admin", "federation", "filter", "add"],
        &["admin", "territory", "link"],
        &["admin", "territory", "approve"],
        &["admin", "territory", "unlink"],
        &["admin", "territory", "list"],
        &["admin", "media", "migrate"],
        &["admin", "media", "prune"],
    ];
    for args in commands {
        let mut cmd = maillage("unused.db");
        cmd.args(*args).arg("--help");
        let out = run(cmd, None);
        assert!(out.status.success(), "{args:?} --help: {}", stderr(&out));
        assert!(stdout(&out).contains("Usage"), "{args:?}");
    }
}

#[test]
fn wrong_arguments_exit_2_with_a_message() {
    for args in [
        vec!["frobnicate"],
        vec!["admin", "user", "create", "alice"],
        vec!["admin", "user", "role", "alice", "emperor"],
        vec!["admin", "token", "create"],
        vec!["serve", "--port", "80"],
    ] {
        let mut cmd = maillage("unused.db");
        cmd.args(&args);
        let out = run(cmd, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&out).is_empty(), "{args:?} printed no message");
    }
}

#[test]
fn config_errors_exit_2_and_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("unknown.toml", "[territory]\ncolour = \"green\"\n", "territory.colour"),
        ("type.toml", "[http]\nmax_body_bytes = \"big\"\n", "http.max_body_bytes"),
        ("latitude.toml", "[territory]\nlatitude = 123.0\n", "territory.latitude"),
        ("url.toml", "[database]\nurl = \"mysql://root@localhost/m\"\n", "database.url"),
        ("tiles.toml", "[web]\ntile_url = \"http://tiles.example/{z}/{x}/{y}.png\"\n", "web.tile_url"),
        ("storage.toml", "[media]\nstorage = \"ftp\"\n", "media.storage"),
        ("s3.toml", "[media]\nstorage = \"s3\"\ns3_bucket = \"b\"\n", "media.s3_endpoint"),
        ("pixels.toml", "[media]\nmax_pixels = 0\n", "media.max_pixels"),
    ];
    for (name, text, key) in cases {
        let path = write_file(dir.path(), name, text);
        for command in [["check-config"].as_slice(), ["serve"].as_slice(), ["migrate"].as_slice()] {
            let mut cmd = maillage("unused.db");
            cmd.env_remove("MAILLAGE_DATABASE_URL").arg("--config").arg(&path).args(command);
            let out = run(cmd, None);
            assert_eq!(out.status.code(), Some(2), "{name} {command:?}: {}", stderr(&out));
            assert!(stderr(&out).contains(key), "{name}: message does not name {key}: {}", stderr(&out));
        }
    }
}

#[test]
fn environment_errors_exit_2_and_name_the_variable() {
    let mut cmd = maillage("postgres://postgres@127.0.0.1:5432");
    cmd.arg("check-config");
    let out = run(cmd, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("MAILLAGE_DATABASE_URL"), "{}", stderr(&out));
    assert!(stderr(&out).contains("names no database"), "{}", stderr(&out));
}

#[test]
fn check_config_refuses_a_bad_smtp_url_or_sender_naming_the_key() {
    let cases = [
        ("MAILLAGE_SMTP_URL", "http://mail.example.org", "mail.smtp_url"),
        ("MAILLAGE_SMTP_URL", "smtp://mail.example.org?tls=sometimes", "mail.smtp_url"),
        ("MAILLAGE_MAIL_FROM", "Maillage <not an address>", "mail.from"),
    ];
    for (var, value, key) in cases {
        let mut cmd = maillage("unused.db");
        cmd.env("MAILLAGE_SMTP_URL", "smtp://127.0.0.1:2525")
            .env("MAILLAGE_MAIL_FROM", "noreply@example.org");
        cmd.env(var, value).arg("check-config");
        let out = run(cmd, None);
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert!(stderr(&out).contains(&format!("`{key}`")), "{value}: {}", stderr(&out));
        assert!(stderr(&out).contains(var), "names where it came from: {}", stderr(&out));
    }
    let mut cmd = maillage("unused.db");
    cmd.env("MAILLAGE_SMTP_URL", "smtp://mail.example.org:587?tls=required")
        .env("MAILLAGE_MAIL_FROM", "Maillage <noreply@example.org>")
        .arg("check-config");
    let out = run(cmd, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("mail through mail.example.org:587"), "{}", stdout(&out));
}

#[test]
fn a_missing_config_file_exits_2() {
    let mut cmd = maillage("unused.db");
    cmd.args(["--config", "/nonexistent/maillage.toml", "check-config"]);
    let out = run(cmd, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/maillage.toml"), "{}", stderr(&out));
}

#[test]
fn check_config_accepts_the_example_file() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config/maillage.example.toml");
    let mut cmd = maillage("unused.db");
    cmd.args(["--config", example, "check-config"]);
    let out = run(cmd, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("configuration is valid"));
}

#[test]
fn migrate_twice_is_a_no_op() {
    let db = TestDb::new();
    let first = run(
        {
            let mut c = maillage(&db.url_string());
            c.arg("migrate");
            c
        },
        None,
    );
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("applied"), "{}", stdout(&first));
    let second = run(
        {
            let mut c = maillage(&db.url_string());
            c.arg("migrate");
            c
        },
        None,
    );
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stdout(&second).contains("up to date"), "{}", stdout(&second));
}

fn admin(db: &TestDb, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut cmd = maillage(&db.url_string());
    cmd.arg("admin").args(args);
    run(cmd, stdin)
}

#[test]
fn admin_manages_users_end_to_end() {
    let db = TestDb::new();
    let created =
        admin(&db, &["user", "create", "Alice", "--email", "alice@example.org", "--role", "admin"], None);
    assert!(created.status.success(), "{}", stderr(&created));
    let generated = stdout(&created)
        .lines()
        .find_map(|l| l.strip_prefix("password: ").map(str::to_owned))
        .expect("a generated password is printed");
    assert_eq!(generated.len(), 20);

    let with_stdin = admin(
        &db,
        &["user", "create", "bob", "--email", "bob@example.org", "--password-stdin"],
        Some("bob's long password\n"),
    );
    assert!(with_stdin.status.success(), "{}", stderr(&with_stdin));
    assert!(!stdout(&with_stdin).contains("password:"), "no password printed when one was given");

    let dup = admin(&db, &["user", "create", "ALICE", "--email", "other@example.org"], None);
    assert_eq!(dup.status.code(), Some(2));
    assert!(stderr(&dup).contains("already taken"), "{}", stderr(&dup));
    let bad = admin(&db, &["user", "create", "no spaces", "--email", "x@example.org"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("username"), "{}", stderr(&bad));
    let empty_stdin =
        admin(&db, &["user", "create", "carol", "--email", "c@example.org", "--password-stdin"], Some(""));
    assert_eq!(empty_stdin.status.code(), Some(2));

    let role = admin(&db, &["user", "role", "bob", "moderator"], None);
    assert!(role.status.success(), "{}", stderr(&role));
    let disable = admin(&db, &["user", "disable", "bob"], None);
    assert!(disable.status.success(), "{}", stderr(&disable));
    let password = admin(&db, &["user", "password", "alice"], None);
    assert!(stdout(&password).contains("password: "), "{}", stdout(&password));

    let list = admin(&db, &["user", "list"], None);
    let text = stdout(&list);
    let alice = text.lines().find(|l| l.contains("Alice")).expect("alice listed");
    assert!(alice.contains("admin") && alice.contains("active"), "{alice}");
    let bob = text.lines().find(|l| l.contains("bob")).expect("bob listed");
    assert!(bob.contains("moderator") && bob.contains("disabled"), "{bob}");
    assert!(!text.contains("carol"), "a refused creation stored nothing");

    let missing = admin(&db, &["user", "disable", "nobody"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nobody"), "{}", stderr(&missing));
}

#[test]
fn token_create_prints_only_the_token() {
    let db = TestDb::new();
    let created = admin(&db, &["user", "create", "dora", "--email", "dora@example.org"], None);
    assert!(created.status.success(), "{}", stderr(&created));
    let out = admin(&db, &["token", "create", "--user", "dora", "--scopes", "read write follow"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert_eq!(text.trim().len(), 43);

    let bad_scope = admin(&db, &["token", "create", "--user", "dora", "--scopes", "read everything"], None);
    assert_eq!(bad_scope.status.code(), Some(2));
    assert!(stderr(&bad_scope).contains("everything"), "{}", stderr(&bad_scope));
    assert!(stdout(&bad_scope).is_empty());
}

#[test]
fn admin_sets_federation_policies_and_refuses_bad_input_whole() {
    let db = TestDb::new();
    let ok = |args: &[&str], stdin: Option<&str>| {
        let out = admin(&db, args, stdin);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(ok(&["federation", "mode"], None).trim(), "blocklist");
    ok(&["federation", "mode", "allowlist"], None);
    ok(&["federation", "allow", "friend.example"], None);
    ok(
        &[
            "federation",
            "block",
            "bad.example",
            "--severity",
            "limit",
            "--reject-media",
            "--public-comment",
            "Spam",
        ],
        None,
    );
    ok(&["federation", "filter", "add", "keyword", "crypto"], None);
    let list = ok(&["federation", "list"], None);
    for expected in
        ["mode: allowlist", "bad.example\tlimit\treject_media\tSpam", "friend.example", "keyword\tcrypto"]
    {
        assert!(list.contains(expected), "{expected:?} in {list}");
    }

    let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
               bad.example,silence,true,false,Spam,false\n\
               worse.example,suspend,false,true,,true\n";
    ok(&["federation", "import", "-"], Some(csv));
    assert_eq!(ok(&["federation", "export"], None), csv, "the export is what was imported");

    let malformed = "#domain,#severity\nfine.example,suspend\nnot a domain,suspend\n";
    let refused = admin(&db, &["federation", "import", "-"], Some(malformed));
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("line 3"), "{}", stderr(&refused));
    assert_eq!(ok(&["federation", "export"], None), csv, "nothing applied");

    for bad in [
        vec!["federation", "mode", "sideways"],
        vec!["federation", "block", "1.2.3.4"],
        vec!["federation", "block", "x.example", "--severity", "explode"],
        vec!["federation", "unblock", "never.example"],
        vec!["federation", "filter", "add", "max_distance_km", "far"],
    ] {
        let out = admin(&db, &bad, None);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("maillage: "), "{}", stderr(&out));
    }
    let missing = admin(&db, &["federation", "import", "/nonexistent/blocks.csv"], None);
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
}

#[test]
fn moving_media_to_s3_without_its_settings_exits_2_and_names_the_key() {
    let db = TestDb::new();
    let migrated = run(
        {
            let mut c = maillage(&db.url_string());
            c.arg("migrate");
            c
        },
        None,
    );
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    let out = admin(&db, &["media", "migrate"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("media.s3_endpoint"), "{}", stderr(&out));
    let pruned = admin(&db, &["media", "prune", "--older-than-days", "0"], None);
    assert!(pruned.status.success(), "{}", stderr(&pruned));
    assert!(stdout(&pruned).contains("0 copies of remote media removed"), "{}", stdout(&pruned));
}
