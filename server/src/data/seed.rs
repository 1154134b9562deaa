//! Demo and benchmark data: believable personal data in Chinese and English
//! for every category (issue #5), written in batches. The generator is seeded,
//! so the same holder always gets the same data.

use super::PersonalData;
use crate::entities::data::{
    account_security, bank_cards, blocked, consent_receipts, consents, contact_hashes,
    conversations, devices, emergency_contacts, friends, location_points, messages, post_comments,
    post_likes, post_photos, posts, privacy_settings, settings_lists, sign_ins, step_counts,
};
use crate::entities::{accounts, notifications};
use crate::errors::ServerResult;
use domain::consent::{ConsentChannel, ConsentState};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How much data one holder gets.
#[derive(Clone, Copy, Debug)]
pub struct Volume {
    pub posts: usize,
    pub conversations: usize,
    pub messages_per_conversation: usize,
    pub friends: usize,
    pub location_points: usize,
    pub step_days: usize,
    pub contacts: usize,
    pub sign_ins: usize,
}

impl Volume {
    /// The demo holder: enough to browse every page, a few pages of each.
    pub const DEMO: Volume = Volume {
        posts: 24,
        conversations: 5,
        messages_per_conversation: 30,
        friends: 12,
        location_points: 240,
        step_days: 365,
        contacts: 60,
        sign_ins: 12,
    };

    /// A realistic active holder for benchmarks: hundreds of posts, thousands
    /// of messages, a year of steps and location points.
    pub const REALISTIC: Volume = Volume {
        posts: 300,
        conversations: 30,
        messages_per_conversation: 100,
        friends: 150,
        location_points: 2_000,
        step_days: 365,
        contacts: 200,
        sign_ins: 50,
    };
}

const FRIENDS: [&str; 16] = [
    "王芳 (Wang Fang)",
    "张伟 (Zhang Wei)",
    "Emily Chen",
    "刘洋 (Liu Yang)",
    "陈静 (Chen Jing)",
    "David Li",
    "杨磊 (Yang Lei)",
    "赵敏 (Zhao Min)",
    "Sophie Wu",
    "黄强 (Huang Qiang)",
    "周婷 (Zhou Ting)",
    "Michael Zhou",
    "吴昊 (Wu Hao)",
    "徐丽 (Xu Li)",
    "孙悦 (Sun Yue)",
    "Grace Lin",
];

const POSTS: [&str; 12] = [
    "周末去大梅沙看海，天气太好了！ A perfect weekend by the sea.",
    "新学的红烧肉，第一次就成功 🍲 First try at braised pork.",
    "Morning run along Shenzhen Bay, 8 km done.",
    "加班到十点，奶茶续命。Late night at the office again.",
    "读完了《三体》第二部，黑暗森林太震撼了。",
    "Trying the new dim sum place near Keyuan — recommended!",
    "春节回家，和爸妈包饺子。Dumplings with my parents for Spring Festival.",
    "The camellias on campus are blooming 🌸",
    "第一次参加马拉松，半程完赛！ Finished my first half marathon.",
    "Rainy day, good book, hot tea.",
    "和老同学聚会，十年了大家都没变。Reunion with classmates after ten years.",
    "New desk setup for working from home.",
];

const PLACES: [&str; 6] = [
    "深圳 · 大梅沙",
    "Shenzhen Bay Park",
    "广州 · 北京路",
    "Hong Kong · Central",
    "深圳 · 科技园",
    "Guilin · Yangshuo",
];

const COMMENTS: [&str; 8] = [
    "好美！",
    "Looks great!",
    "下次带上我 😄",
    "Where is this?",
    "厉害了！",
    "Congrats!",
    "想吃！",
    "Miss you!",
];

const MESSAGES: [&str; 14] = [
    "明天几点见？",
    "See you at 7 then.",
    "收到，谢谢！",
    "Can you send me the file?",
    "我到楼下了",
    "Happy birthday! 生日快乐 🎂",
    "周六一起吃饭吧",
    "Running late, 10 minutes.",
    "好的没问题",
    "Did you watch the match last night?",
    "记得带伞，今天有雨",
    "Thanks for yesterday!",
    "文件已经发你邮箱了",
    "Let's catch up this weekend.",
];

const CAMERAS: [&str; 4] = ["iPhone 15", "HUAWEI Mate 60", "Xiaomi 14", "OPPO Find X7"];

/// Inserts rows in batches small enough for both databases' bind limits.
async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> ServerResult<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(500).collect();
        <A::Entity as EntityTrait>::insert_many(batch)
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The current instant truncated to whole microseconds (both databases keep
/// microseconds; cursor keys must match what is stored).
fn micros(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

impl PersonalData {
    /// Fills every category for one holder unless they already have a profile;
    /// answers whether it wrote anything.
    ///
    /// # Errors
    /// When the database fails.
    #[allow(clippy::too_many_lines)] // one block per category
    pub async fn seed_holder(
        &self,
        account_id: Uuid,
        volume: Volume,
        seed: u64,
    ) -> ServerResult<bool> {
        let txn = crate::db::begin_write(&self.db).await?;
        // Seeded once: the welcome notice marks it.
        let marker = format!("seed:welcome:{account_id}");
        if notifications::Entity::find()
            .filter(notifications::Column::DedupeKey.eq(marker))
            .one(&txn)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let now = micros(self.clock.now().to_offset(time::UtcOffset::UTC));
        let ago = |rng: &mut StdRng, max_days: i64| {
            now - Duration::seconds(rng.gen_range(60..max_days.max(1) * 86_400))
        };
        let mut profile = super::profile_row(&txn, account_id, now).await?;
        profile.photo = Set(Some("avatar.jpg".to_owned()));
        profile.gender = Set(Some(
            ["female", "male", "unspecified"][rng.gen_range(0..3)].to_owned(),
        ));
        profile.region = Set(Some("广东 深圳 (Shenzhen, Guangdong)".to_owned()));
        profile.signature = Set(Some("慢慢来，比较快 · Slow is fast".to_owned()));
        profile.address = Set(Some(
            "深圳市南山区科苑路 8 号\n8 Keyuan Road, Nanshan, Shenzhen".to_owned(),
        ));
        profile.updated_at = Set(now - Duration::days(40));
        profile.update(&txn).await?;
        // Earlier seeds or corrections may have made the security row already.
        account_security::Entity::delete_by_id(account_id)
            .exec(&txn)
            .await?;
        account_security::ActiveModel {
            account_id: Set(account_id),
            mobile: Set(Some(format!("+86138{:08}", rng.gen_range(0..100_000_000)))),
            voiceprint_enrolled_at: Set(Some(now - Duration::days(300))),
            linked_qq: Set(Some(rng.gen_range(10_000_000..999_999_999u32).to_string())),
            updated_at: Set(now - Duration::days(40)),
        }
        .insert(&txn)
        .await?;
        insert_all(
            &txn,
            vec![
                emergency_contacts::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    name: Set("李明 (Li Ming)".to_owned()),
                    mobile: Set("+8613900001111".to_owned()),
                    added_at: Set(now - Duration::days(200)),
                },
                emergency_contacts::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    name: Set("Anna Li".to_owned()),
                    mobile: Set("+447700900123".to_owned()),
                    added_at: Set(now - Duration::days(100)),
                },
            ],
        )
        .await?;

        // Friends, and one of them on the "don't share my posts" list.
        let friend_rows: Vec<friends::ActiveModel> = (0..volume.friends)
            .map(|i| friends::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(account_id),
                name: Set(if i < FRIENDS.len() {
                    FRIENDS[i].to_owned()
                } else {
                    format!("{} {}", FRIENDS[i % FRIENDS.len()], i / FRIENDS.len() + 1)
                }),
                added_at: Set(ago(&mut rng, 1500)),
            })
            .collect();
        let first_friend = friend_rows.first().map(|f| *f.id.as_ref());
        insert_all(&txn, friend_rows).await?;
        privacy_settings::ActiveModel {
            account_id: Set(account_id),
            settings: Set(serde_json::to_string(&domain::data::PrivacySettings {
                posts_window: domain::data::PostsWindow::SixMonths,
                ..Default::default()
            })
            .map_err(anyhow::Error::from)?),
            updated_at: Set(now - Duration::days(30)),
        }
        .insert(&txn)
        .await?;
        if let Some(friend) = first_friend {
            settings_lists::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(account_id),
                list: Set("dont_share".to_owned()),
                friend_id: Set(friend),
            }
            .insert(&txn)
            .await?;
        }

        // Posts with photos' metadata, comments and likes.
        let (mut post_rows, mut photos, mut comments, mut likes) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for i in 0..volume.posts {
            let id = Uuid::new_v4();
            let at = ago(&mut rng, 730);
            post_rows.push(posts::ActiveModel {
                id: Set(id),
                account_id: Set(account_id),
                body: Set(POSTS[i % POSTS.len()].to_owned()),
                place: Set((i % 3 == 0).then(|| PLACES[i % PLACES.len()].to_owned())),
                created_at: Set(at),
            });
            for p in 0..rng.gen_range(0..3) {
                photos.push(post_photos::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    post_id: Set(id),
                    file_name: Set(format!("IMG_{:04}.jpg", 1000 + i * 3 + p)),
                    width: Set(4032),
                    height: Set(3024),
                    camera: Set(Some(CAMERAS[rng.gen_range(0..CAMERAS.len())].to_owned())),
                    taken_at: Set(Some(at - Duration::minutes(rng.gen_range(1..600)))),
                });
            }
            for _ in 0..rng.gen_range(0..4) {
                comments.push(post_comments::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    post_id: Set(id),
                    author_name: Set(FRIENDS[rng.gen_range(0..FRIENDS.len())].to_owned()),
                    body: Set(COMMENTS[rng.gen_range(0..COMMENTS.len())].to_owned()),
                    created_at: Set(at + Duration::minutes(rng.gen_range(1..3000))),
                });
            }
            let mut likers = FRIENDS.to_vec();
            likers.shuffle(&mut rng);
            for name in likers.into_iter().take(rng.gen_range(0..6)) {
                likes.push(post_likes::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    post_id: Set(id),
                    liker_name: Set(name.to_owned()),
                    created_at: Set(at + Duration::minutes(rng.gen_range(1..3000))),
                });
            }
        }
        insert_all(&txn, post_rows).await?;
        insert_all(&txn, photos).await?;
        insert_all(&txn, comments).await?;
        insert_all(&txn, likes).await?;

        // Conversations and their messages.
        let (mut convs, mut msgs) = (Vec::new(), Vec::new());
        for c in 0..volume.conversations {
            let id = Uuid::new_v4();
            let mut at = ago(&mut rng, 365);
            let start = at;
            for m in 0..volume.messages_per_conversation {
                at += Duration::minutes(rng.gen_range(1..600));
                msgs.push(messages::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    conversation_id: Set(id),
                    from_me: Set(m % 2 == 0),
                    body: Set(MESSAGES[rng.gen_range(0..MESSAGES.len())].to_owned()),
                    sent_at: Set(at.min(now)),
                });
            }
            convs.push(conversations::ActiveModel {
                id: Set(id),
                account_id: Set(account_id),
                peer_name: Set(FRIENDS[c % FRIENDS.len()].to_owned()),
                last_message_at: Set(at.min(now).max(start)),
            });
        }
        insert_all(&txn, convs).await?;
        insert_all(&txn, msgs).await?;

        insert_all(
            &txn,
            ["广告骚扰 Spam Bot", "Unknown Seller 未知卖家"]
                .into_iter()
                .map(|name| blocked::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    name: Set(name.to_owned()),
                    blocked_at: Set(ago(&mut rng, 400)),
                })
                .collect(),
        )
        .await?;

        // Location points around Shenzhen, steps for a year.
        let points = (0..volume.location_points)
            .map(|_| location_points::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(account_id),
                latitude: Set(22.54 + rng.gen_range(-0.08..0.08)),
                longitude: Set(114.05 + rng.gen_range(-0.15..0.15)),
                accuracy_m: Set(rng.gen_range(5..60)),
                recorded_at: Set(ago(&mut rng, 365)),
            })
            .collect();
        insert_all(&txn, points).await?;
        let today = now.to_offset(time::macros::offset!(+8)).date();
        let steps = (0..volume.step_days)
            .map(|d| step_counts::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(account_id),
                day: Set(today - Duration::days(i64::try_from(d).unwrap_or(0))),
                steps: Set(rng.gen_range(1_500..18_000)),
            })
            .collect();
        insert_all(&txn, steps).await?;

        // Contacts uploaded for friend recommendations: only hashes are kept.
        let contacts = (0..volume.contacts)
            .map(|_| {
                let number = format!("+86139{:08}", rng.gen_range(0..100_000_000));
                contact_hashes::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    hash: Set(crate::digest::sha256(&["contact", &number])),
                    uploaded_at: Set(now - Duration::days(90)),
                }
            })
            .collect();
        insert_all(&txn, contacts).await?;

        insert_all(
            &txn,
            [
                ("招商银行 China Merchants Bank", "debit", "4321"),
                ("中国银行 Bank of China", "credit", "8876"),
            ]
            .into_iter()
            .map(|(bank, kind, last4)| bank_cards::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(account_id),
                bank: Set(bank.to_owned()),
                card_type: Set(kind.to_owned()),
                last4: Set(last4.to_owned()),
                added_at: Set(ago(&mut rng, 900)),
            })
            .collect(),
        )
        .await?;

        // Devices and their sign-ins.
        let device_list = [
            ("iPhone 15", "iOS 18.1", "WeChat/8.0.53"),
            ("HUAWEI Mate 60", "HarmonyOS 4.2", "WeChat/8.0.52"),
        ];
        let mut device_rows = Vec::new();
        let mut sign_in_rows = Vec::new();
        for (n, (model, os, app)) in device_list.into_iter().enumerate() {
            let first = now - Duration::days(400 - 150 * i64::try_from(n).unwrap_or(0));
            let mut last = first;
            for _ in 0..volume.sign_ins / device_list.len() {
                let at = ago(&mut rng, 365).max(first);
                last = last.max(at);
                sign_in_rows.push(sign_ins::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    ip: Set(format!(
                        "113.{}.{}.{}",
                        rng.gen_range(64..127),
                        rng.gen_range(0..255),
                        rng.gen_range(1..254)
                    )),
                    model: Set(model.to_owned()),
                    os: Set(os.to_owned()),
                    app_version: Set(app.to_owned()),
                    at: Set(at),
                });
            }
            device_rows.push(devices::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(account_id),
                device_key: Set(crate::digest::sha256(&[model, os, app])),
                model: Set(model.to_owned()),
                os: Set(os.to_owned()),
                app_version: Set(app.to_owned()),
                first_seen_at: Set(first),
                last_seen_at: Set(last),
            });
        }
        insert_all(&txn, device_rows).await?;
        insert_all(&txn, sign_in_rows).await?;

        let choices: Vec<(&str, bool, OffsetDateTime)> = [
            ("location", true),
            ("contacts", true),
            ("steps", true),
            ("voiceprint", true),
            ("cards", true),
            ("marketing", false),
            ("ads", false),
        ]
        .into_iter()
        .map(|(feature, granted)| (feature, granted, ago(&mut rng, 500)))
        .collect();
        insert_all(
            &txn,
            choices
                .iter()
                .map(|&(feature, granted, at)| consents::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    feature: Set(feature.to_owned()),
                    granted: Set(granted),
                    changed_at: Set(at),
                })
                .collect(),
        )
        .await?;
        // Each choice has the receipt it would have had when made.
        insert_all(
            &txn,
            choices
                .iter()
                .map(|&(feature, granted, at)| consent_receipts::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    account_id: Set(account_id),
                    feature: Set(feature.to_owned()),
                    state: Set(if granted {
                        ConsentState::Granted
                    } else {
                        ConsentState::Withdrawn
                    }
                    .as_str()
                    .to_owned()),
                    policy_version: Set(domain::consent::FIRST_POLICY_VERSION.to_owned()),
                    channel: Set(ConsentChannel::Portal.as_str().to_owned()),
                    cleared: Set(false),
                    cleared_items: Set(0),
                    at: Set(at),
                })
                .collect(),
        )
        .await?;
        insert_all(
            &txn,
            [
                (
                    "welcome",
                    "欢迎 Welcome",
                    "Your privacy portal is ready. 您的隐私门户已就绪。",
                ),
                (
                    "security",
                    "New sign-in 新设备登录",
                    "A new device signed in: HUAWEI Mate 60.",
                ),
            ]
            .into_iter()
            .map(|(kind, subject, body)| notifications::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(Some(account_id)),
                request_id: Set(None),
                kind: Set(kind.to_owned()),
                subject: Set(subject.to_owned()),
                body: Set(body.to_owned()),
                created_at: Set(ago(&mut rng, 300)),
                read_at: Set(None),
                dedupe_key: Set(format!("seed:{kind}:{account_id}")),
            })
            .collect(),
        )
        .await?;
        super::record_activity(
            &txn,
            account_id,
            now - Duration::days(40),
            "corrected",
            "profile",
            1,
            Some("region"),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Creates `count` further holders (`holder-N@scale.example`, password
    /// `scale-password-1`) with [`Volume::REALISTIC`] data; answers the IDs.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn seed_scale(&self, count: usize, password_hash: &str) -> ServerResult<Vec<Uuid>> {
        let existing = accounts::Entity::find()
            .filter(accounts::Column::Email.like("holder-%@scale.example"))
            .count(&self.db)
            .await?;
        let now = self.clock.now();
        let mut ids = Vec::with_capacity(count);
        for i in 0..count {
            let n = existing + i as u64 + 1;
            let id = Uuid::new_v4();
            accounts::ActiveModel {
                id: Set(id),
                email: Set(format!("holder-{n}@scale.example")),
                password_hash: Set(password_hash.to_owned()),
                display_name: Set(format!("{} #{n}", FRIENDS[(n as usize) % FRIENDS.len()])),
                birth_date: Set(time::macros::date!(1992 - 03 - 14)),
                age_band: Set(accounts::AgeBand::Adult),
                role: Set(accounts::Role::Holder),
                locale: Set(if n.is_multiple_of(2) { "zh-CN" } else { "en" }.to_owned()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&self.db)
            .await?;
            self.seed_holder(id, Volume::REALISTIC, n).await?;
            ids.push(id);
            if (i + 1).is_multiple_of(50) {
                tracing::info!(done = i + 1, count, "scale holders seeded");
            }
        }
        Ok(ids)
    }
}
