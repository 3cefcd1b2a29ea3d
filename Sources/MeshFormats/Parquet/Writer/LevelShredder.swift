import MeshData

/// One leaf's share of a batch: a definition and repetition level per entry (Dremel's
/// striping), and the rows of the leaf's column that hold its present values, in order.
struct ShreddedLeaf {
  var definition: [UInt8]
  var repetition: [UInt8]
  var column: Column
  var valueRows: [Int32]
  /// Entries that start a record (repetition level 0).
  var rowCount: Int
}

/// Stripes the columns of a batch into leaves, walking each leaf's path from its
/// top-level field: nulls stop an entry at their level, lists fan an entry out into
/// one per item (or keep one, at the list's level, when the list is empty).
enum LevelShredder {
  static func shred(_ batch: RecordBatch, plan: [WriteNode], leafCount: Int) throws(FormatError) -> [ShreddedLeaf] {
    var leaves: [ShreddedLeaf?] = Array(repeating: nil, count: leafCount)
    let rows = batch.rows.map { Int32($0) }
    for (index, node) in plan.enumerated() where index < batch.columns.count {
      if case .leaf(let leaf, _, let nullable) = node {
        leaves[leaf] = flat(batch.columns[index], rows: rows, nullable: nullable)
        continue
      }
      var entries = Entries(
        index: rows, definition: [UInt8](repeating: 0, count: rows.count),
        repetition: [UInt8](repeating: 0, count: rows.count))
      try walk(node, batch.columns[index], &entries, repetitionLevel: 0, into: &leaves)
    }
    var result: [ShreddedLeaf] = []
    for leaf in leaves {
      guard let leaf else { throw FormatError("the batch does not have the writer's columns") }
      result.append(leaf)
    }
    return result
  }

  /// A top-level leaf: one entry per row, defined unless null, never repeated.
  private static func flat(_ column: Column, rows: [Int32], nullable: Bool) -> ShreddedLeaf {
    guard nullable else {
      return ShreddedLeaf(
        definition: [UInt8](repeating: 0, count: rows.count), repetition: [], column: column, valueRows: rows,
        rowCount: rows.count)
    }
    let allNull = column.type == .null
    guard allNull || column.validity != nil else {
      return ShreddedLeaf(
        definition: [UInt8](repeating: 1, count: rows.count), repetition: [], column: column, valueRows: rows,
        rowCount: rows.count)
    }
    var definition = [UInt8](repeating: 0, count: rows.count)
    var valueRows: [Int32] = []
    valueRows.reserveCapacity(rows.count)
    for (position, row) in rows.enumerated() where !allNull && !column.isNull(Int(row)) {
      definition[position] = 1
      valueRows.append(row)
    }
    return ShreddedLeaf(
      definition: definition, repetition: [], column: column, valueRows: valueRows, rowCount: rows.count)
  }

  struct Entries {
    /// The row of the current column, or -1 where the entry stopped above it.
    var index: [Int32]
    var definition: [UInt8]
    var repetition: [UInt8]
  }

  private static func walk(
    _ node: WriteNode, _ column: Column, _ entries: inout Entries, repetitionLevel: UInt8,
    into leaves: inout [ShreddedLeaf?]
  ) throws(FormatError) {
    if node.nullable {
      let allNull = column.type == .null
      for position in entries.index.indices where entries.index[position] >= 0 {
        if allNull || column.isNull(Int(entries.index[position])) {
          entries.index[position] = -1
        } else {
          entries.definition[position] &+= 1
        }
      }
    }
    switch (node, column.values) {
    case (.leaf(let leaf, _, _), _):
      let valueRows = entries.index.filter { $0 >= 0 }
      let rowCount = entries.repetition.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
      leaves[leaf] = ShreddedLeaf(
        definition: entries.definition, repetition: entries.repetition, column: column, valueRows: valueRows,
        rowCount: rowCount)
    case (.record(let fields, _), .record(let children, _)):
      for (field, child) in zip(fields, children) {
        var copy = entries
        try walk(field, child, &copy, repetitionLevel: repetitionLevel, into: &leaves)
      }
    case (.list(let element, _), .list(let offsets, let items)):
      var fanned = fanOut(entries, offsets: offsets, level: repetitionLevel &+ 1)
      try walk(element, items, &fanned, repetitionLevel: repetitionLevel &+ 1, into: &leaves)
    case (.map(let key, let value, _), .map(let offsets, let keys, let values)):
      let fanned = fanOut(entries, offsets: offsets, level: repetitionLevel &+ 1)
      var keyEntries = fanned
      try walk(key, keys, &keyEntries, repetitionLevel: repetitionLevel &+ 1, into: &leaves)
      var valueEntries = fanned
      try walk(value, values, &valueEntries, repetitionLevel: repetitionLevel &+ 1, into: &leaves)
    default:
      throw FormatError("a \(column.type) column does not match the writer's schema")
    }
  }

  /// One entry per item of each present list; an empty or absent list keeps its entry.
  private static func fanOut(_ entries: Entries, offsets: [Int32], level: UInt8) -> Entries {
    var result = Entries(index: [], definition: [], repetition: [])
    result.index.reserveCapacity(entries.index.count)
    result.definition.reserveCapacity(entries.index.count)
    result.repetition.reserveCapacity(entries.index.count)
    for position in entries.index.indices {
      let row = entries.index[position]
      let definition = entries.definition[position]
      let repetition = entries.repetition[position]
      guard row >= 0, Int(row) + 1 < offsets.count, offsets[Int(row)] < offsets[Int(row) + 1] else {
        result.index.append(-1)
        result.definition.append(definition)
        result.repetition.append(repetition)
        continue
      }
      for item in offsets[Int(row)]..<offsets[Int(row) + 1] {
        result.index.append(item)
        result.definition.append(definition &+ 1)
        result.repetition.append(item == offsets[Int(row)] ? repetition : level)
      }
    }
    return result
  }
}
