public import MeshDiagnostics
public import MeshYAML

/// Where a product's data comes from: files read by a connector, or another product's
/// output port.
public struct ProductInput: Sendable {
  public enum Source: Sendable {
    case files(FileSource)
    case port(PortReference)
  }

  public var name: Located<String>
  public var source: Source
  public var range: SourceRange
}

/// The batch-to-stream edge: files matching a glob become a stream.
public struct FileSource: Sendable {
  public var format: Located<FileFormat>
  /// A glob relative to the mesh root (`data/orders/*.csv`).
  public var path: Located<String>
  public var schema: SchemaReference?
  /// The field that carries each record's event time.
  public var eventTime: Located<String>?
  public var csv: CSVOptions?
}

public struct CSVOptions: Sendable {
  public var header: Bool
  public var delimiter: Located<String>?
}

public enum FileFormat: String, Sendable, CaseIterable {
  case csv, jsonl, parquet, avro
}

/// Another product's output port, by product id and port name.
public struct PortReference: Sendable {
  public var product: Located<String>
  public var port: Located<String>
}

/// A schema given by path to an `.avsc` file (relative to the mesh root) or inline.
public enum SchemaReference: Sendable {
  case file(Located<String>)
  case inline(YAMLNode)

  public var range: SourceRange {
    switch self {
    case .file(let path): path.range
    case .inline(let node): node.range
    }
  }
}
