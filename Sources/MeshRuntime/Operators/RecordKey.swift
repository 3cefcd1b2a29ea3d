public import MeshData

/// A record's key as the log holds it: the key fields' values as text (the JSON mapping's
/// text), joined by `|`. A stream port writes it as each record's key; a table read from
/// the port is keyed by it, so that a tombstone (a key without a value) finds its row.
public enum RecordKey {
  public static func text(_ batch: RecordBatch, fields: [Int], row: Int) -> [UInt8] {
    var text: [UInt8] = []
    append(batch, fields: fields, row: row, to: &text)
    return text
  }

  /// The key appended to `text` (a buffer a loop reuses).
  static func append(_ batch: RecordBatch, fields: [Int], row: Int, to text: inout [UInt8]) {
    for (position, field) in fields.enumerated() {
      if position > 0 { text.append(UInt8(ascii: "|")) }
      ValueText.append(batch.columns[field], row, to: &text)
    }
  }
}
