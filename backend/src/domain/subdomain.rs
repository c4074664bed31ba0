//! Subdomains (`my-relay` in `my-relay.<RELAY_DOMAIN>`) and the zooid schema derived from them.

use super::Invalid;
use crate::error::Code;

pub const MIN_LEN: usize = 3;
pub const MAX_LEN: usize = 63;

/// Names kept for the platform itself or too easily mistaken for it.
pub const RESERVED: &[&str] = &[
    "www",
    "api",
    "admin",
    "app",
    "mail",
    "smtp",
    "imap",
    "pop",
    "ftp",
    "ns1",
    "ns2",
    "dns",
    "dashboard",
    "billing",
    "status",
    "static",
    "assets",
    "cdn",
    "media",
    "blossom",
    "livekit",
    "auth",
    "login",
    "root",
    "relay",
    "relays",
    "support",
    "help",
    "docs",
    "blog",
    "zooid",
    "caravel",
    "localhost",
    "webmail",
];

/// Normalises (trim, lower-case) and checks a subdomain.
pub fn parse(input: &str) -> Result<String, Invalid> {
    let s = input.trim().to_ascii_lowercase();
    let bad = |msg: String| Err(Invalid::new(Code::RelayInvalidSubdomain, "subdomain", msg));
    if s.len() < MIN_LEN || s.len() > MAX_LEN {
        return bad(format!(
            "A subdomain has {MIN_LEN} to {MAX_LEN} characters; {s:?} has {}.",
            s.chars().count()
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return bad(format!(
            "A subdomain may use only letters a-z, digits and dashes, not {c:?}."
        ));
    }
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        return bad("A subdomain must start with a letter.".into());
    }
    if s.ends_with('-') {
        return bad("A subdomain cannot end with a dash.".into());
    }
    if s.contains("--") {
        return bad("A subdomain cannot contain two dashes in a row.".into());
    }
    if RESERVED.contains(&s.as_str()) {
        return Err(Invalid::new(
            Code::RelaySubdomainReserved,
            "subdomain",
            format!("{s:?} is reserved by the platform; pick another."),
        ));
    }
    Ok(s)
}

/// The zooid schema (SQL table prefix) for a new relay: dashes become underscores.
/// Fixed at creation; a later subdomain change keeps it.
pub fn schema_for(subdomain: &str) -> String {
    subdomain.replace('-', "_")
}

/// Whether `schema` is one zooid can use as a bare SQL identifier.
pub fn is_valid_schema(schema: &str) -> bool {
    let mut chars = schema.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !schema.ends_with('_')
        && !schema.contains("__")
        && schema.len() <= MAX_LEN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises_good_names() {
        assert_eq!(parse(" My-Relay2 ").unwrap(), "my-relay2");
        assert_eq!(parse("abc").unwrap(), "abc");
        assert_eq!(parse(&"a".repeat(63)).unwrap().len(), 63);
    }

    #[test]
    fn refuses_each_broken_rule() {
        for bad in [
            "ab",
            &"a".repeat(64),
            "my_relay",
            "my.relay",
            "1relay",
            "-relay",
            "relay-",
            "my--relay",
            "rélay",
        ] {
            assert_eq!(
                parse(bad).unwrap_err().code.as_str(),
                "relay/invalid-subdomain",
                "{bad}"
            );
        }
        assert_eq!(
            parse("www").unwrap_err().code.as_str(),
            "relay/subdomain-reserved"
        );
    }

    #[test]
    fn every_valid_subdomain_gives_a_valid_unique_schema() {
        for s in ["abc", "my-relay", "a-b-c-1", "x9-9"] {
            assert!(is_valid_schema(&schema_for(&parse(s).unwrap())), "{s}");
        }
        assert_eq!(schema_for("my-cool-relay"), "my_cool_relay");
    }
}
