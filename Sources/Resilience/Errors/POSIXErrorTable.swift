#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The mapping from `errno` values to the taxonomy, kept apart from the platform-neutral code.
enum POSIXErrorTable {
    static func code(for errno: Int32) -> ResilienceError.Code {
        switch errno {
        case ETIMEDOUT: .timeout
        case ECONNREFUSED, ECONNRESET, ECONNABORTED, EPIPE, ENETUNREACH, ENETDOWN, ENETRESET, EHOSTUNREACH, EHOSTDOWN, ENOTCONN:
            .connection
        case EAGAIN, ENOBUFS, EBUSY: .unavailable
        case EACCES, EPERM: .permission
        case ENOENT: .notFound
        case EINVAL: .badRequest
        case ECANCELED: .cancelled
        default: .unknown
        }
    }
}
