import MeshData

/// Puts records back together from leaf columns (the inverse of Dremel's striping).
/// Each leaf walks its path from the top: an entry whose definition level stops above
/// a node is a null (or an empty list) there; a repeated node's items are the entries
/// that repeat at its level. What a node's nulls and offsets are is the same whichever
/// leaf below it says so, so the first leaf to reach a node records them.
struct RecordAssembler {
  let schema: ParquetSchema
  let rowCount: Int
  private var validity: [Int: Bitmap] = [:]
  private var offsets: [Int: [Int32]] = [:]
  private var leafValues: [Int: ColumnValues] = [:]

  init(schema: ParquetSchema, rowCount: Int) {
    self.schema = schema
    self.rowCount = rowCount
  }

  mutating func add(leaf index: Int, _ data: LeafData, type: DataType, conversion: LeafConversion) throws(FormatError) {
    let leaf = schema.leaves[index]
    let column = leaf.path.joined(separator: ".")
    let definition = data.definition
    let repetition = data.repetition
    if leaf.maxDefinition == 0, leaf.maxRepetition == 0 {
      guard data.entryCount == rowCount else {
        throw FormatError("column \(column) holds \(data.entryCount) rows, not \(rowCount)")
      }
      leafValues[index] = try LeafColumn.values(
        data.values, take: nil, type: type, conversion: conversion, column: column)
      return
    }
    var slots: [Int32]
    if leaf.maxRepetition == 0 {
      slots = (0..<Int32(data.entryCount)).map { $0 }
    } else {
      slots = []
      slots.reserveCapacity(rowCount)
      for (entry, level) in repetition.enumerated() where level == 0 { slots.append(Int32(entry)) }
    }
    guard slots.count == rowCount else {
      throw FormatError("column \(column) holds \(slots.count) rows, not \(rowCount)")
    }
    for id in leaf.nodes {
      let node = schema.nodes[id]
      switch node.repetition {
      case .required:
        continue
      case .optional:
        let level = UInt8(node.definitionLevel)
        var present = Bitmap()
        present.reserveCapacity(slots.count)
        for position in slots.indices {
          let slot = slots[position]
          let isPresent = slot >= 0 && definition[Int(slot)] >= level
          if !isPresent { slots[position] = -1 }
          present.append(isPresent)
        }
        // Every leaf below a node must agree on its nulls: a damaged file whose leaves
        // disagree would give columns that do not fit together.
        if let known = validity[id] {
          guard known == present else {
            throw FormatError("column \(column)'s levels disagree with its siblings' about the nulls of \(node.name)")
          }
        } else {
          validity[id] = present
        }
      case .repeated:
        let level = UInt8(node.definitionLevel)
        let depth = UInt8(node.repetitionLevel)
        var items: [Int32] = []
        items.reserveCapacity(slots.count)
        var listOffsets: [Int32] = [0]
        listOffsets.reserveCapacity(slots.count + 1)
        for slot in slots {
          if slot >= 0, definition[Int(slot)] >= level {
            items.append(slot)
            var next = Int(slot) + 1
            while next < repetition.count, repetition[next] >= depth {
              if repetition[next] == depth { items.append(Int32(next)) }
              next += 1
            }
          }
          listOffsets.append(Int32(items.count))
        }
        if let known = offsets[id] {
          guard known == listOffsets else {
            throw FormatError("column \(column)'s levels disagree with its siblings' about the items of \(node.name)")
          }
        } else {
          offsets[id] = listOffsets
        }
        slots = items
      }
    }
    // What is left at the leaf are the entries defined all the way down, in order.
    var take: [Int32] = []
    take.reserveCapacity(slots.count)
    var next: Int32 = 0
    for slot in slots {
      if slot >= 0 {
        take.append(next)
        next += 1
      } else {
        take.append(-1)
      }
    }
    guard Int(next) == data.values.count else {
      throw FormatError("column \(column)'s levels define \(next) values, but it holds \(data.values.count)")
    }
    leafValues[index] = try LeafColumn.values(
      data.values, take: take, type: type, conversion: conversion, column: column)
  }

  /// The column of a top-level field (or, recursively, of a nested one with `count` rows).
  func column(_ node: ReadNode, count: Int) -> Column {
    switch node {
    case .leaf(let id, let leaf, let type, _):
      return Column(type: type, values: leafValues[leaf] ?? .boolean([]), validity: nulls(id))
    case .record(let id, let type, let fields):
      let children = fields.map { column($0, count: count) }
      return Column(type: type, values: .record(fields: children, count: count), validity: nulls(id))
    case .list(let id, let repeated, let type, let element):
      let listOffsets = offsets[repeated] ?? [Int32](repeating: 0, count: count + 1)
      let items = column(element, count: Int(listOffsets.last ?? 0))
      return Column(type: type, values: .list(offsets: listOffsets, element: items), validity: nulls(id))
    case .map(let id, let repeated, let type, let key, let value):
      let mapOffsets = offsets[repeated] ?? [Int32](repeating: 0, count: count + 1)
      let items = Int(mapOffsets.last ?? 0)
      return Column(
        type: type,
        values: .map(offsets: mapOffsets, keys: column(key, count: items), values: column(value, count: items)),
        validity: nulls(id))
    }
  }

  private func nulls(_ id: Int) -> Bitmap? {
    guard let bitmap = validity[id], bitmap.nullCount > 0 else { return nil }
    return bitmap
  }
}
