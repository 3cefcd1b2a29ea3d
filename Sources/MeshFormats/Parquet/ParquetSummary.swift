/// `meshc schema --parquet`: a file's Parquet schema in the message notation that
/// parquet-mr and pyarrow print, then each row group and its column chunks.
public enum ParquetSummary {
  public static func text(_ metadata: FileMetaData, _ schema: ParquetSchema) -> String {
    var lines = ["message \(schema.root.name) {"]
    for child in schema.root.children { describe(child, depth: 1, into: &lines) }
    lines.append("}")
    lines.append("")
    let groups = metadata.rowGroups.count
    lines.append(
      "\(metadata.rowCount) rows in \(groups) row group\(groups == 1 ? "" : "s")\(metadata.createdBy.map { ", written by \($0)" } ?? "")"
    )
    for (index, group) in metadata.rowGroups.enumerated() {
      let compressed = group.columns.reduce(Int64(0)) { $0 + $1.metaData.totalCompressedSize }
      lines.append(
        "row group \(index): \(group.rowCount) rows, \(compressed) bytes (\(group.totalByteSize) uncompressed)")
      for chunk in group.columns {
        let meta = chunk.metaData
        let codec = CompressionCodec(rawValue: meta.codec)?.name ?? "codec \(meta.codec)"
        var line =
          "  \(meta.path.joined(separator: ".")): \(meta.type.name) \(codec) \(meta.encodings.map(\.name).joined(separator: ",")), \(meta.valueCount) values, \(meta.totalCompressedSize) bytes"
        if let statistics = meta.statistics {
          if let nulls = statistics.nullCount { line += ", \(nulls) nulls" }
          if let low = statistics.min, let high = statistics.max {
            line += ", min \(bound(low, meta.type)) max \(bound(high, meta.type))"
          }
        }
        lines.append(line)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func describe(_ node: ParquetSchema.Node, depth: Int, into lines: inout [String]) {
    let indent = String(repeating: "  ", count: depth)
    let element = node.element
    var annotation = element.logicalType.map(\.description) ?? ""
    if annotation.isEmpty, let converted = element.convertedType { annotation = "\(converted)".uppercased() }
    let suffix = annotation.isEmpty ? "" : " (\(annotation))"
    if node.isLeaf {
      var type = element.type?.name.lowercased() ?? "unknown"
      if type == "fixed_len_byte_array", let length = element.typeLength { type += "(\(length))" }
      if type == "byte_array" { type = "binary" }
      lines.append("\(indent)\(node.repetition.name) \(type) \(node.name)\(suffix);")
    } else {
      lines.append("\(indent)\(node.repetition.name) group \(node.name)\(suffix) {")
      for child in node.children { describe(child, depth: depth + 1, into: &lines) }
      lines.append("\(indent)}")
    }
  }

  /// A statistics bound as its type says: numbers as numbers, printable text quoted, else hex.
  private static func bound(_ bytes: [UInt8], _ type: PhysicalType) -> String {
    func integer() -> Int64 {
      var value: Int64 = 0
      for byte in bytes.reversed() { value = value << 8 | Int64(byte) }
      return value
    }
    switch (type, bytes.count) {
    case (.int32, 4): return "\(Int32(truncatingIfNeeded: integer()))"
    case (.int64, 8): return "\(integer())"
    case (.float, 4): return "\(Float(bitPattern: UInt32(truncatingIfNeeded: integer())))"
    case (.double, 8): return "\(Double(bitPattern: UInt64(bitPattern: integer())))"
    case (.boolean, 1): return bytes[0] == 0 ? "false" : "true"
    default:
      if let text = String(validating: bytes, as: UTF8.self), text.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) {
        return "\"\(text)\""
      }
      return "0x"
        + bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
  }
}
