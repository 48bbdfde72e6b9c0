//! What pointers pressed on the canvas's empty space are doing: panning, drawing a rubber band
//! (Shift, or multi-select mode), or two fingers pinching and panning. Plain state without the
//! DOM: the canvas feeds it pointer events, in the board area's coordinates, and applies what it
//! says (a viewport to show, a click, a rectangle to select).

use super::viewport::Viewport;

/// A press on empty space that moves less than this (in pixels) is a click: it clears the
/// selection.
pub const CLICK_SLOP: f64 = 4.0;

/// A point of the board area, in CSS pixels from its top left corner.
pub type AreaPoint = (f64, f64);
/// A point of the board, in board units.
pub type BoardPoint = (f64, f64);

#[derive(Debug, Clone, PartialEq)]
enum Gesture {
    Pan {
        pointer: i32,
        from_at: AreaPoint,
        from: Viewport,
        moved: bool,
    },
    /// A rubber band, from a board point to another.
    Select {
        pointer: i32,
        from: BoardPoint,
        to: BoardPoint,
    },
    /// Two fingers: pinch to zoom, move to pan.
    Pinch {
        start: [AreaPoint; 2],
        from: Viewport,
    },
}

/// What a released pointer ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Released {
    /// Not one of this state's pointers.
    Nothing,
    /// A press on empty space that did not move: a click.
    Click,
    /// A pan or a pinch.
    Ended,
    /// A rubber band: select what the rectangle between these board points touches.
    Selected { from: BoardPoint, to: BoardPoint },
}

/// The canvas's gestures: at most one at a time, and the fingers on the screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gestures {
    gesture: Option<Gesture>,
    touches: Vec<(i32, AreaPoint)>,
}

impl Gestures {
    /// A finger touched the board area. With a second finger down a pinch begins, in place of
    /// whatever else was going on; returns whether it did.
    pub fn touch(&mut self, pointer: i32, at: AreaPoint, viewport: Viewport) -> bool {
        self.touches.push((pointer, at));
        match self.two_touches() {
            Some(start) => {
                self.gesture = Some(Gesture::Pinch {
                    start,
                    from: viewport,
                });
                true
            }
            None => false,
        }
    }

    /// A press on empty space that pans the canvas.
    pub fn pan(&mut self, pointer: i32, at: AreaPoint, viewport: Viewport) {
        self.gesture = Some(Gesture::Pan {
            pointer,
            from_at: at,
            from: viewport,
            moved: false,
        });
    }

    /// A press on empty space that draws a rubber band from a board point.
    pub fn select(&mut self, pointer: i32, from: BoardPoint) {
        self.gesture = Some(Gesture::Select {
            pointer,
            from,
            to: from,
        });
    }

    /// A pointer moved to `at` in the area, over the board point `board`; returns the viewport
    /// to show if the gesture moves the canvas.
    pub fn moved(&mut self, pointer: i32, at: AreaPoint, board: BoardPoint) -> Option<Viewport> {
        if let Some(touch) = self.touches.iter_mut().find(|(p, _)| *p == pointer) {
            touch.1 = at;
        }
        let two = self.two_touches();
        match self.gesture.as_mut()? {
            Gesture::Pan {
                pointer: own,
                from_at,
                from,
                moved,
            } if *own == pointer => {
                let (dx, dy) = (at.0 - from_at.0, at.1 - from_at.1);
                *moved |= dx.abs().max(dy.abs()) > CLICK_SLOP;
                Some(from.panned(dx, dy))
            }
            Gesture::Select {
                pointer: own, to, ..
            } if *own == pointer => {
                *to = board;
                None
            }
            Gesture::Pinch { start, from } => {
                let now = two?;
                let (d0, d1) = (distance(*start), distance(now));
                let (m0, m1) = (midpoint(*start), midpoint(now));
                (d0 > 0.0).then(|| from.zoomed_at(d1 / d0, m0).panned(m1.0 - m0.0, m1.1 - m0.1))
            }
            _ => None,
        }
    }

    /// A pointer was released (or cancelled).
    pub fn released(&mut self, pointer: i32) -> Released {
        self.touches.retain(|(p, _)| *p != pointer);
        let released = match &self.gesture {
            Some(Gesture::Pan {
                pointer: own,
                moved,
                ..
            }) if *own == pointer => {
                if *moved {
                    Released::Ended
                } else {
                    Released::Click
                }
            }
            Some(Gesture::Select {
                pointer: own,
                from,
                to,
            }) if *own == pointer => Released::Selected {
                from: *from,
                to: *to,
            },
            Some(Gesture::Pinch { .. }) => Released::Ended,
            _ => return Released::Nothing,
        };
        self.gesture = None;
        released
    }

    /// The rubber band being drawn, between two board points.
    pub fn band(&self) -> Option<(BoardPoint, BoardPoint)> {
        match self.gesture {
            Some(Gesture::Select { from, to, .. }) => Some((from, to)),
            _ => None,
        }
    }

    /// Whether the canvas is being moved.
    pub fn panning(&self) -> bool {
        matches!(
            self.gesture,
            Some(Gesture::Pan { .. } | Gesture::Pinch { .. })
        )
    }

    /// The two fingers on the screen, if there are exactly two.
    fn two_touches(&self) -> Option<[AreaPoint; 2]> {
        match self.touches.as_slice() {
            [(_, a), (_, b)] => Some([*a, *b]),
            _ => None,
        }
    }
}

fn distance(points: [AreaPoint; 2]) -> f64 {
    (points[0].0 - points[1].0).hypot(points[0].1 - points[1].1)
}

fn midpoint(points: [AreaPoint; 2]) -> AreaPoint {
    (
        (points[0].0 + points[1].0) / 2.0,
        (points[0].1 + points[1].1) / 2.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_that_does_not_move_is_a_click_and_one_that_moves_pans() {
        let mut gestures = Gestures::default();
        gestures.pan(1, (100.0, 100.0), Viewport::default());
        assert!(gestures.panning());
        let shown = gestures.moved(1, (102.0, 101.0), (0.0, 0.0));
        assert_eq!(shown.map(|v| (v.x, v.y)), Some((2.0, 1.0)));
        assert_eq!(
            gestures.moved(7, (500.0, 500.0), (0.0, 0.0)),
            None,
            "another pointer"
        );
        assert_eq!(gestures.released(1), Released::Click, "within the slop");
        assert!(!gestures.panning());

        gestures.pan(1, (100.0, 100.0), Viewport::default());
        gestures.moved(1, (150.0, 80.0), (0.0, 0.0));
        let shown = gestures.moved(1, (101.0, 100.0), (0.0, 0.0));
        assert_eq!(shown.map(|v| v.x), Some(1.0));
        assert_eq!(gestures.released(1), Released::Ended, "it moved on the way");
        assert_eq!(gestures.released(1), Released::Nothing);
    }

    #[test]
    fn a_rubber_band_follows_its_pointer_and_selects_on_release() {
        let mut gestures = Gestures::default();
        gestures.select(3, (10.0, 20.0));
        assert_eq!(gestures.band(), Some(((10.0, 20.0), (10.0, 20.0))));
        assert_eq!(gestures.moved(3, (0.0, 0.0), (300.0, 400.0)), None);
        assert!(!gestures.panning());
        assert_eq!(
            gestures.released(3),
            Released::Selected {
                from: (10.0, 20.0),
                to: (300.0, 400.0)
            }
        );
        assert_eq!(gestures.band(), None);
    }

    #[test]
    fn two_fingers_pinch_to_zoom_around_their_middle_and_pan_with_it() {
        let mut gestures = Gestures::default();
        let start = Viewport::default();
        assert!(!gestures.touch(1, (100.0, 100.0), start));
        gestures.pan(1, (100.0, 100.0), start);
        assert!(
            gestures.touch(2, (200.0, 100.0), start),
            "a second finger pinches"
        );
        gestures.moved(1, (50.0, 100.0), (0.0, 0.0));
        let shown = gestures.moved(2, (250.0, 100.0), (0.0, 0.0)).unwrap();
        assert_eq!(shown.zoom, 2.0, "the fingers are twice as far apart");
        // The point under the fingers' middle stays under it.
        assert_eq!(
            shown.to_board((150.0, 100.0)),
            start.to_board((150.0, 100.0))
        );
        let panned = gestures.moved(1, (100.0, 150.0), (0.0, 0.0)).unwrap();
        let middle = ((100.0 + 250.0) / 2.0, 125.0);
        assert!(panned.zoom < 2.0);
        assert!((panned.to_board(middle).0 - 150.0).abs() < 1e-9);
        assert_eq!(gestures.released(2), Released::Ended);
        assert_eq!(gestures.moved(1, (0.0, 0.0), (0.0, 0.0)), None, "over");
    }
}
