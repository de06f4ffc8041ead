//! Tables during the walk: which tables and cells are open, each column's header (from the first
//! row of only `<th>`s, or of only short labels, spread over its `colspan`, and from a second
//! header row under cells that span it), the columns earlier rows' `rowspan`s still hold, a row's
//! first cell as the header of the cells after it (a group cell spanning rows as the header of
//! that first cell), and the caption. It gives a block inside a table its context and knows
//! nothing else of the walk.

use ego_tree::NodeId;
use scraper::node::Element;

use crate::extract::block::{BlockKind, Context, bounded};

/// A `colspan` larger than this counts as this (a hostile page could ask for millions).
const MAX_COLSPAN: usize = 64;
/// A `rowspan` larger than this counts as this, and only this many columns are held by one.
const MAX_ROWSPAN: usize = 256;
const MAX_HELD_COLUMNS: usize = 64;

struct Table {
    id: NodeId,
    caption: Option<String>,
    /// The header of each column, from the first row of only `<th>`s or short labels (and a
    /// second header row under spanning cells).
    columns: Vec<Option<String>>,
    /// The columns a first header row's spanning cells cover ("辦理渠道" over four ways): a
    /// second row of labels names them one by one.
    spanned: Vec<usize>,
    row: Row,
    /// Rows closed so far.
    rows: usize,
    /// By column: how many more rows a cell above holds it (`rowspan`), and that cell's text.
    held: Vec<(usize, Option<String>)>,
}

impl Table {
    /// The first column from `column` on that no cell above holds.
    fn free_from(&self, mut column: usize) -> usize {
        while self.held.get(column).is_some_and(|(rows, _)| *rows > 0) {
            column += 1;
        }
        column
    }
}

#[derive(Default)]
struct Row {
    next_column: usize,
    cells: Vec<Cell>,
    only_headers: bool,
    /// The row's key: its first cell that spans no rows, the header of the cells after it.
    first: Option<String>,
    /// Where the key is still to come, and the cell spanning rows before it (the group the key
    /// belongs to: "号卡" over "停机保号", "复机", "销号"), its header.
    key_column: Option<usize>,
    group: Option<String>,
    /// The blocks of the first row's plain cells, by index in the walk's output: if the row
    /// closes as a row of labels, they head their columns ([`Tables::close`]).
    blocks: Vec<usize>,
}

struct Cell {
    id: NodeId,
    column: usize,
    span: usize,
    rowspan: usize,
    text: Option<String>,
    /// Its row header, fixed when its first block ends.
    row_header: Option<String>,
}

/// The open tables, innermost last, and the open cells.
#[derive(Default)]
pub(super) struct Tables {
    open: Vec<Table>,
    cells: Vec<Cell>,
}

impl Tables {
    /// Follows an element that opens: a table, a row or a cell; others are ignored.
    pub(super) fn open(&mut self, id: NodeId, e: &Element) {
        let name = e.name();
        match name {
            "table" => self.open.push(Table {
                id,
                caption: None,
                columns: Vec::new(),
                spanned: Vec::new(),
                row: Row::default(),
                rows: 0,
                held: Vec::new(),
            }),
            "tr" => {
                if let Some(t) = self.open.last_mut() {
                    let key = t.free_from(0);
                    t.row = Row {
                        only_headers: true,
                        next_column: key,
                        key_column: Some(key),
                        group: t.held[..key.min(t.held.len())]
                            .iter()
                            .rev()
                            .find_map(|(_, text)| text.clone()),
                        ..Row::default()
                    };
                }
            }
            "td" | "th" => {
                if let Some(t) = self.open.last_mut() {
                    let span = e
                        .attr("colspan")
                        .and_then(|s| s.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_COLSPAN);
                    let rowspan = e
                        .attr("rowspan")
                        .and_then(|s| s.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_ROWSPAN);
                    let column = t.free_from(t.row.next_column);
                    t.row.next_column = column + span;
                    t.row.only_headers &= name == "th";
                    self.cells.push(Cell {
                        id,
                        column,
                        span,
                        rowspan,
                        text: None,
                        row_header: None,
                    });
                }
            }
            _ => {}
        }
    }

    /// Follows an element that closes: a cell joins its row; the first row of only headers
    /// names the columns; a table ends. Returns the blocks of a first row of plain cells that
    /// closed as a row of labels: they head their columns, as `<th>`s would.
    pub(super) fn close(&mut self, id: NodeId, name: &str) -> Vec<usize> {
        let mut headers = Vec::new();
        if self.cells.last().is_some_and(|c| c.id == id)
            && let Some(cell) = self.cells.pop()
            && let Some(t) = self.open.last_mut()
        {
            t.row.cells.push(cell);
        }
        if name == "tr"
            && let Some(t) = self.open.last_mut()
        {
            let mut row = std::mem::take(&mut t.row);
            t.rows += 1;
            for (rows, _) in &mut t.held {
                *rows = rows.saturating_sub(1);
            }
            for c in &row.cells {
                let end = (c.column + c.span).min(MAX_HELD_COLUMNS);
                if c.rowspan > 1 && c.column < end {
                    if t.held.len() < end {
                        t.held.resize(end, (0, None));
                    }
                    for h in &mut t.held[c.column..end] {
                        *h = (c.rowspan - 1, c.text.clone());
                    }
                }
            }
            // A cell of the row spans the next row too: a header of two rows.
            let rowspans = row.cells.iter().any(|c| c.rowspan > 1);
            // Many pages head their columns with a first row of plain cells ("运营商 | 销户渠道 |
            // 必要材料"): a first row of two or more short labels names the columns too.
            let labels = t.rows == 1
                && row.cells.len() >= 2
                && row
                    .cells
                    .iter()
                    .all(|c| c.text.as_deref().is_some_and(label_like));
            // Under a first row whose cells span several columns ("辦理渠道" over "網站 | App |
            // 客戶中心 | 熱線", the cells beside it spanning two rows), a second row of labels
            // names the spanned columns in order (round 34's held-out review).
            let second = t.rows == 2
                && !t.spanned.is_empty()
                && row.cells.len() == t.spanned.len()
                && (row.only_headers
                    || row
                        .cells
                        .iter()
                        .all(|c| c.text.as_deref().is_some_and(label_like)));
            if second {
                let spanned = std::mem::take(&mut t.spanned);
                for (&column, cell) in spanned.iter().zip(row.cells) {
                    if let Some(c) = t.columns.get_mut(column) {
                        *c = cell.text;
                    }
                }
            } else if (row.only_headers || labels) && !row.cells.is_empty() && t.columns.is_empty()
            {
                // A row of plain labels ("服務種類 | 網站 / 手機應用程式 | 客戶中心" in
                // `<td><strong>`, round 34's reviews) states nothing of its own. Not a row of two
                // ("网上销户 | 支持" is a key and its value) nor one holding an answer.
                if labels
                    && row.cells.len() >= MIN_LABEL_ROW
                    && !row.cells.iter().any(|c| {
                        c.text
                            .as_deref()
                            .is_some_and(|t| crate::extract::reading::yes_no(t).is_some())
                    })
                {
                    headers = std::mem::take(&mut row.blocks);
                }
                t.spanned = row
                    .cells
                    .iter()
                    .filter(|c| rowspans && c.span > 1)
                    .flat_map(|c| c.column..c.column + c.span)
                    .take(MAX_COLSPAN)
                    .collect();
                for Cell {
                    column, span, text, ..
                } in row.cells
                {
                    let end = column + span;
                    if t.columns.len() < end {
                        t.columns.resize(end, None);
                    }
                    for c in &mut t.columns[column..end] {
                        c.clone_from(&text);
                    }
                }
            }
        }
        if self.open.last().is_some_and(|t| t.id == id) {
            self.open.pop();
        }
        headers
    }

    /// Whether the walk is inside a cell.
    pub(super) fn in_cell(&self) -> bool {
        !self.cells.is_empty()
    }

    /// A block of `kind` and `text` ends: a caption names its table; a cell's block gets the
    /// caption, its row header and its column header, and its first text heads its row.
    /// `index` is the block's place in the walk's output.
    pub(super) fn describe(
        &mut self,
        kind: BlockKind,
        text: &str,
        index: usize,
        context: &mut Context,
    ) {
        let Some(table) = self.open.last_mut() else {
            return;
        };
        if kind == BlockKind::Caption {
            table.caption = Some(bounded(text));
        } else if let Some(cell) = self.cells.last_mut() {
            context.headings.extend(table.caption.clone());
            // A `<th>` of a first row of only `<th>`s heads its column, not a row of its own
            // ("Account type | How to end | Online request", round 33's review).
            let mut heads_column =
                kind == BlockKind::HeaderCell && table.rows == 0 && table.row.only_headers;
            // A label of a second header row under spanning cells heads its column.
            let second_header = table.rows == 1 && !table.spanned.is_empty();
            if second_header && (kind == BlockKind::HeaderCell || label_like(text)) {
                context.kind = BlockKind::HeaderCell;
                heads_column = true;
            }
            // A plain cell of the first row may turn out a label when its row closes.
            if kind == BlockKind::Cell && table.rows == 0 && table.row.blocks.len() < MAX_COLSPAN {
                table.row.blocks.push(index);
            }
            // The cell's first block gives its text and fixes its row header.
            if cell.text.is_none() {
                let own = bounded(text);
                let after = table.free_from(cell.column + cell.span);
                let row = &mut table.row;
                cell.row_header = if row.key_column == Some(cell.column) {
                    // A cell spanning rows before the key heads the group (the key's header);
                    // the first that spans none is the key. Each is headed by the group before
                    // it, never by itself.
                    let above = row.group.clone();
                    if cell.rowspan > 1 {
                        row.key_column = Some(after);
                        row.group = Some(own.clone());
                    } else {
                        row.key_column = None;
                        row.first = Some(own.clone());
                    }
                    above
                } else {
                    row.first.clone()
                };
                cell.text = Some(own);
            }
            if !heads_column {
                context.row_header.clone_from(&cell.row_header);
            }
            // A column's own header has none above it: under a spanning "Channel", "Website"
            // read as a cell of column "Service" was taken for a way (round 35's reviews).
            context.col_header = if heads_column {
                None
            } else {
                table.columns.get(cell.column).cloned().flatten()
            };
        }
    }
}

/// Cells a row of plain labels needs to head its columns.
const MIN_LABEL_ROW: usize = 3;
/// Characters of a cell that can still be a column's label.
const MAX_LABEL_CHARS: usize = 24;
/// Letters a label with digits needs to be a name ("Hotline 2300 1010"), not a price or a date.
const NAMED_LETTERS: usize = 4;

/// A cell that reads as a column's label: short, no sentence punctuation, and no digits unless
/// a name leads them ("Hotline 2300 1010", "My Account (web & app)": round 34's reviews); a
/// price, a number, a date or a quantity ("12 months") is data.
fn label_like(text: &str) -> bool {
    let t = text.trim();
    let digits = t.chars().any(|c| c.is_ascii_digit());
    !t.is_empty()
        && t.chars().count() <= MAX_LABEL_CHARS
        && !t
            .chars()
            .any(|c| matches!(c, '。' | '，' | ',' | '.' | '：' | ':' | '！' | '!'))
        && (!digits
            || t.starts_with(char::is_alphabetic)
                && t.chars().filter(|c| c.is_alphabetic()).count() >= NAMED_LETTERS)
}
