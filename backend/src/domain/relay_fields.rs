//! The free-text fields of a relay: name, icon URL, description.

use super::Invalid;
use crate::error::Code;

pub const NAME_MAX: usize = 64;
pub const ICON_MAX: usize = 2048;
pub const DESCRIPTION_MAX: usize = 2000;

pub fn name(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let bad = |m: &str| Err(Invalid::new(Code::RelayInvalidName, "name", m));
    if s.is_empty() {
        return bad("Give the relay a name.");
    }
    if s.chars().count() > NAME_MAX {
        return Err(Invalid::new(
            Code::RelayInvalidName,
            "name",
            format!("A relay name has at most {NAME_MAX} characters."),
        ));
    }
    if s.chars().any(char::is_control) {
        return bad("A relay name cannot contain control characters or line breaks.");
    }
    Ok(s.to_string())
}

/// An icon is optional; when given it is an http(s) URL.
pub fn icon(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let bad = |m: String| Err(Invalid::new(Code::RelayInvalidIcon, "icon", m));
    if s.len() > ICON_MAX {
        return bad(format!("An icon URL has at most {ICON_MAX} characters."));
    }
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        _ => bad("The icon must be an https:// URL of an image.".into()),
    }
}

pub fn description(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.chars().count() > DESCRIPTION_MAX {
        return Err(Invalid::new(
            Code::RelayInvalidDescription,
            "description",
            format!("A description has at most {DESCRIPTION_MAX} characters."),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Invalid::new(
            Code::RelayInvalidDescription,
            "description",
            "A description cannot contain control characters.",
        ));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  Hello  ").unwrap(), "Hello");
        assert!(name("   ").is_err());
        assert!(name(&"x".repeat(65)).is_err());
        assert!(name("a\nb").is_err());
    }

    #[test]
    fn icons_are_optional_http_urls() {
        assert_eq!(icon("").unwrap(), "");
        assert!(icon("https://example.com/i.png").is_ok());
        assert!(icon("javascript:alert(1)").is_err());
        assert!(icon("not a url").is_err());
    }

    #[test]
    fn descriptions_allow_line_breaks_but_not_other_controls() {
        assert!(description("line one\nline two").is_ok());
        assert!(description("bell\u{7}").is_err());
        assert!(description(&"x".repeat(2001)).is_err());
    }
}
