//! Embeds the browser app in the `ardoise` binary, and names the commit it is built from.
//!
//! The app's files are those `scripts/build.sh` writes into `<site>/pkg` (each with its `.gz` and
//! `.br`), where `<site>` is `$ARDOISE_EMBED_SITE`, else `$CARGO_TARGET_DIR/site`, else the
//! workspace's `target/site`. Built before them (a first `cargo clippy`, say), the binary holds
//! no app and `ardoise serve` refuses to start without `--site-root`.

use std::{
    env,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

/// The files every page needs (one list, shared with `assets.rs`).
const FILES: [&str; 5] = include!("src/asset_files.in");

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let workspace = manifest.parent().expect("server/ is in the workspace");
    println!("cargo:rerun-if-env-changed=ARDOISE_EMBED_SITE");
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_DIR");
    let site = env::var_os("ARDOISE_EMBED_SITE")
        .map(PathBuf::from)
        .or_else(|| env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("site")))
        .unwrap_or_else(|| workspace.join("target/site"));
    let pkg = site.join("pkg");
    println!("cargo:rerun-if-changed={}", pkg.display());
    println!("cargo:rerun-if-changed=src/asset_files.in");

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    fs::write(out.join("embedded.rs"), embedded_table(&pkg)).expect("write embedded.rs");
    println!("cargo:rustc-env=ARDOISE_COMMIT={}", commit(workspace));
}

/// `pub static EMBEDDED: Option<&[EmbeddedFile]>`: `Some` when every file is there.
fn embedded_table(pkg: &Path) -> String {
    let complete = FILES.iter().all(|f| pkg.join(f).is_file());
    if !complete {
        println!(
            "cargo:warning=no browser app in {} (run scripts/build.sh): this ardoise needs --site-root",
            pkg.display()
        );
        return "pub static EMBEDDED: Option<&[EmbeddedFile]> = None;\n".into();
    }
    let bytes = |path: PathBuf| format!("include_bytes!({:?})", path.display().to_string());
    let variant = |file: &str, suffix: &str| {
        let path = pkg.join(format!("{file}.{suffix}"));
        if path.is_file() {
            format!("Some({})", bytes(path))
        } else {
            "None".into()
        }
    };
    let mut table = String::from("pub static EMBEDDED: Option<&[EmbeddedFile]> = Some(&[\n");
    for file in FILES {
        writeln!(
            table,
            "    EmbeddedFile {{ name: {file:?}, identity: {}, gzip: {}, brotli: {} }},",
            bytes(pkg.join(file)),
            variant(file, "gz"),
            variant(file, "br"),
        )
        .expect("write to a String");
    }
    table.push_str("]);\n");
    table
}

/// The commit's short hash, `unknown` outside a git clone. Rebuilt when `HEAD` moves.
fn commit(workspace: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(workspace)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_owned())
    };
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let dir = PathBuf::from(dir);
        let reference = git(&["symbolic-ref", "-q", "HEAD"]);
        // Only files that exist: a missing one would run this script on every build.
        [Some("HEAD"), reference.as_deref(), Some("packed-refs")]
            .into_iter()
            .flatten()
            .map(|name| dir.join(name))
            .filter(|path| path.is_file())
            .for_each(|path| println!("cargo:rerun-if-changed={}", path.display()));
    }
    git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into())
}
