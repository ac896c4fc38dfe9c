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
