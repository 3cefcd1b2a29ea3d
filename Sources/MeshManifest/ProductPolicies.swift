public import MeshBytes
public import MeshDiagnostics

/// What a product promises its consumers.
public struct ServiceLevels: Sendable {
  public var freshness: Located<TimeSpan>?
  public var availability: Located<Percentage>?
  public var completeness: Located<Percentage>?
  public var range: SourceRange
}

/// A check every record of a product must pass, and what happens to one that fails.
public struct QualityRule: Sendable {
  public enum OnFail: String, Sendable, CaseIterable {
    case deadLetter = "dead-letter"
    case drop, fail, warn
  }

  public var name: Located<String>
  public var check: ExpressionText
  public var onFail: Located<OnFail>
  public var range: SourceRange
}

/// A consumer's access to some ports, and how it may see PII fields.
public struct AccessGrant: Sendable {
  public enum PII: String, Sendable, CaseIterable {
    case masked, clear, none
  }

  public var consumer: Located<String>
  public var ports: [Located<String>]
  public var pii: Located<PII>
  public var range: SourceRange
}
