//! Columns: added at the right, titled, moved, and removed as tombstones that keep their post-its
//! in place.

use automerge::{transaction::Transactable, ObjType, ROOT};

use super::{
    document::Board,
    error::ModelError,
    limits::{clip, finite, MAX_COLUMNS, MAX_HEADING_CHARS},
    read, schema,
    view::{column_left, ColumnView},
};
use crate::ids::ColumnId;

impl Board {
    /// Adds a column at the right of the others and returns its id.
    pub fn add_column(&mut self, heading: &str) -> Result<ColumnId, ModelError> {
        let columns = read::columns(self.reader());
        if columns.len() >= MAX_COLUMNS {
            return Err(ModelError::TooManyColumns);
        }
        let order = columns.last().map(|c| c.order + 1.0).unwrap_or(0.0);
        let view = ColumnView {
            id: ColumnId::random(),
            heading: heading.to_owned(),
            order,
        };
        self.put_column(&view)?;
        Ok(view.id)
    }

    pub(super) fn put_column(&mut self, column: &ColumnView) -> Result<(), ModelError> {
        let columns = match read::columns_obj(self.reader()) {
            Some(columns) => columns,
            None => self.doc.put_object(ROOT, schema::COLUMNS, ObjType::Map)?,
        };
        let obj = self
            .doc
            .put_object(&columns, column.id.as_str(), ObjType::Map)?;
        let heading = self.doc.put_object(&obj, schema::HEADING, ObjType::Text)?;
        self.doc
            .splice_text(&heading, 0, 0, &clip(&column.heading, MAX_HEADING_CHARS))?;
        self.doc.put(&obj, schema::ORDER, finite(column.order))?;
        Ok(())
    }

    pub fn set_column_heading(&mut self, id: &ColumnId, heading: &str) -> Result<(), ModelError> {
        let column = self.column_obj(id)?;
        self.set_text(&column, schema::HEADING, &clip(heading, MAX_HEADING_CHARS))
    }

    /// Sets a column's order as it was (for undo).
    pub(super) fn set_column_order(&mut self, id: &ColumnId, order: f64) -> Result<(), ModelError> {
        let column = self.column_obj(id)?;
        self.doc.put(&column, schema::ORDER, finite(order))?;
        Ok(())
    }

    /// Moves a column `by` places to the right (to the left when negative); its post-its go with it.
    pub fn move_column(&mut self, id: &ColumnId, by: isize) -> Result<(), ModelError> {
        let columns = read::columns(self.reader());
        let from = columns
            .iter()
            .position(|c| &c.id == id)
            .ok_or_else(|| ModelError::NoSuchColumn(id.clone()))?;
        let to = from.saturating_add_signed(by).min(columns.len() - 1);
        if to == from {
            return Ok(());
        }
        // The new order lies between the two columns it lands between.
        let others: Vec<&ColumnView> = columns.iter().filter(|c| &c.id != id).collect();
        let before = to
            .checked_sub(1)
            .and_then(|i| others.get(i))
            .map(|c| c.order);
        let after = others.get(to).map(|c| c.order);
        let order = match (before, after) {
            (Some(a), Some(b)) => (a + b) / 2.0,
            (Some(a), None) => a + 1.0,
            (None, Some(b)) => b - 1.0,
            (None, None) => 0.0,
        };
        let between = |o: f64| before.is_none_or(|a| o > a) && after.is_none_or(|b| o < b);
        if between(order) {
            return self.set_column_order(id, order);
        }
        // Two columns with one order (added at once by two people), or no room left between
        // them: number them all again, in the new order.
        let mut ids: Vec<&ColumnId> = others.iter().map(|c| &c.id).collect();
        ids.insert(to, id);
        for (index, column) in ids.into_iter().enumerate() {
            self.set_column_order(column, index as f64)?;
        }
        Ok(())
    }

    /// Removes a column; its post-its stay where they are, on the open canvas. The column stays
    /// in the document as a tombstone holding its last left edge, so that its post-its (and one
    /// someone moves into it at the same moment) are placed from there, whatever else changes.
    pub fn remove_column(&mut self, id: &ColumnId) -> Result<(), ModelError> {
        let left = column_left(&read::columns(self.reader()), id)
            .ok_or_else(|| ModelError::NoSuchColumn(id.clone()))?;
        let column = self.column_obj(id)?;
        self.doc.put(&column, schema::REMOVED_LEFT, left)?;
        Ok(())
    }

    fn column_obj(&self, id: &ColumnId) -> Result<automerge::ObjId, ModelError> {
        read::column_obj(self.reader(), id).ok_or_else(|| ModelError::NoSuchColumn(id.clone()))
    }
}
