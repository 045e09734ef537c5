import Bulwark
import BulwarkHummingbird
import Hummingbird

/// `POST /login` (a `user` in a JSON body; a real app checks a password or a token here), `GET /me` and
/// `POST /logout`.
struct SessionRoutes {
    private struct Login: Decodable {
        var user: String
    }

    func register(on router: Router<OrdersContext>) {
        router.post("/login") { request, context -> HTTPResponse.Status in
            let login = try await request.decode(as: Login.self, context: context)
            try await context.session.signIn(try SessionUser(login.user))
            return .noContent
        }
        router.get("/me") { _, context -> String in
            guard let session = context.session.current else { throw APIError(.unauthorized, "sign in first") }
            return session.user.value
        }
        router.post("/logout") { _, context -> HTTPResponse.Status in
            try await context.session.signOut() ? .noContent : .unauthorized
        }
    }
}
