import Foundation

/// A small seeded generator (SplitMix64), so that a fault schedule is the same for the same seed everywhere.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One call an instance admitted, as `bulwark-instance`'s `admitted` reports it.
struct AdmittedCall: Hashable {
    let generation: UInt64
    let probe: Bool
    let succeeded: Bool
    let wallNanoseconds: Int64

    /// Parses `generation:p|n:ok|failed:wall_ns` words.
    static func parse(_ text: String) -> [AdmittedCall] {
        text.split(separator: " ").compactMap { word in
            let parts = word.split(separator: ":")
            guard parts.count == 4, let generation = UInt64(parts[0]), let wall = Int64(parts[3]) else { return nil }
            return AdmittedCall(generation: generation, probe: parts[1] == "p", succeeded: parts[2] == "ok", wallNanoseconds: wall)
        }
    }
}

/// A transition as published on the events channel: `name generation state remaining_ms reason`.
struct PublishedTransition: Hashable {
    let generation: UInt64
    let state: String
    let reason: String

    init?(_ payload: [UInt8]) {
        let parts = String(decoding: payload, as: UTF8.self).split(separator: " ")
        guard parts.count == 5, let generation = UInt64(parts[1]) else { return nil }
        self.generation = generation
        state = String(parts[2])
        reason = String(parts[4])
    }
}

/// The wall clock in nanoseconds, comparable with the instances' `admitted` times.
func wallClockNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
