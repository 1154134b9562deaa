//! The ZIP writer: a blocking thread that owns the file and is fed pieces
//! through a bounded channel, so the database is read page by page on the
//! async side while compression runs beside it, and memory holds only the
//! pages in flight. Each entry's size and SHA-256 are counted as it is
//! written; `manifest.json` lists them last.
//!
//! A category's JSON is written straight into the archive; its CSV and
//! GeoJSON are spooled to temporary files beside it during the same pass and
//! copied in when the category ends (ZIP entries are written one after the
//! other), so each row is read from the database once.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Pages in flight between the reader and the writer.
const IN_FLIGHT: usize = 8;
/// Deflate level: 1 is within a few percent of 6 on this text at a third of
/// the time (measured by `make bench`, see the README).
const LEVEL: i64 = 1;

/// Which file of a category a piece belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// `<category>/<category>.json`, written directly.
    Json,
    /// A spooled side file (CSV, GeoJSON), copied in at [`Piece::EndGroup`].
    Side(usize),
}

/// What the reader sends the writer.
pub(crate) enum Piece {
    /// Opens a category: its JSON entry and its side entries' names.
    Group { json: String, sides: Vec<String> },
    /// Bytes of one of the open group's files.
    Bytes(Part, Vec<u8>),
    /// Closes the group: the side files are copied in.
    EndGroup,
    /// A whole small file (the index, the README).
    File(String, Vec<u8>),
    /// The last piece: what the manifest says besides the files. An archive
    /// whose channel closes without it is abandoned.
    Finish(ManifestHead),
}

/// One file of the archive as the manifest lists it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ManifestEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// What `manifest.json` says besides the files.
#[derive(Clone, Debug, Serialize)]
pub struct ManifestHead {
    pub format_version: u32,
    pub export_id: String,
    pub created_at: String,
    pub whole_account: bool,
    pub categories: Vec<&'static str>,
    pub locale: &'static str,
}

#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(flatten)]
    head: &'a ManifestHead,
    files: &'a [ManifestEntry],
}

/// The finished archive.
#[derive(Debug)]
pub struct Written {
    pub size: u64,
    pub sha256: String,
    pub files: Vec<ManifestEntry>,
}

/// The reader's end: sends pieces; dropping it without [`Feed::finish`]
/// abandons the archive.
pub(crate) struct Feed {
    tx: mpsc::Sender<Piece>,
    done: tokio::task::JoinHandle<anyhow::Result<Written>>,
}

impl Feed {
    /// Starts a writer of `path` (created or truncated).
    pub(crate) fn start(path: PathBuf) -> Feed {
        let (tx, rx) = mpsc::channel(IN_FLIGHT);
        let done = tokio::task::spawn_blocking(move || write(&path, rx));
        Feed { tx, done }
    }

    /// Sends a piece; fails when the writer has stopped (its error is
    /// reported by [`Feed::finish`]).
    pub(crate) async fn send(&self, piece: Piece) -> anyhow::Result<()> {
        self.tx
            .send(piece)
            .await
            .map_err(|_| anyhow::anyhow!("the archive writer stopped"))
    }

    /// Writes the manifest, closes the archive and answers what was written.
    pub(crate) async fn finish(self, head: ManifestHead) -> anyhow::Result<Written> {
        // A failed send means the writer stopped: its own error says why.
        let _ = self.tx.send(Piece::Finish(head)).await;
        drop(self.tx);
        self.done.await?
    }
}

/// The hashing writer of one entry.
struct Counted {
    path: String,
    size: u64,
    hash: Sha256,
}

impl Counted {
    fn new(path: String) -> Counted {
        Counted {
            path,
            size: 0,
            hash: Sha256::new(),
        }
    }

    fn add(&mut self, bytes: &[u8]) {
        self.size += bytes.len() as u64;
        self.hash.update(bytes);
    }

    fn done(self) -> ManifestEntry {
        ManifestEntry {
            path: self.path,
            size: self.size,
            sha256: hex::encode(self.hash.finalize()),
        }
    }
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL))
        .large_file(true)
}

/// Copies `from` into `to` a buffer at a time, hashing what passes; answers
/// the number of bytes.
fn copy_hashing(
    from: &mut impl Read,
    to: &mut impl Write,
    hash: &mut Sha256,
) -> std::io::Result<u64> {
    let mut buffer = vec![0; 256 * 1024];
    let mut size = 0;
    loop {
        let n = from.read(&mut buffer)?;
        if n == 0 {
            return Ok(size);
        }
        hash.update(&buffer[..n]);
        to.write_all(&buffer[..n])?;
        size += n as u64;
    }
}

fn write(path: &Path, mut rx: mpsc::Receiver<Piece>) -> anyhow::Result<Written> {
    let file = File::create(path)?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(256 * 1024, file));
    let mut files = Vec::new();
    let mut open: Option<Counted> = None;
    let mut sides: Vec<(Counted, PathBuf, BufWriter<File>)> = Vec::new();
    let mut head = None;
    let spool = |n: usize| path.with_extension(format!("side{n}"));
    while let Some(piece) = rx.blocking_recv() {
        match piece {
            Piece::Group { json, sides: names } => {
                zip.start_file(json.as_str(), options())?;
                open = Some(Counted::new(json));
                sides = names
                    .into_iter()
                    .enumerate()
                    .map(|(n, name)| {
                        let at = spool(n);
                        File::create(&at).map(|f| {
                            (
                                Counted::new(name),
                                at,
                                BufWriter::with_capacity(64 * 1024, f),
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            Piece::Bytes(Part::Json, bytes) => {
                let entry = open
                    .as_mut()
                    .ok_or_else(|| anyhow::anyhow!("bytes outside a group"))?;
                entry.add(&bytes);
                zip.write_all(&bytes)?;
            }
            Piece::Bytes(Part::Side(n), bytes) => {
                let (entry, _, out) = sides
                    .get_mut(n)
                    .ok_or_else(|| anyhow::anyhow!("no side file {n}"))?;
                entry.add(&bytes);
                out.write_all(&bytes)?;
            }
            Piece::EndGroup => {
                if let Some(entry) = open.take() {
                    files.push(entry.done());
                }
                for (entry, at, out) in sides.drain(..) {
                    drop(
                        out.into_inner()
                            .map_err(std::io::IntoInnerError::into_error)?,
                    );
                    zip.start_file(entry.path.as_str(), options())?;
                    // Counted as it was spooled; this hash is not needed.
                    copy_hashing(&mut File::open(&at)?, &mut zip, &mut Sha256::new())?;
                    std::fs::remove_file(&at)?;
                    files.push(entry.done());
                }
            }
            Piece::File(name, bytes) => {
                zip.start_file(name.as_str(), options())?;
                zip.write_all(&bytes)?;
                let mut entry = Counted::new(name);
                entry.add(&bytes);
                files.push(entry.done());
            }
            Piece::Finish(last) => {
                head = Some(last);
                break;
            }
        }
    }
    for (_, at, out) in sides.drain(..) {
        drop(out);
        let _ = std::fs::remove_file(at);
    }
    let head = head.ok_or_else(|| anyhow::anyhow!("the archive was abandoned"))?;
    let manifest = serde_json::to_vec_pretty(&Manifest {
        head: &head,
        files: &files,
    })?;
    zip.start_file("manifest.json", options())?;
    zip.write_all(&manifest)?;
    let out = zip.finish()?;
    let file = out
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    file.sync_all()?;
    drop(file);
    // The archive's own checksum, read back from the disk it was synced to.
    let mut hash = Sha256::new();
    let size = copy_hashing(&mut File::open(path)?, &mut std::io::sink(), &mut hash)?;
    Ok(Written {
        size,
        sha256: hex::encode(hash.finalize()),
        files,
    })
}
