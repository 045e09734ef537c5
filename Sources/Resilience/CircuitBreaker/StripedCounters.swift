import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-thread-striped outcome counters, so that many callers on few cores never share a written cache line.
///
/// Each stripe is a 128-byte aligned block of atomics: the monotonic totals (successes, failures,
/// slow calls, rejections, slow successes) and the time-window success slots. A slot packs the low 32 bits of its
/// bucket epoch with a 32-bit count, so a success in a new bucket resets the slot with one
/// compare-and-swap. Callers pick their stripe by a hash of their thread's identity.
///
/// `@unchecked Sendable`: the memory is allocated once in `init`, freed in `deinit`, and every word
/// in it is only ever touched through `Atomic` operations.
final class StripedCounters: @unchecked Sendable {
    enum Total: Int {
        /// Successes recorded without the lock: all but the slow ones. Count windows fold these.
        case successes = 0
        case failures = 1
        case slowCalls = 2
        case rejections = 3
        /// Slow successes, recorded under the lock straight into the window.
        case slowSuccesses = 4
    }

    static let stripeCount = 16
    private static let stripeShift = UInt64(64 - 4)
    private static let totalsCount = 5

    let slotCount: Int
    private let stride: Int
    private let words: UnsafeMutablePointer<Atomic<UInt64>>

    init(slots: Int) {
        slotCount = slots
        stride = (Self.totalsCount + slots + 15) / 16 * 16
        let count = stride * Self.stripeCount
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<UInt64>.stride, alignment: 128)
        words = raw.bindMemory(to: Atomic<UInt64>.self, capacity: count)
        for index in 0..<count { (words + index).initialize(to: Atomic(0)) }
    }

    deinit {
        words.deinitialize(count: stride * Self.stripeCount)
        UnsafeMutableRawPointer(words).deallocate()
    }

    /// The stripe of the calling thread.
    @inline(__always)
    var currentStripe: Int {
        let identity = UInt64(Self.threadIdentity())
        return Int(truncatingIfNeeded: (identity &* 0x9E37_79B9_7F4A_7C15) >> Self.stripeShift)
    }

    @inline(__always)
    private static func threadIdentity() -> UInt {
        #if canImport(Darwin)
            UInt(bitPattern: pthread_self())
        #else
            UInt(pthread_self())
        #endif
    }

    @inline(__always)
    func increment(_ total: Total) {
        words[currentStripe * stride + total.rawValue].wrappingAdd(1, ordering: .relaxed)
    }

    func sum(_ total: Total) -> UInt64 {
        var sum: UInt64 = 0
        for stripe in 0..<Self.stripeCount { sum &+= words[stripe * stride + total.rawValue].load(ordering: .relaxed) }
        return sum
    }

    var totals: CircuitBreakerOutcomeCounts {
        CircuitBreakerOutcomeCounts(
            successes: sum(.successes) &+ sum(.slowSuccesses),
            failures: sum(.failures),
            slowCalls: sum(.slowCalls),
            rejections: sum(.rejections)
        )
    }

    /// Counts one success in the bucket `epoch` (only its low 32 bits are kept).
    @inline(__always)
    func incrementSlot(epoch: UInt64) {
        let tag = epoch & 0xFFFF_FFFF
        let slot = words + (currentStripe * stride + Self.totalsCount + Int(tag % UInt64(slotCount)))
        var current = slot.pointee.load(ordering: .relaxed)
        while true {
            let next = current >> 32 == tag ? current &+ 1 : (tag << 32) | 1
            let (exchanged, original) = slot.pointee.weakCompareExchange(
                expected: current,
                desired: next,
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }

    /// The successes counted in buckets `from...to` (epochs, low 32 bits compared with wrap-around).
    func slotSum(fromEpoch first: UInt64, toEpoch last: UInt64) -> UInt64 {
        let span = (last &- first) & 0xFFFF_FFFF
        var sum: UInt64 = 0
        for stripe in 0..<Self.stripeCount {
            for slot in 0..<slotCount {
                let value = words[stripe * stride + Self.totalsCount + slot].load(ordering: .relaxed)
                let age = ((last & 0xFFFF_FFFF) &- (value >> 32)) & 0xFFFF_FFFF
                if age <= span { sum &+= value & 0xFFFF_FFFF }
            }
        }
        return sum
    }
}
