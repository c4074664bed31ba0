//! Nostr Wallet Connect (NIP-47): a small client for the operator's and tenants' wallets,
//! and BOLT11 checks. (The wallet the tests pay with lives in `caravel-testkit`.)
//!
//! The client is our own, on nostr-sdk's NIP-47 types, rather than the `nwc` crate: `nwc`
//! 0.44 speaks NIP-04 only, with no NIP-44 and no reading of the wallet's info event to
//! choose, and wallets increasingly require NIP-44. It also matches answers by `e` tag and
//! author (some wallets send no `p` tag), checks each answer's signature before decrypting,
//! and times out per request with an error code the API and the billing worker can act on.

pub mod bolt11;
mod client;

pub use client::{Encryption, WalletClient};

/// Why a wallet request did not give a result. `code()` is stable for the API and logs.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WalletError {
    /// None of the wallet's relays could be reached.
    #[error("the wallet's relays cannot be reached: {0}")]
    Unreachable(String),
    /// The wallet did not answer in time. For a payment this is ambiguous: it may have paid.
    #[error("the wallet did not answer within {0} s")]
    Timeout(u64),
    /// The wallet answered with a NIP-47 error.
    #[error("the wallet refused: {message} ({code:?})")]
    Refused { code: Code, message: String },
    /// The answer could not be read (bad encryption, JSON or signature).
    #[error("the wallet's answer could not be read: {0}")]
    Protocol(String),
}

/// NIP-47 error codes; unknown codes read as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    RateLimited,
    NotImplemented,
    InsufficientBalance,
    QuotaExceeded,
    Restricted,
    Unauthorized,
    Internal,
    UnsupportedEncryption,
    PaymentFailed,
    NotFound,
    Other,
}

impl Code {
    pub fn parse(code: &str) -> Self {
        match code {
            "RATE_LIMITED" => Self::RateLimited,
            "NOT_IMPLEMENTED" => Self::NotImplemented,
            "INSUFFICIENT_BALANCE" => Self::InsufficientBalance,
            "QUOTA_EXCEEDED" => Self::QuotaExceeded,
            "RESTRICTED" => Self::Restricted,
            "UNAUTHORIZED" => Self::Unauthorized,
            "INTERNAL" => Self::Internal,
            "UNSUPPORTED_ENCRYPTION" => Self::UnsupportedEncryption,
            "PAYMENT_FAILED" => Self::PaymentFailed,
            "NOT_FOUND" => Self::NotFound,
            _ => Self::Other,
        }
    }
}

impl WalletError {
    /// A stable machine code, such as `wallet/timeout` or `wallet/insufficient-balance`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable(_) => "wallet/unreachable",
            Self::Timeout(_) => "wallet/timeout",
            Self::Protocol(_) => "wallet/bad-answer",
            Self::Refused { code, .. } => match code {
                Code::RateLimited => "wallet/rate-limited",
                Code::NotImplemented => "wallet/not-implemented",
                Code::InsufficientBalance => "wallet/insufficient-balance",
                Code::QuotaExceeded => "wallet/quota-exceeded",
                Code::Restricted => "wallet/restricted",
                Code::Unauthorized => "wallet/unauthorized",
                Code::Internal => "wallet/internal",
                Code::UnsupportedEncryption => "wallet/unsupported-encryption",
                Code::PaymentFailed => "wallet/payment-failed",
                Code::NotFound => "wallet/not-found",
                Code::Other => "wallet/other",
            },
        }
    }

    /// Whether the wallet's relays could not be reached at all (the connection is stale).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Unreachable(_))
    }

    /// Whether the wallet says it has no such invoice.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Self::Refused {
                code: Code::NotFound,
                ..
            }
        )
    }

    /// Whether a payment request that ended this way may still have paid, so the
    /// invoice must be looked up before trying again.
    pub fn is_ambiguous(&self) -> bool {
        matches!(
            self,
            Self::Timeout(_)
                | Self::Protocol(_)
                | Self::Refused {
                    code: Code::Internal | Code::Other | Code::PaymentFailed,
                    ..
                }
        )
    }
}
