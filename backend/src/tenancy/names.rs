use crate::error::{Code, CodedError};

/// A display name: trimmed, non-empty, at most `max` characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(raw: &str, max: usize) -> Result<Name, CodedError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Code::Required.into());
        }
        if name.chars().count() > max {
            return Err(CodedError::too_long(max));
        }
        if name.chars().any(char::is_control) {
            return Err(Code::ControlCharacters.into());
        }
        Ok(Name(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why something was done (a refund, a discount): trimmed, required, at
/// most `max` characters, no control characters.
pub fn reason(raw: &str, max: usize) -> Result<String, CodedError> {
    let reason = raw.trim();
    if reason.is_empty() {
        Err(Code::ReasonRequired.into())
    } else if reason.chars().count() > max {
        Err(CodedError::too_long(max))
    } else if reason.chars().any(char::is_control) {
        Err(Code::ControlCharacters.into())
    } else {
        Ok(reason.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn trims_and_bounds() {
        assert_eq!(Name::parse("  Kopi Kenangan ", 20).unwrap().as_str(), "Kopi Kenangan");
        assert!(Name::parse("   ", 20).is_err());
        assert!(Name::parse("abcdef", 5).is_err());
        assert!(Name::parse("a\u{0}b", 5).is_err());
        // Markup is kept as text; escaping is the renderer's job.
        assert!(Name::parse("<script>alert(1)</script>", 60).is_ok());
    }
}
