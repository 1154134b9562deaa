//! The files of an archive: each category as JSON (the API's items, field
//! for field), the tabular ones also as CSV, location also as GeoJSON, and
//! the readable `index.html` and `README.txt`.

use super::archive::{ManifestHead, Part, Piece};
use app::data::DataItem;
use domain::Locale;
use domain::data::Category;
use domain::export::{csv_columns, csv_line, entry_name};

/// Writes one category's files a page at a time.
pub(super) struct CategoryWriter {
    category: Category,
    columns: Option<&'static [&'static str]>,
    geojson: bool,
    items: u64,
}

/// A category as `index.html` lists it.
pub(super) struct Summary {
    pub category: Category,
    pub items: u64,
    pub files: Vec<String>,
}

impl CategoryWriter {
    pub(super) fn new(category: Category) -> Self {
        CategoryWriter {
            category,
            columns: csv_columns(category),
            geojson: category == Category::Location,
            items: 0,
        }
    }

    fn sides(&self) -> Vec<String> {
        let mut sides = Vec::new();
        if self.columns.is_some() {
            sides.push(entry_name(self.category, "csv"));
        }
        if self.geojson {
            sides.push(entry_name(self.category, "geojson"));
        }
        sides
    }

    fn geojson_part(&self) -> Part {
        Part::Side(usize::from(self.columns.is_some()))
    }

    /// Opens the category's entries.
    pub(super) fn group(&self) -> Piece {
        Piece::Group {
            json: entry_name(self.category, "json"),
            sides: self.sides(),
        }
    }

    /// The files' openings.
    pub(super) fn head(&self, time_zone: &str) -> Vec<Piece> {
        let mut pieces = vec![Piece::Bytes(
            Part::Json,
            format!(
                "{{\"category\":{},\"time_zone\":{},\"items\":[\n",
                serde_json::Value::from(self.category.as_str()),
                serde_json::Value::from(time_zone)
            )
            .into_bytes(),
        )];
        if let Some(columns) = self.columns {
            let header = ["id", "at", "day"].iter().chain(columns.iter()).copied();
            pieces.push(Piece::Bytes(Part::Side(0), csv_line(header).into_bytes()));
        }
        if self.geojson {
            pieces.push(Piece::Bytes(
                self.geojson_part(),
                b"{\"type\":\"FeatureCollection\",\"features\":[\n".to_vec(),
            ));
        }
        pieces
    }

    /// One page of items in every format.
    pub(super) fn items(&mut self, items: &[DataItem]) -> anyhow::Result<Vec<Piece>> {
        let mut json = Vec::with_capacity(items.len() * 160);
        let mut csv = Vec::new();
        let mut geo = Vec::new();
        for item in items {
            if self.items > 0 {
                json.extend_from_slice(b",\n");
            }
            serde_json::to_writer(&mut json, item)?;
            let value = |key: &str| {
                item.fields
                    .iter()
                    .find(|f| f.key == key)
                    .map_or("", |f| f.value.as_str())
            };
            if let Some(columns) = self.columns {
                let fields = [
                    item.id.as_str(),
                    item.at.as_deref().unwrap_or(""),
                    item.day.as_deref().unwrap_or(""),
                ]
                .into_iter()
                .chain(columns.iter().map(|c| value(c)));
                csv.extend_from_slice(csv_line(fields).as_bytes());
            }
            if self.geojson {
                let (Ok(lat), Ok(lon)) = (
                    value("latitude").parse::<f64>(),
                    value("longitude").parse::<f64>(),
                ) else {
                    anyhow::bail!("location item {} has no coordinates", item.id);
                };
                if self.items > 0 {
                    geo.extend_from_slice(b",\n");
                }
                serde_json::to_writer(
                    &mut geo,
                    &serde_json::json!({
                        "type": "Feature",
                        "id": item.id,
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {
                            "at": item.at,
                            "accuracy_m": value("accuracy_m").parse::<f64>().ok(),
                        },
                    }),
                )?;
            }
            self.items += 1;
        }
        let mut pieces = vec![Piece::Bytes(Part::Json, json)];
        if self.columns.is_some() {
            pieces.push(Piece::Bytes(Part::Side(0), csv));
        }
        if self.geojson {
            pieces.push(Piece::Bytes(self.geojson_part(), geo));
        }
        Ok(pieces)
    }

    /// The files' endings.
    pub(super) fn tail(&self) -> Vec<Piece> {
        let mut pieces = vec![Piece::Bytes(Part::Json, b"\n]}\n".to_vec())];
        if self.geojson {
            pieces.push(Piece::Bytes(self.geojson_part(), b"\n]}\n".to_vec()));
        }
        pieces
    }

    pub(super) fn summary(&self) -> Summary {
        let mut files = vec![entry_name(self.category, "json")];
        files.extend(self.sides());
        Summary {
            category: self.category,
            items: self.items,
            files,
        }
    }
}

/// Text safe inside HTML elements and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page a person opens first: the profile, what each part holds and
/// links to it, in the holder's language. Works offline: no script, no
/// fetch, styles inline in the page.
pub(super) fn index_html(
    locale: Locale,
    head: &ManifestHead,
    profile: Option<&DataItem>,
    summary: &[Summary],
) -> String {
    let texts = app::i18n::texts(locale);
    let t = |key: &str| escape(&texts.term(key));
    let mut html = String::with_capacity(8 * 1024);
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n\
         body{{font-family:system-ui,\"Noto Sans CJK SC\",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.5}}\n\
         table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}}\n\
         th{{background:#f3f5f7}}td.n{{text-align:right;font-variant-numeric:tabular-nums}}a{{color:#0b5cad}}\n\
         </style>\n</head>\n<body>\n<main>\n",
        locale.tag(),
        t("export_index_title"),
    ));
    html.push_str(&format!(
        "<h1>{0}</h1>\n<p>{1}</p>\n<p>{2}: <time datetime=\"{3}\">{3}</time></p>\n",
        t("export_index_title"),
        t("export_index_intro"),
        t("export_made_at"),
        escape(&head.created_at),
    ));
    if let Some(profile) = profile {
        html.push_str(&format!(
            "<h2>{}</h2>\n<table>\n<tbody>\n",
            escape(texts.category_name(Category::Profile))
        ));
        for field in &profile.fields {
            html.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                escape(&texts.term(&field.key)),
                escape(&field.value)
            ));
        }
        html.push_str("</tbody>\n</table>\n");
    }
    html.push_str(&format!(
        "<h2>{}</h2>\n<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        t("export_parts"),
        t("export_col_category"),
        t("export_col_items"),
        t("export_col_files"),
    ));
    for part in summary {
        let links = part
            .files
            .iter()
            .map(|f| format!("<a href=\"{0}\">{0}</a>", escape(f)))
            .collect::<Vec<_>>()
            .join(" · ");
        html.push_str(&format!(
            "<tr data-category=\"{}\"><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            part.category.as_str(),
            escape(texts.category_name(part.category)),
            part.items,
            links
        ));
    }
    html.push_str(&format!(
        "</tbody>\n</table>\n<p>{}</p>\n</main>\n</body>\n</html>\n",
        t("export_index_formats")
    ));
    html
}

/// What each format is, for people and programs (both languages: the
/// archive may be handed on).
pub(super) const README: &str = "\
Your personal data — an export of the Privacy Rights Portal
============================================================

index.html     Open it in any browser (no connection needed): your profile, every
               category with its number of items, and links to each file.
manifest.json  Every file of this archive with its size in bytes and its SHA-256,
               the instant of the export (RFC 3339), whether it is the whole
               account or chosen categories, and the format version.
<category>/<category>.json
               Every category, as the portal's API lists it:
               {\"category\", \"time_zone\", \"items\": [{\"id\", \"at\" (RFC 3339, UTC),
               \"day\" (YYYY-MM-DD, for daily figures), \"fields\": [{\"key\", \"value\"}],
               \"deletable\"}]}, newest first. The field keys are the API's
               (GET /api/v1/me/data/{category}).
<category>/<category>.csv
               The tabular categories (location, steps, sign_ins, messages,
               contacts) as CSV (RFC 4180, UTF-8, CRLF): columns id, at, day and
               the category's field keys. Text that a spreadsheet would take for a
               formula (starting with = + - @) begins with an apostrophe.
location/location.geojson
               Your location records as a GeoJSON FeatureCollection (RFC 7946):
               open it in any map tool.

Nothing in this archive is another person's profile: a conversation shows the
other person's name only, as the portal does. Contacts you uploaded are kept only
as keyed hashes of the numbers, never the numbers themselves. Passwords, sessions
and the portal's keys are never exported.

你的个人数据——隐私权利门户的导出文件

index.html     用任意浏览器打开（无需联网）：你的个人资料、每个类别的条目数及各文件的链接。
manifest.json  列出本压缩包中的每个文件及其字节数和 SHA-256、导出时间（RFC 3339）、
               导出范围（整个账号或所选类别）以及格式版本。
<类别>/<类别>.json   每个类别，字段与门户 API 相同，最新的在前；时间为 UTC 的 RFC 3339。
<类别>/<类别>.csv    表格类类别（位置、步数、登录记录、聊天消息、通讯录）的 CSV（UTF-8）。
location/location.geojson  位置记录的 GeoJSON，可用任意地图工具打开。

本文件不含他人的资料（会话只显示对方的名称），不含密码、会话或门户的密钥。
";
