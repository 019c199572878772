//! `/vfu`: links to one's own VFU pages and to every municipality's roles and responsibilities.

use super::*;

pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "vfu/index.html")]
pub struct IndexPage {
    pub chrome: Chrome,
    pub mine: Vec<Link>,
    pub municipalities: Vec<Link>,
    pub universities: Vec<Link>,
}

pub(super) async fn index(State(state): State<AppState>, chrome: Chrome, me: MaybeUser) -> PageResult {
    let all = state.store.municipalities().await.or_unavailable(&chrome)?;
    let participants: Vec<_> = all
        .into_iter()
        .filter(|m| m.role == MunicipalityRole::Participant)
        .collect();
    let unis = state.store.universities().await.or_unavailable(&chrome)?;
    let mut mine = Vec::new();
    if let Some((u, _)) = &me.0 {
        use kkig_core::access::Role;
        match u.role {
            Role::Municipality => {
                if let Some(k) = &u.scope {
                    let name = participants
                        .iter()
                        .find(|m| m.code.to_string() == *k)
                        .map(|m| m.name.clone())
                        .unwrap_or_else(|| k.clone());
                    mine.push(Link {
                        href: format!("/vfu/kommun/{k}"),
                        label: chrome.t1("vfu-link-municipality", "name", &name),
                    });
                }
            }
            Role::University => {
                if let Some(k) = &u.scope {
                    mine.push(Link {
                        href: format!("/vfu/larosate/{k}"),
                        label: chrome.t1("vfu-link-university", "name", k),
                    });
                }
            }
            Role::Student | Role::Supervisor => mine.push(Link {
                href: "/vfu/min".into(),
                label: chrome.t("vfu-mine-title"),
            }),
            Role::Admin | Role::Regional => {
                for m in &participants {
                    mine.push(Link {
                        href: format!("/vfu/kommun/{}", m.code),
                        label: chrome.t1("vfu-link-municipality", "name", &m.name),
                    });
                }
            }
            Role::Provider => {}
        }
        if matches!(u.role, Role::Admin | Role::Regional) {
            for un in &unis {
                mine.push(Link {
                    href: format!("/vfu/larosate/{}", un.code),
                    label: chrome.t1("vfu-link-university", "name", &un.name),
                });
            }
        }
    }
    let municipalities = participants
        .iter()
        .map(|m| Link {
            href: format!("/vfu/kommun/{}/vem-gor-vad", m.code),
            label: m.name.clone(),
        })
        .collect();
    let universities = unis
        .iter()
        .map(|u| Link {
            href: String::new(),
            label: format!("{} ({})", u.name, u.code),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &IndexPage {
            chrome,
            mine,
            municipalities,
            universities,
        },
    ))
}
