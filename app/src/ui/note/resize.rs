//! A post-it's corner: dragging it resizes the post-it, shown live and written once, on release.

use leptos::prelude::*;

use crate::{
    ids::NoteId,
    model::clamp_size,
    ui::{dom, handle::BoardHandle, language::texts},
};

/// A resize in progress: the pointer, where it started, and the size now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resize {
    pointer: i32,
    from_client: (f64, f64),
    from_size: (f64, f64),
    pub size: (f64, f64),
}

impl Resize {
    pub fn new(pointer: i32, from_client: (f64, f64), from_size: (f64, f64)) -> Self {
        Resize {
            pointer,
            from_client,
            from_size,
            size: from_size,
        }
    }

    /// Its pointer moved to `client` (at `zoom`): the size follows, within the model's bounds.
    pub fn moved(&mut self, pointer: i32, client: (f64, f64), zoom: f64) {
        if pointer != self.pointer {
            return;
        }
        self.size = (
            clamp_size(self.from_size.0 + (client.0 - self.from_client.0) / zoom),
            clamp_size(self.from_size.1 + (client.1 - self.from_client.1) / zoom),
        );
    }

    /// The size to write, if it changed.
    pub fn changed(&self) -> Option<(f64, f64)> {
        (self.size != self.from_size).then_some(self.size)
    }
}

/// `size`: the post-it's size as shown; `resize`: the resize under way, which the post-it
/// shows.
pub fn note_resize(
    id: NoteId,
    size: impl Fn() -> (f64, f64) + Copy + Send + Sync + 'static,
    resize: RwSignal<Option<Resize>>,
) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let start_resize = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        dom::capture_pointer(&ev);
        let client = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        resize.set(Some(Resize::new(ev.pointer_id(), client, untrack(size))));
    };
    let continue_resize = move |ev: leptos::ev::PointerEvent| {
        let zoom = handle.interaction.viewport.get_untracked().zoom;
        let client = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        resize.update(|r| {
            if let Some(r) = r.as_mut() {
                r.moved(ev.pointer_id(), client, zoom);
            }
        });
    };
    let end_resize = move |_: leptos::ev::PointerEvent| {
        if let Some(r) = resize.get_untracked() {
            if let Some((w, h)) = r.changed() {
                handle.edit(|board| board.resize_note(&id, w, h));
            }
            resize.set(None);
        }
    };
    view! {
        <div
            class="note-resize"
            title=t.resize_note
            on:pointerdown=start_resize
            on:pointermove=continue_resize
            on:pointerup=end_resize
            on:pointercancel=move |_| resize.set(None)
        ></div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MAX_NOTE_SIZE, MIN_NOTE_SIZE};

    #[test]
    fn a_resize_follows_its_pointer_at_the_zoom_and_stays_in_bounds() {
        let mut resize = Resize::new(1, (100.0, 100.0), (160.0, 160.0));
        assert_eq!(resize.changed(), None);
        resize.moved(1, (140.0, 80.0), 2.0);
        assert_eq!(resize.changed(), Some((180.0, 150.0)));
        resize.moved(2, (0.0, 0.0), 1.0);
        assert_eq!(resize.size, (180.0, 150.0), "another pointer");
        resize.moved(1, (-10_000.0, 10_000.0), 1.0);
        assert_eq!(resize.size, (MIN_NOTE_SIZE, MAX_NOTE_SIZE));
    }
}
