//! Templates saved by facilitators from their boards, offered to every board of this server
//! (Ardoise's own templates are in `app::templates`, not stored).

use app::{ids::BoardId, model::Phase, templates::Template};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{
    error::StorageError,
    pool::{now_ms, Storage},
};

/// Most templates one server keeps: saving more is refused.
pub const MAX_SAVED_TEMPLATES: i64 = 500;

/// What `body` holds.
#[derive(Serialize, Deserialize)]
struct Body {
    columns: Vec<String>,
    instructions: String,
    phases: Vec<Phase>,
}

impl Storage {
    /// Saves a template, under its id or, if that is taken, the first of `<id>-2`, `<id>-3`, …
    /// that is free; returns the id it got, or `None` when the server keeps
    /// [`MAX_SAVED_TEMPLATES`] already.
    pub async fn save_template(
        &self,
        template: &Template,
        lang: &str,
        source: &BoardId,
    ) -> Result<Option<String>, StorageError> {
        let body = serde_json::to_string(&Body {
            columns: template.columns.clone(),
            instructions: template.instructions.clone(),
            phases: template.phases.clone(),
        })
        .map_err(|e| StorageError::Query(sqlx::Error::Encode(Box::new(e))))?;
        self.transaction(async |tx| {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM templates")
                .fetch_one(&mut *tx)
                .await?;
            if count >= MAX_SAVED_TEMPLATES {
                return Ok(None);
            }
            for n in 1..=count + 1 {
                let id = match n {
                    1 => template.id.clone(),
                    n => format!("{}-{n}", template.id),
                };
                let inserted = sqlx::query(
                    "INSERT INTO templates (id, name, lang, body, source_board, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                )
                .bind(&id)
                .bind(&template.name)
                .bind(lang)
                .bind(&body)
                .bind(source.as_str())
                .bind(now_ms())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 1 {
                    return Ok(Some(id));
                }
            }
            Ok(None)
        })
        .await
    }

    /// The saved templates, oldest first.
    pub async fn templates(&self) -> Result<Vec<Template>, StorageError> {
        let rows = sqlx::query("SELECT id, name, body FROM templates ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(template_of).collect()
    }

    /// One saved template.
    pub async fn template(&self, id: &str) -> Result<Option<Template>, StorageError> {
        let row = sqlx::query("SELECT id, name, body FROM templates WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(template_of).transpose()
    }
}

/// A stored template; one whose body cannot be read (written by hand) has no columns.
fn template_of(row: &sqlx::any::AnyRow) -> Result<Template, StorageError> {
    let id: String = row.try_get("id")?;
    let body: String = row.try_get("body")?;
    let body = serde_json::from_str(&body).unwrap_or_else(|error| {
        tracing::warn!(template = %id, %error, "a saved template cannot be read");
        Body {
            columns: Vec::new(),
            instructions: String::new(),
            phases: Vec::new(),
        }
    });
    Ok(Template {
        id,
        name: row.try_get("name")?,
        columns: body.columns,
        instructions: body.instructions,
        phases: body.phases,
        built_in: false,
    })
}
