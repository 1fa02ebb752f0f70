//! Embeds every shipped scene and lesson (`scenes/*.ron`, `lessons/*.ron`) as `SHIPPED`, for the
//! web build, which has no disk to read them from.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut list = String::from(
        "/// Every shipped scene and lesson: its path from the project's root, and its text.\n\
         pub const SHIPPED: &[(&str, &str)] = &[\n",
    );
    for folder in ["scenes", "lessons"] {
        println!("cargo:rerun-if-changed={folder}");
        let mut names: Vec<String> = std::fs::read_dir(Path::new(&root).join(folder))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|name| name.ends_with(".ron"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        for name in names {
            let _ = writeln!(
                list,
                "    ({:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
                format!("{folder}/{name}"),
                format!("/{folder}/{name}")
            );
        }
    }
    list.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("shipped.rs"), list).expect("OUT_DIR is writable");
}
