public import MeshBytes
public import MeshDiagnostics

/// A named step that shapes data. Exactly one operation per step; `from` names the step
/// (input or transform) it reads, except for joins and unions which name theirs inside.
public struct Transform: Sendable {
  public enum Operation: Sendable {
    case filter(ExpressionText)
    case select([SelectColumn])
    case join(Join)
    case aggregate(Aggregate)
    case union([Located<String>])
    case dedupe(Dedupe)
  }

  public var name: Located<String>
  public var from: Located<String>?
  public var operation: Operation
  public var description: Located<String>?
  public var range: SourceRange

  /// The steps this transform reads.
  public var upstream: [Located<String>] {
    switch operation {
    case .join(let join): [join.left, join.right]
    case .union(let sources): sources
    default: from.map { [$0] } ?? []
    }
  }
}

public struct SelectColumn: Sendable {
  public var name: Located<String>
  public var expression: ExpressionText
}

public struct Join: Sendable {
  public var left: Located<String>
  public var right: Located<String>
  public var on: [Located<String>]
  public var kind: Located<JoinKind>
  /// Inner unless the manifest says which side's unmatched records are kept.
  public var type: Located<JoinType>?
  /// How far apart in event time two sides may be (stream-stream joins).
  public var within: Located<TimeSpan>?
  /// Or how far before and after a left record's time a right record's may be.
  public var between: Located<JoinBounds>?
  /// How far behind its side's latest event time a record may arrive and still join.
  public var allowedLateness: Located<TimeSpan>?
  /// Which side's value a field both sides have takes (the left's unless said).
  public var clash: Located<JoinClash>?
  /// Put before the names of the right side's fields (but the join keys'), so that they
  /// do not clash.
  public var rightPrefix: Located<String>?
}

public enum JoinClash: String, Sendable, CaseIterable {
  case left, right
}

/// Milliseconds the right side's event time may be before (negative) and after the left's.
public struct JoinBounds: Sendable, Equatable {
  public var lower: Int64
  public var upper: Int64
}

public enum JoinType: String, Sendable, CaseIterable {
  case inner, left, full
}

public enum JoinKind: String, Sendable, CaseIterable {
  case streamStream = "stream-stream"
  case streamTable = "stream-table"
  case tableTable = "table-table"
}

public struct Aggregate: Sendable {
  public var groupBy: [Located<String>]
  public var window: Window?
  public var measures: [SelectColumn]
}

public struct Window: Sendable {
  public enum Kind: Sendable {
    case tumbling(size: Located<TimeSpan>)
    case hopping(size: Located<TimeSpan>, advance: Located<TimeSpan>)
    case session(gap: Located<TimeSpan>)
  }

  public var kind: Kind
  public var allowedLateness: Located<TimeSpan>?
  /// What becomes of a record whose window has closed (drop unless said).
  public var late: Located<LatePolicy>?
  public var range: SourceRange
}

public enum LatePolicy: String, Sendable, CaseIterable {
  case drop
  case deadLetter = "dead-letter"
  case update
}

public struct Dedupe: Sendable {
  public var key: [Located<String>]
  public var within: Located<TimeSpan>?
}
