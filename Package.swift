// swift-tools-version:6.1
import PackageDescription

/// Applied to every target so that the whole package builds under one set of rules.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    // Spell out `any` for existentials so that their cost is visible at the use site.
    .enableUpcomingFeature("ExistentialAny"),
    // A file sees only the modules it imports itself, not those its neighbours import.
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Bulwark",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RedisClient", targets: ["RedisClient"]),
        .library(name: "Resilience", targets: ["Resilience"]),
        .library(name: "RedisTestSupport", targets: ["RedisTestSupport"]),
        .library(name: "SharedState", targets: ["SharedState"]),
        .executable(name: "bulwark-bench", targets: ["BulwarkBench"]),
        .executable(name: "bulwark-instance", targets: ["BulwarkInstance"]),
        .executable(name: "bulwark", targets: ["BulwarkCLI"]),
        .library(name: "BulwarkService", targets: ["BulwarkService"]),
        .library(name: "Bulwark", targets: ["Bulwark"]),
        .library(name: "BulwarkHummingbird", targets: ["BulwarkHummingbird"]),
        .library(name: "OrdersExample", targets: ["OrdersExample"]),
        .executable(name: "orders-example", targets: ["OrdersExampleServer"]),
        .library(name: "BulwarkHTTPClient", targets: ["BulwarkHTTPClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        // OTLP/HTTP export of the service's spans; the gRPC exporter (and its dependencies) is left out.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        // Already in the graph through Hummingbird; named for the connection handler that bounds slow requests.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // `swift package generate-documentation`: CI builds every library's DocC catalog with warnings as errors.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // No pkgConfig: hiredis's .pc adds -D_FILE_OFFSET_BITS=64, which SwiftPM rejects with a warning, and
        // Debian's headers sit in the default include path anyway (shim.h includes <hiredis/hiredis.h>).
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "RedisClient",
            dependencies: [
                "CHiredis",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Resilience",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SharedState",
            dependencies: [
                "RedisClient",
                "Resilience",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What an application links: one bootstrap (client, shared breakers, stores) and pipelines from profiles.
        .target(
            name: "Bulwark",
            dependencies: [
                "RedisClient",
                "Resilience",
                "SharedState",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird middleware over Bulwark: idempotency, sessions, rate limits, the error envelope.
        .target(
            name: "BulwarkHummingbird",
            dependencies: [
                "Bulwark",
                "SharedState",
                "Resilience",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The example app: a small orders service on Bulwark's middleware, tested as two instances on one Redis.
        .target(
            name: "OrdersExample",
            dependencies: [
                "Bulwark",
                "BulwarkHummingbird",
                "BulwarkHTTPClient",
                "RedisClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `orders-example`: the example app as its own process (the tests run two of them on one Redis).
        .executableTarget(
            name: "OrdersExampleServer",
            dependencies: [
                "OrdersExample",
                "Bulwark",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The resilient HTTP client: AsyncHTTPClient behind the standard pipeline, with HTTP-aware classification.
        .target(
            name: "BulwarkHTTPClient",
            dependencies: [
                "Bulwark",
                "RedisClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RedisTestSupport",
            dependencies: [],
            swiftSettings: swiftSettings
        ),
        // One service instance driven over stdin: the multi-process tests and the propagation bench run it.
        .target(
            name: "BulwarkInstanceKit",
            dependencies: [
                "RedisClient",
                "Resilience",
                "SharedState",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "BulwarkInstance",
            dependencies: ["BulwarkInstanceKit"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "BulwarkBench",
            dependencies: [
                "BulwarkInstanceKit",
                "RedisClient",
                "Resilience",
                "SharedState",
                "RedisTestSupport",
                "BulwarkHummingbird",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // W13 gateway: the service's gateway against direct calls and nginx.
                "BulwarkService",
                // W11 http-client: the resilient client against a local Hummingbird upstream.
                "Bulwark",
                "BulwarkHTTPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // The service operators deploy: HTTP health, metrics, admin API, dashboard, demo traffic.
        .target(
            name: "BulwarkService",
            dependencies: [
                "RedisClient",
                // The gateway: routes forwarded through the resilient HTTP client.
                "Bulwark",
                "BulwarkHTTPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "Resilience",
                "SharedState",
                "OperatorViews",
                "BulwarkHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the admin API and the command line show operators: the same JSON from both.
        .target(
            name: "OperatorViews",
            dependencies: ["SharedState"],
            swiftSettings: swiftSettings
        ),
        // The operators' commands, which talk to Redis directly (no service needed).
        .target(
            name: "BulwarkCommands",
            dependencies: [
                "RedisClient",
                "Resilience",
                "SharedState",
                "OperatorViews",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `bulwark`: `serve` plus the operators' commands.
        .executableTarget(
            name: "BulwarkCLI",
            dependencies: [
                "BulwarkCommands",
                "BulwarkService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `bulwark` as a child process for the service's and the command line's tests; a scripted HTTP
        // upstream and a log capture that several test targets share.
        .target(
            name: "BulwarkTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BulwarkServiceTests",
            dependencies: [
                "BulwarkService",
                "BulwarkCLI",
                "BulwarkInstanceKit",
                "BulwarkInstance",
                "SharedState",
                "RedisClient",
                "Resilience",
                "RedisTestSupport",
                "BulwarkTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BulwarkCLITests",
            dependencies: [
                "BulwarkCLI", "BulwarkCommands", "BulwarkService", "BulwarkInstanceKit", "BulwarkInstance", "SharedState", "RedisClient",
                "Resilience", "RedisTestSupport", "BulwarkTestSupport", "OperatorViews",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisClientTests",
            dependencies: [
                "RedisClient", "RedisTestSupport",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SharedStateTests",
            dependencies: [
                "SharedState", "RedisClient", "Resilience", "RedisTestSupport", "BulwarkInstanceKit", "BulwarkInstance", "BulwarkTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisTestSupportTests",
            dependencies: ["RedisTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BulwarkTests",
            dependencies: [
                "Bulwark", "RedisClient", "RedisTestSupport", "BulwarkTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BulwarkHummingbirdTests",
            dependencies: [
                "BulwarkHummingbird", "Bulwark", "RedisClient", "RedisTestSupport", "BulwarkTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrdersExampleTests",
            dependencies: [
                "OrdersExample", "OrdersExampleServer", "BulwarkHummingbird", "BulwarkHTTPClient", "Bulwark", "RedisClient", "RedisTestSupport",
                "BulwarkTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BulwarkHTTPClientTests",
            dependencies: [
                "BulwarkHTTPClient", "Bulwark", "RedisClient", "RedisTestSupport", "BulwarkTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResilienceTests",
            dependencies: [
                "Resilience",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
