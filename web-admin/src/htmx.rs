//! The few htmx request and response headers the admin uses.

use actix_web::{HttpRequest, HttpResponse, http::header};

/// True for requests htmx made (boosted links and forms, `hx-post`...).
pub fn is_htmx(req: &HttpRequest) -> bool {
    req.headers().get("HX-Request").is_some_and(|v| v.as_bytes() == b"true")
}

/// True when htmx asked for a fragment (an element other than the body is
/// the target): such a request must get a fragment or a full-page
/// `HX-Redirect`, never a page to swap into a table row.
pub fn wants_fragment(req: &HttpRequest) -> bool {
    is_htmx(req) && req.headers().get("HX-Boosted").is_none()
}

/// After a successful POST: 303 to `location`. Boosted requests follow it
/// inside the XHR and htmx shows the final URL.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

/// A redirect that leaves the current page whole: `HX-Redirect` for htmx
/// (which otherwise would swap the target page into a fragment), 303 else.
pub fn full_redirect(req: &HttpRequest, location: &str) -> HttpResponse {
    if is_htmx(req) {
        HttpResponse::Ok().insert_header(("HX-Redirect", location)).finish()
    } else {
        see_other(location)
    }
}
