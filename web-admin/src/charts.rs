//! Bar charts as server-rendered SVG: a `viewBox` that scales to the
//! screen's width (legible on a phone), one bar per point with its value in
//! a `<title>` (a tooltip, and what screen readers read), and thinned axis
//! labels when there are many bars.

use std::fmt::Write;

/// One bar: its axis label, its value and the value as people read it.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub shown: String,
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 220;
const TOP: i64 = 28;
const BOTTOM: i64 = 32;
/// At most this many axis labels, so they never overlap on a phone.
const MAX_LABELS: usize = 8;

/// An SVG bar chart titled `title` (for screen readers), with `id` on its root.
pub fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as i64;
    let slot = WIDTH as f64 / n as f64;
    let bar_width = (slot * 0.7).max(1.0);
    let plot = (HEIGHT - TOP - BOTTOM) as f64;
    let every = bars.len().div_ceil(MAX_LABELS).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="{id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{title}" preserveAspectRatio="xMidYMid meet"><title>{title}</title>"#,
        id = escape(id),
        title = escape(title),
    );
    let _ = write!(svg, r#"<line class="axis" x1="0" y1="{y}" x2="{WIDTH}" y2="{y}"/>"#, y = HEIGHT - BOTTOM);
    for (i, bar) in bars.iter().enumerate() {
        let h = if bar.value > 0 { (bar.value as f64 / max as f64 * plot).max(1.0) } else { 0.0 };
        let x = i as f64 * slot + (slot - bar_width) / 2.0;
        let y = (HEIGHT - BOTTOM) as f64 - h;
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{x:.1}" y="{y:.1}" width="{bar_width:.1}" height="{h:.1}" data-label="{label}" data-value="{value}"><title>{label}: {shown}</title></rect>"#,
            label = escape(&bar.label),
            value = bar.value,
            shown = escape(&bar.shown),
        );
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{cx:.1}" y="{ty}" text-anchor="middle">{label}</text>"#,
                cx = x + bar_width / 2.0,
                ty = HEIGHT - 8,
                label = escape(&bar.label),
            );
        }
    }
    if let Some(top) = bars.iter().max_by_key(|b| b.value).filter(|b| b.value > 0) {
        let _ = write!(svg, r#"<text class="max" x="0" y="20">{}</text>"#, escape(&top.shown));
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: i64) -> Bar {
        Bar { label: label.into(), value, shown: format!("Rp {value}") }
    }

    #[test]
    fn bars_scale_to_the_largest_and_labels_are_escaped() {
        let svg = bar_chart("c", "Sales <by day>", &[bar("a", 50), bar("<b>", 100), bar("c", 0)]);
        assert!(svg.starts_with(r#"<svg id="c""#));
        assert!(svg.contains("Sales &lt;by day&gt;"));
        assert!(!svg.contains("<b>"));
        assert_eq!(svg.matches("<rect").count(), 3);
        // The largest bar takes the whole plot (220 - 28 - 32 = 160), half of it the other.
        assert!(svg.contains(r#"height="160.0""#) && svg.contains(r#"height="80.0""#));
        assert!(svg.contains(r#"height="0.0""#));
    }

    #[test]
    fn many_bars_get_at_most_eight_labels() {
        let bars: Vec<Bar> = (0..31).map(|d| bar(&d.to_string(), d)).collect();
        let svg = bar_chart("days", "t", &bars);
        assert!(svg.matches(r#"class="tick""#).count() <= MAX_LABELS);
        assert_eq!(svg.matches("<rect").count(), 31);
    }
}
