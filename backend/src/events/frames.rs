//! SSE frames as bytes, and the response body that carries them.
//!
//! A live event goes to every stream of its outlet: it is written as a
//! frame once, and each stream that shows it sends the same [`Bytes`] (a
//! reference count, not a copy). What a stream shows is either the event
//! as it is or, for the pickup board, a view made from the event alone
//! (see [`super::audience`]), so two frames per event cover every audience.

use std::{
    borrow::Cow,
    convert::Infallible,
    fmt::Write as _,
    pin::Pin,
    sync::OnceLock,
    task::{Context, Poll},
    time::Duration,
};

use actix_web::{
    HttpResponse,
    body::{BodySize, MessageBody},
    http::header::{CacheControl, CacheDirective, ContentEncoding},
};
use bytes::{BufMut, Bytes, BytesMut};
use pos_wire::LiveEvent;
use tokio::sync::mpsc;

use super::OutletEvent;

/// Sent with each heartbeat, before the `ping` event: a comment that keeps
/// proxies from timing the stream out (pages cannot see it).
pub const KEEP_ALIVE: &[u8] = b": keep-alive\n\n";

/// `id:` (when given), `event:` the kind, `data:` the payload (compact
/// JSON: one line).
pub(crate) fn frame(event: &LiveEvent, id: Option<i64>) -> Result<Bytes, ()> {
    let payload =
        event.payload().map_err(|e| tracing::error!(error = %e, kind = event.kind(), "event serialisation"))?;
    let mut head = String::with_capacity(48);
    if let Some(id) = id {
        let _ = writeln!(head, "id: {id}");
    }
    let _ = write!(head, "event: {}\ndata: ", event.kind());
    let mut out = BytesMut::with_capacity(head.len() + 256).writer();
    std::io::Write::write_all(&mut out, head.as_bytes()).map_err(|_| ())?;
    serde_json::to_writer(&mut out, &payload)
        .map_err(|e| tracing::error!(error = %e, kind = event.kind(), "event serialisation"))?;
    let mut out = out.into_inner();
    out.put_slice(b"\n\n");
    Ok(out.freeze())
}

/// The frames of one live event, each made the first time a stream needs it.
#[derive(Debug, Default)]
pub struct SharedFrames {
    /// The event as it is (staff, kitchen, a kiosk's own orders, menu...).
    whole: OnceLock<Option<Bytes>>,
    /// The view made from it (the pickup board's entry).
    view: OnceLock<Option<Bytes>>,
}

impl SharedFrames {
    /// The frame of `shown`, which an audience made of `event`.
    pub(crate) fn get(&self, event: &OutletEvent, shown: Cow<'_, LiveEvent>) -> Result<Bytes, ()> {
        let cell = match &shown {
            Cow::Borrowed(_) => &self.whole,
            // Audiences make views from the event alone, so one view fits all.
            Cow::Owned(_) => &self.view,
        };
        cell.get_or_init(|| frame(&shown, Some(event.seq)).ok()).clone().ok_or(())
    }
}

/// A live event as the bus hands it to this process's streams.
#[derive(Debug)]
pub struct Shared {
    pub event: OutletEvent,
    pub frames: SharedFrames,
}

impl Shared {
    pub fn new(event: OutletEvent) -> Shared {
        Shared { event, frames: SharedFrames::default() }
    }
}

/// The body of an event stream: `retry:` first, then the frames its stream
/// task sends, until that task ends.
pub struct EventBody {
    retry: Option<Bytes>,
    frames: mpsc::Receiver<Bytes>,
}

impl EventBody {
    /// A `200 text/event-stream` response carrying what is sent to `frames`.
    pub fn response(frames: mpsc::Receiver<Bytes>, retry: Duration) -> HttpResponse {
        let retry = Some(Bytes::from(format!("retry: {}\n\n", retry.as_millis())));
        HttpResponse::Ok()
            .content_type("text/event-stream")
            // Compression would hold frames back; the compressor leaves `identity` alone.
            .insert_header(ContentEncoding::Identity)
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .body(EventBody { retry, frames })
    }
}

impl MessageBody for EventBody {
    type Error = Infallible;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Infallible>>> {
        if let Some(retry) = self.retry.take() {
            return Poll::Ready(Some(Ok(retry)));
        }
        self.frames.poll_recv(cx).map(|frame| frame.map(Ok))
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::{ChangeOp, MenuItemChanged};
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_frame_is_id_event_and_one_line_of_data() {
        let event =
            LiveEvent::MenuItemUpdated(MenuItemChanged { item_id: Uuid::nil(), op: ChangeOp::Delete, item: None });
        let bytes = frame(&event, Some(7)).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let data = serde_json::to_string(&event.payload().unwrap()).unwrap();
        assert_eq!(text, format!("id: 7\nevent: {}\ndata: {data}\n\n", event.kind()));
        assert!(!frame(&event, None).unwrap().starts_with(b"id:"));
    }

    #[test]
    fn every_stream_shares_one_frame_per_view() {
        let live =
            LiveEvent::MenuItemUpdated(MenuItemChanged { item_id: Uuid::nil(), op: ChangeOp::Delete, item: None });
        let event = OutletEvent {
            seq: 3,
            outlet_id: Uuid::nil(),
            at: chrono::Utc::now(),
            order_device_id: None,
            event: Some(live.clone()),
        };
        let frames = SharedFrames::default();
        let a = frames.get(&event, Cow::Borrowed(&live)).unwrap();
        let b = frames.get(&event, Cow::Borrowed(&live)).unwrap();
        // The same allocation, not an equal copy.
        assert_eq!(a.as_ptr(), b.as_ptr());
    }
}
