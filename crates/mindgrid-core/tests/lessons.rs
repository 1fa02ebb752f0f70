//! Lessons: every shipped lesson loads and every claim it makes holds (what `mindgrid lesson
//! verify` checks in CI); malformed lessons get errors at `file:line:column` saying what was expected.

mod common;

use mindgrid_core::lesson::{self, is_lesson};

fn lessons_dir() -> std::path::PathBuf {
    common::scenes_dir().join("../lessons")
}

#[test]
fn every_shipped_lesson_loads_and_its_claims_hold() {
    let mut claims = 0;
    for entry in std::fs::read_dir(lessons_dir()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(is_lesson(&text), "{}", path.display());
        let loaded = lesson::load(&path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        for verdict in lesson::verify(&loaded, 2) {
            assert!(
                verdict.holds,
                "{}: slide {}: {} ({})",
                path.display(),
                verdict.slide,
                verdict.says,
                verdict.measured
            );
            claims += 1;
        }
    }
    assert!(
        claims >= 5,
        "the shipped lessons back their numbers with claims: {claims}"
    );
}

/// Writes `text` as a lesson beside the shipped ones' folder layout and returns its first error.
fn first_error(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("mindgrid-lessons-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let scenes = common::scenes_dir();
    std::fs::write(&path, text.replace("SCENES", scenes.to_str().unwrap())).unwrap();
    match lesson::load(&path) {
        Ok(_) => panic!("{name} should not load"),
        Err(errors) => errors[0].to_string(),
    }
}

#[test]
fn malformed_lessons_get_clear_errors() {
    let slide = |inner: &str| {
        format!(
            "Lesson(\n    title: \"t\",\n    slides: [\n        (\n            scene: \"SCENES/showcase.ron\",\n{inner}\n        ),\n    ],\n)\n"
        )
    };
    let unknown_step = first_error("step.ron", &slide("            steps: [Fly(3)],"));
    assert!(
        unknown_step.contains("step.ron:6:") && unknown_step.contains("Fly"),
        "{unknown_step}"
    );
    let missing = first_error(
        "missing.ron",
        "Lesson(\n    title: \"t\",\n    slides: [\n        (scene: \"nowhere.ron\"),\n    ],\n)\n",
    );
    assert!(
        missing.contains("missing.ron:4:") && missing.contains("nowhere.ron"),
        "{missing}"
    );
    let nobody = first_error(
        "nobody.ron",
        &slide(
            "            claims: [(says: \"x\", agent: \"Nobody\", measure: MeanSteps(first: 1, last: 2), bound: Below(1.0))],",
        ),
    );
    assert!(
        nobody.contains("Nobody") && nobody.contains("Q-learning"),
        "{nobody}"
    );
    let field = first_error(
        "field.ron",
        &slide("            steps: [Set(arena: 0, name: \"speed\", value: 1.0)],"),
    );
    assert!(
        field.contains("no hyperparameter \"speed\"") && field.contains("alpha"),
        "{field}"
    );
    let arena = first_error("arena.ron", &slide("            steps: [Select(9)],"));
    assert!(arena.contains("arena 9 does not exist"), "{arena}");
    let scheduled = first_error(
        "scheduled.ron",
        &slide("            steps: [At(step: 10, command: NextTask(9))],"),
    );
    assert!(scheduled.contains("names arena 9"), "{scheduled}");
    let outside = first_error(
        "outside.ron",
        &slide(
            "            steps: [At(step: 10, command: Paint(reach: All, stroke: 1, tile: Wall, cells: [(40, 1)]))],",
        ),
    );
    assert!(outside.contains("(40, 1) is outside"), "{outside}");
}

#[test]
fn a_false_claim_fails_verification() {
    let dir = std::env::temp_dir().join(format!("mindgrid-false-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("false.ron");
    let scene = common::scenes_dir().join("showcase.ron");
    std::fs::write(
        &path,
        format!("Lesson(title: \"t\", slides: [(scene: {:?}, claims: [(says: \"random beats learning\", agent: \"Random\", measure: MeanSteps(first: 21, last: 40), seeds: 3, bound: BelowAgent(\"Q-learning\"))])])", scene.to_str().unwrap()),
    )
    .unwrap();
    let loaded = lesson::load(&path).unwrap();
    let verdicts = lesson::verify(&loaded, 2);
    assert_eq!(verdicts.len(), 1);
    assert!(!verdicts[0].holds, "{:?}", verdicts[0]);
}
