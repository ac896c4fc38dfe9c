//! Kubeconfig text: reading never panics, and neither the settings' `Debug` nor an error
//! shows a bearer token or password of the text.
#![no_main]

use hedgehog_sync::kube::ClusterConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let shown = match ClusterConfig::from_kubeconfig(text, None) {
        Ok(config) => format!("{config:?}"),
        Err(e) => e.to_string(),
    };
    for secret in hedgehog_fuzz::secret_values(text, &["token", "password"]) {
        assert!(!shown.contains(secret), "`{secret}` shown: {shown}");
    }
});
