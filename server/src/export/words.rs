//! The words exports write (headings, labels), in French and English; the rest comes from the
//! interface's own words (`app::i18n`).

use app::i18n::{Lang, Texts};

pub struct Words {
    lang: Lang,
    pub groups: &'static str,
    pub votes: &'static str,
    pub untitled: &'static str,
    pub post_its: &'static str,
}

const FR: Words = Words {
    lang: Lang::Fr,
    groups: "Groupes",
    votes: "votes",
    untitled: "Tableau sans titre",
    post_its: "Post-its",
};

const EN: Words = Words {
    lang: Lang::En,
    groups: "Groups",
    votes: "votes",
    untitled: "Untitled board",
    post_its: "Post-its",
};

impl Words {
    /// The interface's words in the same language.
    pub fn ui(&self) -> &'static Texts {
        self.lang.texts()
    }
}

pub fn of(lang: Lang) -> &'static Words {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}
