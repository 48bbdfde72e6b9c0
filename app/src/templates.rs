//! Workshop templates: what a new board starts with (columns, short instructions and the
//! workshop's phases), in the creator's language. Ardoise has its own ([`built_in`]); a server
//! also keeps those its facilitators saved from a board (stored by the server, in the language
//! they were written in).

use serde::{Deserialize, Serialize};

use crate::{
    i18n::Lang,
    model::{
        Board, BoardView, ModelError, Phase, Script, MAX_COLUMNS, MAX_HEADING_CHARS,
        MAX_INSTRUCTIONS_CHARS,
    },
};

/// The template of a board with no columns and every phase.
pub const BLANK: &str = "blank";
/// Longest name of a template, in characters.
pub const MAX_TEMPLATE_NAME_CHARS: usize = 100;

/// A template in one language, as `GET /api/templates` lists it and a new board applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub name: String,
    /// The columns' headings, from left to right.
    pub columns: Vec<String>,
    pub instructions: String,
    pub phases: Vec<Phase>,
    /// One of Ardoise's own (else saved on this server from a board).
    pub built_in: bool,
}

impl Template {
    /// A new board made from this template.
    pub fn board(&self, title: &str) -> Result<Board, ModelError> {
        let mut board = Board::new(title)?;
        for heading in self.columns.iter().take(MAX_COLUMNS) {
            board.add_column(heading)?;
        }
        board.set_script(&Script {
            template: &self.id,
            instructions: &self.instructions,
            phases: &self.phases,
        })?;
        Ok(board)
    }

    /// A template that makes boards like `board` (its columns, instructions and phases).
    pub fn from_board(id: String, name: &str, board: &BoardView) -> Template {
        Template {
            id,
            name: name.trim().chars().take(MAX_TEMPLATE_NAME_CHARS).collect(),
            columns: board
                .columns
                .iter()
                .map(|c| c.heading.chars().take(MAX_HEADING_CHARS).collect())
                .collect(),
            instructions: board
                .facilitation
                .instructions
                .chars()
                .take(MAX_INSTRUCTIONS_CHARS)
                .collect(),
            phases: board.facilitation.phases.clone(),
            built_in: false,
        }
    }
}

/// Ardoise's own templates, in `lang`.
pub fn built_in(lang: Lang) -> Vec<Template> {
    BUILT_IN.iter().map(|t| t.in_lang(lang)).collect()
}

/// One of Ardoise's own templates, in `lang`.
pub fn find_built_in(id: &str, lang: Lang) -> Option<Template> {
    BUILT_IN
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.in_lang(lang))
}

/// Whether `id` is one of Ardoise's own templates' (a saved template never takes one).
pub fn is_built_in(id: &str) -> bool {
    BUILT_IN.iter().any(|t| t.id == id)
}

struct BuiltIn {
    id: &'static str,
    phases: &'static [Phase],
    fr: Words,
    en: Words,
}

struct Words {
    name: &'static str,
    instructions: &'static str,
    columns: &'static [&'static str],
}

impl BuiltIn {
    fn in_lang(&self, lang: Lang) -> Template {
        let words = match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        };
        Template {
            id: self.id.to_owned(),
            name: words.name.to_owned(),
            columns: words.columns.iter().map(|c| (*c).to_owned()).collect(),
            instructions: words.instructions.to_owned(),
            phases: self.phases.to_vec(),
            built_in: true,
        }
    }
}

const EVERY_PHASE: &[Phase] = &Phase::ALL;
/// A round where everyone speaks in turn: nothing to group or vote on.
const ROUND: &[Phase] = &[Phase::Writing, Phase::Reveal, Phase::Discussion];

const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        id: BLANK,
        phases: EVERY_PHASE,
        fr: Words {
            name: "Tableau vide",
            instructions: "",
            columns: &[],
        },
        en: Words {
            name: "Blank board",
            instructions: "",
            columns: &[],
        },
    },
    BuiltIn {
        id: "bilan-formation",
        phases: EVERY_PHASE,
        fr: Words {
            name: "Bilan de formation",
            instructions:
                "Une idée par post-it. Chacun écrit d'abord seul ; puis nous lisons tout \
                ensemble, regroupons et votons pour ce qui mérite d'être approfondi.",
            columns: &[
                "Ce que j'ai appris",
                "Ce qui m'a plu",
                "Ce qui pourrait être amélioré",
                "Ce que je vais mettre en pratique",
            ],
        },
        en: Words {
            name: "End-of-training review",
            instructions: "One idea per post-it. Everyone writes alone first; then we read \
                everything together, group and vote for what deserves more time.",
            columns: &[
                "What I learnt",
                "What I liked",
                "What could be better",
                "What I will put into practice",
            ],
        },
    },
    BuiltIn {
        id: "start-stop-continue",
        phases: EVERY_PHASE,
        fr: Words {
            name: "Commencer, arrêter, continuer",
            instructions: "Ce que l'équipe devrait commencer à faire, arrêter de faire, et \
                continuer à faire. Une idée par post-it.",
            columns: &["Commencer", "Arrêter", "Continuer"],
        },
        en: Words {
            name: "Start, stop, continue",
            instructions: "What the team should start doing, stop doing and keep doing. One \
                idea per post-it.",
            columns: &["Start", "Stop", "Continue"],
        },
    },
    BuiltIn {
        id: "mad-sad-glad",
        phases: EVERY_PHASE,
        fr: Words {
            name: "En colère, triste, content",
            instructions: "Ce qui vous a mis en colère, attristé ou réjoui pendant la période. \
                Un ressenti par post-it.",
            columns: &["En colère", "Triste", "Content"],
        },
        en: Words {
            name: "Mad, sad, glad",
            instructions: "What made you mad, sad or glad during the period. One feeling per \
                post-it.",
            columns: &["Mad", "Sad", "Glad"],
        },
    },
    BuiltIn {
        id: "4l",
        phases: EVERY_PHASE,
        fr: Words {
            name: "Les 4 L",
            instructions: "Ce que vous avez aimé, appris, ce qui a manqué et ce que vous \
                souhaitez pour la suite.",
            columns: &["Aimé", "Appris", "Manqué", "Souhaité"],
        },
        en: Words {
            name: "4 Ls",
            instructions: "What you liked, learned, lacked and longed for.",
            columns: &["Liked", "Learned", "Lacked", "Longed for"],
        },
    },
    BuiltIn {
        id: "meteo",
        phases: ROUND,
        fr: Words {
            name: "Météo",
            instructions: "Comment arrivez-vous aujourd'hui ? Posez un post-it dans la météo \
                qui vous ressemble, avec un mot pour dire pourquoi.",
            columns: &["Soleil", "Éclaircies", "Nuages", "Pluie", "Orage"],
        },
        en: Words {
            name: "Weather check-in",
            instructions: "How are you arriving today? Put a post-it in the weather that \
                feels like you, with a word on why.",
            columns: &["Sun", "Sunny spells", "Clouds", "Rain", "Storm"],
        },
    },
    BuiltIn {
        id: "vision-2030",
        phases: EVERY_PHASE,
        fr: Words {
            name: "Vision 2030",
            instructions: "Nous sommes en 2030 et tout s'est bien passé. Racontez ce qui a \
                changé, ce qui nous y a aidés, et le premier pas à faire dès demain.",
            columns: &[
                "En 2030…",
                "Ce qui a changé",
                "Ce qui nous a aidés",
                "Premiers pas dès demain",
            ],
        },
        en: Words {
            name: "Vision 2030",
            instructions: "It is 2030 and all went well. Tell what changed, what helped us \
                get there, and the first step to take tomorrow.",
            columns: &[
                "In 2030…",
                "What changed",
                "What helped us",
                "First steps from tomorrow",
            ],
        },
    },
    BuiltIn {
        id: "consentement",
        phases: ROUND,
        fr: Words {
            name: "Décision par consentement",
            instructions: "La proposition est présentée ; chacun pose ses questions de \
                clarification, donne sa réaction, puis dit s'il a une objection (et pourquoi).",
            columns: &[
                "Proposition",
                "Questions de clarification",
                "Réactions",
                "Objections et amendements",
            ],
        },
        en: Words {
            name: "Consent decision",
            instructions: "The proposal is presented; everyone asks clarifying questions, \
                gives a reaction, then says whether they object (and why).",
            columns: &[
                "Proposal",
                "Clarifying questions",
                "Reactions",
                "Objections and amendments",
            ],
        },
    },
    BuiltIn {
        id: "accords",
        phases: EVERY_PHASE,
        fr: Words {
            name: "Accords de groupe",
            instructions: "Ce dont j'ai besoin pour que la journée se passe bien, ce que je \
                propose au groupe ; nous retenons ensemble nos accords.",
            columns: &[
                "Ce dont j'ai besoin",
                "Ce que je propose au groupe",
                "Nos accords",
            ],
        },
        en: Words {
            name: "Group agreements",
            instructions: "What I need for the day to go well, what I propose to the group; \
                together we keep our agreements.",
            columns: &[
                "What I need",
                "What I propose to the group",
                "Our agreements",
            ],
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_speaks_both_languages_with_the_same_columns() {
        let ids: Vec<&str> = BUILT_IN.iter().map(|t| t.id).collect();
        assert_eq!(
            ids,
            [
                "blank",
                "bilan-formation",
                "start-stop-continue",
                "mad-sad-glad",
                "4l",
                "meteo",
                "vision-2030",
                "consentement",
                "accords"
            ]
        );
        for t in BUILT_IN {
            assert_eq!(t.fr.columns.len(), t.en.columns.len(), "{}", t.id);
            assert!(t.fr.columns.len() <= MAX_COLUMNS, "{}", t.id);
            assert!(!t.fr.name.is_empty() && !t.en.name.is_empty(), "{}", t.id);
            assert!(!t.phases.is_empty(), "{}", t.id);
            assert_eq!(t.fr.instructions.is_empty(), t.en.instructions.is_empty());
        }
        assert_eq!(
            find_built_in("start-stop-continue", Lang::En)
                .unwrap()
                .columns
                .len(),
            3
        );
        assert_eq!(find_built_in("4l", Lang::Fr).unwrap().columns.len(), 4);
        assert!(find_built_in("retro-du-futur", Lang::Fr).is_none());
    }

    #[test]
    fn a_board_made_from_a_template_has_its_columns_instructions_and_phases() {
        let template = find_built_in("meteo", Lang::Fr).unwrap();
        let board = template.board("Lundi").unwrap().view();
        let headings: Vec<&str> = board.columns.iter().map(|c| c.heading.as_str()).collect();
        assert_eq!(
            headings,
            ["Soleil", "Éclaircies", "Nuages", "Pluie", "Orage"]
        );
        let script = &board.facilitation;
        assert_eq!(script.template.as_deref(), Some("meteo"));
        assert!(script.instructions.starts_with("Comment arrivez-vous"));
        assert_eq!(
            script.phases,
            [Phase::Writing, Phase::Reveal, Phase::Discussion]
        );
        assert_eq!(script.phase, Some(Phase::Writing));

        // Saved back as a template, it makes the same board.
        let saved = Template::from_board("lundi".into(), "  Nos lundis ", &board);
        assert_eq!(saved.name, "Nos lundis");
        let again = saved.board("Mardi").unwrap().view();
        assert_eq!(again.columns.len(), 5);
        assert_eq!(again.facilitation.phases, script.phases);
        assert_eq!(again.facilitation.instructions, script.instructions);
    }
}
