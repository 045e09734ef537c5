import Foundation

/// One result of a workload: a JSON object printed on one line of stdout.
///
/// Fields keep the order in which they were added, so that `id` and `workload` lead every line
/// and the output reads well by eye as well as by `jq`.
struct BenchLine: Sendable {
    /// A JSON value of a field.
    enum Value: Sendable {
        case int(Int)
        case double(Double)
        case string(String)
        case bool(Bool)
        case object(BenchLine)
    }

    private(set) var fields: [(key: String, value: Value)] = []

    /// Starts a line for a workload.
    init(id: String, workload: String) {
        fields = [("id", .string(id)), ("workload", .string(workload))]
    }

    /// Starts a nested object, such as `reference`.
    init() {}

    /// Sets a field, replacing an earlier value of the same key.
    subscript(key: String) -> Value? {
        get { fields.first { $0.key == key }?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((key, newValue))
            }
        }
    }

    /// The line as compact JSON.
    var json: String {
        "{" + fields.map { "\(Self.quote($0.key)):\(Self.render($0.value))" }.joined(separator: ",") + "}"
    }

    private static func render(_ value: Value) -> String {
        switch value {
        case .int(let int): return String(int)
        case .double(let double):
            guard double.isFinite else { return "null" }
            return String(format: "%.3f", double)
        case .string(let string): return quote(string)
        case .bool(let bool): return bool ? "true" : "false"
        case .object(let line): return line.json
        }
    }

    private static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
