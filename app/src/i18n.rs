//! The interface's words in French and English. The server picks the language from the browser's
//! `Accept-Language` and writes it in `<html lang>`, where the browser app reads it back, so that
//! both render the same words.

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header that we speak (French if none).
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut ranked: Vec<(f32, Lang)> = accept_language
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let lang = Lang::from_code(pieces.next()?.trim())?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, lang)| *lang).unwrap_or_default()
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

/// Every sentence of the interface.
pub struct Texts {
    pub tagline: &'static str,
    pub new_board: &'static str,
    pub board_title: &'static str,
    pub board_title_placeholder: &'static str,
    pub create: &'static str,
    pub home_privacy: &'static str,
    pub add_note: &'static str,
    pub add_note_hint: &'static str,
    pub note_text: &'static str,
    pub delete_note: &'static str,
    pub move_note: &'static str,
    pub colour: &'static str,
    pub colours: [&'static str; 6],
    pub board_region: &'static str,
    pub connecting: &'static str,
    pub connected: &'static str,
    pub reconnecting: &'static str,
    pub offline: &'static str,
    pub server_not_saving: &'static str,
    pub delete_board: &'static str,
    pub confirm_delete_board: &'static str,
    pub unavailable: &'static str,
    pub not_found: &'static str,
    pub back_home: &'static str,
    pub share_hint: &'static str,
}

static FR: Texts = Texts {
    tagline: "Un tableau de post-its collaboratif, libre et hébergé chez vous.",
    new_board: "Nouveau tableau",
    board_title: "Titre du tableau",
    board_title_placeholder: "Bilan de la formation",
    create: "Créer le tableau",
    home_privacy: "Toute personne qui a le lien du tableau peut le lire et le modifier.",
    add_note: "Ajouter un post-it",
    add_note_hint: "Double-cliquez sur un espace vide pour y poser un post-it.",
    note_text: "Texte du post-it",
    delete_note: "Supprimer le post-it",
    move_note: "Déplacer le post-it",
    colour: "Couleur",
    colours: ["Jaune", "Rose", "Bleu", "Vert", "Orange", "Violet"],
    board_region: "Tableau",
    connecting: "Connexion…",
    connected: "Connecté",
    reconnecting: "Reconnexion…",
    offline: "Hors ligne : vos modifications sont gardées dans ce navigateur",
    server_not_saving: "Le serveur n'arrive pas à enregistrer, nouvel essai en cours : vos modifications sont gardées dans ce navigateur",
    delete_board: "Supprimer le tableau",
    confirm_delete_board: "Supprimer définitivement ce tableau et tout son historique, pour tous les participants ?",
    unavailable: "Ce tableau n'existe pas ou a été supprimé.",
    not_found: "Page introuvable.",
    back_home: "Retour à l'accueil",
    share_hint: "Partagez l'adresse de cette page pour inviter des participants.",
};

static EN: Texts = Texts {
    tagline: "A free, self-hosted, collaborative sticky-note board.",
    new_board: "New board",
    board_title: "Board title",
    board_title_placeholder: "End-of-training retrospective",
    create: "Create board",
    home_privacy: "Anyone with the board's link can read and edit it.",
    add_note: "Add a post-it",
    add_note_hint: "Double-click on empty space to place a post-it there.",
    note_text: "Post-it text",
    delete_note: "Delete post-it",
    move_note: "Move post-it",
    colour: "Colour",
    colours: ["Yellow", "Pink", "Blue", "Green", "Orange", "Purple"],
    board_region: "Board",
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    offline: "Offline: your changes are kept in this browser",
    server_not_saving:
        "The server cannot save right now and keeps trying: your changes are kept in this browser",
    delete_board: "Delete board",
    confirm_delete_board: "Delete this board and its whole history, for everyone, for good?",
    unavailable: "This board does not exist or was deleted.",
    not_found: "Page not found.",
    back_home: "Back to the home page",
    share_hint: "Share this page's address to invite participants.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preferred_language_we_speak_wins() {
        assert_eq!(Lang::negotiate("en-GB,en;q=0.9,fr;q=0.8"), Lang::En);
        assert_eq!(
            Lang::negotiate("de-DE,de;q=0.9,fr;q=0.5,en;q=0.3"),
            Lang::Fr
        );
        assert_eq!(Lang::negotiate("fr-FR"), Lang::Fr);
        assert_eq!(Lang::negotiate("de"), Lang::Fr);
        assert_eq!(Lang::negotiate(""), Lang::Fr);
        assert_eq!(Lang::negotiate("en;q=0.2, fr;q=0.9"), Lang::Fr);
    }
}
