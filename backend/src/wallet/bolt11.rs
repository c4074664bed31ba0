//! Checks a BOLT11 the operator's wallet returned before it is stored or shown: it must
//! parse, carry a valid signature, ask for exactly the invoice's amount on the configured
//! network, and carry a payment hash (matching the wallet's, when it gives one).

use std::str::FromStr;

use lightning_invoice::{Bolt11Invoice, Currency};

/// What billing keeps of a checked BOLT11.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub bolt11: String,
    pub payment_hash: String,
    pub amount_msat: u64,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Bolt11Error {
    #[error("not a BOLT11 invoice: {0}")]
    Unparsable(String),
    #[error("the invoice's signature is invalid")]
    BadSignature,
    #[error("the invoice is for {found} msat, not {wanted} msat")]
    WrongAmount { wanted: u64, found: u64 },
    #[error("the invoice has no amount")]
    NoAmount,
    #[error("the invoice is for {found}, not {wanted}")]
    WrongNetwork { wanted: String, found: String },
    #[error("the invoice's payment hash differs from the one the wallet reported")]
    HashMismatch,
}

/// The currency for a `LIGHTNING_NETWORK` value (`bitcoin`, `testnet`, `signet`, `regtest`).
pub fn currency(network: &str) -> Currency {
    match network {
        "testnet" => Currency::BitcoinTestnet,
        "signet" => Currency::Signet,
        "regtest" => Currency::Regtest,
        _ => Currency::Bitcoin,
    }
}

fn network_name(c: &Currency) -> &'static str {
    match c {
        Currency::Bitcoin => "bitcoin",
        Currency::BitcoinTestnet => "testnet",
        Currency::Signet => "signet",
        Currency::Regtest => "regtest",
        Currency::Simnet => "simnet",
    }
}

/// Parses `text` (an optional `lightning:` prefix is tolerated) and checks it.
pub fn check(
    text: &str,
    amount_msat: u64,
    network: &str,
    reported_hash: Option<&str>,
) -> Result<Checked, Bolt11Error> {
    let trimmed = text.trim();
    let bare = trimmed
        .strip_prefix("lightning:")
        .or_else(|| trimmed.strip_prefix("LIGHTNING:"))
        .unwrap_or(trimmed);
    let invoice =
        Bolt11Invoice::from_str(bare).map_err(|e| Bolt11Error::Unparsable(e.to_string()))?;
    invoice
        .check_signature()
        .map_err(|_| Bolt11Error::BadSignature)?;
    let wanted = currency(network);
    if invoice.currency() != wanted {
        return Err(Bolt11Error::WrongNetwork {
            wanted: network_name(&wanted).into(),
            found: network_name(&invoice.currency()).into(),
        });
    }
    let found = invoice
        .amount_milli_satoshis()
        .ok_or(Bolt11Error::NoAmount)?;
    if found != amount_msat {
        return Err(Bolt11Error::WrongAmount {
            wanted: amount_msat,
            found,
        });
    }
    let payment_hash = invoice.payment_hash().to_string();
    if let Some(reported) = reported_hash
        && !reported.eq_ignore_ascii_case(&payment_hash)
    {
        return Err(Bolt11Error::HashMismatch);
    }
    let expires_at = invoice
        .expires_at()
        .map(|d| d.as_secs() as i64)
        .unwrap_or(i64::MAX);
    Ok(Checked {
        bolt11: bare.to_string(),
        payment_hash,
        amount_msat: found,
        expires_at,
    })
}

/// `sha256(preimage) == payment_hash`, both hex.
pub fn preimage_matches(preimage_hex: &str, payment_hash_hex: &str) -> bool {
    use nostr_sdk::hashes::{Hash, sha256};
    match hex::decode(preimage_hex) {
        Ok(bytes) => sha256::Hash::hash(&bytes)
            .to_string()
            .eq_ignore_ascii_case(payment_hash_hex),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // From BOLT 11's examples: 2500u on mainnet, payment hash 0001…0102.
    const COFFEE: &str = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    #[test]
    fn reads_the_bolt_example() {
        let c = check(
            COFFEE,
            250_000_000,
            "bitcoin",
            Some("0001020304050607080900010203040506070809000102030405060708090102"),
        )
        .unwrap();
        assert_eq!(c.amount_msat, 250_000_000);
        assert_eq!(c.expires_at, 1496314658 + 60);
        assert!(check(&format!("lightning:{COFFEE}"), 250_000_000, "bitcoin", None).is_ok());
    }

    #[test]
    fn refuses_wrong_amount_network_or_hash() {
        assert_eq!(
            check(COFFEE, 250_000, "bitcoin", None),
            Err(Bolt11Error::WrongAmount {
                wanted: 250_000,
                found: 250_000_000
            })
        );
        assert!(matches!(
            check(COFFEE, 250_000_000, "regtest", None),
            Err(Bolt11Error::WrongNetwork { .. })
        ));
        assert_eq!(
            check(COFFEE, 250_000_000, "bitcoin", Some(&"00".repeat(32))),
            Err(Bolt11Error::HashMismatch)
        );
        assert!(matches!(
            check("lnbc1garbage", 1, "bitcoin", None),
            Err(Bolt11Error::Unparsable(_))
        ));
    }

    #[test]
    fn preimage_check() {
        let preimage = "00".repeat(32);
        let hash = "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925";
        assert!(preimage_matches(&preimage, hash));
        assert!(!preimage_matches(&preimage, &"00".repeat(32)));
        assert!(!preimage_matches("zz", hash));
    }
}
