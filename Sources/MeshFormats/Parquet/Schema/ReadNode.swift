import MeshData

/// How one field of the records is put together from the file's leaf columns: which
/// schema node holds its nulls, which repeated node its list offsets, which leaf its values.
indirect enum ReadNode: Sendable {
  case leaf(node: Int, leaf: Int, type: DataType, conversion: LeafConversion)
  case record(node: Int, type: DataType, fields: [ReadNode])
  case list(node: Int, repeated: Int, type: DataType, element: ReadNode)
  case map(node: Int, repeated: Int, type: DataType, key: ReadNode, value: ReadNode)

  var leaves: [Int] {
    switch self {
    case .leaf(_, let leaf, _, _): [leaf]
    case .record(_, _, let fields): fields.flatMap(\.leaves)
    case .list(_, _, _, let element): element.leaves
    case .map(_, _, _, let key, let value): key.leaves + value.leaves
    }
  }
}

/// How a leaf's physical values become the values of its column type.
enum LeafConversion: Sendable, Hashable {
  /// The physical values are already the column's (same width, same meaning).
  case direct
  /// INT32 held in an Int64 column: decimals and time-millis.
  case widen
  case unsigned32
  case unsigned64
  /// Two's-complement big-endian bytes to an unscaled Int64.
  case decimalBytes
  /// 16 raw bytes to the 36-character text of a uuid column.
  case uuidBytes
  case float16
  /// A column of type null: its levels are read (they shape what holds it), its values not.
  case null
  /// A symbol's text to its index.
  case enumSymbols([String])
}
