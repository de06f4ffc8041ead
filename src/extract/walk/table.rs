//! Tables during the walk: which tables and cells are open, each column's header (from the first
//! row of only `<th>`s, or of only short labels, spread over its `colspan`, and from a second
//! header row under cells that span it), a row's first cell
//! as the header of the cells after it, and the caption. It gives a block inside a table its
//! context and knows nothing else of the walk.

use ego_tree::NodeId;
use scraper::node::Element;

use crate::extract::block::{BlockKind, Context, bounded};

/// A `colspan` larger than this counts as this (a hostile page could ask for millions).
const MAX_COLSPAN: usize = 64;

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
}

#[derive(Default)]
struct Row {
    next_column: usize,
    cells: Vec<(usize, usize, Option<String>)>,
    only_headers: bool,
    first: Option<String>,
    /// A cell of the row spans the next row too (`rowspan`): a header of two rows.
    rowspans: bool,
    /// The blocks of the first row's plain cells, by index in the walk's output: if the row
    /// closes as a row of labels, they head their columns ([`Tables::close`]).
    blocks: Vec<usize>,
}

struct Cell {
    id: NodeId,
    column: usize,
    span: usize,
    text: Option<String>,
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
            }),
            "tr" => {
                if let Some(t) = self.open.last_mut() {
                    t.row = Row {
                        only_headers: true,
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
                    let column = t.row.next_column;
                    t.row.next_column += span;
                    t.row.only_headers &= name == "th";
                    t.row.rowspans |= e
                        .attr("rowspan")
                        .and_then(|s| s.trim().parse::<usize>().ok())
                        .is_some_and(|n| n > 1);
                    self.cells.push(Cell {
                        id,
                        column,
                        span,
                        text: None,
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
            t.row.cells.push((cell.column, cell.span, cell.text));
        }
        if name == "tr"
            && let Some(t) = self.open.last_mut()
        {
            let mut row = std::mem::take(&mut t.row);
            t.rows += 1;
            // Many pages head their columns with a first row of plain cells ("运营商 | 销户渠道 |
            // 必要材料"): a first row of two or more short labels names the columns too.
            let labels = t.rows == 1
                && row.cells.len() >= 2
                && row
                    .cells
                    .iter()
                    .all(|(_, _, text)| text.as_deref().is_some_and(label_like));
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
                        .all(|(_, _, text)| text.as_deref().is_some_and(label_like)));
            if second {
                let spanned = std::mem::take(&mut t.spanned);
                for (&column, (_, _, text)) in spanned.iter().zip(row.cells) {
                    if let Some(c) = t.columns.get_mut(column) {
                        *c = text;
                    }
                }
            } else if (row.only_headers || labels) && !row.cells.is_empty() && t.columns.is_empty()
            {
                // A row of plain labels ("服務種類 | 網站 / 手機應用程式 | 客戶中心" in
                // `<td><strong>`, round 34's reviews) states nothing of its own. Not a row of two
                // ("网上销户 | 支持" is a key and its value) nor one holding an answer.
                if labels
                    && row.cells.len() >= MIN_LABEL_ROW
                    && !row.cells.iter().any(|(_, _, text)| {
                        text.as_deref()
                            .is_some_and(|t| crate::extract::reading::yes_no(t).is_some())
                    })
                {
                    headers = std::mem::take(&mut row.blocks);
                }
                t.spanned = row
                    .cells
                    .iter()
                    .filter(|(_, span, _)| row.rowspans && *span > 1)
                    .flat_map(|&(column, span, _)| column..column + span)
                    .take(MAX_COLSPAN)
                    .collect();
                for (column, span, text) in row.cells {
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
            if cell.column > 0 && !heads_column {
                context.row_header = table.row.first.clone();
            }
            // A column's own header has none above it: under a spanning "Channel", "Website"
            // read as a cell of column "Service" was taken for a way (round 35's reviews).
            context.col_header = if heads_column {
                None
            } else {
                table.columns.get(cell.column).cloned().flatten()
            };
            if cell.text.is_none() {
                cell.text = Some(bounded(text));
                if cell.column == 0 {
                    table.row.first = cell.text.clone();
                }
            }
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
