import Foundation

/// The checks every request target goes through before the gateway routes it: hostile paths are refused, never
/// normalised into something the route did not mean.
enum GatewayRequestPath {
    /// The longest request target (path and query) the gateway forwards.
    static let maxLength = 8_192

    /// Splits an origin-form target (`/path?query`) into its path and query, or says why it is refused.
    static func split(_ target: String) -> Result<(path: String, query: Substring?), GatewayConfigurationProblem> {
        guard target.utf8.count <= maxLength else { return .failure(.init("the request target is longer than \(maxLength) bytes")) }
        guard target.hasPrefix("/") else { return .failure(.init("the request target must be a path starting with '/'")) }
        let question = target.firstIndex(of: "?")
        let path = String(question.map { target[..<$0] } ?? target[...])
        let query = question.map { target[target.index(after: $0)...] }
        guard path.utf8.allSatisfy(isPathByte) else { return .failure(.init("the path has characters that are not allowed")) }
        guard query?.utf8.allSatisfy(isQueryByte) ?? true else { return .failure(.init("the query has characters that are not allowed")) }
        guard hasNoDotSegments(path) else { return .failure(.init("the path must not have '.' or '..' segments, plain or encoded")) }
        let lowered = path.lowercased()
        guard !lowered.contains("%2f"), !lowered.contains("%5c"), !lowered.contains("%00"), !path.contains("//") else {
            return .failure(.init("the path must not have encoded slashes, NUL bytes or empty segments"))
        }
        return .success((path, query))
    }

    /// Whether no segment of `path` is `.` or `..`, written plainly or percent-encoded, also with path parameters
    /// after a `;` (`..;/admin`: Tomcat, Jetty and Spring drop the parameters and then resolve the `..`).
    static func hasNoDotSegments(_ path: String) -> Bool {
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            let decoded = segment.lowercased().replacingOccurrences(of: "%2e", with: ".").replacingOccurrences(of: "%3b", with: ";")
            let name = decoded.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if name == "." || name == ".." { return false }
        }
        return true
    }

    /// RFC 3986 `pchar` and `/`: unreserved, sub-delims, `:`, `@`, `%`.
    static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("-._~!$&'()*+,;=:@%/".utf8).contains(byte)
        }
    }

    /// A path byte, `?`, or a byte browsers leave unencoded in queries (`|`, `[`, `]`).
    static func isQueryByte(_ byte: UInt8) -> Bool {
        isPathByte(byte) || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
    }
}
