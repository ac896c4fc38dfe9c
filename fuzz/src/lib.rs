//! What every fuzz target shares.

use std::sync::Once;

/// libFuzzer's panic hook aborts on every panic, even one that is caught. The loader reads
/// libyaml's events through libyaml-safer, which panics on a few inputs libyaml reads; the
/// loader catches those panics and refuses the document. Such a caught panic is not a crash
/// of ours, so this hook lets panics raised inside libyaml-safer unwind to the loader's
/// `catch_unwind` and hands every other panic to libFuzzer's hook.
pub fn tolerate_caught_dependency_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let libfuzzer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let inside = info
                .location()
                .is_some_and(|l| l.file().contains("libyaml-safer"));
            if !inside {
                libfuzzer(info);
            }
        }));
    });
}

/// The values of `key: value` (YAML) or `key = "value"` (TOML) settings named in `keys`
/// that look like secrets: eight or more characters of letters, digits, `-`, `_` and `.`
/// (shorter ones also occur by chance in the text a parser may quote).
pub fn secret_values<'a>(text: &'a str, keys: &[&str]) -> Vec<&'a str> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start().trim_start_matches("- ");
            let (key, value) = line.split_once(':').or_else(|| line.split_once('='))?;
            keys.contains(&key.trim()).then_some(value)
        })
        .map(|value| value.trim().trim_matches(|c| c == '"' || c == '\''))
        .filter(|value| looks_secret(value))
        .collect()
}

/// The passwords of URLs in `text` (`scheme://user:password@host`) that look like secrets.
pub fn url_passwords(text: &str) -> Vec<&str> {
    text.match_indices("://")
        .filter_map(|(at, _)| {
            let rest = &text[at + 3..];
            let userinfo = &rest[..rest.find('@')?];
            let (_, password) = userinfo.split_once(':')?;
            Some(password)
        })
        .filter(|password| looks_secret(password))
        .collect()
}

fn looks_secret(value: &str) -> bool {
    value.len() >= 8
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
