//! Retention: students' personal data is erased a number of months after their last VFU
//! period ends. The rule is `kkig_core::privacy::retention_due`; this applies it to the store.

use kkig_core::privacy::retention_due;
use time::Date;

use crate::{Actor, RetentionCandidate, Store, StoreError};

/// The students whose data is due for erasure on `today`.
pub async fn due(store: &dyn Store, months: u32, today: Date) -> Result<Vec<RetentionCandidate>, StoreError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let mut out = Vec::new();
    for c in store.retention_candidates().await? {
        let end = Date::parse(&c.last_period_end, format).map_err(|e| {
            StoreError::Corrupt(format!(
                "person {}: last_period_end {:?}: {e}",
                c.person_id, c.last_period_end
            ))
        })?;
        if retention_due(end, months, today) {
            out.push(c);
        }
    }
    Ok(out)
}

/// Erase everyone due on `today` (each in its own transaction, audited as `system:retention`).
/// Returns the erased persons.
pub async fn apply(store: &dyn Store, months: u32, today: Date) -> Result<Vec<RetentionCandidate>, StoreError> {
    let due = due(store, months, today).await?;
    let actor = Actor::system("retention");
    for c in &due {
        store.erase_person(&c.person_id, "retention", &actor).await?;
    }
    Ok(due)
}
