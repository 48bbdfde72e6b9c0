//! The page's icons: small inline SVG drawings in the text's colour, so that nothing comes from
//! another host and no icon font is needed. An icon is only decoration (`aria-hidden`): the
//! button that holds it always has a name of its own, its text or its `aria-label`.

use leptos::prelude::*;

/// The drawings, each on a 24 × 24 grid, stroked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Plus,
    Minus,
    Undo,
    Redo,
    Fit,
    Column,
    Select,
    Help,
    /// Three dots: more of the bar's tools.
    More,
    /// Three lines: the board's menu.
    Menu,
    Front,
    Copy,
    Flag,
    LeaveGroup,
    Close,
    Left,
    Right,
    Eye,
    Check,
}

impl Icon {
    /// The drawing: one path on the 24 × 24 grid.
    fn path(self) -> &'static str {
        match self {
            Icon::Plus => "M12 5v14M5 12h14",
            Icon::Minus => "M5 12h14",
            Icon::Undo => "M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3",
            Icon::Redo => "M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3",
            Icon::Fit => "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5",
            Icon::Column => "M4 4h6v16H4zM14 4h6v16h-6z",
            Icon::Select => "M4 8V4h4M12 4h0M16 4h4v4M20 12v0M20 16v4h-4M12 20h0M8 20H4v-4M4 12v0",
            Icon::Help => {
                "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.5 9.5a2.5 2.5 0 1 1 3.6 2.2c-.7.4-1.1 1-1.1 1.8v.5M12 17.5v0"
            }
            Icon::More => "M12 5v0M12 12v0M12 19v0",
            Icon::Menu => "M4 6h16M4 12h16M4 18h16",
            Icon::Front => "M5 4h14M12 20V9M7 13l5-5 5 5",
            Icon::Copy => "M9 9h11v11H9zM5 15H4V4h11v1",
            Icon::Flag => "M5 21V4h11l-2 4 2 4H5",
            Icon::LeaveGroup => "M14 4h6v6M20 4l-8 8M10 5H4v15h15v-6",
            Icon::Close => "M6 6l12 12M18 6 6 18",
            Icon::Left => "M15 6l-6 6 6 6",
            Icon::Right => "M9 6l6 6-6 6",
            Icon::Eye => "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
            Icon::Check => "M5 12l5 5 9-10",
        }
    }

    /// Dots are drawn as zero-length strokes with round caps: they need a thicker pen.
    fn stroke_width(self) -> &'static str {
        match self {
            Icon::More => "3.5",
            _ => "2",
        }
    }
}

/// An icon, sized by the text around it (`1.25em`, see `.icon` in the stylesheet).
pub fn icon(icon: Icon) -> AnyView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width=icon.stroke_width()
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            <path d=icon.path()></path>
        </svg>
    }
    .into_any()
}
