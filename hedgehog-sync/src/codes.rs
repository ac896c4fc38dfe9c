//! The stable codes of every error the engine, the daemon and the bindings report, each with
//! its meaning and whether retrying the same call can help.
//!
//! A code names a kind of failure, never an instance: `git.auth` whatever the remote. Codes
//! are stable across versions (new ones are added, none is reused for another meaning), so
//! scripts, the NetBox plugin and alerting rules may match on them. The daemon sends them in
//! `{"error": {"code", "message"}}`, the bindings set them as the exceptions' `code`, and the
//! command line prints them. Validation diagnostics have codes of their own
//! ([`hedgehog_model::codes`]); [`ALL`] lists these, and the bindings' `list_codes()` both.

use serde::Serialize;

/// One stable error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    /// The code (`git.auth`).
    pub code: &'static str,
    /// What happened and what to do, for an operator.
    pub meaning: &'static str,
    /// Whether the same call may succeed later without anyone changing anything (a timeout, a
    /// moved branch), as opposed to a problem that needs a person (a bad token, a refused
    /// plan). The daemon's scheduler backs off and retries the first kind, and waits for the
    /// next interval after the second.
    pub retry: bool,
}

impl ErrorCode {
    /// The registered code named `code`.
    pub fn lookup(code: &str) -> Option<&'static ErrorCode> {
        ALL.iter().find(|c| c.code == code)
    }
}

macro_rules! codes {
    ($($name:ident = $code:literal, retry: $retry:literal, $meaning:literal;)*) => {
        $(
            #[doc = $meaning]
            pub const $name: ErrorCode = ErrorCode { code: $code, meaning: $meaning, retry: $retry };
        )*
        /// Every error code, sorted.
        pub const ALL: &[ErrorCode] = &[$($name),*];
    };
}

codes! {
    API_INTERNAL = "api.internal", retry: true,
        "The daemon failed to answer the request (a bug); the log has the details.";
    AUTH_FORBIDDEN = "auth.forbidden", retry: false,
        "The bearer token is valid but its scope does not allow this request (writes need a write token).";
    AUTH_UNAUTHORIZED = "auth.unauthorized", retry: false,
        "No bearer token, or one the daemon does not know, was sent.";
    BODY_NOT_UTF8 = "body.not-utf8", retry: false,
        "The request body is not UTF-8 text.";
    BODY_TOO_LARGE = "body.too-large", retry: false,
        "The request body is larger than the daemon accepts.";
    BODY_UNREADABLE = "body.unreadable", retry: true,
        "The request body could not be read (the client went away or sent a broken stream).";
    CONFIG_ACCESS = "config.access", retry: false,
        "An access setting is not one of the accepted values.";
    CONFIG_CREDENTIALS = "config.credentials", retry: false,
        "The Git credentials are incomplete or contradictory (for example a token and an SSH key at once).";
    CONFIG_HYDRATE_MODE = "config.hydrate-mode", retry: false,
        "The hydration mode is not one of never, if-not-present and override.";
    CONFIG_INVALID = "config.invalid", retry: false,
        "The fabric configuration (upstream FabricConfig fields) is invalid.";
    CONFIG_KIND = "config.kind", retry: false,
        "The kind named is not one of the fabric's kinds.";
    CONFIG_LAYOUT = "config.layout", retry: false,
        "The GitOps base directory is not a relative path inside the repository.";
    CONFIG_POLICY = "config.policy", retry: false,
        "The sync policy is not one of detect, commit and apply.";
    CONFIG_PRESET = "config.preset", retry: false,
        "The sample preset is not one of those listed by the sample command.";
    CONFIG_TIMEOUT = "config.timeout", retry: false,
        "A timeout is zero, negative or longer than a day.";
    DAEMON_STARTING = "daemon.starting", retry: true,
        "The daemon is up but some fabric has not finished its first pass; /readyz answers 503 until it has.";
    FABRIC_FENCED = "fabric.fenced", retry: true,
        "This replica lost the fabric's lease (or could not renew it before its deadline), so the pass stopped before writing; the replica that holds the lease now runs the fabric.";
    FABRIC_FORWARD_FAILED = "fabric.forward-failed", retry: true,
        "The request was for a fabric another replica owns, and that replica could not be reached; retry, the fabric is taken over if it stays unreachable.";
    FABRIC_NOT_FOUND = "fabric.not-found", retry: false,
        "The daemon has no fabric of that name.";
    FABRIC_NOT_SYNCED = "fabric.not-synced", retry: true,
        "The fabric has not finished its first pass yet; ask again after it.";
    FABRIC_UNOWNED = "fabric.unowned", retry: true,
        "No replica holds the fabric's lease right now (a replica died or is starting); retry after the seconds its Retry-After header names.";
    GIT_AUTH = "git.auth", retry: false,
        "The Git remote refused the credentials or asked for some; check the token or SSH key and its access to the repository.";
    GIT_CONFLICT = "git.conflict", retry: true,
        "The branch moved while a commit was being made; the local commit is kept under refs/hedgehog/unpushed/ and the next pass plans again on the new tip.";
    GIT_ERROR = "git.error", retry: true,
        "Git failed for another reason (network, disk, a broken repository); the message says how.";
    GIT_INVALID_INPUT = "git.invalid-input", retry: false,
        "A branch name, URL or signature is not acceptable (a URL with a password in it is refused: use a token setting).";
    GIT_INVALID_PATH = "git.invalid-path", retry: false,
        "A path inside the repository is unsafe (absolute, with `..`) or names a file where a directory is expected.";
    GIT_NOT_FOUND = "git.not-found", retry: false,
        "The repository, branch or commit does not exist.";
    GIT_REJECTED = "git.rejected", retry: false,
        "The remote refused the push (branch protection or a hook); the local commit is kept under refs/hedgehog/unpushed/.";
    GIT_TIMEOUT = "git.timeout", retry: true,
        "A fetch or push did not finish in time and was stopped; a push may or may not have landed, the next fetch tells.";
    GIT_TOO_LARGE = "git.too-large", retry: false,
        "The branch holds more files or bytes below the base directory than one read may take.";
    HYDRATE_FAILED = "hydrate.failed", retry: false,
        "Hydration could not allocate addresses or ASNs (a pool is exhausted or the wiring is incomplete).";
    INPUT_INVALID = "input.invalid", retry: false,
        "The input is not YAML/JSON data of the expected shape.";
    INPUT_TOO_DEEP = "input.too-deep", retry: false,
        "The input is nested deeper than the loader's depth limit, or contains itself.";
    INTERNAL = "internal", retry: true,
        "A worker of the pass died (a bug); nothing was changed after it.";
    INTERNAL_CONVERT = "internal.convert", retry: false,
        "A result could not be converted to Python data (a bug).";
    INTERNAL_RUNTIME = "internal.runtime", retry: false,
        "The bindings' async runtime could not start.";
    INTERNAL_TASK = "internal.task", retry: true,
        "The task running the call ended without a result (a bug or a panic).";
    KUBE_CONFIG = "kube.config", retry: false,
        "The cluster settings are unusable (a bad URL, a CA given as a path, an exec plugin not allowed, an unknown kubeconfig context).";
    KUBE_CONNECT = "kube.connect", retry: true,
        "The API server could not be reached (connection refused or reset).";
    KUBE_DNS = "kube.dns", retry: true,
        "The API server's host name does not resolve.";
    KUBE_ERROR = "kube.error", retry: true,
        "The API server answered with an unexpected error (a 5xx, an unreadable answer).";
    KUBE_FORBIDDEN = "kube.forbidden", retry: false,
        "The account may not do this (RBAC); apply the manifests of rbac_manifests().";
    KUBE_OBJECT = "kube.object", retry: false,
        "An object is not one the cluster backend can send (no kind, name or namespace).";
    KUBE_TIMEOUT = "kube.timeout", retry: true,
        "The API server did not answer in time.";
    KUBE_TLS = "kube.tls", retry: false,
        "TLS failed: the server's certificate is not trusted by the configured CA, or its name does not match.";
    KUBE_UNAUTHORIZED = "kube.unauthorized", retry: false,
        "The API server refused the credentials (expired or wrong token, unknown client certificate).";
    KUBE_WRITES_DISABLED = "kube.writes-disabled", retry: false,
        "A write to the cluster was asked for but writes are off for this fabric (reading is the default).";
    METHOD_NOT_ALLOWED = "method.not-allowed", retry: false,
        "The endpoint exists but not with this HTTP method; the Allow header lists the methods it takes.";
    OPERATION_NOT_FOUND = "operation.not-found", retry: false,
        "The daemon has no operation of that id (operations are kept for a while after they end).";
    PATH_INVALID = "path.invalid", retry: false,
        "A path parameter (a fabric name, an operation id) is not valid UTF-8 or not of the expected form.";
    PLAN_BASE_MISSING = "plan.base-missing", retry: false,
        "The commit the desired state last agreed with cannot be read (history rewritten or the cache lost it), so other writers' edits since cannot be told apart; the pass is refused. Pass the desired state's base commit explicitly.";
    PLAN_CONFLICT = "plan.conflict", retry: false,
        "A field changed both in the desired state and in Git since the desired state's base; the plan is refused so neither edit is lost (its conflicts name them).";
    PLAN_EMPTY_DESIRED_STATE = "plan.empty-desired-state", retry: false,
        "The desired state holds no objects (a mis-mounted directory or a failed export); committing it would delete the whole fabric, so it is always refused.";
    PLAN_MASS_DELETION = "plan.mass-deletion", retry: false,
        "The plan deletes every object of a kind or more than the allowed share of the managed objects; allow deletions for that pass if it is meant.";
    PLAN_REFUSED = "plan.refused", retry: false,
        "The plan breaks change-safety rules or conflicts with what others committed; its diagnostics and conflicts say why.";
    QUERY_INVALID = "query.invalid", retry: false,
        "A query parameter has a value the endpoint does not accept.";
    RENDER_NOT_LOADED = "render.not-loaded", retry: false,
        "The render input does not load as objects; the answer carries the loader's diagnostics.";
    REQUEST_INVALID = "request.invalid", retry: false,
        "The request was refused before reaching its handler for a reason with no code of its own.";
    REQUEST_TIMEOUT = "request.timeout", retry: true,
        "The request took longer than request_timeout_secs and was stopped; its work was cancelled.";
    ROUTE_NOT_FOUND = "route.not-found", retry: false,
        "No endpoint has this path.";
    SAMPLE_FAILED = "sample.failed", retry: false,
        "The sample generator could not build the fabric asked for.";
    SERVER_BUSY = "server.busy", retry: true,
        "The daemon is at its limit of concurrent work; retry after the seconds its Retry-After header names.";
    SETTINGS_INVALID = "settings.invalid", retry: false,
        "The fabric's settings or desired state are unusable (an empty Git URL, a desired state that does not load).";
    SNAPSHOT_DUPLICATE = "snapshot.duplicate", retry: false,
        "A second file in Git holds an object already read; it is ignored (reported with the pass, never an error of it).";
    SNAPSHOT_MISPLACED = "snapshot.misplaced", retry: false,
        "A managed file holds an object that belongs in another file; it is read all the same, and adopting the layout moves it.";
    SNAPSHOT_UNREADABLE = "snapshot.unreadable", retry: false,
        "A managed file in Git is not exactly one object that loads, or is over the size limit; it is left out of the snapshot.";
    UNAVAILABLE = "unavailable", retry: true,
        "The daemon could not take the request now (a 503 from one of its layers); retry later.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_explained() {
        let names: Vec<&str> = ALL.iter().map(|c| c.code).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "ALL is sorted and has no duplicates");
        let part = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        for c in ALL {
            assert!(c.code.split('.').all(part), "{}", c.code);
            assert!(
                c.meaning.ends_with('.') && c.meaning.len() > 20,
                "{}",
                c.code
            );
        }
    }
}
