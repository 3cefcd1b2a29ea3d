// swift-tools-version: 6.1
import PackageDescription

// Targets follow ../shared/DESIGN.md's module table: each imports only the rows it names.
let strictness: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  // Release builds drop the run-time exclusivity checks of class properties (debug builds,
  // which the tests run, keep them): they cost the decoders and operators, which keep
  // their state in classes, a library call and a thread-local lookup per access.
  .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
  name: "meshc",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "meshc", targets: ["meshc"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    // The codecs of Parquet pages and Avro blocks, from Debian's libraries.
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
    .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
    // Operators' large keyed state (CONVENTIONS.md, "The runtime's shape").
    .systemLibrary(name: "CRocksDB", pkgConfig: "rocksdb", providers: [.apt(["librocksdb-dev"])]),
    // CRC-32C with the SSE4.2 instruction behind a cpuid check; Swift cannot reach the
    // instruction without crashing swiftc, so one small C function does it.
    .target(name: "CCRC32C"),
    .target(name: "MeshBytes", dependencies: ["CCRC32C"], swiftSettings: strictness),
    .target(name: "MeshDiagnostics", swiftSettings: strictness),
    .target(name: "MeshYAML", dependencies: ["CYAML", "MeshDiagnostics"], swiftSettings: strictness),
    .target(
      name: "MeshSchema",
      dependencies: ["MeshBytes", "MeshDiagnostics", "MeshYAML"],
      swiftSettings: strictness
    ),
    .target(name: "MeshData", dependencies: ["MeshBytes", "MeshSchema"], swiftSettings: strictness),
    .target(
      name: "MeshManifest",
      dependencies: ["MeshYAML", "MeshSchema", "MeshDiagnostics"],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshPlan", dependencies: ["MeshBytes", "MeshData", "MeshSchema", "MeshDiagnostics"],
      swiftSettings: strictness),
    .target(
      name: "MeshPlanner",
      dependencies: ["MeshBytes", "MeshManifest", "MeshPlan", "MeshData", "MeshSchema", "MeshDiagnostics"],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshFormats",
      dependencies: ["MeshBytes", "MeshSchema", "MeshData", "CZlib", "CZstd", "CSnappy", "CLZ4"],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshConnectors",
      dependencies: ["MeshBytes", "MeshSchema", "MeshData", "MeshFormats", "MeshPlan"],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshLog",
      dependencies: [
        "MeshBytes", "MeshSchema",
        .product(name: "Collections", package: "swift-collections"),
      ],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshRuntime",
      dependencies: [
        "MeshBytes", "MeshData", "MeshPlan", "MeshFormats", "MeshConnectors", "MeshLog", "CRocksDB",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Collections", package: "swift-collections"),
      ],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshDriver",
      dependencies: [
        "MeshDiagnostics", "MeshYAML", "MeshSchema", "MeshManifest", "MeshData", "MeshPlanner", "MeshLog",
        "MeshFormats", "MeshConnectors", "MeshRuntime",
      ],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshBench",
      dependencies: [
        "MeshBytes", "MeshDiagnostics", "MeshSchema", "MeshLog", "MeshDriver", "MeshData", "MeshPlan", "MeshPlanner",
        "MeshRuntime", "MeshFormats",
      ],
      swiftSettings: strictness
    ),
    .executableTarget(
      name: "meshc",
      dependencies: [
        "MeshDriver", "MeshBench",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictness
    ),
    .target(
      name: "MeshTestSupport", dependencies: ["MeshDiagnostics", "MeshSchema", "MeshLog"], swiftSettings: strictness),
    .testTarget(
      name: "MeshConnectorsTests", dependencies: ["MeshConnectors", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(name: "MeshBytesTests", dependencies: ["MeshBytes", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(
      name: "MeshDiagnosticsTests", dependencies: ["MeshDiagnostics", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(
      name: "MeshYAMLTests", dependencies: ["MeshYAML", "MeshSchema", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(name: "MeshSchemaTests", dependencies: ["MeshSchema", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(
      name: "MeshDataTests", dependencies: ["MeshData", "MeshSchema", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(
      name: "MeshManifestTests", dependencies: ["MeshManifest", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(
      name: "MeshPlannerTests", dependencies: ["MeshPlanner", "MeshManifest", "MeshYAML", "MeshTestSupport"],
      swiftSettings: strictness),
    .testTarget(
      name: "MeshRuntimeTests", dependencies: ["MeshRuntime", "MeshPlanner", "MeshConnectors", "MeshTestSupport"],
      swiftSettings: strictness),
    .testTarget(
      name: "MeshFormatsTests", dependencies: ["MeshFormats", "MeshData", "MeshSchema", "MeshTestSupport"],
      swiftSettings: strictness),
    .testTarget(name: "MeshLogTests", dependencies: ["MeshLog", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(name: "MeshBenchTests", dependencies: ["MeshBench", "MeshTestSupport"], swiftSettings: strictness),
    .testTarget(name: "TidyTests", dependencies: ["MeshTestSupport"], swiftSettings: strictness),
    .testTarget(
      name: "MeshDriverTests",
      dependencies: ["MeshDriver", "MeshFormats", "MeshData", "MeshSchema", "MeshTestSupport"],
      exclude: ["Cases"],
      swiftSettings: strictness
    ),
    // The fuzz targets' bodies, always built so that the suite replays every corpus.
    .target(
      name: "FuzzHarness",
      dependencies: [
        "MeshBytes", "MeshDiagnostics", "MeshYAML", "MeshSchema", "MeshManifest", "MeshLog", "MeshTestSupport",
        "MeshData", "MeshPlan", "MeshPlanner", "MeshRuntime", "MeshFormats",
      ],
      path: "Fuzz/Harness",
      swiftSettings: strictness
    ),
    .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzHarness", "MeshTestSupport"], swiftSettings: strictness),
  ]
)

// The libFuzzer executables, one per parser of outside bytes, exist only when
// `scripts/fuzz.sh` asks for them: without libFuzzer's runtime they would not link.
let fuzzTargets = [
  "ManifestDecoding", "SchemaJSON", "AvroBinary", "JSONText", "LogBatch", "SizeAndDuration", "Expressions",
  "AvroContainer", "ThriftCompact", "ParquetFile", "CSVText", "JSONLinesRecords", "OperatorState",
]
if Context.environment["MESHC_FUZZ"] == "1" {
  for name in fuzzTargets {
    package.targets.append(
      .executableTarget(
        name: "Fuzz\(name)", dependencies: ["FuzzHarness"], path: "Fuzz/\(name)", exclude: ["corpus", "regressions"],
        sources: ["main.swift"], swiftSettings: strictness + [.unsafeFlags(["-parse-as-library"])]))
  }
}
