//! The crate's module tree as the compiler builds it outside tests: from `src/lib.rs`, every
//! `mod` declaration followed, every item under `#[cfg(test)]` left out (a code that only a
//! unit test names is not one the crate emits).

use std::path::{Path, PathBuf};

/// One source file of the crate, parsed, its test-only items removed.
pub struct SourceFile {
    /// The path relative to the crate (`src/validate/vpc.rs`).
    pub path: String,
    /// The text, for quoting lines in failures.
    pub text: String,
    /// The syntax tree without `#[cfg(test)]` items.
    pub ast: syn::File,
}

/// The module tree: the files compiled into the library, and the files that only tests compile.
pub struct Tree {
    /// Files compiled into the library.
    pub files: Vec<SourceFile>,
    /// Files reached only through a `#[cfg(test)] mod` declaration.
    pub test_only: Vec<String>,
}

/// Loads the tree of the crate at `crate_dir`.
pub fn load(crate_dir: &Path) -> Tree {
    let mut tree = Tree {
        files: Vec::new(),
        test_only: Vec::new(),
    };
    load_file(
        crate_dir,
        Path::new("src/lib.rs"),
        Path::new("src"),
        &mut tree,
    );
    tree
}

/// Loads `file`, whose child modules live in `children`.
fn load_file(crate_dir: &Path, file: &Path, children: &Path, tree: &mut Tree) {
    let text = std::fs::read_to_string(crate_dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    strip_tests(&mut ast.items, crate_dir, children, tree);
    tree.files.push(SourceFile {
        path: file.to_string_lossy().into_owned(),
        text,
        ast,
    });
}

/// Removes test-only items from `items` (recursively) and loads the files of the other modules.
fn strip_tests(items: &mut Vec<syn::Item>, crate_dir: &Path, children: &Path, tree: &mut Tree) {
    for item in items.iter() {
        if let syn::Item::Mod(module) = item
            && module.content.is_none()
            && is_test_only(&module.attrs)
        {
            let file = module_file(crate_dir, children, &module.ident.to_string());
            tree.test_only.push(file.to_string_lossy().into_owned());
        }
    }
    items.retain(|item| !is_test_only(item_attrs(item)));
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(module) => {
                let dir = children.join(module.ident.to_string());
                match &mut module.content {
                    Some((_, inner)) => strip_tests(inner, crate_dir, &dir, tree),
                    None => {
                        let file = module_file(crate_dir, children, &module.ident.to_string());
                        load_file(crate_dir, &file, &dir, tree);
                    }
                }
            }
            syn::Item::Impl(block) => block
                .items
                .retain(|item| !matches!(item, syn::ImplItem::Fn(f) if is_test_only(&f.attrs))),
            _ => {}
        }
    }
}

/// `name.rs` or `name/mod.rs` beside the declaring file.
fn module_file(crate_dir: &Path, children: &Path, name: &str) -> PathBuf {
    let flat = children.join(format!("{name}.rs"));
    if crate_dir.join(&flat).exists() {
        flat
    } else {
        children.join(name).join("mod.rs")
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// `#[cfg(test)]` or `#[cfg(all(test, …))]`.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr.meta.require_list().is_ok_and(|list| {
                let tokens = list.tokens.to_string().replace(' ', "");
                tokens == "test" || tokens.starts_with("all(test,")
            })
    })
}
