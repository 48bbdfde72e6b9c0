//! The visible part of the canvas: a pan offset and a zoom, the same for every post-it (one CSS
//! transform on the canvas, so that panning a board of 500 post-its moves one element).

/// Smallest zoom.
pub const MIN_ZOOM: f64 = 0.1;
/// Largest zoom.
pub const MAX_ZOOM: f64 = 3.0;
/// One press of a zoom button or key.
pub const ZOOM_STEP: f64 = 1.25;
/// Space kept around the board by "fit all", in screen pixels.
const FIT_MARGIN: f64 = 40.0;

/// Where the canvas is on the screen: a point `p` of the board is at `p * zoom + (x, y)` from the
/// board area's top left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

impl Viewport {
    /// The viewport of a board area `size` big that shows `view` (another page's) in its middle.
    pub fn showing(view: crate::ephemeral::View, size: (f64, f64)) -> Viewport {
        let zoom = view.zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        Viewport {
            x: size.0 / 2.0 - view.x * zoom,
            y: size.1 / 2.0 - view.y * zoom,
            zoom,
        }
    }

    /// What a board area `size` big shows with this viewport, as a page tells the others.
    pub fn view(&self, size: (f64, f64)) -> crate::ephemeral::View {
        let (x, y) = self.to_board((size.0 / 2.0, size.1 / 2.0));
        crate::ephemeral::View {
            x,
            y,
            zoom: self.zoom,
        }
    }

    /// The board point under a point of the board area.
    pub fn to_board(&self, screen: (f64, f64)) -> (f64, f64) {
        (
            (screen.0 - self.x) / self.zoom,
            (screen.1 - self.y) / self.zoom,
        )
    }

    /// Zoomed by `factor` around a point of the board area, which stays where it is.
    pub fn zoomed_at(&self, factor: f64, screen: (f64, f64)) -> Viewport {
        if !factor.is_finite() || factor <= 0.0 {
            return *self;
        }
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let ratio = zoom / self.zoom;
        Viewport {
            x: screen.0 - (screen.0 - self.x) * ratio,
            y: screen.1 - (screen.1 - self.y) * ratio,
            zoom,
        }
    }

    /// Moved by a distance on the screen.
    pub fn panned(&self, dx: f64, dy: f64) -> Viewport {
        Viewport {
            x: self.x + dx,
            y: self.y + dy,
            ..*self
        }
    }

    /// The viewport that shows a rectangle `(left, top, right, bottom)` of the board whole and
    /// centred in a board area of `width` × `height`, never zoomed in past 100 %.
    pub fn fitting(bounds: (f64, f64, f64, f64), width: f64, height: f64) -> Viewport {
        let (left, top, right, bottom) = bounds;
        let (w, h) = ((right - left).max(1.0), (bottom - top).max(1.0));
        let zoom = ((width - 2.0 * FIT_MARGIN) / w)
            .min((height - 2.0 * FIT_MARGIN) / h)
            .clamp(MIN_ZOOM, 1.0);
        Viewport {
            x: (width - w * zoom) / 2.0 - left * zoom,
            y: (height - h * zoom) / 2.0 - top * zoom,
            zoom,
        }
    }

    /// The CSS transform of the canvas.
    pub fn transform(&self) -> String {
        format!(
            "translate({:.1}px, {:.1}px) scale({:.4})",
            self.x, self.y, self.zoom
        )
    }

    /// Whether a board area `size` big shows the whole rectangle `(left, top, right, bottom)`.
    pub fn shows_whole(&self, size: (f64, f64), rect: (f64, f64, f64, f64)) -> bool {
        let (left, top) = self.to_board((0.0, 0.0));
        let (right, bottom) = self.to_board(size);
        rect.0 >= left && rect.1 >= top && rect.2 <= right && rect.3 <= bottom
    }

    /// As the browser keeps it: `x y zoom`.
    pub fn to_stored(&self) -> String {
        format!("{:.1} {:.1} {:.4}", self.x, self.y, self.zoom)
    }

    /// What [`Viewport::to_stored`] wrote; `None` for anything else.
    pub fn from_stored(text: &str) -> Option<Viewport> {
        let mut numbers = text
            .split(' ')
            .map(|n| n.parse::<f64>().ok().filter(|n| n.is_finite()));
        let (x, y, zoom) = (numbers.next()??, numbers.next()??, numbers.next()??);
        if numbers.next().is_some() || !(MIN_ZOOM..=MAX_ZOOM).contains(&zoom) {
            return None;
        }
        Some(Viewport { x, y, zoom })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_view_reads_back_and_nothing_else_does() {
        let view = Viewport {
            x: -1520.5,
            y: 240.0,
            zoom: 0.64,
        };
        assert_eq!(Viewport::from_stored(&view.to_stored()), Some(view));
        for bad in [
            "", "1 2", "1 2 3 4", "a b c", "1 2 NaN", "1 2 inf", "0 0 50", "0 0 0",
        ] {
            assert_eq!(Viewport::from_stored(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_post_it_out_of_sight_is_not_shown_whole() {
        let start = Viewport::default();
        assert!(start.shows_whole((390.0, 600.0), (10.0, 10.0, 170.0, 170.0)));
        assert!(!start.shows_whole((390.0, 600.0), (2400.0, 1800.0, 2560.0, 1960.0)));
        assert!(!start.shows_whole((390.0, 600.0), (-300.0, 10.0, -140.0, 170.0)));
        let fitted = Viewport::fitting((2400.0, 1800.0, 2560.0, 1960.0), 390.0, 600.0);
        assert!(fitted.shows_whole((390.0, 600.0), (2400.0, 1800.0, 2560.0, 1960.0)));
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_stays_within_limits() {
        let view = Viewport {
            x: 30.0,
            y: -20.0,
            zoom: 0.8,
        };
        let pointer = (400.0, 300.0);
        let zoomed = view.zoomed_at(ZOOM_STEP, pointer);
        assert!(close(view.to_board(pointer), zoomed.to_board(pointer)));
        assert_eq!(zoomed.zoom, 1.0);
        assert_eq!(view.zoomed_at(1e6, pointer).zoom, MAX_ZOOM);
        assert_eq!(view.zoomed_at(1e-6, pointer).zoom, MIN_ZOOM);
        assert_eq!(view.zoomed_at(f64::NAN, pointer), view);
        let panned = view.panned(10.0, 5.0);
        assert!(close(panned.to_board((40.0, -15.0)), (0.0, 0.0)));
    }

    #[test]
    fn fit_all_shows_the_whole_board_centred() {
        let bounds = (-500.0, 100.0, 3_500.0, 2_100.0);
        let view = Viewport::fitting(bounds, 1_000.0, 800.0);
        let top_left = (bounds.0 * view.zoom + view.x, bounds.1 * view.zoom + view.y);
        let bottom_right = (bounds.2 * view.zoom + view.x, bounds.3 * view.zoom + view.y);
        assert!(top_left.0 >= 0.0 && top_left.1 >= 0.0);
        assert!(bottom_right.0 <= 1_000.0 && bottom_right.1 <= 800.0);
        assert!(
            (top_left.0 + bottom_right.0 - 1_000.0).abs() < 1e-6,
            "centred"
        );
        // A small board is not blown up.
        assert_eq!(
            Viewport::fitting((0.0, 0.0, 100.0, 100.0), 1_000.0, 800.0).zoom,
            1.0
        );
    }
}
