/// Encodes commands as RESP multi-bulk requests.
enum RESPWriter {
    static let crlf: [UInt8] = [13, 10]

    /// Appends `value` in decimal without going through `String`.
    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            appendDecimal(UInt(value.magnitude), to: &buffer)
        } else {
            appendDecimal(UInt(value), to: &buffer)
        }
    }

    static func appendDecimal(_ value: UInt, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var remaining = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while remaining > 0 {
                raw[19 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            buffer.append(contentsOf: raw[(20 - count)...])
        }
    }

    /// Appends `*count\r\n`.
    static func appendArrayHeader(count: Int, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "*"))
        appendDecimal(count, to: &buffer)
        buffer.append(contentsOf: crlf)
    }

    /// Appends one bulk string argument, framing the bytes the argument writes.
    static func appendBulk(_ argument: some RedisArgumentConvertible, to buffer: inout [UInt8]) {
        if let count = argument.redisByteCount {
            buffer.append(UInt8(ascii: "$"))
            appendDecimal(count, to: &buffer)
            buffer.append(contentsOf: crlf)
            argument.appendRedisBytes(to: &buffer)
            buffer.append(contentsOf: crlf)
            return
        }
        var body: [UInt8] = []
        argument.appendRedisBytes(to: &body)
        buffer.append(UInt8(ascii: "$"))
        appendDecimal(body.count, to: &buffer)
        buffer.append(contentsOf: crlf)
        buffer.append(contentsOf: body)
        buffer.append(contentsOf: crlf)
    }
}
