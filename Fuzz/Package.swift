// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for Sluice's decoders. A separate package so that the main package's `swift build` and
// `swift test` never see the fuzzer flags. Build with (see docs/Fuzzing.md):
//
//     swift build -c debug --package-path Fuzz -Xswiftc -sanitize=fuzzer,address
//
// The flags are passed on the command line, not here, so that the decoders in the main package are
// instrumented too (coverage for libFuzzer, AddressSanitizer checks).

/// One fuzzer: an executable whose `LLVMFuzzerTestOneInput` feeds the bytes to one decoder.
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzDriver"] + dependencies)
}

let package = Package(
    name: "SluiceFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Sluice", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libFuzzer's driver entry point, declared for Swift (the library comes with `-sanitize=fuzzer`).
        .systemLibrary(name: "CLibFuzzer"),
        // `runFuzzer`, which every fuzzer's `main.swift` calls.
        .target(name: "FuzzDriver", dependencies: ["CLibFuzzer"]),
        // What the file fuzzers share: the input as a temporary file, read through the public API.
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "Sluice", package: "Sluice"),
                .product(name: "SluiceFormats", package: "Sluice"),
            ]
        ),
        fuzzer("FuzzCSV", ["FuzzSupport"]),
        fuzzer("FuzzJSON", ["FuzzSupport", .product(name: "Sluice", package: "Sluice")]),
        fuzzer("FuzzParquet", ["FuzzSupport"]),
        fuzzer(
            "FuzzRESP",
            [.product(name: "RESP", package: "Sluice"), .product(name: "NIOCore", package: "swift-nio")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
