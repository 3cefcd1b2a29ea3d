/// A few thousand records of one schema, column by column: what operators take and give.
/// A filter does not copy columns; it narrows `selection` to the rows that pass.
public struct RecordBatch: Sendable {
  public var schema: RecordSchema
  public var columns: [Column]
  /// Rows in `columns`, selected or not.
  public var rowCount: Int
  /// The rows that are part of the batch, ascending; nil means all of them.
  public var selection: [Int32]?

  public init(schema: RecordSchema, columns: [Column], rowCount: Int, selection: [Int32]? = nil) {
    self.schema = schema
    self.columns = columns
    self.rowCount = rowCount
    self.selection = selection
  }

  /// The number of records the batch holds.
  public var count: Int { selection?.count ?? rowCount }

  /// The rows of the batch in order, selected ones only.
  public var rows: [Int] { selection.map { $0.map(Int.init) } ?? Array(0..<rowCount) }

  public static let preferredRowCount = 4096
}

extension RecordBatch {
  /// The rows of `original` (whose columns this batch shares) that this one's selection
  /// left out: what a filter rejected.
  public func unselected(of original: RecordBatch) -> RecordBatch {
    var kept = Set(rows)
    var rest = original
    rest.selection = original.rows.compactMap { kept.remove($0) == nil ? Int32($0) : nil }
    return rest
  }
}
