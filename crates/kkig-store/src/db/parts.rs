//! What a capability adds to operations on the whole database: its part of the demo world, the
//! check that it holds no real data before the demo is loaded, and its part of a person's data
//! (export and erasure). Each capability with such data registers one [`Part`] in [`PARTS`];
//! demo loading and the privacy operations call every part and never a capability by name.

use async_trait::async_trait;
use kkig_core::demo::DemoWorld;
use kkig_core::ids::PersonId;
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

use crate::db::error::StoreError;
use crate::db::{Backend, SqlStore};

pub(crate) type Tx = Transaction<'static, Any>;

/// One capability's part in the whole-database operations (every method has a default that
/// does nothing, so a capability implements only what it has).
#[async_trait]
pub(crate) trait Part: Sync {
    /// The key of this part in a person's export.
    fn name(&self) -> &'static str;

    /// A query counting the rows of real (not demo) data this capability holds (None: it
    /// holds none); the demo is refused when any part counts some.
    fn real_rows_sql(&self) -> Option<&'static str> {
        None
    }

    /// Rows of real data this capability holds, by [`Part::real_rows_sql`].
    async fn real_rows(&self, tx: &mut Tx) -> Result<i64, StoreError> {
        let Some(sql) = self.real_rows_sql() else { return Ok(0) };
        Ok(sqlx::query(sql).fetch_one(&mut **tx).await?.try_get(0)?)
    }

    /// Write this capability's part of the demo world, inside the demo's transaction.
    async fn load_demo(&self, _tx: &mut Tx, _backend: Backend, _world: &DemoWorld) -> Result<(), StoreError> {
        Ok(())
    }

    /// This capability's data on a person, for the person's export (None: it keeps none).
    async fn export_person(&self, _store: &SqlStore, _person_id: &PersonId) -> Result<Option<Value>, StoreError> {
        Ok(None)
    }

    /// Erase this capability's data on a person, inside the erasure's transaction.
    async fn erase_person(&self, _tx: &mut Tx, _person_id: &PersonId) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Every capability's part, in the order the demo is written (sites before what refers to them).
pub(crate) const PARTS: &[&dyn Part] = &[&crate::vfu::Part, &crate::catalogue::Part, &crate::forecast::Part];
