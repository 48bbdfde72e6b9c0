//! Templates over HTTP: `GET /api/templates` lists Ardoise's own (in the request's language)
//! and those saved on this server; a new board names one (`"template": "<id>"`); the facilitator
//! saves a board as a new one (`POST /api/boards/{id}/template`).

use app::templates::{self, Template, MAX_TEMPLATE_NAME_CHARS};
use axum::{
    extract::{Path, State},
    http::{request::Parts, HeaderMap, StatusCode},
    Json,
};
use serde::Deserialize;

use super::{authorize_facilitator, ApiError};
use crate::{pages::lang, state::AppState};

/// Longest id made from a template's name.
const MAX_TEMPLATE_ID_CHARS: usize = 40;

/// `GET /api/templates`: Ardoise's templates in the request's language, then the server's.
pub async fn list_templates(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<Template>>, ApiError> {
    let mut all = templates::built_in(lang(&headers));
    all.extend(state.registry.storage().templates().await?);
    Ok(Json(all))
}

/// The template a new board asks for, in the request's language: `None` for none, `400` for
/// one this server does not have.
pub(super) async fn chosen(
    state: &AppState,
    id: Option<&str>,
    headers: &HeaderMap,
) -> Result<Option<Template>, ApiError> {
    let Some(id) = id.map(str::trim).filter(|id| !id.is_empty()) else {
        return Ok(None);
    };
    if let Some(template) = templates::find_built_in(id, lang(headers)) {
        return Ok(Some(template));
    }
    match state.registry.storage().template(id).await? {
        Some(template) => Ok(Some(template)),
        None => Err(ApiError::BadRequest(format!(
            "no template {id:?}: GET /api/templates lists them"
        ))),
    }
}

#[derive(Debug, Deserialize)]
pub struct SaveTemplate {
    pub name: String,
}

/// `POST /api/boards/{id}/template` with `{"name": "..."}` (the facilitator's link only): a new
/// template for this server with the board's columns, instructions and phases. `201` and the
/// template; saving counts as creating a board for the address's hourly limit.
pub async fn save_template(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
    Json(save): Json<SaveTemplate>,
) -> Result<(StatusCode, Json<Template>), ApiError> {
    let id = authorize_facilitator(
        &state,
        &id,
        &parts.uri,
        &parts.headers,
        "only the board's facilitator may save it as a template",
    )
    .await?;
    let name = valid_name(&save.name)?;
    if !state.addresses.may_create_board(state.addresses.of(&parts)) {
        return Err(ApiError::TooManyBoards);
    }
    let storage = state.registry.storage();
    let loaded = storage
        .load_document(&id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    let mut template = Template::from_board(id_for(&name), &name, &loaded.board.view());
    let lang = lang(&parts.headers);
    template.id = storage
        .save_template(&template, lang.code(), &id)
        .await?
        .ok_or(ApiError::TooManyTemplates)?;
    tracing::info!(board = %id, template = %template.id, "template saved");
    Ok((StatusCode::CREATED, Json(template)))
}

/// A name without control characters, neither empty nor too long.
fn valid_name(name: &str) -> Result<String, ApiError> {
    let name: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::BadRequest(
            "a template's name must not be empty".into(),
        ));
    }
    if name.chars().count() > MAX_TEMPLATE_NAME_CHARS {
        return Err(ApiError::BadRequest(format!(
            "a template's name is at most {MAX_TEMPLATE_NAME_CHARS} characters"
        )));
    }
    Ok(name.to_owned())
}

/// A readable id from a name: lowercase letters and digits (French accents dropped) joined by
/// dashes; never one of Ardoise's own ids.
fn id_for(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'œ' => 'o',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let mut id: String = id
        .trim_end_matches('-')
        .chars()
        .take(MAX_TEMPLATE_ID_CHARS)
        .collect();
    if id.is_empty() || templates::is_built_in(&id) {
        id.insert_str(0, "modele-");
        id = id.trim_end_matches('-').to_owned();
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_readable_and_never_ardoises_own() {
        assert_eq!(
            id_for("Rétro d'équipe — été 2027"),
            "retro-d-equipe-ete-2027"
        );
        assert_eq!(id_for("Start-Stop-Continue"), "modele-start-stop-continue");
        assert_eq!(id_for("!!!"), "modele");
        assert_eq!(id_for(&"a".repeat(100)).len(), MAX_TEMPLATE_ID_CHARS);
        assert!(valid_name(" \u{7} ").is_err());
        assert_eq!(valid_name("Bilan\n2027").unwrap(), "Bilan 2027");
    }
}
