//! Groups: post-its put together (one dropped onto another), under an editable title. A group
//! is `groups: {<group id>: {title}}`, and each member says which group it is in (`group` on
//! the post-it), so that a post-it is in one group at most, whatever people did at once: two
//! people dropping the same post-it onto two others each made a group, and the post-it ends in
//! one of them. A group is shown only while at least two post-its are in it.

use automerge::{transaction::Transactable, ObjType};

use super::{
    document::Board,
    error::ModelError,
    limits::{clip, MAX_HEADING_CHARS},
    read, schema,
};
use crate::ids::{GroupId, NoteId};

impl Board {
    /// Puts `dropped` with `target`: into `target`'s group if it is in one, else into a new
    /// group of the two. Returns the group.
    pub fn group_with(&mut self, dropped: &NoteId, target: &NoteId) -> Result<GroupId, ModelError> {
        let dropped_obj = self.note_obj(dropped)?;
        let target_obj = self.note_obj(target)?;
        let existing = self.view().note(target).and_then(|n| n.group.clone());
        let group = match existing {
            Some(group) => group,
            None => {
                let group = GroupId::random();
                let groups = match read::map_obj(self.reader(), &automerge::ROOT, schema::GROUPS) {
                    Some(groups) => groups,
                    None => self
                        .doc
                        .put_object(automerge::ROOT, schema::GROUPS, ObjType::Map)?,
                };
                let obj = self.doc.put_object(&groups, group.as_str(), ObjType::Map)?;
                self.doc
                    .put_object(&obj, schema::GROUP_TITLE, ObjType::Text)?;
                self.doc.put(&target_obj, schema::GROUP, group.as_str())?;
                group
            }
        };
        self.doc.put(&dropped_obj, schema::GROUP, group.as_str())?;
        Ok(group)
    }

    /// Puts several post-its in one new group (the toolbar's "Group" for a selection).
    pub fn group_notes(&mut self, notes: &[NoteId]) -> Result<Option<GroupId>, ModelError> {
        let Some((first, rest)) = notes.split_first() else {
            return Ok(None);
        };
        let mut group = None;
        for note in rest {
            // The first post-it leaves its group, so that the selection makes a group of its own.
            if group.is_none() {
                self.leave_group(first)?;
            }
            group = Some(self.group_with(note, first)?);
        }
        Ok(group)
    }

    /// Takes a post-it out of its group.
    pub fn leave_group(&mut self, note: &NoteId) -> Result<(), ModelError> {
        let obj = self.note_obj(note)?;
        if read::string_at(self.reader(), &obj, schema::GROUP).is_some() {
            self.doc.delete(&obj, schema::GROUP)?;
        }
        Ok(())
    }

    /// Takes every post-it out of a group, and the group off the board.
    pub fn ungroup(&mut self, group: &GroupId) -> Result<(), ModelError> {
        let members: Vec<NoteId> = self
            .view()
            .notes
            .iter()
            .filter(|n| n.group.as_ref() == Some(group))
            .map(|n| n.id.clone())
            .collect();
        for note in &members {
            self.leave_group(note)?;
        }
        if let Some(groups) = read::map_obj(self.reader(), &automerge::ROOT, schema::GROUPS) {
            if read::map_obj(self.reader(), &groups, group.as_str()).is_some() {
                self.doc.delete(&groups, group.as_str())?;
            }
        }
        Ok(())
    }

    pub fn set_group_title(&mut self, group: &GroupId, title: &str) -> Result<(), ModelError> {
        let groups = read::map_obj(self.reader(), &automerge::ROOT, schema::GROUPS)
            .ok_or_else(|| ModelError::NoSuchGroup(group.clone()))?;
        let obj = read::map_obj(self.reader(), &groups, group.as_str())
            .ok_or_else(|| ModelError::NoSuchGroup(group.clone()))?;
        self.set_text(&obj, schema::GROUP_TITLE, &clip(title, MAX_HEADING_CHARS))
    }
}
