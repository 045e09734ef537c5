/// How much of its function an instance has lost, from its open breakers and the fallback.
///
/// The rule, first match wins ("open" counts breakers open or forced open; this instance's breakers):
/// - `CRITICAL`: the instance is unhealthy, or it has breakers and every one is open.
/// - `SEVERE`: more than half of the breakers are open, or Redis is unreachable and a breaker is open.
/// - `MODERATE`: at least a quarter of the breakers are open, or Redis is unreachable (local fallback).
/// - `MINOR`: a breaker is open or half-open, or memory is above its limit.
/// - `NORMAL`: none of these.
public enum DegradationLevel: String, Sendable, Codable, CaseIterable {
    /// Nothing lost.
    case normal = "NORMAL"
    /// A dependency is failing or probing.
    case minor = "MINOR"
    /// A quarter of the dependencies are cut off, or shared state is local only.
    case moderate = "MODERATE"
    /// Half of the dependencies are cut off, or a dependency is cut off while shared state is local only.
    case severe = "SEVERE"
    /// Everything is cut off, or the instance is unhealthy.
    case critical = "CRITICAL"

    /// The gauge value of `bulwark_degradation_level`: 0 for NORMAL to 4 for CRITICAL.
    public var gaugeValue: Int { Self.allCases.firstIndex(of: self)! }

    /// Applies the rule.
    /// - Parameters:
    ///   - breakers: How many breakers the instance has (disabled ones excluded).
    ///   - open: How many of them are open or forced open.
    ///   - halfOpen: How many are half-open.
    ///   - redisReachable: Whether shared state lives in Redis.
    ///   - memoryHigh: Whether resident memory is above its limit.
    ///   - unhealthy: Whether the overall status is unhealthy.
    public static func of(breakers: Int, open: Int, halfOpen: Int, redisReachable: Bool, memoryHigh: Bool, unhealthy: Bool) -> DegradationLevel {
        if unhealthy || (breakers > 0 && open == breakers) { return .critical }
        if open * 2 > breakers || (!redisReachable && open > 0) { return .severe }
        if (breakers > 0 && open * 4 >= breakers && open > 0) || !redisReachable { return .moderate }
        if open > 0 || halfOpen > 0 || memoryHigh { return .minor }
        return .normal
    }
}
