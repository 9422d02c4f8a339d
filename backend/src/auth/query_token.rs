//! `?access_token=`: EventSource cannot send headers, so the event stream
//! takes its token from the query string. A URL ends up in logs, so
//! [`take_query_token`], wrapped outside everything else, takes the token out
//! of the request's URI before anything (the request's span and its
//! `http.target`, error pages, metrics) sees it, and keeps it in the
//! request's extensions, where only the event stream looks
//! ([`super::stream_guard::open_stream`]). Every other endpoint reads the
//! `Authorization` header only, so a token in the query gets them 401.

use actix_web::{
    HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::uri::{PathAndQuery, Uri},
    middleware::Next,
    web,
};

/// The name of the query parameter.
pub const PARAM: &str = "access_token";

/// A token that came in the query string, taken out of the URI.
#[derive(Clone)]
pub struct QueryToken(pub String);

/// Middleware: moves `?access_token=` from the URI into [`QueryToken`].
pub async fn take_query_token(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some((token, rest)) = split_token(req.query_string()) {
        let path_and_query = if rest.is_empty() { req.path().to_string() } else { format!("{}?{rest}", req.path()) };
        let mut parts = req.uri().clone().into_parts();
        parts.path_and_query = PathAndQuery::try_from(path_and_query).ok();
        if let Ok(uri) = Uri::from_parts(parts) {
            req.match_info_mut().get_mut().update(&uri);
            req.head_mut().uri = uri;
        }
        req.extensions_mut().insert(QueryToken(token));
    }
    next.call(req).await
}

/// The first `access_token` of `query` (however its name is encoded), and
/// the query without any of them; `None` when there is none.
pub fn split_token(query: &str) -> Option<(String, String)> {
    let mut token = None;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let decoded = web::Query::<Vec<(String, String)>>::from_query(pair).ok();
        match decoded.as_ref().and_then(|q| q.first()) {
            Some((name, value)) if name == PARAM => {
                token.get_or_insert_with(|| value.clone());
            }
            _ => kept.push(pair),
        }
    }
    token.map(|t| (t, kept.join("&")))
}

#[cfg(test)]
mod tests {
    use super::split_token;

    #[test]
    fn the_token_is_taken_and_the_rest_kept() {
        assert_eq!(split_token("access_token=abc"), Some(("abc".into(), String::new())));
        assert_eq!(
            split_token("last_event_id=5&access_token=a.b-c&x=1"),
            Some(("a.b-c".into(), "last_event_id=5&x=1".into()))
        );
        // Encoded names and repeats are caught too; the first value counts.
        assert_eq!(split_token("access%5Ftoken=one&access_token=two"), Some(("one".into(), String::new())));
        assert_eq!(split_token("last_event_id=5"), None);
        assert_eq!(split_token(""), None);
    }
}
