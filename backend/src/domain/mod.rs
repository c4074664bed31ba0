//! Rules about relays that hold whatever the caller: what a valid subdomain, name or icon is.

pub mod community;
pub mod relay_fields;
pub mod status;
pub mod subdomain;

use crate::error::Code;

/// A rule broken by user input: a stable code, the field, and a message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: Code,
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(code: Code, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            field,
            message: message.into(),
        }
    }
}

impl From<Invalid> for crate::error::ApiError {
    fn from(i: Invalid) -> Self {
        crate::error::ApiError::new(i.code, i.message).with_field(i.field)
    }
}
