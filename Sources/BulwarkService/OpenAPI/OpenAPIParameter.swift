/// One parameter of an operation in the OpenAPI document: a path segment or a query item.
struct OpenAPIParameter {
    /// Where the parameter is.
    enum Location: String {
        /// A `{segment}` of the path: always required.
        case path
        /// A query item.
        case query
    }

    /// The parameter's name.
    let name: String
    /// Where it is.
    let location: Location
    /// Whether the request must carry it.
    let isRequired: Bool
    /// What it is, for the reader.
    let description: String
    /// The values it may take.
    let schema: JSONValue

    /// A `{name}` segment of the path.
    static func path(_ name: String, _ description: String, _ schema: JSONValue) -> Self {
        Self(name: name, location: .path, isRequired: true, description: description, schema: schema)
    }

    /// A query item, required unless `isRequired` is false.
    static func query(_ name: String, _ description: String, _ schema: JSONValue, isRequired: Bool = true) -> Self {
        Self(name: name, location: .query, isRequired: isRequired, description: description, schema: schema)
    }

    /// The parameter as the document writes it.
    var json: JSONValue {
        .object([
            "name": .string(name),
            "in": .string(location.rawValue),
            "required": .bool(isRequired),
            "description": .string(description),
            "schema": schema,
        ])
    }
}
