//! `portal`: the privacy rights portal's one binary (DESIGN §10).

use anyhow::Context;
use clap::{Parser, Subcommand};
use domain::Role;
use server::{Application, config::Config};
use std::io::Read;

/// mimalloc rather than glibc's malloc: under load glibc's arenas
/// (`malloc_consolidate`, `_int_malloc`) took 15-20 % of a page's time
/// (docs/NOTES.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "portal", version, about = "Privacy rights self-service portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate if needed, then serve (the default).
    Serve,
    /// Run pending migrations and exit.
    Migrate,
    /// Create the demo accounts and fill every data category of the demo
    /// holder (idempotent).
    SeedDemo {
        /// Also create this many further holders with realistic volumes
        /// (hundreds of posts, thousands of messages, a year of steps and
        /// location points), for benchmarks.
        #[arg(long, default_value_t = 0)]
        scale: usize,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Create an account; the password is read from standard input.
    CreateUser {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// holder, officer or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The name others see (defaults to the e-mail's local part).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain; exit non-zero where it is broken.
    Verify,
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(raw).ok_or_else(|| format!("role must be holder, officer or admin, not {raw:?}"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::telemetry::init("info,sea_orm=warn,sqlx=warn");
    let cli = Cli::parse();
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => Application::build(config).await?.run_until_stopped().await,
        Command::Migrate => {
            let db = server::db::connect(&config.database_url).await?;
            server::db::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo { scale } => {
            let (_, state) = services(config).await?;
            let created = server::commands::seed_demo(&state).await?;
            tracing::info!(created, "demo accounts ready");
            if scale > 0 {
                let started = std::time::Instant::now();
                server::commands::seed_scale(&state.data, scale).await?;
                tracing::info!(
                    scale,
                    seconds = started.elapsed().as_secs(),
                    "scale holders ready"
                );
            }
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            use server::audit::Verdict;
            let (_, state) = services(config).await?;
            match state
                .audit
                .verify(&state.db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                Verdict::Intact { entries } => {
                    tracing::info!(entries, "audit chain intact up to its checkpoint");
                    Ok(())
                }
                Verdict::Broken(seq) => anyhow::bail!(
                    "the audit chain is broken at entry {seq}: it or an entry before it was altered"
                ),
                Verdict::Truncated { checkpoint } => anyhow::bail!(
                    "the audit log no longer holds checkpointed entry {checkpoint} as it was: newest entries were removed or rewritten"
                ),
                Verdict::CheckpointAltered => {
                    anyhow::bail!("the audit checkpoint file was altered (its HMAC does not match)")
                }
            }
        }
        Command::CreateUser { email, role, name } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let (accounts, _state) = services(config).await?;
            let id =
                server::commands::create_user(&accounts, &email, password, role, name.as_deref())
                    .await?;
            tracing::info!(account.id = %id, role = role.as_str(), "account created");
            Ok(())
        }
    }
}

/// The services without the HTTP server, for the commands.
async fn services(
    mut config: Config,
) -> anyhow::Result<(std::sync::Arc<server::accounts::Accounts>, server::AppState)> {
    // Bind nothing: port 0 on loopback is released when the command ends.
    config.site_addr = "127.0.0.1:0".parse()?;
    let app = Application::build(config).await?;
    Ok((app.state().accounts.clone(), app.state().clone()))
}
