/// Reads CSV as RFC 4180 defines it: records end at CRLF or LF, fields are separated by
/// the delimiter, a field in quotes may hold delimiters, line breaks and doubled quotes.
/// A UTF-8 byte-order mark at the start is skipped, as spreadsheets write one. Each
/// record says where it is (line, and the column of each field) for diagnostics.
public struct CSVReader {
  public struct Record: Sendable, Equatable {
    /// The text the fields point into (shared with the reader, not copied), and the
    /// unescaped values of quoted fields that held doubled quotes.
    var source: [UInt8]
    var unescaped: [UInt8] = []
    /// Each field's bytes: a range of `source`, or (`inUnescaped`) of `unescaped`.
    var spans: [(range: Range<Int>, inUnescaped: Bool)] = []
    /// Whether each field was quoted: an empty quoted field is an empty string, an empty
    /// unquoted one may be a null (the input's null spelling decides).
    public var quoted: [Bool]
    /// The 1-based line the record starts on, and the 1-based byte column of each field.
    public var line: Int
    public var columns: [Int]
    /// The record's bytes in the text, without its line break: what a dead letter quotes.
    public var range: Range<Int>

    public var count: Int { spans.count }

    /// Field `index`'s value, without copying.
    public func field(_ index: Int) -> ArraySlice<UInt8> {
      let span = spans[index]
      return span.inUnescaped ? unescaped[span.range] : source[span.range]
    }

    /// Every field's value, copied.
    public var fields: [[UInt8]] { spans.indices.map { Array(field($0)) } }

    public static func == (a: Record, b: Record) -> Bool {
      a.fields == b.fields && a.quoted == b.quoted && a.line == b.line && a.columns == b.columns && a.range == b.range
    }
  }

  let bytes: [UInt8]
  private let delimiter: UInt8
  private let quote: UInt8
  private(set) var offset: Int
  /// Where the record being read starts.
  private(set) var recordStart = 0
  private(set) var line = 1
  private var lineStart = 0

  /// `firstLine` is the line number of the first byte: a later chunk of a file read in
  /// pieces goes on counting where the one before stopped (and has no byte-order mark).
  public init(
    bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""), firstLine: Int = 1
  ) {
    self.bytes = bytes
    self.delimiter = delimiter
    self.quote = quote
    offset = firstLine == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    lineStart = offset
    line = firstLine
  }

  /// The end of the last whole record in `bytes` (just past its line break): where a
  /// chunk may be cut, found by the parity of quotes since the chunk's start, which must
  /// itself be a record's start. Nil when no record ends in it.
  public static func lastRecordEnd(_ bytes: ArraySlice<UInt8>, quote: UInt8 = UInt8(ascii: "\"")) -> Int? {
    var quoted = false
    var end: Int?
    for index in bytes.indices {
      let byte = bytes[index]
      if byte == quote {
        quoted.toggle()
      } else if byte == UInt8(ascii: "\n"), !quoted {
        end = index + 1
      }
    }
    return end
  }

  /// The next record; nil at the end. Empty lines are skipped.
  public mutating func next() throws(CSVError) -> Record? {
    var record = Record(source: bytes, quoted: [], line: line, columns: [], range: offset..<offset)
    return try next(into: &record) ? record : nil
  }

  /// The next record into `record`, whose arrays are reused (a reader of many records
  /// allocates nothing per record); false at the end. Empty lines are skipped.
  public mutating func next(into record: inout Record) throws(CSVError) -> Bool {
    while offset < bytes.count, isLineBreak(bytes[offset]) { skipLineBreak() }
    guard offset < bytes.count else { return false }
    recordStart = offset
    record.source = bytes
    record.unescaped.removeAll(keepingCapacity: true)
    record.spans.removeAll(keepingCapacity: true)
    record.quoted.removeAll(keepingCapacity: true)
    record.columns.removeAll(keepingCapacity: true)
    record.line = line
    record.range = offset..<offset
    while true {
      record.columns.append(offset - lineStart + 1)
      let quoted = try field(into: &record)
      record.quoted.append(quoted)
      record.range = record.range.lowerBound..<offset
      guard offset < bytes.count else { return true }
      if bytes[offset] == delimiter {
        offset += 1
        continue
      }
      skipLineBreak()
      return true
    }
  }

  private func isLineBreak(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }

  private mutating func skipLineBreak() {
    if bytes[offset] == UInt8(ascii: "\r"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "\n") {
      offset += 1
    }
    offset += 1
    line += 1
    lineStart = offset
  }

  /// Reads one field into the record's spans; whether it was quoted.
  private mutating func field(into record: inout Record) throws(CSVError) -> Bool {
    let start = offset
    guard offset < bytes.count, bytes[offset] == quote else {
      while offset < bytes.count, bytes[offset] != delimiter, !isLineBreak(bytes[offset]) {
        if bytes[offset] == quote {
          throw CSVError(
            "a quote inside an unquoted field", line: line, column: offset - lineStart + 1,
            help: "quote the whole field and double the quotes inside it")
        }
        offset += 1
      }
      record.spans.append((start..<offset, false))
      return false
    }
    let (openLine, openColumn) = (line, offset - lineStart + 1)
    offset += 1
    let contentStart = offset
    // Without doubled quotes the value is the text between the quotes; with them, an
    // unescaped copy is made.
    var escaped = false
    let unescapedStart = record.unescaped.count
    while true {
      guard offset < bytes.count else {
        throw CSVError("a quoted field is never closed", line: openLine, column: openColumn)
      }
      let byte = bytes[offset]
      offset += 1
      if byte == quote {
        if offset < bytes.count, bytes[offset] == quote {
          if !escaped {
            escaped = true
            record.unescaped += bytes[contentStart..<offset - 1]
          }
          record.unescaped.append(quote)
          offset += 1
          continue
        }
        guard offset == bytes.count || bytes[offset] == delimiter || isLineBreak(bytes[offset]) else {
          throw CSVError(
            "text after a closing quote", line: line, column: offset - lineStart + 1,
            help: "double a quote that belongs to the field")
        }
        record.spans.append(
          escaped ? (unescapedStart..<record.unescaped.count, true) : (contentStart..<offset - 1, false))
        return true
      }
      if byte == UInt8(ascii: "\n")
        || (byte == UInt8(ascii: "\r") && bytes.dropFirst(offset).first != UInt8(ascii: "\n"))
      {
        line += 1
        lineStart = offset
      }
      if escaped { record.unescaped.append(byte) }
    }
  }
}

/// Why CSV could not be read, and where.
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String
  public var line: Int
  public var column: Int
  public var help: String?

  public init(_ message: String, line: Int, column: Int, help: String? = nil) {
    self.message = message
    self.line = line
    self.column = column
    self.help = help
  }

  public var description: String { "line \(line), column \(column): \(message)" }
}
