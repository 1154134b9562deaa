//! The e-mail outbox is sent once: leases shared by concurrent senders, a
//! dead sender's lease running out, failures retried later.

use crate::helpers::TestApp;
use crate::on_every_backend;
use crate::requests::{OFFICER_REQUEST, file};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::entities::email_outbox;
use server::mail::{FileDrop, Mailer, Message, Transport};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

// The app's own sender is off: the tests are the senders.
on_every_backend!(
    without_jobs: two_senders_send_each_email_once,
    a_dead_senders_email_is_sent_after_its_lease,
    a_failed_send_is_retried_later,
);

/// The real file drop, counting what passes through it.
struct Counting {
    inner: FileDrop,
    sends: AtomicUsize,
    fail: bool,
}

#[async_trait::async_trait]
impl Transport for Counting {
    async fn send(&self, message: &Message) -> anyhow::Result<()> {
        self.sends.fetch_add(1, Ordering::SeqCst);
        if self.fail {
            anyhow::bail!("relay refused the message");
        }
        self.inner.send(message).await
    }
}

fn mailer(app: &TestApp, dir: &std::path::Path, fail: bool) -> (Mailer, Arc<Counting>) {
    let transport = Arc::new(Counting {
        inner: FileDrop::new(dir.to_path_buf()),
        sends: AtomicUsize::new(0),
        fail,
    });
    (
        Mailer::new(
            app.state.db.clone(),
            app.state.clock.clone(),
            transport.clone(),
        ),
        transport,
    )
}

async fn pending(app: &TestApp) -> u64 {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::SentAt.is_null())
        .count(&app.state.db)
        .await
        .expect("db")
}

async fn two_senders_send_each_email_once(app: TestApp) {
    // Twelve requesters (one address may get only a few acknowledgments a day).
    for i in 0..12 {
        file(
            &app,
            None,
            &OFFICER_REQUEST.replace("li.lei@", &format!("li.lei.{i}@")),
        )
        .await;
    }
    let queued = pending(&app).await;
    assert!(queued >= 12, "acknowledgments queued ({queued})");
    let dir = tempfile::tempdir().expect("dir");
    let (a, count_a) = mailer(&app, dir.path(), false);
    let (b, count_b) = mailer(&app, dir.path(), false);
    let (ra, rb) = tokio::join!(a.send_pending(), b.send_pending());
    let (ra, rb) = (ra.expect("a"), rb.expect("b"));
    assert_eq!((ra.sent + rb.sent) as u64, queued, "every e-mail sent");
    assert_eq!(
        count_a.sends.load(Ordering::SeqCst) + count_b.sends.load(Ordering::SeqCst),
        queued as usize,
        "none sent twice"
    );
    assert_eq!(pending(&app).await, 0);
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(files.len() as u64, queued);
    let text = std::fs::read_to_string(files[0].path()).expect("eml");
    assert!(text.contains("To: li.lei."), "{text}");
    // Nothing is left for a third pass.
    assert_eq!(a.send_pending().await.expect("again").sent, 0);
}

async fn a_dead_senders_email_is_sent_after_its_lease(app: TestApp) {
    file(&app, None, OFFICER_REQUEST).await;
    // A sender claims the row and dies before sending.
    let now = app.state.clock.now();
    email_outbox::Entity::update_many()
        .col_expr(
            email_outbox::Column::ClaimedUntil,
            (now + server::mail::LEASE).into(),
        )
        .col_expr(email_outbox::Column::Attempts, 1.into())
        .exec(&app.state.db)
        .await
        .expect("claim");
    let dir = tempfile::tempdir().expect("dir");
    let (sender, count) = mailer(&app, dir.path(), false);
    assert_eq!(
        sender.send_pending().await.expect("pass").sent,
        0,
        "the lease holds"
    );
    app.advance_clock(6 * 60);
    assert_eq!(
        sender.send_pending().await.expect("pass").sent,
        1,
        "taken over"
    );
    assert_eq!(count.sends.load(Ordering::SeqCst), 1);
    assert_eq!(pending(&app).await, 0);
}

async fn a_failed_send_is_retried_later(app: TestApp) {
    file(&app, None, OFFICER_REQUEST).await;
    let dir = tempfile::tempdir().expect("dir");
    let (broken, _) = mailer(&app, dir.path(), true);
    let report = broken.send_pending().await.expect("pass");
    assert_eq!((report.sent, report.failed), (0, 1));
    let row = email_outbox::Entity::find()
        .one(&app.state.db)
        .await
        .expect("db")
        .expect("row");
    assert!(row.sent_at.is_none());
    assert_eq!(row.attempts, 1);
    assert!(
        row.last_error
            .as_deref()
            .is_some_and(|e| e.contains("relay refused"))
    );
    assert!(
        row.next_attempt_at
            .is_some_and(|t| t > app.state.clock.now())
    );
    let (working, count) = mailer(&app, dir.path(), false);
    assert_eq!(
        working.send_pending().await.expect("pass").sent,
        0,
        "not before its time"
    );
    app.advance_clock(2 * 60);
    assert_eq!(working.send_pending().await.expect("pass").sent, 1);
    assert_eq!(count.sends.load(Ordering::SeqCst), 1);
}
