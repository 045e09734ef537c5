import Tracing

/// Puts each command, pipeline or transaction of a ``RedisClient`` in a client span named after it, with
/// OpenTelemetry's database attributes: `db.system.name` (`redis`), `db.operation.name`, `db.namespace` (the
/// database index), `server.address` and `server.port`, `db.operation.batch.size` for pipelines and
/// transactions, and on failure `error.type` (the ``RedisClientError/Code``) with `db.response.status_code` (the
/// first word of an error reply, such as `WRONGTYPE`).
///
/// Only command names are recorded, never arguments: keys, values and scripts stay out of the spans, and `AUTH`
/// (sent by the connection itself, and refused through the client) never appears.
struct RedisCommandTracing: Sendable {
    /// The attribute names, OpenTelemetry's semantic conventions for databases.
    enum Attribute {
        static let system = "db.system.name"
        static let operation = "db.operation.name"
        static let namespace = "db.namespace"
        static let batchSize = "db.operation.batch.size"
        static let statusCode = "db.response.status_code"
        static let errorType = "error.type"
        static let serverAddress = "server.address"
        static let serverPort = "server.port"
    }

    /// The longest error-reply code recorded; a longer first word (a script's own error text) is cut.
    static let maximumStatusCodeLength = 32

    let tracer: any Tracer
    /// What every span of this client carries: the system, the database and the server.
    let commonAttributes: SpanAttributes

    init(tracer: any Tracer, configuration: RedisConfiguration) {
        self.tracer = tracer
        var attributes: SpanAttributes = [Attribute.system: "redis", Attribute.namespace: "\(configuration.database)"]
        switch configuration.endpoint {
        case .tcp(let host, let port):
            attributes[Attribute.serverAddress] = host
            attributes[Attribute.serverPort] = port
        case .unix(let path):
            attributes[Attribute.serverAddress] = path
        case .sentinel:
            // The master changes with failovers; the sentinels are not the server the command went to.
            break
        }
        commonAttributes = attributes
    }

    /// Runs `body` in a span named `operation`.
    /// - Parameters:
    ///   - operation: The command's name as the caller gave it, `BATCH` or `BATCH GET` for a pipeline, `MULTI` for a
    ///     transaction.
    ///   - batchSize: The number of commands of a pipeline or transaction; `nil` for one command.
    ///   - body: The command.
    func trace<Reply>(
        _ operation: String,
        batchSize: Int? = nil,
        _ body: () async throws(RedisClientError) -> Reply
    ) async throws(RedisClientError) -> Reply {
        try await trace(by: tracer, operation, batchSize, body)
    }

    private func trace<Traced: Tracer, Reply>(
        by tracer: Traced,
        _ operation: String,
        _ batchSize: Int?,
        _ body: () async throws(RedisClientError) -> Reply
    ) async throws(RedisClientError) -> Reply {
        let span = tracer.startSpan(operation, context: ServiceContext.current ?? .topLevel, ofKind: .client)
        defer { span.end() }
        var attributes = commonAttributes
        attributes[Attribute.operation] = operation
        if let batchSize { attributes[Attribute.batchSize] = batchSize }
        span.attributes = attributes
        do {
            return try await body()
        } catch {
            span.attributes[Attribute.errorType] = error.code.description
            if let reply = error.serverError {
                span.attributes[Attribute.statusCode] = String(reply.code.prefix(Self.maximumStatusCodeLength))
            }
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// The operation name of a pipeline (OpenTelemetry's convention for batches): `BATCH GET` when every command is
    /// a `GET`, else `BATCH`.
    static func batchOperation(_ commands: [RedisCommand]) -> String {
        guard let first = commands.first?.name, commands.allSatisfy({ $0.name == first }) else { return "BATCH" }
        return "BATCH \(first)"
    }
}
