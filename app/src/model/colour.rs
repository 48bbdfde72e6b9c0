//! The colours of post-its and of dots, stored in the document by name.

use serde::{Serialize, Serializer};

/// A post-it colour. Stored in the document by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Colour {
    #[default]
    Yellow,
    Pink,
    Blue,
    Green,
    Orange,
    Purple,
}

impl Colour {
    pub const ALL: [Colour; 6] = [
        Colour::Yellow,
        Colour::Pink,
        Colour::Blue,
        Colour::Green,
        Colour::Orange,
        Colour::Purple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Yellow => "yellow",
            Colour::Pink => "pink",
            Colour::Blue => "blue",
            Colour::Green => "green",
            Colour::Orange => "orange",
            Colour::Purple => "purple",
        }
    }

    pub fn parse(name: &str) -> Option<Colour> {
        Colour::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl Serialize for Colour {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The colour of a dot (scrumblr's markers, used for dot voting). Stored by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dot {
    Red,
    Blue,
    Green,
    Black,
}

impl Dot {
    pub const ALL: [Dot; 4] = [Dot::Red, Dot::Blue, Dot::Green, Dot::Black];

    pub fn as_str(self) -> &'static str {
        match self {
            Dot::Red => "red",
            Dot::Blue => "blue",
            Dot::Green => "green",
            Dot::Black => "black",
        }
    }

    pub(super) fn index(self) -> usize {
        Dot::ALL.iter().position(|d| *d == self).unwrap_or(0)
    }
}
