//! Web sessions kept in the database through [`Store`], so that any web node can serve any
//! request: tower-sessions handles cookies and expiry, this adapter handles persistence.

use std::sync::Arc;

use async_trait::async_trait;
use kkig_core::ids::UserId;
use kkig_store::{SessionRow, Store};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Clone)]
pub struct DbSessionStore {
    store: Arc<dyn Store>,
}

impl DbSessionStore {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn to_row(record: &Record) -> Result<SessionRow, session_store::Error> {
    Ok(SessionRow {
        data: serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))?,
        expiry_unix: record.expiry_date.unix_timestamp(),
        user_id: record
            .data
            .get(crate::http::auth::USER_KEY)
            .and_then(|v| v.as_str())
            .map(UserId::from),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id collides only by astronomical chance; draw again if it does.
        loop {
            if self
                .store
                .session_create(&record.id.to_string(), &to_row(record)?)
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.store
            .session_save(&record.id.to_string(), &to_row(record)?)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self.store.session_load(&id.to_string()).await.map_err(backend)? {
            Some(row) => serde_json::from_str(&row.data)
                .map(Some)
                .map_err(|e| session_store::Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store.session_delete(&id.to_string()).await.map_err(backend)
    }
}
