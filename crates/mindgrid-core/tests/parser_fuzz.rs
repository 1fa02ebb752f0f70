//! The parser never panics: arbitrary bytes and randomly mutated shipped scenes only ever yield diagnostics.

mod common;

use mindgrid_core::scene::{SourceMap, parse_bytes};
use proptest::prelude::*;

fn shipped_texts() -> Vec<Vec<u8>> {
    let mut texts: Vec<Vec<u8>> = std::fs::read_dir(common::scenes_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    texts.sort();
    texts
}

/// One edit of a scene's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Replace(usize, u8),
    Duplicate(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop_oneof![
        Just(b"(".to_vec()),
        Just(b")".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b",".to_vec()),
        Just(b":".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"/*".to_vec()),
        Just(b"NaN".to_vec()),
        Just(b"-1e40".to_vec()),
        Just(b"Some(".to_vec()),
        Just(b"r#\"".to_vec()),
        Just(b"99999999999999999999".to_vec()),
        prop::collection::vec(any::<u8>(), 1..6),
    ];
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), token).prop_map(|(at, t)| Edit::Insert(at, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<usize>(), 1..200usize).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ]
}

fn apply(mut text: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = text.len().max(1);
        match e {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(text.len());
                text.drain(at.min(end)..end);
            }
            Edit::Insert(at, bytes) => {
                let at = at % (text.len() + 1);
                text.splice(at..at, bytes.iter().copied());
            }
            Edit::Replace(at, b) => {
                if !text.is_empty() {
                    let at = at % text.len();
                    text[at] = *b;
                }
            }
            Edit::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(text.len());
                let piece = text[at.min(end)..end].to_vec();
                text.splice(at..at, piece);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_bytes(&bytes, "fuzz.ron");
        let _ = SourceMap::scan(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_scenes_never_panic(which in 0..6usize, edits in prop::collection::vec(edit(), 1..6)) {
        let texts = shipped_texts();
        let text = apply(texts[which % texts.len()].clone(), &edits);
        if let Err(errors) = parse_bytes(&text, "fuzz.ron") {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.position.line >= 1 && e.position.column >= 1);
            }
        }
    }
}
