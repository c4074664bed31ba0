//! The free-text fields of a relay: name, icon URL, description.

use super::Invalid;
use crate::error::Code;

pub const NAME_MAX: usize = 64;
pub const ICON_MAX: usize = 2048;
pub const DESCRIPTION_MAX: usize = 2000;

/// Characters that reorder the text around them (bidirectional embeddings, overrides and
/// isolates): in a name they can make it read as something else.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room on screen: a name made only of them looks empty.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
        || is_bidi_control(c)
}

pub fn name(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let bad = |m: &str| Err(Invalid::new(Code::RelayInvalidName, "name", m));
    if s.chars().all(is_invisible) {
        return bad("Give the relay a name.");
    }
    if s.chars().any(is_bidi_control) {
        return bad("A relay name cannot contain characters that reverse or reorder its text.");
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

/// A description may have line breaks, whichever way the client writes them (`\r\n`, `\r`
/// or `\n`); they are stored as `\n`.
pub fn description(input: &str) -> Result<String, Invalid> {
    let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
    let s = normalised.trim();
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
    fn names_must_show_something_and_read_as_written() {
        assert!(name("\u{200B}\u{200B}").is_err(), "only zero-width spaces");
        assert!(name("\u{FEFF} \u{2060}").is_err());
        assert!(
            name("paypal\u{202E}moc").is_err(),
            "a right-to-left override"
        );
        assert!(name("abc\u{2067}def").is_err(), "a right-to-left isolate");
        assert_eq!(
            name("Caf\u{e9} \u{1F469}\u{200D}\u{1F4BB}").unwrap(),
            "Caf\u{e9} \u{1F469}\u{200D}\u{1F4BB}",
            "emoji joined by ZWJ stay"
        );
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
        assert_eq!(description("one\r\ntwo\rthree").unwrap(), "one\ntwo\nthree");
        assert!(description("bell\u{7}").is_err());
        assert!(description(&"x".repeat(2001)).is_err());
    }
}
