// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Settings every Sluice target compiles with: Swift 6 language mode plus the
/// upcoming features we hold ourselves to.
var strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
// CI (and anyone who wants it) builds Sluice's own targets with warnings as errors; dependencies are unaffected.
if ProcessInfo.processInfo.environment["SLUICE_STRICT"] == "1" {
    strictSettings.append(.unsafeFlags(["-warnings-as-errors"]))
}

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Sluice", targets: ["Sluice"]),
        .library(name: "SluiceFormats", targets: ["SluiceFormats"]),
        .library(name: "SluiceSQLite", targets: ["SluiceSQLite"]),
        .library(name: "SluicePostgres", targets: ["SluicePostgres"]),
        .library(name: "SluiceFiles", targets: ["SluiceFiles"]),
        .library(name: "SluiceRedis", targets: ["SluiceRedis"]),
        // The Redis protocol on its own, for the fuzzers in Fuzz/ (a separate package).
        .library(name: "RESP", targets: ["RESP"]),
        .library(name: "SluiceArchive", targets: ["SluiceArchive"]),
        .library(name: "SluicePipeline", targets: ["SluicePipeline"]),
        .library(name: "SluiceCommands", targets: ["SluiceCommands"]),
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries: tiny shims, headers from Debian's -dev packages.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBZip2", providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(name: "CLZ4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),

        // Core: model, strategies, versions, checksums, validation, metrics, retry, loader contract.
        .target(
            name: "Sluice",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // Readers (and writers) for CSV, TSV, JSON, JSONL; compression detection and streams.
        .target(
            name: "SluiceFormats",
            dependencies: ["Sluice", "CZlib", "CBZip2", "CLZ4", "CZstd"]
        ),
        // The embedded SQLite target.
        .target(
            name: "SluiceSQLite",
            dependencies: [
                "Sluice",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The PostgreSQL target (postgres-nio): COPY bulk path, staged set-based strategies.
        .target(
            name: "SluicePostgres",
            dependencies: [
                "Sluice",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The file target: partitioned folders of CSV, TSV, JSON, JSONL or Parquet parts, manifests, retention.
        .target(
            name: "SluiceFiles",
            dependencies: [
                "Sluice", "SluiceFormats",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Our own Redis client (no Swift Redis package is available): RESP2/RESP3 codec, connections, pipelining,
        // a pool and cluster routing, on SwiftNIO.
        .target(
            name: "RESP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Redis cache target on RESP: keys, value encodings, TTL policies, strategies, statistics.
        .target(
            name: "SluiceRedis",
            dependencies: ["Sluice", "SluiceFormats", "RESP", .product(name: "Logging", package: "swift-log")]
        ),
        // Export, archive and restore between targets (any loader to and from the file target), with lineage.
        .target(
            name: "SluiceArchive",
            dependencies: ["Sluice", "SluiceFiles", .product(name: "Logging", package: "swift-log")]
        ),
        // Test support shared by the test targets: throw-away servers (PostgreSQL) started on loopback.
        .target(
            name: "SluiceTesting",
            dependencies: ["Sluice"]
        ),
        // Pipeline files (`sluice run`): the YAML model with line:column errors, validation, ${ENV} expansion,
        // planning and the scheduler; no argument parsing and no database client.
        .target(
            name: "SluicePipeline",
            dependencies: ["Sluice", "SluiceFormats", .product(name: "Yams", package: "Yams")]
        ),
        // The CLI's commands, as a library so tests can call them.
        .target(
            name: "SluiceCommands",
            dependencies: [
                "Sluice", "SluiceFormats", "SluiceSQLite", "SluicePostgres", "SluiceFiles", "SluiceRedis", "RESP",
                "SluiceArchive", "SluicePipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(name: "sluice", dependencies: ["SluiceCommands"]),

        // The README's library quick start, compiled (and run) in CI.
        .executableTarget(
            name: "QuickStart",
            dependencies: ["Sluice", "SluiceSQLite"],
            path: "Examples/QuickStart"
        ),
        // Benchmarks: release build only; see BENCHMARKS.md.
        .executableTarget(
            name: "SluiceBenchmarks",
            dependencies: ["Sluice", "SluiceFormats", "SluiceSQLite", "SluiceCommands"],
            path: "Benchmarks/SluiceBenchmarks"
        ),

        .executableTarget(
            name: "RESPBenchmarks",
            dependencies: [
                "RESP", "SluiceTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/RESPBenchmarks"
        ),

        .testTarget(
            name: "SluiceTests",
            dependencies: [
                "Sluice",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SluiceFormatsTests", dependencies: ["Sluice", "SluiceFormats", "SluiceTesting"]),
        .testTarget(
            name: "SluiceSQLiteTests",
            dependencies: [
                "Sluice", "SluiceSQLite", "SluiceFormats", "SluiceTesting",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "SluicePostgresTests",
            dependencies: [
                "Sluice", "SluicePostgres", "SluiceFormats", "SluiceTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RESPTests",
            dependencies: [
                "RESP", "SluiceTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SluiceRedisTests",
            dependencies: ["Sluice", "SluiceRedis", "SluiceFormats", "SluiceTesting"]
        ),
        .testTarget(
            name: "SluiceFilesTests",
            dependencies: ["Sluice", "SluiceFiles", "SluiceFormats", "SluiceTesting"]
        ),
        .testTarget(
            name: "SluiceConformanceTests",
            dependencies: [
                "Sluice", "SluiceSQLite", "SluiceFormats", "SluicePostgres", "SluiceFiles", "SluiceRedis",
                "SluiceTesting",
            ]
        ),
        .testTarget(
            name: "SluiceArchiveTests",
            dependencies: [
                "Sluice", "SluiceArchive", "SluiceSQLite", "SluicePostgres", "SluiceFiles", "SluiceRedis",
                "SluiceFormats", "SluiceTesting",
            ]
        ),
        .testTarget(
            name: "SluiceCommandsTests",
            dependencies: [
                "SluiceCommands",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SluicePipelineTests", dependencies: ["Sluice", "SluiceFormats", "SluicePipeline"]),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["Sluice", "SluiceFormats", "SluiceSQLite", "SluiceTesting"]
        ),
        // The fault suite: the built `sluice` SIGKILLed mid-load, servers killed and restarted (docs/FaultSuite.md).
        .testTarget(name: "SluiceFaultTests", dependencies: ["Sluice", "SluiceTesting"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
