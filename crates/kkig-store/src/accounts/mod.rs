//! Accounts in the database: types of accounts, tokens, the audit log and privacy requests as the
//! store hands them out, and [`AccountStore`] (`store`) with its row helpers (`sql`) and who a
//! person is (`identity`).

pub(crate) mod identity;
pub(crate) mod sql;
mod store;

pub use store::AccountStore;

use kkig_core::access::{Principal, Role};
use kkig_core::ids::{PersonId, UserId};
use serde::Serialize;

/// Who made a change: a signed-in user, or the command line / a scheduled job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<UserId>,
    /// `user:ID`, `cli`, or `system:JOB`; never personal data.
    pub label: String,
}

impl Actor {
    pub fn cli() -> Self {
        Self {
            user_id: None,
            label: "cli".into(),
        }
    }

    pub fn system(job: &str) -> Self {
        Self {
            user_id: None,
            label: format!("system:{job}"),
        }
    }

    pub fn user(user_id: &UserId) -> Self {
        Self {
            user_id: Some(user_id.clone()),
            label: format!("user:{user_id}"),
        }
    }
}

/// A user account with its person's name and e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: UserId,
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub scope: Option<String>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub created_at: i64,
}

impl UserRecord {
    pub fn principal(&self) -> Principal {
        Principal {
            user_id: self.id.clone(),
            person_id: self.person_id.clone(),
            role: self.role,
            scope: self.scope.clone(),
        }
    }
}

/// A new account: a person (staff, student or supervisor) with a role.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub scope: Option<String>,
}

/// An API token as listed to its owner (the secret is never stored or shown again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[schema(value_type = Option<String>)]
    pub person_id: Option<PersonId>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// True when the values were blanked because the person was erased.
    pub redacted: bool,
}

/// A person whose data retention may end: a student and the end of their last VFU period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionCandidate {
    pub person_id: PersonId,
    pub last_period_end: String,
}

/// A sign-in attempt let through to the password check. It is recorded as a failure from the
/// start (so that parallel attempts count each other); [`crate::Store::sign_in_succeeded`]
/// takes it back when the password was right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInAttempt {
    pub id: String,
    /// The e-mail as typed, trimmed and in lower case.
    pub account: String,
    /// The client's address.
    pub address: String,
    /// The address is over its own limit: answer a wrong password "too many attempts", retry
    /// after so many seconds (a correct password still signs in).
    pub address_limited: Option<i64>,
}

/// What [`crate::Store::begin_sign_in`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInStart {
    /// Refused without a password check; retry after so many seconds.
    Refused { retry_after: i64 },
    /// Check the password.
    Check(SignInAttempt),
}

/// One failed sign-in as kept for throttling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInFailure {
    pub account: String,
    pub address: String,
    pub at: i64,
}
