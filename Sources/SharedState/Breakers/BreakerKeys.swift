/// The Redis keys of one shared breaker.
///
/// Every key carries the hash tag `{name}`, so that on Redis Cluster all keys of one breaker fall in one
/// slot and each script touches one slot only.
struct BreakerKeys: Sendable {
    /// Hash: `state`, `generation`, `opened_at`, `open_until`, `half_open_at`, `probe_successes`, `opens`,
    /// `updated_at` (ms, Redis time), `reason`, `config` (the configuration fingerprint), and `seeded` while
    /// the state is one re-seeded by a surviving instance after Redis lost it.
    let state: String
    /// Hash: the pooled window as a fixed ring (`e:<slot>` the slot's bucket, `s:<slot>`, `f:<slot>`) and the
    /// pooled `consecutive` failure count with `failed_at` (ms, Redis time), when its last failure was reported.
    let window: String
    /// Hash: instance id → its latest report, for the dashboard and `bulwark breaker show`.
    let instances: String
    /// Sorted set: instances whose own window saw the failure condition, scored by when (quorum scope).
    let sick: String
    /// String: half-open probe permits left, expiring with the half-open maximum wait.
    let probes: String
    /// Sorted set: instance id → when it last reported, to prune the instances hash by age.
    let reporters: String

    init(_ name: BreakerName, prefix: String = "bulwark") {
        let base = "\(prefix):{\(name.value)}"
        state = base + ":state"
        window = base + ":window"
        instances = base + ":instances"
        sick = base + ":sick"
        probes = base + ":probes"
        reporters = base + ":reporters"
    }

    /// All keys, in the order the scripts expect them as `KEYS`.
    var all: [String] { [state, window, instances, sick, probes, reporters] }
}
