//! A fast writer for long tables of short, plain cells: the same bytes comfy-table draws
//! with the `UTF8_FULL_CONDENSED` preset (left-aligned, one space of padding, no wrapping),
//! widths computed in one pass and every line written straight to the output, without a
//! `String` per cell. It takes only printable ASCII cells (one byte, one column, one
//! line); the caller draws anything else with comfy-table.

use std::io::Write;

/// The colours the status table paints its state cells with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Green,
    Yellow,
    Red,
}

impl Paint {
    /// The escape that starts the colour, as comfy-table (through crossterm) writes it.
    fn start(self) -> &'static str {
        match self {
            Paint::Green => "\x1b[38;5;10m",
            Paint::Yellow => "\x1b[38;5;11m",
            Paint::Red => "\x1b[38;5;9m",
        }
    }
}

/// What ends a coloured cell.
const RESET: &str = "\x1b[39m";

/// One cell: its text and, with colour on, its paint.
pub struct Cell<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub paint: Option<Paint>,
}

/// True when every cell is printable ASCII, which this writer draws exactly as comfy-table.
pub fn drawable<'a>(header: &[&str], rows: impl IntoIterator<Item = &'a [Cell<'a>]>) -> bool {
    let plain = |s: &str| s.bytes().all(|b| (0x20..0x7f).contains(&b));
    header.iter().all(|h| plain(h))
        && rows
            .into_iter()
            .all(|row| row.iter().all(|c| plain(&c.text)))
}

/// Writes the table (header, a double rule, the rows), each line ending in a newline.
pub fn write<W: Write>(
    out: &mut W,
    header: &[&str],
    rows: &[Vec<Cell<'_>>],
    color: bool,
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.text.len());
        }
    }
    let rule = |left: &str, fill: &str, join: &str, right: &str| {
        let mut line = String::from(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                line.push_str(join);
            }
            line.push_str(&fill.repeat(w + 2));
        }
        line.push_str(right);
        line.push('\n');
        line
    };
    let mut buf = Vec::with_capacity((rows.len() + 4) * (widths.iter().sum::<usize>() + 40));
    buf.extend_from_slice(rule("┌", "─", "┬", "┐").as_bytes());
    let line = |buf: &mut Vec<u8>, cells: &mut dyn Iterator<Item = (&str, Option<Paint>)>| {
        buf.extend_from_slice("│".as_bytes());
        for (i, ((text, paint), w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                buf.extend_from_slice("┆".as_bytes());
            }
            let paint = paint.filter(|_| color);
            if let Some(p) = paint {
                buf.extend_from_slice(p.start().as_bytes());
            }
            buf.push(b' ');
            buf.extend_from_slice(text.as_bytes());
            buf.resize(buf.len() + (w - text.len()) + 1, b' ');
            if paint.is_some() {
                buf.extend_from_slice(RESET.as_bytes());
            }
        }
        buf.extend_from_slice("│\n".as_bytes());
    };
    line(&mut buf, &mut header.iter().map(|h| (*h, None)));
    buf.extend_from_slice(rule("╞", "═", "╪", "╡").as_bytes());
    for row in rows {
        line(
            &mut buf,
            &mut row.iter().map(|c| (c.text.as_ref(), c.paint)),
        );
    }
    buf.extend_from_slice(rule("└", "─", "┴", "┘").as_bytes());
    out.write_all(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// comfy-table's drawing of the same cells: the oracle.
    fn comfy(header: &[&str], rows: &[Vec<Cell<'_>>], color: bool) -> String {
        use comfy_table::Color;
        let mut t = super::super::table(color);
        t.set_header(header.to_vec());
        for row in rows {
            t.add_row(row.iter().map(|c| {
                let cell = comfy_table::Cell::new(c.text.as_ref());
                match c.paint {
                    Some(Paint::Green) => cell.fg(Color::Green),
                    Some(Paint::Yellow) => cell.fg(Color::Yellow),
                    Some(Paint::Red) => cell.fg(Color::Red),
                    None => cell,
                }
            }));
        }
        format!("{t}\n")
    }

    fn cell(text: &str, paint: Option<Paint>) -> Cell<'static> {
        Cell {
            text: text.to_string().into(),
            paint,
        }
    }

    #[test]
    fn draws_the_bytes_comfy_table_draws() {
        // The status table's own columns: the table this writer draws.
        let header = super::super::status::HEADER;
        let mut rows = Vec::new();
        for (i, paint) in [
            None,
            Some(Paint::Green),
            Some(Paint::Yellow),
            Some(Paint::Red),
        ]
        .into_iter()
        .enumerate()
        {
            rows.push(vec![
                cell(&format!("{}", 10usize.pow(i as u32 * 3)), None),
                cell("1_all", None),
                cell(&"x".repeat(i * 7), None),
                cell(["applied", "pending", "modified (cosmetic)", "x"][i], paint),
                cell(
                    if i % 2 == 0 {
                        ""
                    } else {
                        "2026-12-04 21:14:41 UTC"
                    },
                    None,
                ),
                cell(&format!("{i} ms"), None),
            ]);
        }
        for color in [false, true] {
            for n in [0, 1, rows.len()] {
                let mut out = Vec::new();
                write(&mut out, &header, &rows[..n], color).unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    comfy(&header, &rows[..n], color),
                    "color {color}, {n} rows"
                );
            }
        }
    }

    #[test]
    fn only_plain_ascii_cells_are_drawable() {
        let header = ["a", "b"];
        let ok = vec![cell("x y", None), cell("", None)];
        let wide = vec![cell("é", None), cell("", None)];
        let multi = vec![cell("a\nb", None), cell("", None)];
        assert!(drawable(&header, [ok.as_slice()]));
        assert!(!drawable(&header, [ok.as_slice(), wide.as_slice()]));
        assert!(!drawable(&header, [multi.as_slice()]));
        assert!(!drawable(&["\t"], [ok.as_slice()]));
    }
}
