//! Files that come with a request (a complaint's screenshot, a scan): up to
//! three per request, 5 MB each, accepted by what their bytes are, never by
//! their name or the type a client claims. The bytes live in the data
//! directory (`attachments/<id>`), written and flushed before the row that
//! names them commits, so a row never names a missing file; a crash between
//! the two leaves at most an unnamed file, never a half-stored attachment.

use super::{Caller, Requests, actions::refusal};
use crate::audit::Actor;
use crate::entities::{request_attachments, requests};
use crate::errors::ServerResult;
use crate::instant::rfc3339;
use app::error::AppError;
use app::requests::AttachmentView;
use domain::requests::complaint::{
    AttachmentError, AttachmentType, MAX_ATTACHMENTS, check_attachment, file_name,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

/// A refused file, as the API answers it (the field is the file).
#[must_use]
pub fn attachment_refusal(e: &AttachmentError) -> AppError {
    AppError {
        field: Some("file".to_owned()),
        ..AppError::new(e.status(), e.code(), e.to_string())
    }
}

/// An attachment's row as the wire shows it.
pub(super) fn attachment_view(row: &request_attachments::Model) -> AttachmentView {
    AttachmentView {
        id: row.id.to_string(),
        name: row.file_name.clone(),
        file_type: AttachmentType::parse(&row.file_type).unwrap_or(AttachmentType::Text),
        size_bytes: u64::try_from(row.size_bytes).unwrap_or_default(),
        uploaded_at: rfc3339(row.uploaded_at),
    }
}

/// The attachments of these requests, oldest first.
pub(super) async fn attachments_of(
    db: &impl ConnectionTrait,
    request_ids: &[Uuid],
) -> ServerResult<Vec<request_attachments::Model>> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(request_attachments::Entity::find()
        .filter(request_attachments::Column::RequestId.is_in(request_ids.iter().copied()))
        .order_by_asc(request_attachments::Column::UploadedAt)
        .all(db)
        .await?)
}

/// A file that is being downloaded.
#[derive(Debug)]
pub struct AttachmentFile {
    pub name: String,
    pub file_type: AttachmentType,
    pub bytes: Vec<u8>,
}

impl Requests {
    fn attachment_path(&self, id: Uuid) -> PathBuf {
        self.attachments.join(id.simple().to_string())
    }

    /// The requester adds a file to their open request.
    ///
    /// # Errors
    /// 413 `attachment_too_large`, 422 `empty_attachment` or
    /// `unsupported_attachment`, 404 when not the caller's, 409
    /// `request_closed` or `too_many_attachments`.
    #[tracing::instrument(skip_all, fields(request.ack = %ack))]
    pub async fn attach(
        &self,
        ack: &str,
        caller: &Caller<'_>,
        raw_name: &str,
        bytes: &[u8],
    ) -> ServerResult<AttachmentView> {
        // Checked before the request is looked up: a bad file never counts
        // as a tracking guess, and nothing is written for it.
        let file_type = check_attachment(bytes).map_err(|e| attachment_refusal(&e))?;
        let name = file_name(raw_name);
        let id = Uuid::new_v4();
        let path = self.attachment_path(id);
        write_durably(&self.attachments, &path, bytes).await?;
        match self
            .record_attachment(ack, caller, id, &name, file_type, bytes)
            .await
        {
            Ok(view) => Ok(view),
            Err(e) => {
                let _ = tokio::fs::remove_file(&path).await;
                Err(e)
            }
        }
    }

    async fn record_attachment(
        &self,
        ack: &str,
        caller: &Caller<'_>,
        id: Uuid,
        name: &str,
        file_type: AttachmentType,
        bytes: &[u8],
    ) -> ServerResult<AttachmentView> {
        let now = self.clock.now();
        let (_guard, txn) = self.begin().await?;
        let request = self.find_for_requester(&txn, ack, caller, false).await?;
        if request.closed_at.is_some() {
            return Err(refusal(domain::requests::RequestError::Closed).into());
        }
        let count = request_attachments::Entity::find()
            .filter(request_attachments::Column::RequestId.eq(request.id))
            .count(&txn)
            .await?;
        if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_ATTACHMENTS {
            return Err(attachment_refusal(&AttachmentError::TooMany).into());
        }
        let row = request_attachments::ActiveModel {
            id: Set(id),
            request_id: Set(request.id),
            file_name: Set(name.to_owned()),
            file_type: Set(file_type.as_str().to_owned()),
            size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
            sha256: Set(hex::encode(Sha256::digest(bytes))),
            uploaded_at: Set(now),
        }
        .insert(&txn)
        .await?;
        touch(&txn, &request, now).await?;
        let details = serde_json::json!({
            "attachment": id,
            "type": file_type.as_str(),
            "bytes": bytes.len(),
        })
        .to_string();
        self.audit
            .append(
                &txn,
                now,
                caller.me.map_or(
                    Actor {
                        id: None,
                        role: "requester",
                    },
                    Actor::of,
                ),
                "request.attachment_added",
                &request.ack,
                &details,
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        Ok(attachment_view(&row))
    }

    /// One attachment's bytes, for the requester (session or tracking code)
    /// or staff; a staff member's download is audited.
    ///
    /// # Errors
    /// 404 when the request is not the caller's or has no such attachment.
    pub async fn attachment(
        &self,
        ack: &str,
        caller: &Caller<'_>,
        raw_id: &str,
    ) -> ServerResult<AttachmentFile> {
        let id = Uuid::parse_str(raw_id.trim()).map_err(|_| AppError::not_found())?;
        // Looked up in a read transaction: a requester's download does not
        // queue behind the audit chain's writers; only a staff look writes.
        let txn = crate::db::begin_read(&self.db).await?;
        let request = self.find_for_requester(&txn, ack, caller, true).await?;
        let row = request_attachments::Entity::find_by_id(id)
            .filter(request_attachments::Column::RequestId.eq(request.id))
            .one(&txn)
            .await?
            .ok_or_else(AppError::not_found)?;
        txn.commit().await?;
        let staff = caller
            .me
            .filter(|p| p.role.is_staff() && request.account_id != Some(p.account_id));
        if let Some(officer) = staff {
            let (_guard, txn) = self.begin().await?;
            self.audit
                .append(
                    &txn,
                    self.clock.now(),
                    Actor::of(officer),
                    "request.attachment_read",
                    &request.ack,
                    &serde_json::json!({ "attachment": id }).to_string(),
                )
                .await?;
            self.audit.commit(txn, &self.db).await?;
        }
        let bytes = tokio::fs::read(self.attachment_path(id))
            .await
            .map_err(|e| anyhow::anyhow!("attachment {id} unreadable: {e}"))?;
        Ok(AttachmentFile {
            name: row.file_name,
            file_type: AttachmentType::parse(&row.file_type).unwrap_or(AttachmentType::Text),
            bytes,
        })
    }
}

/// The request changed (its register row sorts by it).
async fn touch(
    txn: &sea_orm::DatabaseTransaction,
    request: &requests::Model,
    now: time::OffsetDateTime,
) -> ServerResult<()> {
    let mut row: requests::ActiveModel = request.clone().into();
    row.updated_at = Set(now);
    row.update(txn).await?;
    Ok(())
}

/// Writes the file and flushes it to disk before its row may commit.
async fn write_durably(dir: &Path, path: &Path, bytes: &[u8]) -> ServerResult<()> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| anyhow::anyhow!("creating {}: {e}", path.display()))?;
    file.write_all(bytes)
        .await
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    file.sync_all()
        .await
        .map_err(|e| anyhow::anyhow!("flushing {}: {e}", path.display()))?;
    Ok(())
}
