import Metrics

/// `bulwark_idempotency_outcomes_total{outcome}`: what claims found — `executed` (the key was free),
/// `conflict` (another caller holds it), `replayed` (the stored result was returned), `mismatch` (the key
/// belongs to another payload). Made once per store, so that a claim only increments.
struct IdempotencyOutcomeCounters: Sendable {
    static let label = "bulwark_idempotency_outcomes_total"

    let executed = Counter(label: label, dimensions: [("outcome", "executed")])
    let conflicts = Counter(label: label, dimensions: [("outcome", "conflict")])
    let replays = Counter(label: label, dimensions: [("outcome", "replayed")])
    let mismatches = Counter(label: label, dimensions: [("outcome", "mismatch")])
}
