//! Helpers shared by the integration tests of both crates: scene text builders and the shipped scenes.
#![allow(dead_code)]

use std::path::PathBuf;

use mindgrid_core::scene::{self, Diagnostic, LoadedScene, Scene};

/// The project's `scenes/` folder, at the workspace's top (these helpers serve both crates).
pub fn scenes_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("scenes"))
        .find(|dir| dir.is_dir())
        .expect("a scenes/ folder above the crate")
}

/// A shipped scene, parsed.
pub fn shipped(name: &str) -> Scene {
    let path = scenes_dir().join(name);
    match scene::load(&path) {
        Ok(loaded) => loaded.scene,
        Err(errors) => panic!("{name} should load: {errors:?}"),
    }
}

/// Parses scene text named `test.ron`.
pub fn parse(text: &str) -> Result<LoadedScene, Vec<Diagnostic>> {
    scene::parse(text, "test.ron")
}

/// Parses scene text that must fail, returning its first error.
pub fn first_error(text: &str) -> Diagnostic {
    match parse(text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(errors) => errors.into_iter().next().expect("at least one error"),
    }
}

/// A small valid scene with `agents` spliced in and `world_extra` added to the grid.
pub fn scene_text(rows: &[&str], world_extra: &str, agents: &str) -> String {
    let rows: Vec<String> = rows
        .iter()
        .map(|r| format!("            \"{r}\","))
        .collect();
    format!(
        "Scene(\n    title: \"t\",\n    world: Grid(\n        rows: [\n{}\n        ],\n{world_extra}    ),\n    agents: [\n{agents}\n    ],\n)\n",
        rows.join("\n")
    )
}

/// One Q-learning agent line.
pub const ONE_AGENT: &str = "        (name: \"q\", brain: QLearning(alpha: 0.1)),";
