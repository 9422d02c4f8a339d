//! JSON request bodies: a size limit (413), a content type check (415),
//! malformed JSON (400) and shape errors with the offending field (422).

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{Code, CodedError, Error, FieldErrors};

/// The largest JSON body accepted, in bytes; set as app data.
#[derive(Debug, Clone, Copy)]
pub struct JsonLimit(pub usize);

/// A JSON body parsed into `T`, with problem+json errors.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<JsonLimit>>().map(|l| l.0).unwrap_or(256 * 1024);
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_len.is_some_and(|n| n > limit) {
                return Err(Error::PayloadTooLarge { limit });
            }
            if !content_type_ok {
                return Err(Error::UnsupportedMediaType);
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| Error::BadRequest(Code::BodyUnreadable.into()))?;
                if body.len() + chunk.len() > limit {
                    return Err(Error::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(Json)
        })
    }
}

/// A JSON body that may be left out (no body at all); one that is sent is
/// checked as [`Json`] does, never taken as absent because it is not valid.
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = req.headers();
        let empty = !headers.contains_key(header::TRANSFER_ENCODING)
            && headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_none_or(|v| v.trim() == "0");
        if empty {
            return Box::pin(async { Ok(OptionalJson(None)) });
        }
        let body = Json::<T>::from_request(req, payload);
        Box::pin(async move { Ok(OptionalJson(Some(body.await?.0))) })
    }
}

/// Parses `bytes` as `T`, naming the field at fault when the shape is wrong.
/// Every body is a JSON object (serde would also take a struct's fields as
/// an array); a number with a zero fraction (`3.0`) is taken as the integer
/// it is, as JSON Schema and the clients generated from our document say.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(Error::field("body", Code::BodyNotObject));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let first = serde_path_to_error::deserialize::<_, T>(de);
    match first {
        Err(e) if e.inner().to_string().starts_with("invalid type: floating point") => {
            let value: serde_json::Value = serde_json::from_slice(bytes)
                .map_err(|e| Error::BadRequest(CodedError::parser(Code::JsonInvalid, e.to_string())))?;
            field_errors(serde_path_to_error::deserialize::<_, T>(integral_floats_as_integers(value)))
        }
        other => field_errors(other),
    }
}

/// `3.0` → `3`, everywhere in `value`.
fn integral_floats_as_integers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(integral_floats_as_integers).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, integral_floats_as_integers(v))).collect())
        }
        other => other,
    }
}

/// A parse's result, its errors named by field.
fn field_errors<T>(parsed: Result<T, serde_path_to_error::Error<serde_json::Error>>) -> Result<T, Error> {
    match parsed {
        Ok(value) => Ok(value),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let mut errors = FieldErrors::new();
                    let message = inner.to_string();
                    // Serde reports these at the parent; name the field itself.
                    let field = match field_from_message(&message) {
                        // Unknown fields are already in the path; missing ones are not.
                        Some(f) if path == "." => f,
                        Some(f) if !path.ends_with(&f) => format!("{path}.{f}"),
                        _ if path == "." => "body".into(),
                        _ => path,
                    };
                    errors.add(&field, CodedError::parser(code_of_message(&message), strip_position(&message)));
                    Err(Error::Validation(errors))
                }
                _ => Err(Error::BadRequest(CodedError::parser(Code::JsonInvalid, inner.to_string()))),
            }
        }
    }
}

/// The code of a shape error, from serde's message.
fn code_of_message(message: &str) -> Code {
    if message.starts_with("missing field `") {
        Code::MissingField
    } else if message.starts_with("unknown field `") {
        Code::UnknownField
    } else {
        Code::InvalidValue
    }
}

/// `missing field `x``, `unknown field `x`` → `x`.
fn field_from_message(message: &str) -> Option<String> {
    for prefix in ["missing field `", "unknown field `"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return rest.split('`').next().map(str::to_string);
        }
    }
    None
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        qty: i32,
    }

    fn field_errors(r: Result<Body, Error>) -> Vec<(String, Vec<String>)> {
        match r {
            Err(Error::Validation(f)) => f.messages().into_iter().collect(),
            other => panic!("expected validation error, got {other:?}"),
        }
    }

    #[test]
    fn wrong_type_names_the_field() {
        let errs = field_errors(parse_json(br#"{"name":"a","qty":"x"}"#));
        assert_eq!(errs[0].0, "qty");
        assert!(errs[0].1[0].contains("invalid type"), "{errs:?}");
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert_eq!(field_errors(parse_json(br#"{"name":"a"}"#))[0].0, "qty");
        assert_eq!(field_errors(parse_json(br#"{"name":"a","qty":1,"evil":1}"#))[0].0, "evil");
    }

    #[test]
    fn shape_errors_carry_codes_with_the_parsers_words() {
        let code = |body: &[u8]| match parse_json::<Body>(body) {
            Err(Error::Validation(f)) => f.0.into_values().flatten().next().map(|e| e.code),
            other => panic!("expected validation error, got {other:?}"),
        };
        assert_eq!(code(br#"{"name":"a"}"#), Some(Code::MissingField));
        assert_eq!(code(br#"{"name":"a","qty":1,"evil":1}"#), Some(Code::UnknownField));
        assert_eq!(code(br#"{"name":"a","qty":"x"}"#), Some(Code::InvalidValue));
        assert!(matches!(parse_json::<Body>(b"{not"), Err(Error::BadRequest(e)) if e.code == Code::JsonInvalid));
    }

    #[test]
    fn a_body_is_an_object_and_integral_floats_are_integers() {
        assert_eq!(field_errors(parse_json(br#" ["a", 1]"#))[0].0, "body");
        let body: Body = parse_json(br#"{"name":"a","qty":3.0}"#).unwrap();
        assert_eq!(body.qty, 3);
        assert_eq!(field_errors(parse_json(br#"{"name":"a","qty":3.5}"#))[0].0, "qty");
        assert!(format!("{:?}", field_errors(parse_json(br#"{"name":"a","qty":1,"qty":2}"#))).contains("duplicate"));
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(parse_json::<Body>(b"{not json"), Err(Error::BadRequest(_))));
    }
}
