//! The interface's words in French and English. The server picks the language from the browser's
//! `Accept-Language` and writes it in `<html lang>`, where the browser app reads it back, so that
//! both render the same words.

/// The cookie that remembers the language a person chose with the switch (it wins over the
/// browser's `Accept-Language`).
pub const LANG_COOKIE: &str = "ardoise_lang";
/// The field of the language switch's form (posted to the page's own address).
pub const LANG_FIELD: &str = "lang";
/// How long the chosen language is remembered, in seconds (a year).
pub const LANG_COOKIE_MAX_AGE: u32 = 365 * 24 * 60 * 60;

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

    /// The cookie that remembers this language ([`LANG_COOKIE`]), as a `Set-Cookie` value.
    pub fn cookie(self) -> String {
        format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age={LANG_COOKIE_MAX_AGE}; SameSite=Lax",
            self.code()
        )
    }

    /// The language a `Cookie` header chose ([`LANG_COOKIE`]), if any.
    pub fn from_cookie(cookie: &str) -> Option<Lang> {
        cookie.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANG_COOKIE)
                .then(|| Lang::from_code(value.trim()))
                .flatten()
        })
    }

    /// The other language, the one the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
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
    pub add_column: &'static str,
    pub column_heading: &'static str,
    pub column_placeholder: &'static str,
    pub column_left: &'static str,
    pub column_right: &'static str,
    pub remove_column: &'static str,
    pub tools: &'static str,
    pub undo: &'static str,
    pub redo: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub zoom_reset: &'static str,
    pub fit_all: &'static str,
    pub selected: &'static str,
    pub delete_selection: &'static str,
    pub duplicate: &'static str,
    pub bring_to_front: &'static str,
    pub resize_note: &'static str,
    pub add_dot: &'static str,
    pub remove_dot: &'static str,
    pub dots: [&'static str; 4],
    pub people: &'static str,
    pub help: &'static str,
    pub select_mode: &'static str,
    pub colon: &'static str,
    pub percent: &'static str,
    pub your_name: &'static str,
    pub guest: &'static str,
    pub is_typing: &'static str,
    pub is_moving: &'static str,
    pub added_by: &'static str,
    pub note: &'static str,
    pub empty_note: &'static str,
    pub switch_language: &'static str,
    pub other_language: &'static str,
    pub keyboard_help: &'static str,
    pub my_boards: &'static str,
    /// The roles' names, in the order of [`crate::access::Role::ALL`].
    pub roles: [&'static str; 3],
    /// What each role's link lets one do, in the same order.
    pub role_hints: [&'static str; 3],
    pub links: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub new_link: &'static str,
    pub confirm_new_link: &'static str,
    pub link_unknown: &'static str,
    pub open_board: &'static str,
    pub observing: &'static str,
    pub template: &'static str,
    pub saved_templates: &'static str,
    pub workshop: &'static str,
    /// The phases' names, in the order of [`crate::model::Phase::ALL`].
    pub phases: [&'static str; 5],
    /// What each phase asks of the participants, in the same order.
    pub phase_hints: [&'static str; 5],
    pub previous_phase: &'static str,
    pub next_phase: &'static str,
    pub instructions: &'static str,
    pub timer: &'static str,
    pub timer_minutes: &'static str,
    pub start_timer: &'static str,
    pub pause_timer: &'static str,
    pub resume_timer: &'static str,
    pub add_minute: &'static str,
    pub stop_timer: &'static str,
    pub paused: &'static str,
    pub time_up: &'static str,
    pub sound: &'static str,
    pub save_template: &'static str,
    pub template_name: &'static str,
    pub template_saved: &'static str,
    pub template_not_saved: &'static str,
    pub vote: &'static str,
    pub vote_is_open: &'static str,
    pub votes_left: &'static str,
    pub vote_refused: &'static str,
    pub vote_word: &'static str,
    pub votes_word: &'static str,
    pub results: &'static str,
    pub votes_per_person: &'static str,
    pub several_per_note: &'static str,
    pub start_vote: &'static str,
    pub close_vote: &'static str,
    pub vote_for: &'static str,
    pub take_back_vote: &'static str,
    pub action: &'static str,
    pub actions: &'static str,
    pub make_action: &'static str,
    pub nobody_yet: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
    pub done: &'static str,
    pub group: &'static str,
    pub group_title: &'static str,
    pub ungroup: &'static str,
    pub leave_group: &'static str,
    pub untitled_group: &'static str,
    pub anonymous_board: &'static str,
    pub anonymous_hint: &'static str,
    pub private_writing: &'static str,
    pub silent_writing: &'static str,
    pub writing_is_private: &'static str,
    pub only_you_see_it: &'static str,
    pub private_note: &'static str,
    pub delete_private_note: &'static str,
    pub private_note_word: &'static str,
    pub private_notes_word: &'static str,
    pub someone: &'static str,
    pub reveal_all: &'static str,
    pub reveal_mine: &'static str,
    pub draft_refused: &'static str,
    pub facilitate: &'static str,
    pub seats_taken: &'static str,
    pub seats_open: &'static str,
    pub no_seat: &'static str,
}

static FR: Texts = Texts {
    tagline: "Un tableau de post-its collaboratif, libre et hébergé chez vous.",
    new_board: "Nouveau tableau",
    board_title: "Titre du tableau",
    board_title_placeholder: "Bilan de la formation",
    create: "Créer le tableau",
    home_privacy: "Un nouveau tableau est fermé : n'y entrent que les personnes à qui vous donnez un de ses liens (animation, participation, observation).",
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
    unavailable: "Pas de tableau à cette adresse. Si on vous l'a donnée, demandez un lien à la personne qui anime le tableau.",
    not_found: "Page introuvable.",
    back_home: "Retour à l'accueil",
    share_hint: "Pour inviter, donnez le lien de participation ou d'observation (bouton « Liens »).",
    add_column: "Ajouter une colonne",
    column_heading: "Titre de la colonne",
    column_placeholder: "Colonne",
    column_left: "Déplacer la colonne vers la gauche",
    column_right: "Déplacer la colonne vers la droite",
    remove_column: "Supprimer la colonne (ses post-its restent)",
    tools: "Outils",
    undo: "Annuler",
    redo: "Rétablir",
    zoom_in: "Zoomer",
    zoom_out: "Dézoomer",
    zoom_reset: "Revenir à 100 %",
    fit_all: "Tout voir",
    selected: "sélectionnés",
    delete_selection: "Supprimer la sélection",
    duplicate: "Dupliquer",
    bring_to_front: "Mettre au premier plan",
    resize_note: "Redimensionner le post-it",
    add_dot: "Ajouter une pastille",
    remove_dot: "Retirer une pastille",
    dots: ["rouge", "bleue", "verte", "noire"],
    people: "Participants",
    help: "Aide et raccourcis clavier",
    select_mode: "Sélection multiple",
    colon: " : ",
    percent: " %",
    your_name: "Votre nom",
    guest: "Invité·e",
    is_typing: "écrit…",
    is_moving: "déplace…",
    added_by: "Ajouté par",
    note: "Post-it",
    empty_note: "vide",
    switch_language: "Switch to English",
    other_language: "English",
    keyboard_help: "Clavier : N nouveau post-it, Tab pour aller d'un post-it à l'autre, flèches pour le déplacer, Alt + flèches pour le redimensionner, Entrée pour écrire, Échap pour sortir, Suppr pour supprimer, Ctrl+Z / Ctrl+Maj+Z pour annuler / rétablir, + et − pour zoomer. Glisser sur le vide (ou Espace + glisser) pour se déplacer, Maj + glisser pour sélectionner.",
    my_boards: "Mes tableaux",
    roles: ["Animation", "Participation", "Observation"],
    role_hints: [
        "tous les droits : liens, ouverture, suppression",
        "lit et modifie post-its, colonnes et titre",
        "suit le tableau en direct sans rien modifier",
    ],
    links: "Liens",
    copy: "Copier",
    copied: "Copié",
    new_link: "Nouveau lien",
    confirm_new_link: "Faire un nouveau lien ? L'ancien cessera aussitôt de fonctionner, y compris pour les personnes connectées avec lui.",
    link_unknown: "inconnu dans ce navigateur : faites-en un nouveau pour le voir",
    open_board: "Ouvert : l'adresse simple du tableau suffit pour participer",
    observing: "Vous observez ce tableau : vous le suivez en direct, sans pouvoir le modifier.",
    template: "Modèle",
    saved_templates: "Modèles de ce serveur",
    workshop: "Déroulé de l'atelier",
    phases: ["Écriture", "Partage", "Regroupement", "Vote", "Discussion et actions"],
    phase_hints: [
        "Écrivez vos idées, une par post-it.",
        "Découvrez les post-its de chacun.",
        "Rapprochez les post-its qui parlent de la même chose.",
        "Votez pour les sujets à approfondir.",
        "Discutons des sujets retenus et décidons des actions.",
    ],
    previous_phase: "Étape précédente",
    next_phase: "Étape suivante",
    instructions: "Consignes",
    timer: "Minuteur",
    timer_minutes: "Minutes",
    start_timer: "Lancer le minuteur",
    pause_timer: "Pause",
    resume_timer: "Reprendre",
    add_minute: "+1 min",
    stop_timer: "Arrêter",
    paused: "en pause",
    time_up: "Temps écoulé !",
    sound: "Son à la fin",
    save_template: "Enregistrer comme modèle",
    template_name: "Nom du modèle (proposé à tous les tableaux de ce serveur) :",
    template_saved: "Modèle enregistré :",
    template_not_saved: "Le modèle n'a pas pu être enregistré.",
    vote: "Vote",
    vote_is_open: "en cours : votez sur les post-its (▲)",
    votes_left: "Votes restants :",
    vote_refused: "Vote refusé par le serveur.",
    vote_word: "vote",
    votes_word: "votes",
    results: "Résultats",
    votes_per_person: "Votes par personne",
    several_per_note: "plusieurs sur un même post-it",
    start_vote: "Lancer le vote",
    close_vote: "Clore le vote",
    vote_for: "Voter pour ce post-it",
    take_back_vote: "Retirer un vote",
    action: "Action",
    actions: "Actions",
    make_action: "En faire une action",
    nobody_yet: "personne encore",
    owner: "Qui",
    due: "Pour le",
    done: "Fait",
    group: "Grouper",
    group_title: "Titre du groupe",
    ungroup: "Défaire le groupe",
    leave_group: "Sortir du groupe",
    untitled_group: "Groupe sans titre",
    anonymous_board: "Tableau anonyme",
    anonymous_hint: "Tableau anonyme : aucun nom n'y est écrit ni montré aux autres.",
    private_writing: "Écriture silencieuse (post-its privés jusqu'au dévoilement)",
    silent_writing: "Écriture silencieuse",
    writing_is_private: "Vos nouveaux post-its ne sont visibles que par vous jusqu'au dévoilement.",
    only_you_see_it: "Visible par vous seul·e",
    private_note: "Post-it privé",
    delete_private_note: "Supprimer ce post-it privé",
    private_note_word: "post-it",
    private_notes_word: "post-its",
    someone: "Quelqu'un",
    reveal_all: "Tout dévoiler",
    reveal_mine: "Dévoiler les miens",
    draft_refused: "Un post-it privé n'a pas pu être gardé par le serveur.",
    facilitate: "Animer",
    seats_taken: "Places prises (une par navigateur de participant) :",
    seats_open: "accepter de nouveaux participants",
    no_seat: "L'animation n'accepte plus de nouveaux participants : ce navigateur ne vote pas.",
};

static EN: Texts = Texts {
    tagline: "A free, self-hosted, collaborative sticky-note board.",
    new_board: "New board",
    board_title: "Board title",
    board_title_placeholder: "End-of-training retrospective",
    create: "Create board",
    home_privacy: "A new board is closed: only the people you give one of its links (facilitator, participant, observer) can open it.",
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
    unavailable: "No board at this address. If someone gave it to you, ask the board's facilitator for a link.",
    not_found: "Page not found.",
    back_home: "Back to the home page",
    share_hint: "To invite people, give them the participant or observer link (the \u{201c}Links\u{201d} button).",
    add_column: "Add a column",
    column_heading: "Column heading",
    column_placeholder: "Column",
    column_left: "Move the column left",
    column_right: "Move the column right",
    remove_column: "Remove the column (its post-its stay)",
    tools: "Tools",
    undo: "Undo",
    redo: "Redo",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    zoom_reset: "Back to 100 %",
    fit_all: "Fit all",
    selected: "selected",
    delete_selection: "Delete selection",
    duplicate: "Duplicate",
    bring_to_front: "Bring to front",
    resize_note: "Resize post-it",
    add_dot: "Add a dot",
    remove_dot: "Remove a dot",
    dots: ["red", "blue", "green", "black"],
    people: "Participants",
    help: "Help and keyboard shortcuts",
    select_mode: "Multi-select",
    colon: ": ",
    percent: "%",
    your_name: "Your name",
    guest: "Guest",
    is_typing: "is typing…",
    is_moving: "is moving…",
    added_by: "Added by",
    note: "Post-it",
    empty_note: "empty",
    switch_language: "Passer en français",
    other_language: "Français",
    keyboard_help: "Keyboard: N new post-it, Tab from post-it to post-it, arrows to move it, Alt + arrows to resize it, Enter to write, Escape to leave, Delete to delete, Ctrl+Z / Ctrl+Shift+Z to undo / redo, + and − to zoom. Drag on empty space (or Space + drag) to pan, Shift + drag to select.",
    my_boards: "My boards",
    roles: ["Facilitator", "Participant", "Observer"],
    role_hints: [
        "every right: links, opening, deletion",
        "reads and edits post-its, columns and the title",
        "follows the board live, changes nothing",
    ],
    links: "Links",
    copy: "Copy",
    copied: "Copied",
    new_link: "New link",
    confirm_new_link: "Make a new link? The old one stops working at once, also for the people connected with it.",
    link_unknown: "unknown to this browser: make a new one to see it",
    open_board: "Open: the board's plain address is enough to take part",
    observing: "You are observing this board: you follow it live but cannot change it.",
    template: "Template",
    saved_templates: "This server's templates",
    workshop: "Workshop steps",
    phases: ["Writing", "Reveal", "Grouping", "Voting", "Discussion and actions"],
    phase_hints: [
        "Write your ideas, one per post-it.",
        "Read everyone's post-its.",
        "Put together the post-its that say the same thing.",
        "Vote for the topics to talk about.",
        "Let's discuss the chosen topics and decide on actions.",
    ],
    previous_phase: "Previous step",
    next_phase: "Next step",
    instructions: "Instructions",
    timer: "Timer",
    timer_minutes: "Minutes",
    start_timer: "Start the timer",
    pause_timer: "Pause",
    resume_timer: "Resume",
    add_minute: "+1 min",
    stop_timer: "Stop",
    paused: "paused",
    time_up: "Time's up!",
    sound: "Sound at the end",
    save_template: "Save as template",
    template_name: "Template name (offered to every board on this server):",
    template_saved: "Template saved:",
    template_not_saved: "The template could not be saved.",
    vote: "Vote",
    vote_is_open: "open: vote on the post-its (▲)",
    votes_left: "Votes left:",
    vote_refused: "Vote refused by the server.",
    vote_word: "vote",
    votes_word: "votes",
    results: "Results",
    votes_per_person: "Votes per person",
    several_per_note: "several on one post-it",
    start_vote: "Start the vote",
    close_vote: "Close the vote",
    vote_for: "Vote for this post-it",
    take_back_vote: "Take back a vote",
    action: "Action",
    actions: "Actions",
    make_action: "Make it an action",
    nobody_yet: "nobody yet",
    owner: "Who",
    due: "Due",
    done: "Done",
    group: "Group",
    group_title: "Group title",
    ungroup: "Ungroup",
    leave_group: "Leave the group",
    untitled_group: "Untitled group",
    anonymous_board: "Anonymous board",
    anonymous_hint: "Anonymous board: no name is written into it or shown to the others.",
    private_writing: "Silent writing (post-its private until revealed)",
    silent_writing: "Silent writing",
    writing_is_private: "Your new post-its are seen by you only until they are revealed.",
    only_you_see_it: "Only you see it",
    private_note: "Private post-it",
    delete_private_note: "Delete this private post-it",
    private_note_word: "post-it",
    private_notes_word: "post-its",
    someone: "Someone",
    reveal_all: "Reveal all",
    reveal_mine: "Reveal mine",
    draft_refused: "The server could not keep a private post-it.",
    facilitate: "Facilitate",
    seats_taken: "Seats taken (one per participant's browser):",
    seats_open: "let new participants in",
    no_seat: "The facilitator lets no new participant in: this browser does not vote.",
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

    #[test]
    fn the_language_cookie_is_read_among_others() {
        assert_eq!(
            Lang::from_cookie("a=b; ardoise_lang=en; c=d"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_cookie("ardoise_lang=fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_cookie("ardoise_lang=de; x=en"), None);
        assert_eq!(Lang::from_cookie(""), None);
    }
}
