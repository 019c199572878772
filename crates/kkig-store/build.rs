//! Rebuild when a migration is added or changed: `sqlx::migrate!` embeds the files, and
//! without this cargo would not notice a new one (as `sqlx migrate build-script` sets up).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
