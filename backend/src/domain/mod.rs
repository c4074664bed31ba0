//! Rules about relays that hold whatever the caller: what a valid subdomain, name or icon is.

pub mod relay_fields;
pub mod subdomain;

/// A rule broken by user input: a stable code, the field, and a message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}

impl From<Invalid> for crate::error::ApiError {
    fn from(i: Invalid) -> Self {
        crate::error::ApiError::unprocessable(i.code, i.message).with_field(i.field)
    }
}
