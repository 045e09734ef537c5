/// One operation of the OpenAPI document: a method on a path, what it takes and what it answers.
///
/// Reads (GET) are open; changes (POST) need the admin token, which the document says with `security`. Every
/// operation answers errors in the envelope (`default`).
struct OpenAPIOperation {
    /// The successful answer's description and media type.
    struct Answer {
        /// What the answer is.
        let description: String
        /// Its media type.
        let mediaType: String
        /// Its schema.
        let schema: JSONValue

        /// A JSON object.
        static let json = Answer(description: "The answer", mediaType: jsonMediaType, schema: OpenAPISchema.anyObject)
        /// The JSON object a change answers with.
        static let changeMade = Answer(description: "The change was made", mediaType: jsonMediaType, schema: OpenAPISchema.anyObject)

        /// Text of the media type `mediaType`.
        static func text(_ description: String, mediaType: String) -> Answer {
            Answer(description: description, mediaType: mediaType, schema: OpenAPISchema.text)
        }

        /// `{"media/type": {"schema": …}}`.
        var content: JSONValue { OpenAPIOperation.content(mediaType, schema) }
    }

    /// Who may call it: a read is a GET open to anyone who reaches the port, a change a POST that needs the admin token.
    enum Access {
        /// `GET`, open.
        case read
        /// `POST`, with the admin token.
        case change
    }

    /// Who may call it, and so its method.
    let access: Access
    /// The path, with `{name}` for a path parameter.
    let path: String
    /// One line on what it does.
    let summary: String
    /// Its parameters, in the order they are documented.
    var parameters: [OpenAPIParameter] = []
    /// The schema of the JSON body it needs, if any.
    var body: JSONValue? = nil
    /// The successful answer.
    var answer: Answer = .json
    /// The description of a 503 answer with a JSON object (not ready, unhealthy), if it can answer one.
    var unavailable: String? = nil

    /// The method, lowercased as the document's keys are.
    var method: String {
        switch access {
        case .read: "get"
        case .change: "post"
        }
    }

    /// The media type of every JSON body.
    static let jsonMediaType = "application/json"

    /// A read: open to anyone who reaches the port.
    static func read(_ path: String, _ summary: String, parameters: [OpenAPIParameter] = [], answer: Answer = .json) -> Self {
        Self(access: .read, path: path, summary: summary, parameters: parameters, answer: answer)
    }

    /// A change: needs the admin token.
    static func change(_ path: String, _ summary: String, parameters: [OpenAPIParameter] = [], body: JSONValue? = nil) -> Self {
        Self(access: .change, path: path, summary: summary, parameters: parameters, body: body, answer: .changeMade)
    }

    /// The operation as the document writes it under its path and method.
    var json: JSONValue {
        var responses: [String: JSONValue] = [
            "200": .object(["description": .string(answer.description), "content": answer.content]),
            "default": .object([
                "description": "An error, in the envelope",
                "content": Self.content(Self.jsonMediaType, OpenAPISchema.errorEnvelopeReference),
            ]),
        ]
        if let unavailable {
            responses["503"] = .object(["description": .string(unavailable), "content": Self.content(Self.jsonMediaType, OpenAPISchema.anyObject)])
        }
        var operation: [String: JSONValue] = ["summary": .string(summary), "responses": .object(responses)]
        if access == .change {
            operation["security"] = .array([.object(["adminToken": .array([])])])
        }
        if !parameters.isEmpty {
            operation["parameters"] = .array(parameters.map(\.json))
        }
        if let body {
            operation["requestBody"] = .object(["required": .bool(true), "content": Self.content(Self.jsonMediaType, body)])
        }
        return .object(operation)
    }

    /// `{"media/type": {"schema": schema}}`.
    static func content(_ mediaType: String, _ schema: JSONValue) -> JSONValue {
        .object([mediaType: .object(["schema": schema])])
    }
}
