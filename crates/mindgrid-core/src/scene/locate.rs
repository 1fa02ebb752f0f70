//! Finds where each field and list element of a RON text starts, so validation errors can say `file:line:column`.

use std::collections::HashMap;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Position {
    /// Line, starting at 1.
    pub line: usize,
    /// Column, starting at 1.
    pub column: usize,
}

/// Where every field value and list element of a RON document starts, keyed by a dotted path
/// such as `agents.1.brain.epsilon` or `world.rows.3`.
#[derive(Debug, Default)]
pub struct SourceMap {
    positions: HashMap<String, Position>,
}

impl SourceMap {
    /// Scans RON text. Never fails: text it cannot follow simply yields fewer positions.
    pub fn scan(source: &str) -> Self {
        Scanner::new(source).run()
    }

    /// The position of `path`, or of its nearest recorded ancestor, or line 1 column 1.
    pub fn locate(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return *position;
            }
            match path.rfind('.') {
                Some(dot) => path = &path[..dot],
                None => {
                    return self
                        .positions
                        .get("")
                        .copied()
                        .unwrap_or(Position { line: 1, column: 1 });
                }
            }
        }
    }

    /// The exact position recorded for `path`, if any.
    pub fn get(&self, path: &str) -> Option<Position> {
        self.positions.get(path).copied()
    }
}

/// One open bracket while scanning.
struct Frame {
    path: String,
    is_list: bool,
    index: usize,
    /// The key whose value comes next (inside a struct), if one was just read.
    pending_key: Option<String>,
    /// Whether the current list element has already been recorded.
    element_seen: bool,
}

struct Scanner<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    line: usize,
    column: usize,
    stack: Vec<Frame>,
    map: SourceMap,
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}.{segment}")
    }
}

impl<'a> Scanner<'a> {
    fn new(source: &'a str) -> Self {
        Self {
            chars: source.char_indices().peekable(),
            line: 1,
            column: 1,
            stack: Vec::new(),
            map: SourceMap::default(),
        }
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn here(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    /// The path a value starting here belongs to, recording its position.
    fn value_starts(&mut self) -> Option<String> {
        let here = self.here();
        self.value_starts_at(here)
    }

    /// The path a value starting at `here` belongs to, recording its position.
    fn value_starts_at(&mut self, here: Position) -> Option<String> {
        let Some(frame) = self.stack.last_mut() else {
            self.map.positions.entry(String::new()).or_insert(here);
            return Some(String::new());
        };
        let path = if frame.is_list {
            if frame.element_seen {
                return None;
            }
            frame.element_seen = true;
            join(&frame.path, &frame.index.to_string())
        } else {
            let key = frame.pending_key.take()?;
            join(&frame.path, &key)
        };
        self.map.positions.entry(path.clone()).or_insert(here);
        Some(path)
    }

    fn run(mut self) -> SourceMap {
        // The path of a value whose enum-variant name was just read (`Grid` in `world: Grid(`).
        let mut variant_path: Option<String> = None;
        while let Some(c) = self.peek() {
            match c {
                c if c.is_whitespace() => {
                    self.bump();
                }
                '/' => self.skip_comment(),
                '"' => {
                    self.value_starts();
                    variant_path = None;
                    self.skip_string();
                }
                '\'' => {
                    self.value_starts();
                    self.skip_char_literal();
                }
                '(' | '[' | '{' => {
                    let path = variant_path
                        .take()
                        .or_else(|| self.value_starts())
                        .unwrap_or_default();
                    self.bump();
                    self.stack.push(Frame {
                        path,
                        is_list: c != '(',
                        index: 0,
                        pending_key: None,
                        element_seen: false,
                    });
                }
                ')' | ']' | '}' => {
                    self.bump();
                    self.stack.pop();
                    variant_path = None;
                }
                ',' => {
                    self.bump();
                    variant_path = None;
                    if let Some(frame) = self.stack.last_mut() {
                        frame.pending_key = None;
                        if frame.is_list {
                            frame.index += 1;
                            frame.element_seen = false;
                        }
                    }
                }
                c if c.is_alphabetic() || c == '_' => {
                    let start = self.here();
                    let ident = self.read_ident();
                    if ident == "r" && matches!(self.peek(), Some('"' | '#')) {
                        self.value_starts();
                        self.skip_raw_string();
                        continue;
                    }
                    self.skip_blank();
                    let in_struct = self.stack.last().is_some_and(|frame| !frame.is_list);
                    if in_struct && self.peek() == Some(':') {
                        self.bump();
                        if let Some(frame) = self.stack.last_mut() {
                            frame.pending_key = Some(ident);
                        }
                        self.skip_blank();
                        continue;
                    }
                    // An identifier in value position: a variant name, `None`, `Some`, `true`...
                    let path = self.value_starts_at(start);
                    variant_path = if self.peek() == Some('(') { path } else { None };
                }
                _ => {
                    // Numbers, signs and anything else: one token.
                    self.value_starts();
                    variant_path = None;
                    while let Some(c) = self.peek() {
                        if c.is_whitespace() || "()[]{},:\"'/".contains(c) {
                            break;
                        }
                        self.bump();
                    }
                    if self.peek() == Some(':') {
                        self.bump();
                    }
                }
            }
        }
        self.map
    }

    fn read_ident(&mut self) -> String {
        let mut ident = String::new();
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' {
                ident.push(c);
                self.bump();
            } else {
                break;
            }
        }
        ident
    }

    /// Skips whitespace and comments.
    fn skip_blank(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.bump();
            } else if c == '/' {
                let before = (self.line, self.column);
                self.skip_comment();
                if (self.line, self.column) == before {
                    break;
                }
            } else {
                break;
            }
        }
    }

    fn skip_comment(&mut self) {
        let mut ahead = self.chars.clone();
        ahead.next();
        match ahead.next().map(|(_, c)| c) {
            Some('/') => {
                while let Some(c) = self.bump() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            Some('*') => {
                self.bump();
                self.bump();
                let mut depth = 1usize;
                while depth > 0 {
                    match self.bump() {
                        None => break,
                        Some('*') if self.peek() == Some('/') => {
                            self.bump();
                            depth -= 1;
                        }
                        Some('/') if self.peek() == Some('*') => {
                            self.bump();
                            depth += 1;
                        }
                        Some(_) => {}
                    }
                }
            }
            _ => {
                self.bump();
            }
        }
    }

    fn skip_string(&mut self) {
        self.bump();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '"' => break,
                _ => {}
            }
        }
    }

    fn skip_raw_string(&mut self) {
        let mut hashes = 0usize;
        while self.peek() == Some('#') {
            self.bump();
            hashes += 1;
        }
        if self.peek() != Some('"') {
            return;
        }
        self.bump();
        'outer: while let Some(c) = self.bump() {
            if c == '"' {
                for _ in 0..hashes {
                    if self.peek() != Some('#') {
                        continue 'outer;
                    }
                    self.bump();
                }
                break;
            }
        }
    }

    fn skip_char_literal(&mut self) {
        self.bump();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '\'' => break,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields_and_list_elements() {
        let text = "Scene(\n  title: \"x\", // c\n  agents: [\n    (name: \"a\", brain: QLearning(alpha: 0.5)),\n    (name: \"b\", brain: Random),\n  ],\n  world: Grid(rows: [\"S.\", \"G#\"]),\n)";
        let map = SourceMap::scan(text);
        assert_eq!(
            map.get("title"),
            Some(Position {
                line: 2,
                column: 10
            })
        );
        assert_eq!(map.get("agents.0"), Some(Position { line: 4, column: 5 }));
        assert_eq!(
            map.get("agents.0.brain.alpha"),
            Some(Position {
                line: 4,
                column: 41
            })
        );
        assert_eq!(
            map.get("agents.1.brain"),
            Some(Position {
                line: 5,
                column: 24
            })
        );
        assert_eq!(
            map.get("world.rows.1"),
            Some(Position {
                line: 7,
                column: 28
            })
        );
        assert_eq!(
            map.locate("agents.1.brain.epsilon"),
            Position {
                line: 5,
                column: 24
            }
        );
    }
}
