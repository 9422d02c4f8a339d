//! Forms that carry a file (the item form with its image): read as
//! `multipart/form-data`, or as a plain urlencoded body when no file input
//! was involved, into ordered name/value pairs plus the file's bytes. The
//! CSRF token is checked here, as [`crate::csrf::AdminForm`] does for
//! ordinary forms.
//!
//! These are upload routes (see `pos_backend::http::body`): their bodies
//! arrive here unread, bounded by the upload limit and deadline, and the
//! caller must hold no transaction while this reads them.

use actix_multipart::{Multipart, MultipartError};
use actix_web::{HttpRequest, error::PayloadError, web};
use futures_util::StreamExt;
use pos_backend::{auth::admin_session::csrf_matches, catalog::images, http::body::Refusal};

use crate::{csrf, error::AdminError};

/// Text fields of a form are small; the file may be an image up to
/// [`images::MAX_BYTES`].
const TEXT_LIMIT: usize = csrf::BODY_LIMIT;
/// Past this the request is refused outright rather than read to the end.
const HARD_LIMIT: usize = images::UPLOAD_LIMIT;

/// What a form posted.
#[derive(Debug, Default)]
pub struct Posted {
    pub fields: Vec<(String, String)>,
    /// The bytes of the file field, when a file was chosen.
    pub file: Option<Vec<u8>>,
    /// A file was chosen but is larger than an image may be.
    pub file_too_large: bool,
}

impl Posted {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

fn too_large() -> AdminError {
    AdminError::from(Refusal::TooLarge { limit: HARD_LIMIT }.into_error())
}

/// A body that stopped arriving: too slow (408), too large (413) or broken.
fn unread(e: &PayloadError) -> AdminError {
    AdminError::from(Refusal::of_payload_error(e, HARD_LIMIT).into_error())
}

fn unread_part(e: MultipartError) -> AdminError {
    match e {
        MultipartError::Payload(e) => unread(&e),
        _ => AdminError::bad_request(),
    }
}

/// Reads the form (its file from the field `file_field`) and checks the
/// CSRF token against `expected`.
pub async fn read(
    req: &HttpRequest,
    mut payload: web::Payload,
    expected_csrf: &str,
    file_field: &str,
) -> Result<Posted, AdminError> {
    let is_multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut posted = Posted::default();
    if is_multipart {
        let mut parts = Multipart::new(req.headers(), payload);
        let (mut text, mut total) = (0usize, 0usize);
        while let Some(field) = parts.next().await {
            let mut field = field.map_err(unread_part)?;
            let name = field.name().unwrap_or_default().to_string();
            let is_file = field.content_disposition().and_then(|d| d.get_filename()).is_some();
            let mut bytes = Vec::new();
            let mut dropped = false;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(unread_part)?;
                total += chunk.len();
                if total > HARD_LIMIT {
                    return Err(too_large());
                }
                if is_file {
                    if bytes.len() + chunk.len() > images::MAX_BYTES {
                        dropped = true;
                        bytes.clear();
                    } else if !dropped {
                        bytes.extend_from_slice(&chunk);
                    }
                } else {
                    text += chunk.len();
                    if text > TEXT_LIMIT {
                        return Err(too_large());
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            if is_file {
                if name == file_field {
                    posted.file_too_large |= dropped;
                    if !dropped && !bytes.is_empty() {
                        posted.file = Some(bytes);
                    }
                }
            } else {
                posted.fields.push((name, String::from_utf8(bytes).map_err(|_| AdminError::bad_request())?));
            }
        }
    } else {
        let mut body = Vec::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| unread(&e))?;
            if body.len() + chunk.len() > TEXT_LIMIT {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        posted.fields = serde_html_form::from_bytes(&body).map_err(|_| AdminError::bad_request())?;
    }
    let header = req.headers().get(csrf::HEADER).and_then(|v| v.to_str().ok());
    if !csrf_matches(expected_csrf, header) && !csrf_matches(expected_csrf, Some(posted.get("csrf_token"))) {
        return Err(AdminError::Csrf);
    }
    Ok(posted)
}
