//! The canvas: columns, groups, post-its and the others' cursors, panned and zoomed by one transform.
//! A press on empty space pans (or, with Shift or in multi-select mode, draws a rubber band),
//! two fingers pinch, the wheel zooms around the pointer, a double click adds a post-it.

use leptos::{html, prelude::*};

use super::actions::select_in_rectangle;
use crate::{
    model::NOTE_SIZE,
    ui::{
        columns::Columns,
        dom,
        drafts::drafts_layer,
        gesture::{Gestures, Released},
        groups::groups_layer,
        handle::BoardHandle,
        language::texts,
        note::Note,
        people::Cursors,
    },
};

/// Marks the board in the HTML; it carries the board id and document for the browser app.
pub const BOARD_ELEMENT_ID: &str = "board";

/// How much one pixel of wheel turns the zoom (as a power of e).
const WHEEL_ZOOM_SPEED: f64 = 0.0015;
/// Pixels of a wheel step given in lines or pages (Firefox with a mouse).
const WHEEL_LINE_PIXELS: f64 = 16.0;
/// Spacing of the canvas's dot grid, in board units.
const GRID_STEP: f64 = 24.0;

/// What the gestures show: a rubber band between two board points, and whether the canvas moves.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Shown {
    band: Option<((f64, f64), (f64, f64))>,
    panning: bool,
}

/// The canvas's pointers: what a press, a move and a release on the board area do.
#[derive(Clone, Copy)]
struct Pointers {
    handle: BoardHandle,
    area: NodeRef<html::Main>,
    gestures: StoredValue<Gestures>,
    shown: RwSignal<Shown>,
}

impl Pointers {
    fn local(&self, ev: &leptos::ev::PointerEvent) -> (f64, f64) {
        dom::local(
            self.area,
            (f64::from(ev.client_x()), f64::from(ev.client_y())),
        )
    }

    /// Shows what the gestures show, when it changed: a pan's moves change the viewport, not
    /// this.
    fn show(&self) {
        let now = self.gestures.with_value(|g| Shown {
            band: g.band(),
            panning: g.panning(),
        });
        if self.shown.get_untracked() != now {
            self.shown.set(now);
        }
    }

    fn press(&self, ev: &leptos::ev::PointerEvent) {
        let (handle, interaction) = (self.handle, self.handle.interaction);
        let at = self.local(ev);
        let viewport = interaction.viewport.get_untracked();
        if ev.pointer_type() == "touch" {
            let pinch = self
                .gestures
                .try_update_value(|g| g.touch(ev.pointer_id(), at, viewport))
                .unwrap_or(false);
            if pinch {
                if let Some(pointer) = interaction.dragging_pointer() {
                    handle.end_drag(pointer, false);
                }
                self.show();
                return;
            }
        }
        if ev.button() != 0 || !(dom::on_empty_space(ev) || interaction.space_held.get_untracked())
        {
            return;
        }
        ev.prevent_default();
        dom::blur_active();
        dom::capture_pointer(ev);
        if handle.adds_to_selection(ev) {
            self.gestures
                .update_value(|g| g.select(ev.pointer_id(), viewport.to_board(at)));
        } else {
            self.gestures
                .update_value(|g| g.pan(ev.pointer_id(), at, viewport));
        }
        self.show();
    }

    fn moved(&self, ev: &leptos::ev::PointerEvent) {
        let viewport = self.handle.interaction.viewport;
        let at = self.local(ev);
        let board_point = viewport.get_untracked().to_board(at);
        self.handle
            .doc
            .set_presence(|p| p.cursor = Some(board_point));
        let moved = self
            .gestures
            .try_update_value(|g| g.moved(ev.pointer_id(), at, board_point))
            .flatten();
        if let Some(moved) = moved {
            viewport.set(moved);
        }
        self.show();
    }

    fn released(&self, ev: &leptos::ev::PointerEvent) {
        let released = self
            .gestures
            .try_update_value(|g| g.released(ev.pointer_id()))
            .unwrap_or(Released::Nothing);
        match released {
            Released::Click if !self.handle.adds_to_selection(ev) => self.handle.selection.clear(),
            Released::Selected { from, to } => select_in_rectangle(self.handle, from, to),
            _ => {}
        }
        self.show();
    }
}

/// The canvas (a plain function, not a component: it is built once per page, and a component's
/// props builder would only add to the bundle).
pub fn canvas(area: NodeRef<html::Main>, board_id: String, encoded_doc: String) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let (doc, interaction) = (handle.doc, handle.interaction);
    let viewport = interaction.viewport;
    let shown = RwSignal::new(Shown::default());
    let pointers = Pointers {
        handle,
        area,
        gestures: StoredValue::new(Gestures::default()),
        shown,
    };
    let wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let pixels = match ev.delta_mode() {
            0 => ev.delta_y(),
            _ => ev.delta_y() * WHEEL_LINE_PIXELS,
        };
        let at = dom::local(area, (f64::from(ev.client_x()), f64::from(ev.client_y())));
        viewport.update(|v| *v = v.zoomed_at((-pixels * WHEEL_ZOOM_SPEED).exp(), at));
    };
    let add_on_empty_space = move |ev: leptos::ev::MouseEvent| {
        if !dom::on_empty_space(&ev) {
            return;
        }
        let client = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let (x, y) = viewport.get_untracked().to_board(dom::local(area, client));
        handle.add_note(x - NOTE_SIZE / 2.0, y - NOTE_SIZE / 4.0);
    };
    let rubber_band = move || {
        let (from, to) = shown.get().band?;
        let v = viewport.get();
        let (a, b) = (
            (from.0 * v.zoom + v.x, from.1 * v.zoom + v.y),
            (to.0 * v.zoom + v.x, to.1 * v.zoom + v.y),
        );
        let style = format!(
            "left: {:.0}px; top: {:.0}px; width: {:.0}px; height: {:.0}px",
            a.0.min(b.0),
            a.1.min(b.1),
            (a.0 - b.0).abs(),
            (a.1 - b.1).abs()
        );
        Some(view! { <div class="rubber-band" style=style></div> })
    };
    let panning = move || shown.get().panning || interaction.space_held.get();
    let dots_style = move || {
        let v = viewport.get();
        let step = GRID_STEP * v.zoom;
        format!(
            "background-size: {step:.2}px {step:.2}px; background-position: {:.1}px {:.1}px",
            v.x, v.y
        )
    };
    let note_ids = move || {
        doc.view
            .with(|v| v.notes.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
    };
    view! {
        <main
            id=BOARD_ELEMENT_ID
            class=move || if panning() { "board panning" } else { "board" }
            style=dots_style
            data-board-id=board_id
            data-doc=encoded_doc
            data-role=doc.role.as_str()
            aria-label=t.board_region
            node_ref=area
            on:pointerdown=move |ev| pointers.press(&ev)
            on:pointermove=move |ev| pointers.moved(&ev)
            on:pointerup=move |ev| pointers.released(&ev)
            on:pointercancel=move |ev| pointers.released(&ev)
            on:pointerleave=move |_| doc.set_presence(|p| p.cursor = None)
            on:wheel=wheel
            on:dblclick=add_on_empty_space
        >
            <div
                class="canvas"
                style:transform=move || viewport.get().transform()
                style=("--zoom", move || viewport.get().zoom.to_string())
            >
                <Columns />
                {groups_layer()}
                <For each=note_ids key=|id| id.clone() let:id>
                    <Note id />
                </For>
                {drafts_layer()}
                <Cursors />
            </div>
            {rubber_band}
            <Show when=move || doc.role.edits() && doc.view.with(|v| v.notes.is_empty())>
                <p class="empty-board" role="note">
                    {t.empty_board}
                </p>
            </Show>
        </main>
    }
}
