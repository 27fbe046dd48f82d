//! The stored risk method (one row; the default until a manager saves one). Saving it puts every
//! risk at the level the new matrix gives its scores, in a fixed number of statements.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::db::audit::{self, Actor, Change};
use crate::domain::risk::method::RiskMethod;
use crate::domain::risk::register::Scores;

pub async fn current(db: impl PgExecutor<'_>) -> sqlx::Result<(RiskMethod, i32)> {
    let row = sqlx::query!("select definition, version from risk_method where id = 1")
        .fetch_optional(db)
        .await?;
    Ok(match row {
        Some(row) => (
            serde_json::from_value(row.definition).unwrap_or_else(|_| RiskMethod::default_method()),
            row.version,
        ),
        None => (RiskMethod::default_method(), 0),
    })
}

/// The method inside a transaction that writes risks: held for share, so a method being saved
/// waits for the write (and re-levels it) instead of racing it.
pub async fn current_for_share(conn: &mut PgConnection) -> sqlx::Result<RiskMethod> {
    let row = sqlx::query!("select definition from risk_method where id = 1 for share")
        .fetch_optional(conn)
        .await?;
    Ok(row
        .and_then(|row| serde_json::from_value(row.definition).ok())
        .unwrap_or_else(RiskMethod::default_method))
}

/// The levels a risk's scores reach under `method`: (inherent, current, above appetite).
pub fn levels(method: &RiskMethod, scores: &Scores) -> (i16, i16, bool) {
    let inherent = scores.inherent(method).map_or(0, |scored| scored.level);
    let current = scores
        .current(method)
        .map_or(inherent, |scored| scored.level);
    (
        i16::from(inherent),
        i16::from(current),
        method.above_appetite(current),
    )
}

/// Saves the method unless it changed since `expected_version` was read (then false), and
/// re-levels every risk.
pub async fn save(
    conn: &mut PgConnection,
    actor: &Actor,
    method: &RiskMethod,
    expected_version: i32,
) -> sqlx::Result<bool> {
    let (before, version) = current(&mut *conn).await?;
    if version != expected_version {
        return Ok(false);
    }
    let definition =
        serde_json::to_value(method).map_err(|error| sqlx::Error::Decode(Box::new(error)))?;
    let updated = sqlx::query!(
        "insert into risk_method (id, definition, version) values (1, $1, 1)
         on conflict (id) do update set definition = excluded.definition,
             version = risk_method.version + 1, updated_at = now()
         where risk_method.version = $2",
        definition,
        expected_version
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    relevel(conn, actor, method).await?;
    audit::record(
        conn,
        actor,
        Change::new("risk_method", 1, "update")
            .before(&before)
            .after(method),
    )
    .await?;
    Ok(true)
}

/// Puts every risk at the level `method` gives its scores; those whose level moved get a line in
/// their score history saying why.
async fn relevel(conn: &mut PgConnection, actor: &Actor, method: &RiskMethod) -> sqlx::Result<()> {
    let rows = sqlx::query!(
        "select id, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact from risks"
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut ids: Vec<Uuid> = Vec::with_capacity(rows.len());
    let mut inherent: Vec<i16> = Vec::with_capacity(rows.len());
    let mut current: Vec<i16> = Vec::with_capacity(rows.len());
    let mut above: Vec<bool> = Vec::with_capacity(rows.len());
    for row in rows {
        let scores = Scores {
            inherent_likelihood: row.inherent_likelihood as u8,
            inherent_impact: row.inherent_impact as u8,
            residual_likelihood: row.residual_likelihood.map(|value| value as u8),
            residual_impact: row.residual_impact.map(|value| value as u8),
        };
        let (i, c, a) = levels(method, &scores);
        ids.push(row.id);
        inherent.push(i);
        current.push(c);
        above.push(a);
    }
    sqlx::query!(
        "with changed as (
             update risks r set inherent_level = l.inherent, current_level = l.current, above_appetite = l.above
             from unnest($1::uuid[], $2::int2[], $3::int2[], $4::bool[]) as l(id, inherent, current, above)
             where r.id = l.id
               and (r.inherent_level, r.current_level, r.above_appetite) is distinct from (l.inherent, l.current, l.above)
             returning r.id, r.inherent_likelihood, r.inherent_impact, r.residual_likelihood, r.residual_impact,
                       r.current_level
         )
         insert into risk_score_history (risk_id, by_user, by_label, inherent_likelihood, inherent_impact,
             residual_likelihood, residual_impact, level_name, note)
         select c.id, $5, $6, c.inherent_likelihood, c.inherent_impact, c.residual_likelihood, c.residual_impact,
                coalesce(m.definition -> 'levels' -> c.current_level::int ->> 'name', ''), 'Method changed'
         from changed c cross join risk_method m where m.id = 1",
        &ids,
        &inherent,
        &current,
        &above,
        actor.user_id,
        actor.label
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
