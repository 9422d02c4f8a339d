//! `pos-bench fanout`: N live event streams of one outlet, then orders at
//! that outlet, timed from each create-order response to its receipt by
//! every stream; the server's memory with the streams open, at its peak and
//! after they close; the load average of the machine meanwhile.
//!
//! The client shares the machine's cores with the server, so it is kept
//! lean: raw HTTP/1.1 over a `TcpStream` per stream, its chunked body and
//! SSE frames read by hand, and only the order number taken from the JSON
//! (no parse). Streams are opened a few hundred at a time; one refused or
//! cut is opened again after a pause, as `EventSource` does, and counted.

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use pos_tests::fixtures;
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::{Semaphore, mpsc},
};

/// Streams being opened at once.
const OPENING: usize = 128;
/// How long every stream may take to open.
const OPEN_WITHIN: Duration = Duration::from_secs(120);
/// How long after an order's response every stream must have it.
const RECEIVE_WITHIN: Duration = Duration::from_secs(10);
/// How long the server is given to let go of closed streams' memory.
const SETTLE: Duration = Duration::from_secs(5);

/// What one stream saw: (stream, order number, when).
type Receipt = (usize, String, Instant);

#[derive(Default)]
struct Counters {
    open: AtomicUsize,
    /// Opens refused (non-200) or failed to connect, each retried.
    refused: AtomicUsize,
    /// Streams the server ended while the bench still listened.
    cut: AtomicUsize,
}

pub async fn fanout(a: HashMap<String, String>) -> anyhow::Result<()> {
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let n: usize = a.get("subscribers").map_or(Ok(1000), |v| v.parse())?;
    let rounds: usize = a.get("orders").map_or(Ok(20), |v| v.parse())?;
    let pid = a.get("server-pid").cloned();
    let (client, token, _, _, outlet, item) = super::order_shop(&base).await?;
    let addr = base.strip_prefix("http://").context("--base must be http://host:port")?.to_string();
    let before = memory(&pid);

    let (tx, mut rx) = mpsc::unbounded_channel::<Receipt>();
    let counters = Arc::new(Counters::default());
    let request = Arc::new(format!(
        "GET /api/v1/outlets/{outlet}/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Accept: text/event-stream\r\n\r\n"
    ));
    let opening = Arc::new(Semaphore::new(OPENING));
    let started = Instant::now();
    let mut streams = Vec::with_capacity(n);
    for i in 0..n {
        let (tx, counters, request, opening, addr) =
            (tx.clone(), counters.clone(), request.clone(), opening.clone(), addr.clone());
        streams.push(tokio::spawn(async move { listen(i, &addr, &request, &opening, &counters, &tx).await }));
    }
    drop(tx);
    while counters.open.load(Ordering::Relaxed) < n && started.elapsed() < OPEN_WITHIN {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let opened_in = started.elapsed();
    let open = counters.open.load(Ordering::Relaxed);
    let with_streams = memory(&pid);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut latencies = Vec::with_capacity(n * rounds);
    let mut short = Vec::new();
    for _ in 0..rounds {
        let body = fixtures::counter_order(outlet.parse()?, vec![fixtures::line(item.parse()?, 1)]);
        let res: Value = client
            .post(format!("{base}/api/v1/orders"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let answered = Instant::now();
        let number = res["number"].as_str().unwrap_or("").to_string();
        let mut got = 0;
        let deadline = tokio::time::Instant::now() + RECEIVE_WITHIN;
        while got < n {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some((_, num, at))) if num == number => {
                    latencies.push(at.saturating_duration_since(answered).as_secs_f64() * 1000.0);
                    got += 1;
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        if got < n {
            short.push(format!("{number}: {got}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let peak = memory(&pid);

    for stream in &streams {
        stream.abort();
    }
    tokio::time::sleep(SETTLE).await;
    let after = memory(&pid);

    println!("SSE fan-out: {n} subscribers of one outlet, {rounds} orders, create-order response -> receipt");
    println!(
        "  streams: {open} of {n} open in {:.1} s ({} opens refused or failed and retried, {} cut by the server)",
        opened_in.as_secs_f64(),
        counters.refused.load(Ordering::Relaxed),
        counters.cut.load(Ordering::Relaxed)
    );
    println!(
        "  received: {} of {} deliveries within {} s of each response{}",
        latencies.len(),
        n * rounds,
        RECEIVE_WITHIN.as_secs(),
        if short.is_empty() { String::new() } else { format!(" (short orders: {})", short.join(", ")) }
    );
    if !latencies.is_empty() {
        latencies.sort_by(|a, b| a.total_cmp(b));
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        println!("  p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms", pct(0.5), pct(0.99), pct(1.0));
    }
    if let (Some(b), Some(o), Some(p), Some(a)) = (before, with_streams, peak, after) {
        println!(
            "  server RSS: {:.1} MiB before, {:.1} MiB with {n} streams open ({:.1} KiB per stream), \
             peak {:.1} MiB, {:.1} MiB {} s after they closed",
            b.rss as f64 / 1024.0,
            o.rss as f64 / 1024.0,
            (o.rss.saturating_sub(b.rss)) as f64 / n as f64,
            p.peak as f64 / 1024.0,
            a.rss as f64 / 1024.0,
            SETTLE.as_secs()
        );
    }
    println!(
        "  load average at the end of the orders: {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    if !short.is_empty() || open < n {
        bail!("not every subscriber received every order");
    }
    Ok(())
}

struct Memory {
    rss: u64,
    peak: u64,
}

/// The server's resident memory now and at its peak, in KiB.
fn memory(pid: &Option<String>) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid.as_ref()?)).ok()?;
    let kib = |key: &str| -> Option<u64> {
        status.lines().find(|l| l.starts_with(key))?.split_whitespace().nth(1)?.parse().ok()
    };
    Some(Memory { rss: kib("VmRSS:")?, peak: kib("VmHWM:")? })
}

/// Holds stream `i` open, reopening it when refused or cut, and reports
/// every `order.created` it reads.
async fn listen(
    i: usize,
    addr: &str,
    request: &str,
    opening: &Semaphore,
    counters: &Counters,
    tx: &mpsc::UnboundedSender<Receipt>,
) {
    let mut first = true;
    loop {
        let opened = {
            let _turn = opening.acquire().await;
            open(addr, request).await
        };
        match opened {
            Ok((socket, rest)) => {
                if first {
                    counters.open.fetch_add(1, Ordering::Relaxed);
                    first = false;
                }
                let _ = read_events(i, socket, rest, tx).await;
                counters.cut.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                counters.refused.fetch_add(1, Ordering::Relaxed);
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Sends the request and reads the response head: the socket and what was
/// read past the head, if the answer is 200.
async fn open(addr: &str, request: &str) -> anyhow::Result<(TcpStream, Vec<u8>)> {
    let mut socket = TcpStream::connect(addr).await?;
    socket.write_all(request.as_bytes()).await?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let read = socket.read(&mut chunk).await?;
        if read == 0 {
            bail!("closed before the response head");
        }
        buf.extend_from_slice(&chunk[..read]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end])?;
            if !head.starts_with("HTTP/1.1 200") {
                bail!("{}", head.lines().next().unwrap_or(""));
            }
            if !head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
                bail!("expected a chunked body");
            }
            return Ok((socket, buf.split_off(end + 4)));
        }
        if buf.len() > 16 * 1024 {
            bail!("response head too long");
        }
    }
}

/// Decodes the chunked body into SSE frames; reports `order.created` ones.
async fn read_events(
    i: usize,
    mut socket: TcpStream,
    mut raw: Vec<u8>,
    tx: &mpsc::UnboundedSender<Receipt>,
) -> anyhow::Result<()> {
    let mut body: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        // Every complete chunk in `raw` moves to `body`.
        while let Some(line) = find(&raw, b"\r\n") {
            let size = usize::from_str_radix(std::str::from_utf8(&raw[..line])?.trim(), 16)?;
            if size == 0 {
                return Ok(());
            }
            if raw.len() < line + 2 + size + 2 {
                break;
            }
            body.extend_from_slice(&raw[line + 2..line + 2 + size]);
            raw.drain(..line + 2 + size + 2);
        }
        let now = Instant::now();
        while let Some(end) = find(&body, b"\n\n") {
            if let Some(number) = order_created(&body[..end]) {
                let _ = tx.send((i, number, now));
            }
            body.drain(..end + 2);
        }
        let read = socket.read(&mut chunk).await?;
        if read == 0 {
            return Ok(());
        }
        raw.extend_from_slice(&chunk[..read]);
    }
}

/// The order number of an `order.created` frame.
fn order_created(frame: &[u8]) -> Option<String> {
    let frame = std::str::from_utf8(frame).ok()?;
    let mut lines = frame.lines();
    if !lines.any(|l| l == "event: order.created") {
        return None;
    }
    let data = frame.lines().find_map(|l| l.strip_prefix("data: "))?;
    // The order's own `number` comes before any nested one.
    let at = data.find("\"number\":\"")? + "\"number\":\"".len();
    Some(data[at..].split('"').next()?.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_number_of_an_order_created_frame() {
        let frame = b"event: order.created\ndata: {\"id\":\"x\",\"number\":\"K1-7\",\"items\":[]}\nid: 3";
        assert_eq!(order_created(frame).as_deref(), Some("K1-7"));
        assert_eq!(order_created(b"event: ping\ndata: {\"number\":\"K1-7\"}"), None);
    }
}
