import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BulwarkService

/// The OpenAPI document says exactly what the router answers, and the service serves it as it is kept.
@Suite(.serialized) struct OpenAPIDocumentTests {
    static func documentedOperations() throws -> (operations: Set<String>, document: [String: Any]) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, methods) in paths {
            for method in methods.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return (operations, document)
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws {
        let (operations, document) = try Self.documentedOperations()
        let (router, table) = try AdversarialTests.routes()
        let routed = Set(router.filter { $0.method != .options }.map { "\($0.method.rawValue) \($0.path.description)" })
        #expect(routed.count > 10, "the router's routes were enumerated")
        #expect(operations.subtracting(routed).isEmpty, "documented but not routed: \(operations.subtracting(routed).sorted())")
        #expect(routed.subtracting(operations).isEmpty, "routed but not documented: \(routed.subtracting(operations).sorted())")
        // Every change, and only a change, says it needs the token.
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        for route in table {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()])
            #expect((operation["security"] != nil) == (route.access == .change), "\(route.method) \(route.path)")
            let responses = try #require(operation["responses"] as? [String: Any])
            #expect(responses["default"] != nil, "\(route.path): errors are documented as the envelope")
        }
    }

    @Test func theServiceServesTheDocumentAsKept() async throws {
        try await ServiceHarness.run { service in
            let response = try await service.send(.get, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response.text == OpenAPIDocument.json)
        }
    }
}
