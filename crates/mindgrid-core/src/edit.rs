//! Map edits: painting tiles, moving the start, new and resized maps, and the invariants every
//! edit keeps (one start, on plain floor; the size limits of a scene).

use serde::{Deserialize, Serialize};

use crate::scene::MAX_CELLS;
use crate::world::{Cell, Colour, GridWorld};

/// The longest side a new or resized map may have.
pub const MAX_SIDE: usize = 64;
/// The shortest side a new or resized map may have (a wall, a cell, a wall).
pub const MIN_SIDE: usize = 3;

/// What the edit palette paints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tile {
    /// Walkable floor (also the eraser).
    Floor,
    /// A wall.
    Wall,
    /// Lava.
    Lava,
    /// A goal.
    Goal,
    /// The start (there is one: painting it moves it).
    Start,
    /// A coloured object.
    Object(Colour),
    /// A cue tile.
    Cue,
}

impl Tile {
    /// The palette, in the order the window shows it.
    pub const PALETTE: [Tile; 9] = [
        Tile::Wall,
        Tile::Floor,
        Tile::Lava,
        Tile::Goal,
        Tile::Start,
        Tile::Object(Colour::Red),
        Tile::Object(Colour::Blue),
        Tile::Object(Colour::Yellow),
        Tile::Cue,
    ];

    /// The cell the tile makes (the start is floor).
    pub fn cell(self) -> Cell {
        match self {
            Tile::Floor | Tile::Start => Cell::Floor,
            Tile::Wall => Cell::Wall,
            Tile::Lava => Cell::Lava,
            Tile::Goal => Cell::Goal,
            Tile::Object(colour) => Cell::Object(colour),
            Tile::Cue => Cell::Cue,
        }
    }

    /// The map character the tile writes.
    pub fn symbol(self) -> char {
        match self {
            Tile::Start => 'S',
            tile => tile.cell().symbol(),
        }
    }

    /// The tile's name in the palette.
    pub fn label(self) -> &'static str {
        match self {
            Tile::Floor => "floor",
            Tile::Wall => "wall",
            Tile::Lava => "lava",
            Tile::Goal => "goal",
            Tile::Start => "start",
            Tile::Object(Colour::Red) => "red object",
            Tile::Object(Colour::Blue) => "blue object",
            Tile::Object(Colour::Yellow) => "yellow object",
            Tile::Cue => "cue tile",
        }
    }
}

/// Which arenas an edit reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reach {
    /// Every arena: the comparison stays fair.
    All,
    /// Arena `i` only.
    Arena(usize),
}

impl Reach {
    /// Whether arena `i` is reached.
    pub fn includes(self, i: usize) -> bool {
        match self {
            Reach::All => true,
            Reach::Arena(only) => only == i,
        }
    }
}

/// One cell of a map changed by an edit: its index and its character before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Row-major cell index.
    pub cell: usize,
    /// The character before the edit.
    pub before: char,
    /// The character after it.
    pub after: char,
}

/// A map as a scene writes it: rows of legend characters, edited cell by cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Map {
    width: usize,
    height: usize,
    symbols: Vec<char>,
}

impl Map {
    /// The map of `rows` (already validated: rectangular, legend characters).
    pub fn from_rows(rows: &[String]) -> Self {
        let width = rows.first().map_or(0, |r| r.chars().count());
        let mut symbols = Vec::with_capacity(width * rows.len());
        for row in rows {
            let mut chars: Vec<char> = row.chars().take(width).collect();
            chars.resize(width, '.');
            symbols.extend(chars);
        }
        Self {
            width,
            height: rows.len(),
            symbols,
        }
    }

    /// The map of a world as it is now: its cells, and its start as `S`.
    pub fn of_world(world: &GridWorld) -> Self {
        let mut symbols: Vec<char> = world.cells().iter().map(|c| c.symbol()).collect();
        if let Some(start) = symbols.get_mut(world.start()).filter(|c| **c == '.') {
            *start = 'S';
        }
        Self {
            width: world.width(),
            height: world.height(),
            symbols,
        }
    }

    /// An empty room: walls around, floor inside, the start in the top-left corner of the floor
    /// and a goal in the bottom-right one. Sides are clamped to [`MIN_SIDE`]..=[`MAX_SIDE`] and the
    /// size to the scene limit.
    pub fn empty_room(width: usize, height: usize) -> Self {
        let (width, height) = clamp_size(width, height);
        // The floor must hold the start and the goal apart: at least two cells.
        let width = if (width - 2) * (height - 2) < 2 {
            width + 1
        } else {
            width
        };
        let mut symbols = vec!['.'; width * height];
        for y in 0..height {
            for x in 0..width {
                if x == 0 || y == 0 || x == width - 1 || y == height - 1 {
                    symbols[y * width + x] = '#';
                }
            }
        }
        symbols[width + 1] = 'S';
        symbols[(height - 2) * width + width - 2] = 'G';
        Self {
            width,
            height,
            symbols,
        }
    }

    /// Whether a map read from a snapshot is one a scene could hold: sides of [`MIN_SIDE`] to
    /// [`MAX_SIDE`] within the scene's cell limit, a symbol for every cell, each from the legend.
    pub fn check(&self) -> Result<(), String> {
        let (w, h) = (self.width, self.height);
        if !(MIN_SIDE..=MAX_SIDE).contains(&w)
            || !(MIN_SIDE..=MAX_SIDE).contains(&h)
            || w * h > crate::scene::MAX_CELLS
            || self.symbols.len() != w * h
        {
            return Err(format!(
                "an edited map is {w} x {h} with {} cells; expected sides of {MIN_SIDE} to {MAX_SIDE}",
                self.symbols.len()
            ));
        }
        match self.symbols.iter().find(|&&c| Cell::from_char(c).is_none()) {
            Some(c) => Err(format!(
                "an edited map holds {c:?}, which is not in the legend ({})",
                Cell::LEGEND
            )),
            None => Ok(()),
        }
    }

    /// Columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The rows, as a scene writes them.
    pub fn rows(&self) -> Vec<String> {
        self.symbols
            .chunks(self.width.max(1))
            .map(|row| row.iter().collect())
            .collect()
    }

    /// The character of cell `i`.
    pub fn symbol(&self, i: usize) -> char {
        self.symbols.get(i).copied().unwrap_or('#')
    }

    /// The start's cell index.
    pub fn start(&self) -> Option<usize> {
        self.symbols.iter().position(|&c| c == 'S')
    }

    fn index(&self, (x, y): (u32, u32)) -> Result<usize, String> {
        let (x, y) = (x as usize, y as usize);
        if x < self.width && y < self.height {
            Ok(y * self.width + x)
        } else {
            Err(format!(
                "({x}, {y}) is outside the {} x {} map",
                self.width, self.height
            ))
        }
    }

    /// Paints `tile` on `cells` (columns and rows). The start stays single (painting it moves it)
    /// and on plain floor: covering it with anything but floor moves it to the nearest floor cell.
    /// Refused, changing nothing, when a cell is outside the map or no floor is left for the start.
    pub fn paint(&mut self, cells: &[(u32, u32)], tile: Tile) -> Result<(), String> {
        let indices = cells
            .iter()
            .map(|&c| self.index(c))
            .collect::<Result<Vec<_>, _>>()?;
        let mut edited = self.clone();
        match tile {
            Tile::Start => {
                if let Some(&last) = indices.last() {
                    edited.clear_start();
                    edited.symbols[last] = 'S';
                }
            }
            // The eraser leaves the start where it is.
            Tile::Floor => {
                for &i in &indices {
                    if edited.symbols[i] != 'S' {
                        edited.symbols[i] = '.';
                    }
                }
            }
            _ => {
                let start = edited.start();
                for &i in &indices {
                    edited.symbols[i] = tile.symbol();
                }
                if let Some(start) = start.filter(|&s| edited.symbols[s] != 'S') {
                    let nearest = edited
                        .nearest(start, |c| c == '.')
                        .ok_or("no floor would be left for the start; the edit is refused")?;
                    edited.symbols[nearest] = 'S';
                }
            }
        }
        *self = edited;
        Ok(())
    }

    fn clear_start(&mut self) {
        for c in &mut self.symbols {
            if *c == 'S' {
                *c = '.';
            }
        }
    }

    /// The cell nearest to `from` (by moves, ignoring walls; ties go to the lower index) whose
    /// character passes `free`.
    fn nearest(&self, from: usize, free: impl Fn(char) -> bool) -> Option<usize> {
        nearest_cell(self.width, self.symbols.len(), from, |i| {
            free(self.symbols[i])
        })
    }

    /// This map at a new size. A map walled all round stays walled all round (its inside is kept
    /// from the top-left, cut or padded with floor); any other map is cut or padded with floor. A
    /// start cut away moves to the nearest floor cell.
    pub fn resized(&self, width: usize, height: usize) -> Result<Self, String> {
        let (width, height) = clamp_size(width, height);
        let walled = self.height >= 2
            && self.width >= 2
            && (0..self.symbols.len()).all(|i| {
                let (x, y) = (i % self.width, i / self.width);
                let border = x == 0 || y == 0 || x == self.width - 1 || y == self.height - 1;
                !border || self.symbols[i] == '#'
            });
        let inset = usize::from(walled);
        let mut symbols = vec!['.'; width * height];
        let mut start = None;
        for y in 0..height {
            for x in 0..width {
                let border = x == 0 || y == 0 || x == width - 1 || y == height - 1;
                let i = y * width + x;
                if walled && border {
                    symbols[i] = '#';
                    continue;
                }
                // The same cell of the old map, if it lies inside the old map's walls.
                if x + inset < self.width && y + inset < self.height {
                    let c = self.symbols[y * self.width + x];
                    if c == 'S' {
                        start = Some(i);
                    }
                    symbols[i] = c;
                }
            }
        }
        let mut resized = Self {
            width,
            height,
            symbols,
        };
        if start.is_none() {
            let (sx, sy) = self
                .start()
                .map_or((1, 1), |s| (s % self.width, s / self.width));
            let near = sy.min(height - 1) * width + sx.min(width - 1);
            let cell = resized
                .nearest(near, |c| c == '.')
                .ok_or("the resized map would have no floor for the start")?;
            resized.symbols[cell] = 'S';
        }
        Ok(resized)
    }

    /// The cells where `self` differs from `before`.
    pub fn changes_from(&self, before: &Map) -> Vec<Change> {
        self.symbols
            .iter()
            .zip(&before.symbols)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(cell, (&after, &before))| Change {
                cell,
                before,
                after,
            })
            .collect()
    }

    /// Writes each change's `after` (or its `before`, to undo it).
    pub fn write(&mut self, changes: &[Change], undo: bool) {
        for change in changes {
            if let Some(c) = self.symbols.get_mut(change.cell) {
                *c = if undo { change.before } else { change.after };
            }
        }
    }
}

/// Sides clamped to [`MIN_SIDE`]..=[`MAX_SIDE`], the height cut until the map fits [`MAX_CELLS`].
fn clamp_size(width: usize, height: usize) -> (usize, usize) {
    let width = width.clamp(MIN_SIDE, MAX_SIDE);
    let height = height.clamp(MIN_SIDE, MAX_SIDE).min(MAX_CELLS / width);
    (width, height)
}

/// The cell nearest to `from` on a `width`-wide grid of `cells` cells (Manhattan distance, ties to
/// the lower index) for which `free` holds.
pub fn nearest_cell(
    width: usize,
    cells: usize,
    from: usize,
    free: impl Fn(usize) -> bool,
) -> Option<usize> {
    let width = width.max(1);
    let (fx, fy) = ((from % width) as i64, (from / width) as i64);
    (0..cells).filter(|&i| free(i)).min_by_key(|&i| {
        let (x, y) = ((i % width) as i64, (i / width) as i64);
        ((x - fx).abs() + (y - fy).abs(), i)
    })
}

/// Whether an agent may stand on `cell` (floor or a cue tile).
pub fn walkable(cell: Cell) -> bool {
    matches!(cell, Cell::Floor | Cell::Cue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(rows: &[&str]) -> Map {
        Map::from_rows(&rows.iter().map(|r| r.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_wall_on_the_start_moves_it_to_the_nearest_floor() {
        let mut m = map(&["#####", "#S..#", "#..G#", "#####"]);
        m.paint(&[(1, 1)], Tile::Wall).unwrap();
        assert_eq!(m.rows(), ["#####", "##S.#", "#..G#", "#####"]);
    }

    #[test]
    fn painting_the_start_moves_it_and_the_eraser_keeps_it() {
        let mut m = map(&["S.", ".G"]);
        m.paint(&[(0, 1)], Tile::Start).unwrap();
        assert_eq!(m.rows(), ["..", "SG"]);
        m.paint(&[(0, 1), (1, 1)], Tile::Floor).unwrap();
        assert_eq!(m.rows(), ["..", "S."]);
    }

    #[test]
    fn an_edit_leaving_no_floor_for_the_start_changes_nothing() {
        let mut m = map(&["S#", "##"]);
        let before = m.clone();
        let error = m.paint(&[(0, 0)], Tile::Lava).unwrap_err();
        assert!(error.contains("no floor"), "{error}");
        assert_eq!(m, before);
        assert!(
            m.paint(&[(5, 0)], Tile::Wall)
                .unwrap_err()
                .contains("outside")
        );
    }

    #[test]
    fn a_walled_map_stays_walled_when_resized() {
        let m = map(&["#####", "#S.G#", "#####"]);
        let bigger = m.resized(6, 4).unwrap();
        assert_eq!(bigger.rows(), ["######", "#S.G.#", "#....#", "######"]);
        let smaller = bigger.resized(3, 3).unwrap();
        assert_eq!(smaller.rows(), ["###", "#S#", "###"]);
        let open = map(&["S..", "..G"]).resized(4, 3).unwrap();
        assert_eq!(open.rows(), ["S...", "..G.", "...."]);
    }

    #[test]
    fn undo_writes_back_what_was_there() {
        let before = map(&["S..", "..G"]);
        let mut after = before.clone();
        after.paint(&[(1, 0), (2, 0)], Tile::Wall).unwrap();
        let changes = after.changes_from(&before);
        assert_eq!(changes.len(), 2);
        after.write(&changes, true);
        assert_eq!(after, before);
    }

    #[test]
    fn a_new_room_is_walled_with_a_start_and_a_goal() {
        assert_eq!(Map::empty_room(4, 3).rows(), ["####", "#SG#", "####"]);
        assert_eq!(
            Map::empty_room(3, 3).rows(),
            ["####", "#SG#", "####"],
            "widened for both"
        );
        let huge = Map::empty_room(500, 500);
        assert!(huge.width() * huge.height() <= MAX_CELLS);
    }
}
