#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bodies of meshc's fuzz targets, one per parser of outside bytes. Each libFuzzer
/// executable in `Fuzz/<Target>/` calls one of these, and `FuzzCorpusTests` replays every
/// committed corpus file through the same function, so a crash found once stays fixed.
///
/// A body returns normally for any input: a parser may refuse the bytes (that is its
/// job) but must not crash, hang or break a property stated here; a broken property
/// calls `violated`, which aborts so that libFuzzer records the input.
public enum FuzzHarness {
  public static let targets: [String: @Sendable ([UInt8]) -> Void] = [
    "ManifestDecoding": manifestDecoding,
    "SchemaJSON": schemaJSON,
    "AvroBinary": avroBinary,
    "JSONText": jsonText,
    "LogBatch": logBatch,
    "SizeAndDuration": sizeAndDuration,
    "Expressions": expressions,
    "AvroContainer": avroContainer,
    "ThriftCompact": thriftCompact,
    "ParquetFile": parquetFile,
    "CSVText": csvText,
    "JSONLinesRecords": jsonLinesRecords,
    "OperatorState": operatorState,
  ]

  /// A property that must hold for every input does not: stop, so the fuzzer saves it.
  static func violated(_ message: String) -> Never {
    let line = Array("fuzz property violated: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
  }
}
