// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tender",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TenderCore", targets: ["TenderCore"]),
        .library(name: "TenderWorkloads", targets: ["TenderWorkloads"]),
        .library(name: "TenderStore", targets: ["TenderStore"]),
        .library(name: "TenderClient", targets: ["TenderClient"]),
        .executable(name: "tender", targets: ["tender"]),
        .executable(name: "tender-controller", targets: ["tender-controller"]),
        .executable(name: "tender-agent", targets: ["tender-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Already in the graph through hummingbird; named so the controller can import them directly.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // The shared-database backend (several controllers on one PostgreSQL).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // /metrics: the controller's counters through swift-metrics, exposed by swift-prometheus.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure domain. Foundation, Crypto, and Yams (a pure parser for the YAML form of manifests).
        .target(
            name: "TenderCore",
            dependencies: [
                "CTenderEd25519",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The matrix product's tile kernels, one per instruction set, chosen at run time; C so that
        // each can be compiled for its own target while the rest of the build stays baseline.
        .target(name: "CTenderKernels"),
        // Ed25519 verification through per-key tables for keys that sign again and again; it
        // only ever confirms a signature, and whatever it cannot confirm goes to swift-crypto.
        .target(name: "CTenderEd25519"),
        .target(name: "TenderWorkloads", dependencies: ["TenderCore", "CTenderKernels"]),
        .target(
            name: "TenderStore",
            dependencies: [
                "TenderCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TenderClient", dependencies: ["TenderCore", "TenderWorkloads"]),
        .executableTarget(
            name: "tender",
            dependencies: [
                // TenderStore for `tender bench --postgres`, which makes a throwaway database; the
                // controller service and the agent's commands for `tender demo`, which runs a whole
                // market: an embedded controller and agents started from this executable.
                "TenderCore", "TenderWorkloads", "TenderClient", "TenderStore",
                "TenderControllerService", "TenderAgentCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "TenderControllerService",
            dependencies: [
                "TenderCore", "TenderStore", "TenderWorkloads",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "controller/Service",
            resources: [.copy("openapi.json"), .copy("dashboard.html")]
        ),
        .executableTarget(
            name: "tender-controller",
            dependencies: [
                "TenderControllerService", "TenderCore", "TenderStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "controller/Main"
        ),
        .target(
            name: "TenderAgentService",
            dependencies: [
                "TenderCore", "TenderWorkloads", "TenderClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "agent/Service"
        ),
        // The agent's commands, shared by tender-agent and by `tender demo`, which starts its
        // agents as child processes of its own executable.
        .target(
            name: "TenderAgentCommands",
            dependencies: [
                "TenderAgentService", "TenderCore", "TenderWorkloads", "TenderClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "agent/Commands"
        ),
        .executableTarget(
            name: "tender-agent",
            dependencies: [
                "TenderAgentCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "agent/Main"
        ),
        .testTarget(name: "TenderCoreTests", dependencies: ["TenderCore"]),
        .testTarget(name: "TenderWorkloadsTests", dependencies: ["TenderWorkloads"]),
        .testTarget(
            name: "TenderStoreTests",
            dependencies: [
                "TenderStore", "TenderCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(name: "TenderClientTests", dependencies: ["TenderClient", "TenderWorkloads"]),
        .testTarget(
            name: "TenderAgentTests",
            dependencies: [
                "TenderAgentService", "TenderControllerService", "TenderCore", "TenderWorkloads", "TenderClient", "TenderStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "TenderControllerTests",
            dependencies: [
                "TenderControllerService", "TenderCore", "TenderStore", "TenderClient", "TenderWorkloads",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
