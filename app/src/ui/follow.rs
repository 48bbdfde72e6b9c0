//! Following a view. Every page tells the others what it looks at (its presence's `view`, sent
//! at most as often as a cursor); a page follows another person's view while asked (the eye
//! beside their name), and goes to the facilitator's view each time the facilitator brings
//! everyone there: the facilitator's page counts its presence's `summon` up, and the server
//! passes a `summon` from the facilitator's link only.

use std::collections::HashMap;

use leptos::{html, prelude::*};

use super::{
    dom,
    handle::BoardHandle,
    icons::{icon, Icon},
    viewport::Viewport,
};
use crate::{ephemeral::View, ids::PeerId};

/// Shares this page's view, follows the one asked for, and goes where the facilitator brings
/// everyone.
pub fn share_and_follow_views(handle: BoardHandle, area: NodeRef<html::Main>) {
    let (doc, interaction) = (handle.doc, handle.interaction);
    let viewport = interaction.viewport;
    Effect::new(move |_| {
        let shown = viewport.get();
        let size = dom::size(area);
        if size.0 > 0.0 && size.1 > 0.0 {
            doc.set_presence(|p| p.view = Some(shown.view(size)));
        }
    });
    // Within half a pixel: two people following each other settle instead of nudging each
    // other's view for ever.
    let show = move |view: View| {
        let next = Viewport::showing(view, dom::size(area));
        let now = viewport.get_untracked();
        let moved = (now.x - next.x).abs() > 0.5
            || (now.y - next.y).abs() > 0.5
            || (now.zoom - next.zoom).abs() > 1e-3;
        if moved {
            viewport.set(next);
        }
    };
    Effect::new(move |_| {
        let Some(peer) = interaction.following.get() else {
            return;
        };
        let view = doc.cursors.with(|people| {
            people
                .iter()
                .find(|p| p.peer == peer)
                .and_then(|p| p.presence.view)
        });
        if let Some(view) = view {
            show(view);
        }
    });
    // The summons each peer had when this page first heard of it: only a later one brings.
    let seen = StoredValue::new(HashMap::<PeerId, u32>::new());
    Effect::new(move |_| {
        let summons: Vec<(PeerId, u32, Option<View>)> = doc.cursors.with(|people| {
            people
                .iter()
                .map(|p| (p.peer.clone(), p.presence.summon, p.presence.view))
                .collect()
        });
        for (peer, summon, view) in summons {
            let before = seen
                .try_update_value(|seen| seen.insert(peer, summon))
                .flatten();
            if let (Some(before), Some(view)) = (before, view) {
                if summon > before {
                    interaction.following.set(None);
                    show(view);
                }
            }
        }
    });
}

/// The button beside another person's name that follows their view, or stops following it.
pub fn follow_button(handle: BoardHandle, peer: PeerId, name: &str) -> impl IntoView {
    let t = super::language::texts();
    let following = handle.interaction.following;
    let pressed = {
        let peer = peer.clone();
        move || following.with(|f| f.as_ref() == Some(&peer))
    };
    let label = format!("{} {name}", t.follow_view_of);
    let toggle = {
        let pressed = pressed.clone();
        move |_| {
            let now = (!pressed()).then(|| peer.clone());
            following.set(now);
        }
    };
    view! {
        <button
            type="button"
            class="follow"
            aria-label=label.clone()
            title=label
            aria-pressed=move || pressed().to_string()
            on:click=toggle
        >
            {icon(Icon::Eye)}
        </button>
    }
}

/// The facilitator's "Bring everyone here": every page then shows what this page shows.
pub fn bring_everyone(handle: BoardHandle, done: impl Fn() + 'static) -> impl IntoView {
    let t = super::language::texts();
    let doc = handle.doc;
    let bring = move |_| {
        doc.set_presence(|p| p.summon = p.summon.saturating_add(1));
        done();
    };
    view! {
        <p>
            <button type="button" class="bring-everyone" on:click=bring>
                {t.bring_everyone}
            </button>
        </p>
    }
}
