public import MeshDiagnostics

/// A record, enum or fixed, defined once per schema and referred to by full name.
public enum NamedType: Sendable {
  case record(RecordType)
  case enumeration(EnumType)
  case fixed(FixedType)

  public var fullName: String {
    switch self {
    case .record(let record): record.fullName
    case .enumeration(let enumeration): enumeration.fullName
    case .fixed(let fixed): fixed.fullName
    }
  }

  public var aliases: [String] {
    switch self {
    case .record(let record): record.aliases
    case .enumeration(let enumeration): enumeration.aliases
    case .fixed(let fixed): fixed.aliases
    }
  }

  public var range: SourceRange {
    switch self {
    case .record(let record): record.range
    case .enumeration(let enumeration): enumeration.range
    case .fixed(let fixed): fixed.range
    }
  }

  var kindName: String {
    switch self {
    case .record: "record"
    case .enumeration: "enum"
    case .fixed: "fixed"
    }
  }
}

public struct RecordType: Sendable {
  public var fullName: String
  public var aliases: [String]
  public var doc: String?
  public var fields: [Field]
  public var range: SourceRange
}

public struct Field: Sendable {
  public enum Order: String, Sendable { case ascending, descending, ignore }

  public var name: String
  public var type: AvroType
  /// The default as written (JSON), already checked against `type`.
  public var defaultValue: SourceValue?
  public var aliases: [String]
  public var doc: String?
  public var order: Order
  /// Personal data, for governance (PII taint tracking).
  public var pii: Bool
  public var classification: String?
  public var range: SourceRange
}

public struct EnumType: Sendable {
  public var fullName: String
  public var aliases: [String]
  public var symbols: [String]
  public var defaultSymbol: String?
  public var doc: String?
  public var range: SourceRange
}

public struct FixedType: Sendable {
  public var fullName: String
  public var aliases: [String]
  public var size: Int
  public var logical: LogicalType?
  public var range: SourceRange
}
