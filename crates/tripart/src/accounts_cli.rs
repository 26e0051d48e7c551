//! `tripart user …` and `tripart token …`: accounts from the command line, for the
//! first administrator and for scripting. The command line acts as the operator,
//! and every change is audited as made through it.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use std::io::BufRead;
use tripart_domain::access::{Actor, Grant, Role};
use tripart_domain::MemberStateCode;
use tripart_storage::{accounts, Db};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input (one line).
    Create {
        #[arg(long)]
        email: String,
        /// The name shown in the audit trail and the pages (default: the e-mail).
        #[arg(long)]
        name: Option<String>,
        /// admin, body_secretariat, focal_point, validator or social_partner.
        #[arg(long)]
        role: String,
        /// The member state a focal point acts for (ISO alpha-3).
        #[arg(long)]
        member_state: Option<String>,
        /// The body a body secretariat or validator acts for.
        #[arg(long)]
        body: Option<String>,
        /// The organisation a social partner reports for (an employers', workers' or civil-society partner id).
        #[arg(long)]
        partner: Option<String>,
    },
    /// List users and their roles.
    List,
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it once (only its hash is kept).
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for, e.g. the client's name.
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

pub async fn user(db: &Db, command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Create { email, name, role, member_state, body, partner } => {
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let member_state = member_state
                .map(|m| MemberStateCode::parse(&m).map(|c| c.to_string()))
                .transpose()
                .map_err(|e| anyhow::anyhow!("--member-state: {e}"))?;
            let grant = Grant::scoped(role, body, member_state, partner).map_err(|e| anyhow::anyhow!("{e}"))?;
            let password = read_password()?;
            let name = name.unwrap_or_else(|| email.clone());
            let user = accounts::create_user(db, &Actor::Operator, &email, &name, &password, &[grant])
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created user {} ({})", user.email, user.id);
        }
        UserCommand::List => {
            for u in accounts::users(db, &Actor::Operator).await.map_err(|e| anyhow::anyhow!("{e}"))? {
                let grants: Vec<String> = u
                    .grants
                    .iter()
                    .map(|g| match (&g.body, &g.member_state, &g.partner) {
                        (Some(b), _, _) => format!("{} of {b}", g.role),
                        (_, Some(m), _) => format!("{} of {m}", g.role),
                        (_, _, Some(p)) => format!("{} of {p}", g.role),
                        _ => g.role.clone(),
                    })
                    .collect();
                println!("{}\t{}\t{}\t{}", u.email, u.display_name, u.status, grants.join(", "));
            }
        }
    }
    Ok(())
}

pub async fn token(db: &Db, command: TokenCommand) -> Result<()> {
    match command {
        TokenCommand::Create { email, name } => {
            let user = accounts::user_by_email(db, &email).await?.with_context(|| format!("no user {email}"))?;
            let token = accounts::create_token(db, &Actor::Operator, &user.id, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{token}");
            eprintln!("This token is shown once. Send it as `Authorization: Bearer <token>`.");
        }
    }
    Ok(())
}
