import Hummingbird
import NIOCore
import Synchronization

/// Collects a response's body, up to a limit, so that it can be stored and still be sent.
enum ResponseCapture {
    /// The body is larger than the limit; nothing of it is kept.
    struct TooLarge: Error {}

    /// Reads `response`'s body into one buffer of at most `limit` bytes and gives the response that buffer
    /// as its body. Trailing headers are dropped.
    /// - Throws: ``TooLarge`` when the body is larger; what the body's writer threw.
    static func collect(_ response: inout Response, limit: Int) async throws -> ByteBuffer {
        let sink = Sink(limit: limit)
        try await response.body.write(Writer(sink: sink))
        let body = try sink.take()
        response.body = ResponseBody(byteBuffer: body)
        return body
    }

    /// Where the writer puts the bytes: the writer is consumed by the body, the sink stays here.
    private final class Sink: Sendable {
        let limit: Int
        private let state = Mutex<(buffer: ByteBuffer, overflowed: Bool)>((ByteBuffer(), false))

        init(limit: Int) {
            self.limit = limit
        }

        func append(_ buffer: ByteBuffer) throws(TooLarge) {
            try state.withLock { state throws(TooLarge) in
                guard !state.overflowed, state.buffer.readableBytes + buffer.readableBytes <= limit else {
                    state.overflowed = true
                    state.buffer = ByteBuffer()
                    throw TooLarge()
                }
                state.buffer.writeImmutableBuffer(buffer)
            }
        }

        func take() throws(TooLarge) -> ByteBuffer {
            try state.withLock { state throws(TooLarge) in
                guard !state.overflowed else { throw TooLarge() }
                return state.buffer
            }
        }
    }

    private struct Writer: ResponseBodyWriter {
        let sink: Sink

        mutating func write(_ buffer: ByteBuffer) async throws {
            try sink.append(buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
