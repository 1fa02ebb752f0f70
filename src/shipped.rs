//! Every shipped scene and lesson, embedded when the app is built (`build.rs`): the web build's
//! files, since a browser has no disk to read them from.

include!(concat!(env!("OUT_DIR"), "/shipped.rs"));

#[cfg(test)]
mod tests {
    use super::SHIPPED;

    #[test]
    fn every_scene_and_lesson_on_disk_is_shipped_with_its_text() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        for folder in ["scenes", "lessons"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                if name.ends_with(".ron") {
                    on_disk.push(format!("{folder}/{name}"));
                }
            }
        }
        on_disk.sort();
        let mut shipped: Vec<String> = SHIPPED.iter().map(|(p, _)| (*p).to_owned()).collect();
        shipped.sort();
        assert_eq!(shipped, on_disk);
        for (path, text) in SHIPPED {
            assert_eq!(
                std::fs::read_to_string(root.join(path)).unwrap(),
                *text,
                "{path}"
            );
        }
        assert!(shipped.len() >= 30, "{} shipped files", shipped.len());
    }
}
