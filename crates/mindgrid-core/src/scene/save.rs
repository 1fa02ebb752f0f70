//! Saving an edited map into a scene file: only the map's rows change, every comment and all the
//! formatting of the rest stay; and writing files atomically.

use super::{Scene, SourceMap, WorldSpec, parse};

/// `text` (a scene file named `file`) with its map rows replaced by `rows`. Only the row strings
/// change: with as many rows as before each string is replaced in place (comments between rows
/// stay); otherwise the list is rewritten one row per line at the first row's indentation. The
/// result is parsed and must be the same scene with the new map, else nothing is returned but the
/// reason.
pub fn with_rows(text: &str, file: &str, rows: &[String]) -> Result<String, String> {
    let original = parse(text, file)
        .map_err(|errors| format!("the file does not load as it is: {}", errors[0]))?
        .scene;
    let map = SourceMap::scan(text);
    let position = map
        .get("world.rows")
        .ok_or("the file has no `rows:` list in its world to write the map into")?;
    let from = byte_offset(text, position.line, position.column)
        .ok_or("the map's rows could not be found in the file")?;
    let open = from
        + text[from..]
            .find('[')
            .ok_or("the map's rows are not a list")?;
    let (close, literals) = scan_list(text, open)?;
    let quoted: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
    let mut saved = String::with_capacity(text.len() + 64);
    if literals.len() == rows.len() {
        let mut at = 0;
        for ((start, end), row) in literals.iter().zip(&quoted) {
            saved.push_str(&text[at..*start]);
            saved.push_str(row);
            at = *end;
        }
        saved.push_str(&text[at..]);
    } else {
        let line_start = |i: usize| text[..i].rfind('\n').map_or(0, |n| n + 1);
        let indent = |i: usize| -> &str {
            let start = line_start(i);
            let spaces = text[start..i].len() - text[start..i].trim_start().len();
            &text[start..start + spaces]
        };
        let on_own_lines = literals
            .first()
            .is_some_and(|&(start, _)| text[line_start(start)..start].trim().is_empty());
        saved.push_str(&text[..=open]);
        if on_own_lines {
            let row_indent = indent(literals[0].0);
            for row in &quoted {
                saved.push('\n');
                saved.push_str(row_indent);
                saved.push_str(row);
                saved.push(',');
            }
            saved.push('\n');
            saved.push_str(indent(close));
        } else {
            saved.push_str(&quoted.join(", "));
        }
        saved.push_str(&text[close..]);
    }
    let mut expected = original;
    let WorldSpec::Grid(grid) = &mut expected.world;
    grid.rows = rows.to_vec();
    let reread: Scene = parse(&saved, file)
        .map_err(|errors| format!("the saved scene would not load: {}", errors[0]))?
        .scene;
    if reread != expected {
        return Err("writing the rows would change more than the map; nothing was saved".into());
    }
    Ok(saved)
}

/// The byte offset of a 1-based line and character column.
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + within)
}

/// From the `[` at `open`: the offset of its matching `]` and the byte spans of the string
/// literals directly inside it, skipping comments.
fn scan_list(text: &str, open: usize) -> Result<(usize, Vec<(usize, usize)>), String> {
    let bytes = text.as_bytes();
    let mut literals = Vec::new();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'(' => depth += 1,
            b']' | b')' => {
                depth -= 1;
                if depth == 0 {
                    return Ok((i, literals));
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 {
                    literals.push((start, i + 1));
                }
            }
            b'r' if bytes.get(i + 1).is_some_and(|&b| b == b'"' || b == b'#') => {
                let start = i;
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let closing = format!("\"{}", "#".repeat(hashes));
                let body = i + 2 + hashes;
                let end = text[body..]
                    .find(&closing)
                    .ok_or("a raw string in the rows is not closed")?;
                i = body + end + closing.len() - 1;
                if depth == 1 {
                    literals.push((start, i + 1));
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += text[i..].find('\n').unwrap_or(text.len() - i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += text[i..]
                    .find("*/")
                    .ok_or("a comment in the rows is not closed")?
                    + 1;
            }
            _ => {}
        }
        i += 1;
    }
    Err("the map's list of rows is not closed".into())
}

pub use crate::files::write_atomically;

/// The text of a new scene: an empty walled room of `width` x `height` (clamped to the limits), with
/// a Q-learning agent and the random baseline, that passes `check` and is ready to edit.
pub fn new_scene_text(file: &str, width: usize, height: usize) -> String {
    let map = crate::edit::Map::empty_room(width, height);
    let rows: String = map
        .rows()
        .iter()
        .map(|row| format!("            {row:?},\n"))
        .collect();
    format!(
        "// {file} — a new scene made by `mindgrid new`: an empty {w} x {h} room.
//
// Paint the map in the window (E, then the palette; Ctrl+S saves the rows back here) or edit
// the rows below; add agents from the brain table in README.md.
Scene(
    title: \"A new room\",
    seed: 1,
    text: \"An empty room: the start top left, the goal bottom right.\",
    world: Grid(
        rows: [
{rows}        ],
        max_steps: 500,
    ),
    agents: [
        (name: \"Q-learning\", brain: QLearning()),
        (name: \"Random\", brain: Random),
    ],
)
",
        w = map.width(),
        h = map.height()
    )
}
