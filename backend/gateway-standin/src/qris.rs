//! A dynamic QRIS payload (EMVCo merchant-presented mode), as a real
//! acquirer would hand out: tag-length-value fields ending in a CRC-16.
//! Wallet apps are not going to scan it, but the till and kiosk render and
//! show it exactly as they would a real one.

/// Appends one EMVCo tag-length-value field.
fn tlv(out: &mut String, tag: &str, value: &str) {
    out.push_str(tag);
    out.push_str(&format!("{:02}", value.len()));
    out.push_str(value);
}

/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as EMVCo specifies.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for byte in data {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// The QR string of one charge: merchant, amount in whole rupiah and the
/// transaction as the reference label.
pub fn payload(merchant_name: &str, merchant_id: &str, transaction_id: &str, amount: i64) -> String {
    let mut merchant_account = String::new();
    tlv(&mut merchant_account, "00", "ID.CO.QRIS.WWW");
    tlv(&mut merchant_account, "01", merchant_id);
    let mut additional = String::new();
    tlv(&mut additional, "05", &transaction_id.replace('-', "")[..25]);
    let name: String = merchant_name.chars().filter(char::is_ascii).take(25).collect();

    let mut out = String::new();
    tlv(&mut out, "00", "01");
    tlv(&mut out, "01", "12"); // dynamic: one payment
    tlv(&mut out, "26", &merchant_account);
    tlv(&mut out, "52", "5812"); // eating places and restaurants
    tlv(&mut out, "53", "360"); // IDR
    tlv(&mut out, "54", &amount.to_string());
    tlv(&mut out, "58", "ID");
    tlv(&mut out, "59", &name);
    tlv(&mut out, "60", "JAKARTA");
    tlv(&mut out, "62", &additional);
    out.push_str("6304");
    let crc = crc16(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn payload_ends_with_its_own_crc() {
        let p = payload("Kopi Nusantara", "G490526303", "01bf5e23-7183-4cfe-862c-58a3f6e8f0a2", 41_958);
        assert!(p.starts_with("000201010212"));
        assert!(p.contains("540541958"));
        let (body, crc) = p.split_at(p.len() - 4);
        assert_eq!(crc, format!("{:04X}", crc16(body.as_bytes())));
    }
}
