//! The audit writer: one row per change of personal data or shared records, written in the
//! same transaction as the change, with the action and entity from closed lists.

use kkig_core::ids::{PersonId, UserId};
use serde_json::Value;
use sqlx::{Any, Transaction};

use crate::db::error::StoreError;
use crate::db::now_unix;
use crate::Actor;

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    Allocate,
    Create,
    Delete,
    Erase,
    Export,
    Import,
    Lock,
    Publish,
    Unlock,
    Update,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        Self::Allocate,
        Self::Create,
        Self::Delete,
        Self::Erase,
        Self::Export,
        Self::Import,
        Self::Lock,
        Self::Publish,
        Self::Unlock,
        Self::Update,
    ];

    /// As written in the audit log's column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allocate => "allocate",
            Self::Create => "create",
            Self::Delete => "delete",
            Self::Erase => "erase",
            Self::Export => "export",
            Self::Import => "import",
            Self::Lock => "lock",
            Self::Publish => "publish",
            Self::Unlock => "unlock",
            Self::Update => "update",
        }
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of record a change was to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditEntity {
    Allocation,
    AllocationLock,
    AllocationRules,
    ApiToken,
    DemoWorld,
    ForecastCluster,
    ForecastInput,
    HostingInterest,
    Kolada,
    LearningCentreServices,
    Offerings,
    PasswordLink,
    Person,
    Placement,
    PlacementSite,
    PlacementSites,
    Population,
    RaciModel,
    Supervisor,
    TravelMatrix,
    User,
    VfuContact,
    VfuPeriod,
    VfuStudent,
}

impl AuditEntity {
    pub const ALL: [AuditEntity; 24] = [
        Self::Allocation,
        Self::AllocationLock,
        Self::AllocationRules,
        Self::ApiToken,
        Self::DemoWorld,
        Self::ForecastCluster,
        Self::ForecastInput,
        Self::HostingInterest,
        Self::Kolada,
        Self::LearningCentreServices,
        Self::Offerings,
        Self::PasswordLink,
        Self::Person,
        Self::Placement,
        Self::PlacementSite,
        Self::PlacementSites,
        Self::Population,
        Self::RaciModel,
        Self::Supervisor,
        Self::TravelMatrix,
        Self::User,
        Self::VfuContact,
        Self::VfuPeriod,
        Self::VfuStudent,
    ];

    /// As written in the audit log's column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allocation => "allocation",
            Self::AllocationLock => "allocation_lock",
            Self::AllocationRules => "allocation_rules",
            Self::ApiToken => "api_token",
            Self::DemoWorld => "demo_world",
            Self::ForecastCluster => "forecast_cluster",
            Self::ForecastInput => "forecast_input",
            Self::HostingInterest => "hosting_interest",
            Self::Kolada => "kolada",
            Self::LearningCentreServices => "learning_centre_services",
            Self::Offerings => "offerings",
            Self::PasswordLink => "password_link",
            Self::Person => "person",
            Self::Placement => "placement",
            Self::PlacementSite => "placement_site",
            Self::PlacementSites => "placement_sites",
            Self::Population => "population",
            Self::RaciModel => "raci_model",
            Self::Supervisor => "supervisor",
            Self::TravelMatrix => "travel_matrix",
            Self::User => "user",
            Self::VfuContact => "vfu_contact",
            Self::VfuPeriod => "vfu_period",
            Self::VfuStudent => "vfu_student",
        }
    }
}

impl std::fmt::Display for AuditEntity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Append one audit entry inside the transaction of the change it records. `entity_id` is the
/// id of the record of whatever kind (`SiteId`, `PersonId`, … or a composite text such as
/// `site/term`); `person_id` the person whose data it is, if any.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn audit_in(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: AuditAction,
    entity: AuditEntity,
    entity_id: impl AsRef<str>,
    person_id: Option<&PersonId>,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor, action, entity, entity_id, person_id, before_json, after_json, redacted)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
    )
    .bind(now_unix())
    .bind(actor.user_id.as_ref().map(UserId::as_str))
    .bind(&actor.label)
    .bind(action.as_str())
    .bind(entity.as_str())
    .bind(entity_id.as_ref())
    .bind(person_id.map(PersonId::as_str))
    .bind(before.map(Value::to_string))
    .bind(after.map(Value::to_string))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_entity_has_its_own_snake_case_name() {
        let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        let entities: Vec<&str> = AuditEntity::ALL.iter().map(|e| e.as_str()).collect();
        for list in [&names, &entities] {
            let unique: std::collections::BTreeSet<_> = list.iter().collect();
            assert_eq!(unique.len(), list.len(), "{list:?}");
            assert!(
                list.iter()
                    .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
                "{list:?}"
            );
        }
        assert_eq!(AuditAction::Create.to_string(), "create");
        assert_eq!(AuditEntity::VfuPeriod.as_str(), "vfu_period");
    }
}
