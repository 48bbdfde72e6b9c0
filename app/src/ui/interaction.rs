//! What this page's pointers and keys are doing to the canvas: the viewport, a drag of post-its
//! under way, and the space bar held to pan.

use std::collections::HashMap;

use leptos::prelude::*;

use super::viewport::Viewport;
use crate::ids::NoteId;

/// A drag of one or more post-its: the pointer, where it started, and where each post-it
/// started. It changes only when a drag starts or ends; how far the pointer went is
/// [`Interaction::drag_delta`], read only by the post-its being dragged.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupDrag {
    pub pointer: i32,
    pub from_client: (f64, f64),
    pub origins: HashMap<NoteId, (f64, f64)>,
}

/// The interaction context.
#[derive(Clone, Copy)]
pub struct Interaction {
    pub viewport: RwSignal<Viewport>,
    pub drag: RwSignal<Option<GroupDrag>>,
    /// How far the post-its being dragged have moved, in board units.
    pub drag_delta: RwSignal<(f64, f64)>,
    /// The space bar is held: any drag pans.
    pub space_held: RwSignal<bool>,
    /// The person whose view this page follows.
    pub following: RwSignal<Option<crate::ids::PeerId>>,
}

impl Interaction {
    pub fn new() -> Self {
        Interaction {
            viewport: RwSignal::new(Viewport::default()),
            drag: RwSignal::new(None),
            drag_delta: RwSignal::new((0.0, 0.0)),
            space_held: RwSignal::new(false),
            following: RwSignal::new(None),
        }
    }

    /// The pointer of the drag under way, if any.
    pub fn dragging_pointer(&self) -> Option<i32> {
        self.drag.with_untracked(|d| d.as_ref().map(|d| d.pointer))
    }

    /// The pointer of a drag moved: how far the dragged post-its follow it.
    pub fn drag_moved(&self, pointer: i32, client: (f64, f64)) {
        let from = self.drag.with_untracked(|d| {
            d.as_ref()
                .filter(|d| d.pointer == pointer)
                .map(|d| d.from_client)
        });
        if let Some(from) = from {
            let zoom = self.viewport.get_untracked().zoom;
            self.drag_delta
                .set(((client.0 - from.0) / zoom, (client.1 - from.1) / zoom));
        }
    }
}

impl Default for Interaction {
    fn default() -> Self {
        Self::new()
    }
}
