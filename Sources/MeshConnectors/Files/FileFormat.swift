/// The formats a file input reads and a batch port writes.
public enum FileFormat: String, Sendable, Hashable, CaseIterable {
  case csv, jsonl, parquet, avro

  /// The extension of the files a batch port writes.
  public var fileExtension: String { rawValue }
}
