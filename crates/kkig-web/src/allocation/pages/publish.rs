//! Publishing an allocation: the confirmation page and the store's report.

use super::*;

pub struct ChangeView {
    pub name: String,
    pub change: String,
    pub site: String,
}

#[derive(Template)]
#[template(path = "allocation/publish.html")]
pub struct PublishPage {
    pub chrome: Chrome,
    pub title: String,
    pub uni_href: String,
    pub uni_name: String,
    pub period_href: String,
    pub period_label: String,
    pub base: String,
    /// Before publishing: what will change; after: what changed.
    pub done: bool,
    pub intro: String,
    pub counts: Vec<(String, String)>,
    pub changes: Vec<ChangeView>,
    pub changed: usize,
}

pub(super) fn changes(chrome: &Chrome, r: &Run) -> Vec<ChangeView> {
    let sites = site_names(&r.data);
    let label = |id: &str| sites.get(id).copied().unwrap_or(id).to_string();
    r.preview
        .students
        .iter()
        .filter_map(|s| {
            let c = change_of(&r.data, &s.student, s.site.as_ref());
            let site = match c {
                Change::Created => label(s.site.as_ref().map(SiteId::as_str).unwrap_or_default()),
                Change::Moved => format!(
                    "{} → {}",
                    label(
                        current_site(&r.data.placements, &s.student)
                            .unwrap_or_default()
                            .as_str()
                    ),
                    label(s.site.as_ref().map(SiteId::as_str).unwrap_or_default())
                ),
                Change::Withdrawn => label(
                    current_site(&r.data.placements, &s.student)
                        .unwrap_or_default()
                        .as_str(),
                ),
                _ => return None,
            };
            Some(ChangeView {
                name: s.name.clone(),
                change: chrome.t(&format!("alloc-one-{}", c.key())),
                site,
            })
        })
        .collect()
}

pub(super) fn publish_view(
    chrome: Chrome,
    ctx: &Ctx,
    done: bool,
    report: &PublishReport,
    changes: Vec<ChangeView>,
) -> PublishPage {
    let title = if done {
        chrome.t("alloc-published-title")
    } else {
        chrome.t("alloc-publish-title")
    };
    let intro = if done {
        chrome.t("alloc-published-intro")
    } else {
        chrome.t("alloc-publish-intro")
    };
    PublishPage {
        title,
        uni_href: ctx.uni_href(),
        uni_name: ctx.uni_name.clone(),
        period_href: ctx.period_href(),
        period_label: ctx.period_label(&chrome),
        base: ctx.base(),
        done,
        intro,
        counts: report_rows(&chrome, report),
        changes,
        changed: report.changed(),
        chrome,
    }
}

pub(super) async fn publish_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, id)): Path<(String, PeriodId)>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, None, &code, &id).await?;
    let r = compute(&state, &chrome, &ctx).await?;
    let p = plan(&r);
    let list = changes(&chrome, &r);
    Ok(render(StatusCode::OK, &publish_view(chrome, &ctx, false, &p, list)))
}

pub(super) async fn publish(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, id)): Path<(String, PeriodId)>,
) -> PageResult {
    let ctx = access(&state, &chrome, me, Some(&guard), &code, &id).await?;
    let r = compute(&state, &chrome, &ctx).await?;
    let list = changes(&chrome, &r);
    match state
        .store
        .publish_allocation(&ctx.period.id, &r.preview.placements(), today(), &ctx.actor())
        .await
    {
        Ok(report) if report.changed() == 0 => {
            let title = chrome.t("alloc-nothing-title");
            let message = chrome.t1("alloc-nothing-text", "path", &ctx.base());
            Ok(render(StatusCode::CONFLICT, &MessagePage { chrome, title, message }))
        }
        Ok(report) => Ok(render(StatusCode::OK, &publish_view(chrome, &ctx, true, &report, list))),
        Err(StoreError::Fields(e)) => {
            let title = chrome.t("alloc-invalid-title");
            let message = e
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join(" ");
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MessagePage { chrome, title, message },
            ))
        }
        Err(e) => Err(unavailable(chrome, &e).into()),
    }
}
