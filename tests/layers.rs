//! The app's modules stand in layers: no module imports one that imports it back, directly or
//! through others. Read from the source, so a new import that closes a circle fails here, naming
//! the circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name -> the app modules its code (tests aside) names.
type Imports = BTreeMap<String, BTreeSet<String>>;

/// The code of a file without its tests and comments: a test module at the end
/// (`#[cfg(test)] mod tests {`) and test-only module declarations (`#[cfg(test)] mod x;`) are left
/// out, the rest is read.
fn code(text: &str) -> String {
    let mut kept = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            match lines.next() {
                Some(next) if next.trim_end().ends_with('{') => break, // the tests, to the end
                _ => continue,                                         // `mod x;`: skipped
            }
        }
        if !line.trim_start().starts_with("//") {
            kept.push(line);
        }
    }
    kept.join("\n")
}

/// The identifiers a path opening `prefix` names next: `prefix x::` gives x, `prefix {x, y::z}`
/// gives x and y.
fn named_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').filter_map(|item| first_word(item.trim())));
        } else {
            names.extend(first_word(rest));
        }
    }
    names
}

fn first_word(text: &str) -> Option<String> {
    let word: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// Every module of `src/app` (`ui::x` for the panels) and the modules it names.
fn imports() -> Imports {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let modules_in = |dir: &Path| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_owned))
            .filter(|name| name != "mod")
            .collect()
    };
    let top = modules_in(&app);
    let panels = modules_in(&app.join("ui"));
    let mut imports = Imports::new();
    // (module, file, its siblings' prefix, the parent's name)
    let mut files = vec![("app".to_owned(), app.join("mod.rs"))];
    files.extend(
        top.iter()
            .filter(|m| *m != "ui")
            .map(|m| (m.clone(), app.join(format!("{m}.rs")))),
    );
    files.push(("ui".to_owned(), app.join("ui/mod.rs")));
    files.extend(
        panels
            .iter()
            .map(|m| (format!("ui::{m}"), app.join(format!("ui/{m}.rs")))),
    );
    let resolve_top = |name: &str| top.contains(name).then(|| name.to_owned());
    let resolve_panel = |name: &str| {
        if panels.contains(name) {
            format!("ui::{name}")
        } else {
            "ui".to_owned()
        }
    };
    for (module, file) in files {
        let code = code(&std::fs::read_to_string(&file).unwrap());
        let mut named = BTreeSet::new();
        for name in named_after(&code, "crate::app::") {
            named.extend(resolve_top(&name));
        }
        for path in named_after(&code, "crate::app::ui::") {
            named.insert(resolve_panel(&path));
        }
        let in_ui = module.starts_with("ui");
        for name in named_after(&code, "super::") {
            named.insert(match (in_ui, module.as_str()) {
                (true, "ui") => resolve_top(&name).unwrap_or_else(|| "app".to_owned()),
                (true, _) => resolve_panel(&name),
                (false, _) => resolve_top(&name).unwrap_or_else(|| "app".to_owned()),
            });
        }
        // A parent names its children by their bare names.
        let children = match module.as_str() {
            "app" => top.iter().cloned().collect::<Vec<_>>(),
            "ui" => panels.iter().map(|p| format!("ui::{p}")).collect(),
            _ => Vec::new(),
        };
        for child in children {
            let bare = child.rsplit("::").next().unwrap().to_owned();
            if code.contains(&format!("{bare}::")) {
                named.insert(child);
            }
        }
        if module == "ui" {
            // Its own children, named above, are not an import of itself.
            named.remove("ui");
        }
        named.remove(&module);
        imports.insert(module, named);
    }
    imports
}

/// A circle of imports, if there is one.
fn circle(imports: &Imports) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        imports: &Imports,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_owned());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in imports.get(module).into_iter().flatten() {
            if let Some(circle) = visit(next, imports, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    imports
        .keys()
        .find_map(|m| visit(m, imports, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_of_the_app_imports_one_that_imports_it_back() {
    let imports = imports();
    assert!(imports.len() > 30, "read {} modules", imports.len());
    // The reading sees real imports: the executor sits above the simulation it drives.
    assert!(
        imports["execute"].contains("sim"),
        "{:?}",
        imports["execute"]
    );
    assert!(imports["ui::arenas"].contains("ui::charts"));
    assert!(imports["ui"].contains("sim"), "{:?}", imports["ui"]);
    if let Some(circle) = circle(&imports) {
        panic!("a circle of imports: {}", circle.join(" -> "));
    }
}

#[test]
fn a_circle_is_found_and_named() {
    let mut imports = Imports::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")] {
        imports.entry(from.into()).or_default().insert(to.into());
    }
    let found = circle(&imports).expect("a circle");
    assert_eq!(found.first(), found.last());
    assert_eq!(found.len(), 4, "{found:?}");
}
