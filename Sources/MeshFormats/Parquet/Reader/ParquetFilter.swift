import MeshData

/// A comparison of a top-level column with a constant that lets the reader skip row
/// groups whose statistics show no row can pass (as readers push predicates down).
/// Rows of groups that are read are not filtered: the plan's filter still runs.
public struct ParquetFilter: Sendable {
  public enum Comparison: String, Sendable {
    case equal = "=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
  }

  public enum Constant: Sendable, Hashable {
    case integer(Int64)
    case double(Double)
    case text(String)
  }

  public var column: String
  public var comparison: Comparison
  public var constant: Constant

  public init(column: String, _ comparison: Comparison, _ constant: Constant) {
    self.column = column
    self.comparison = comparison
    self.constant = constant
  }

  /// True when the group's statistics prove that no row passes.
  func excludes(_ group: RowGroup, schema: ParquetSchema, records: RecordSchema) throws(FormatError) -> Bool {
    guard let leafIndex = schema.leaves.firstIndex(where: { $0.path == [column] }),
      leafIndex < group.columns.count, let statistics = group.columns[leafIndex].metaData.statistics,
      let low = statistics.min, let high = statistics.max,
      let field = records.field(named: column)
    else { return false }
    let leaf = schema.leaves[leafIndex]
    guard let order = Bound.order(low, high, constant, leaf.element, field.type, legacy: statistics.legacyOrder) else {
      return false
    }
    // `order` compares the constant with the group's minimum and maximum.
    switch comparison {
    case .equal: return order.belowMin || order.aboveMax
    case .less: return !order.aboveMin
    case .lessOrEqual: return order.belowMin
    case .greater: return !order.belowMax
    case .greaterOrEqual: return order.aboveMax
    }
  }

  struct Bound {
    /// constant < min, constant > min, constant < max, constant > max.
    var belowMin: Bool
    var aboveMin: Bool
    var belowMax: Bool
    var aboveMax: Bool

    static func order(
      _ low: [UInt8], _ high: [UInt8], _ constant: Constant, _ element: SchemaElement, _ type: DataType, legacy: Bool
    ) -> Bound? {
      switch (element.type, constant) {
      case (.int32?, .integer(let value)) where low.count == 4 && high.count == 4 && type.physical == .int32:
        return compare(value, Int64(integer(low, Int32.self)), Int64(integer(high, Int32.self)))
      case (.int64?, .integer(let value)) where low.count == 8 && high.count == 8 && type.physical == .int64:
        return compare(value, integer(low, Int64.self), integer(high, Int64.self))
      case (.double?, .double(let value)) where low.count == 8 && high.count == 8:
        let min = Double(bitPattern: UInt64(integer(low, Int64.self) & -1))
        let max = Double(bitPattern: UInt64(bitPattern: integer(high, Int64.self)))
        guard !min.isNaN, !max.isNaN, !value.isNaN else { return nil }
        return compare(value, min, max)
      case (.byteArray?, .text(let value)) where !legacy && type == .string:
        let bytes = Array(value.utf8)
        return Bound(
          belowMin: bytes.lexicographicallyPrecedes(low), aboveMin: low.lexicographicallyPrecedes(bytes),
          belowMax: bytes.lexicographicallyPrecedes(high), aboveMax: high.lexicographicallyPrecedes(bytes))
      default:
        return nil
      }
    }

    private static func compare<T: Comparable>(_ value: T, _ min: T, _ max: T) -> Bound {
      Bound(belowMin: value < min, aboveMin: value > min, belowMax: value < max, aboveMax: value > max)
    }

    private static func integer<T: FixedWidthInteger>(_ bytes: [UInt8], _: T.Type) -> T {
      var value: T = 0
      for byte in bytes.reversed() { value = value << 8 | T(truncatingIfNeeded: byte) }
      return value
    }
  }
}
