//! One record: facts, kinds, attendance (出席 / 缺席 with reasons / 列席), quorum, materials with
//! the 第一议题 mark, the evidence checklist, attachments (upload and download).

use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dangwu_domain::activity::{field_label, flag_label};
use dangwu_domain::rulebook::Quorum;
use dangwu_store::activities::{self, ActivityDetail, AttendanceRow, MaterialUse};
use dangwu_store::attachments::{self, EVIDENCE};

use super::{EvidenceCheck, evidence_checks, evidence_label, kind_labels, size_label};
use crate::auth::{CurrentUser, urlencode};
use crate::pages::Notice;
use crate::pages::kit::{Opt, see_other};
use crate::render::{Layout, html_status};
use crate::upload::read_upload;
use crate::{AppState, WebError};

pub struct QuorumNote {
    pub kind: String,
    pub rule: &'static str,
    pub met: bool,
}

pub struct AttachmentView {
    pub id: String,
    pub filename: String,
    pub evidence: String,
    pub size: String,
    pub is_image: bool,
}

#[derive(Template)]
#[template(path = "activities_detail.html")]
struct DetailPage {
    layout: Layout,
    d: ActivityDetail,
    kinds: Vec<String>,
    time: String,
    flags: Vec<String>,
    extra: Vec<(String, String)>,
    present: Vec<AttendanceRow>,
    absent: Vec<AttendanceRow>,
    guests: Vec<AttendanceRow>,
    quorum: Vec<QuorumNote>,
    materials: Vec<MaterialUse>,
    evidence: Vec<EvidenceCheck>,
    attachments: Vec<AttachmentView>,
    writable: bool,
    is_staff: bool,
    upload_error: Option<String>,
    evidence_opts: Vec<Opt>,
    max_size: String,
}

async fn render(state: &AppState, user: &CurrentUser, id: &str, notice: Option<String>, upload: Option<(StatusCode, String, String)>) -> Result<Response, WebError> {
    let book = &state.store.rulebook;
    let d = activities::get(&state.store, &user.principal, id).await?;
    let a = &d.activity;
    let have: Vec<&str> = d.attachments.iter().map(|x| x.evidence.as_str()).collect();
    let evidence = evidence_checks(book, &d.kinds, &have);
    let (present, expected) = (a.present_count.max(0) as u32, a.expected_count.max(0) as u32);
    let quorum = d
        .kinds
        .iter()
        .filter_map(|k| book.kind(k))
        .filter(|k| k.quorum != Quorum::None)
        .map(|k| QuorumNote { kind: k.label.clone(), rule: k.quorum.label(), met: k.quorum.met(present, expected) })
        .collect();
    let by = |code: &str| d.attendance.iter().filter(|r| r.attendance == code).cloned().collect::<Vec<_>>();
    let attachments = d
        .attachments
        .iter()
        .map(|x| AttachmentView {
            id: x.id.clone(),
            filename: x.filename.clone(),
            evidence: evidence_label(&x.evidence).to_owned(),
            size: size_label(x.size),
            is_image: x.content_type.starts_with("image/"),
        })
        .collect();
    let time = match (&a.start_time, &a.end_time) {
        (Some(s), Some(e)) => format!("{s}–{e}"),
        (Some(s), None) => s.clone(),
        (None, Some(e)) => format!("至{e}"),
        _ => String::new(),
    };
    let (status, upload_error, chosen) = match upload {
        Some((s, msg, ev)) => (s, Some(msg), ev),
        None => (StatusCode::OK, None, "photo".to_owned()),
    };
    let page = DetailPage {
        layout: Layout::new(user, a.title.clone(), "activities").notice(notice),
        kinds: kind_labels(book, &d.kinds),
        time,
        flags: a.flag_list().iter().map(|f| flag_label(f).to_owned()).collect(),
        extra: a
            .extra_map()
            .into_iter()
            .map(|(k, v)| {
                let v = if k == "capabilities" { state.store.community.capability_labels(&v) } else { v };
                (field_label(&k).to_owned(), v)
            })
            .collect(),
        present: by("present"),
        absent: by("absent"),
        guests: by("guest"),
        quorum,
        materials: d.materials.clone(),
        evidence,
        attachments,
        writable: user.principal.can_write_org(&d.org.org_path()),
        is_staff: user.principal.role != dangwu_domain::auth::Role::Member,
        upload_error,
        evidence_opts: EVIDENCE.iter().map(|(k, l)| Opt::new(*k, *l, &chosen)).collect(),
        max_size: size_label(state.config.max_upload_bytes as i64),
        d,
    };
    Ok(html_status(status, &page))
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(n): Query<Notice>) -> Result<Response, WebError> {
    render(&state, &user, &id, n.ok, None).await
}

/// What the upload form sent; reading stops once the file passes `max` bytes.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let mp = mp.map_err(|_| WebError::bad_request("file", "请通过活动页面的表单上传文件"))?;
    let max = state.config.max_upload_bytes;
    let up = read_upload(mp, max).await?;
    // Multipart bodies bypass CsrfForm, so the token is checked here, before anything else.
    if !up.csrf_ok(&user.csrf_token) {
        return Err(WebError::csrf());
    }
    let evidence = up.field("evidence").to_owned();
    if up.too_big {
        let msg = format!("文件超过大小上限（最大 {}），未保存。请压缩图片或拍摄较小的照片后重试。", size_label(max as i64));
        return render(&state, &user, &id, None, Some((StatusCode::PAYLOAD_TOO_LARGE, msg, evidence))).await;
    }
    match attachments::add(&state.store, &user.principal, &user.actor(), &id, &up.filename, &evidence, up.file, max).await {
        Ok(_) => Ok(see_other(&format!("/activities/{id}"), "附件已上传")),
        Err(e) => {
            let e: WebError = e.into();
            if e.status != StatusCode::UNPROCESSABLE_ENTITY {
                return Err(e);
            }
            let why = if e.errors.is_empty() { e.message } else { e.errors.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；") };
            let msg = format!("{}，未保存。", why.trim_end_matches('。'));
            render(&state, &user, &id, None, Some((StatusCode::UNPROCESSABLE_ENTITY, msg, evidence))).await
        }
    }
}

/// The stored file, to permitted users only, as a download (never rendered in the app's
/// origin), with its checked type and no sniffing.
pub async fn download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let (filename, ct, bytes) = attachments::content(&state.store, &user.principal, &id).await?;
    let ct = HeaderValue::from_str(&ct).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&format!("attachment; filename*=UTF-8''{}", urlencode(&filename).replace('/', "%2F")))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let headers = [
        (CONTENT_TYPE, ct),
        (CONTENT_DISPOSITION, disposition),
        (axum::http::header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
    ];
    Ok((headers, bytes).into_response())
}
