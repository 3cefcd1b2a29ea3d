#if canImport(Glibc)
  import Glibc
#endif

/// Where a reader puts the fields of a record: a `Record`, or a batch's spans.
protocol CSVFieldSink {
  /// Unescaped copies of quoted fields that held doubled quotes.
  var unescaped: [UInt8] { get set }
  /// A record starts at `offset` of the text, on `line`.
  mutating func beginRecord(at offset: Int, line: Int)
  /// A field: its bytes (in the text, or with `inUnescaped` in `unescaped`), whether it
  /// was quoted, its 1-based byte column.
  mutating func field(_ range: Range<Int>, inUnescaped: Bool, quoted: Bool, column: Int)
  /// The record ends before `offset`.
  mutating func endRecord(at offset: Int)
}

/// Reads CSV as RFC 4180 defines it: records end at CRLF or LF, fields are separated by
/// the delimiter, a field in quotes may hold delimiters, line breaks and doubled quotes.
/// A UTF-8 byte-order mark at the start is skipped, as spreadsheets write one. Each
/// record says where it is (line, and the column of each field) for diagnostics.
public struct CSVReader {
  public struct Record: Sendable, Equatable, CSVFieldSink {
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

    mutating func beginRecord(at offset: Int, line: Int) {
      unescaped.removeAll(keepingCapacity: true)
      spans.removeAll(keepingCapacity: true)
      quoted.removeAll(keepingCapacity: true)
      columns.removeAll(keepingCapacity: true)
      self.line = line
      range = offset..<offset
    }

    mutating func field(_ range: Range<Int>, inUnescaped: Bool, quoted: Bool, column: Int) {
      spans.append((range, inUnescaped))
      self.quoted.append(quoted)
      columns.append(column)
    }

    mutating func endRecord(at offset: Int) { range = range.lowerBound..<offset }

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
    // Without quotes (the common case, told by memchr) the last line break ends the last
    // record, found from the end rather than by reading the whole piece byte by byte.
    let hasQuotes = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { memchr($0, Int32(quote), buffer.count) != nil } ?? false
    }
    if !hasQuotes {
      return bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }
    }
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
    record.source = bytes
    return try next(into: &record) != nil
  }

  /// The next record's fields into `sink`; their number, nil at the end. Empty lines are
  /// skipped.
  mutating func next<Sink: CSVFieldSink>(into sink: inout Sink) throws(CSVError) -> Int? {
    while offset < bytes.count, isLineBreak(bytes[offset]) { skipLineBreak() }
    guard offset < bytes.count else { return nil }
    recordStart = offset
    sink.beginRecord(at: offset, line: line)
    var fields = 0
    while true {
      try field(into: &sink)
      fields += 1
      guard offset < bytes.count else {
        sink.endRecord(at: offset)
        return fields
      }
      if bytes[offset] == delimiter {
        offset += 1
        continue
      }
      sink.endRecord(at: offset)
      skipLineBreak()
      return fields
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

  /// Reads one field into the sink.
  private mutating func field<Sink: CSVFieldSink>(into sink: inout Sink) throws(CSVError) {
    let start = offset
    let column = offset - lineStart + 1
    guard offset < bytes.count, bytes[offset] == quote else {
      // Unquoted: up to the delimiter or the line break, through the buffer (no bounds
      // checks per byte: this loop is most of reading CSV).
      let end = bytes.withUnsafeBufferPointer { buffer in
        var at = start
        while at < buffer.count {
          let byte = buffer[at]
          if byte == delimiter || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == quote { break }
          at += 1
        }
        return at
      }
      offset = end
      if offset < bytes.count, bytes[offset] == quote {
        throw CSVError(
          "a quote inside an unquoted field", line: line, column: offset - lineStart + 1,
          help: "quote the whole field and double the quotes inside it")
      }
      sink.field(start..<offset, inUnescaped: false, quoted: false, column: column)
      return
    }
    let (openLine, openColumn) = (line, column)
    offset += 1
    let contentStart = offset
    // Without doubled quotes the value is the text between the quotes; with them, an
    // unescaped copy is made.
    var escaped = false
    let unescapedStart = sink.unescaped.count
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
            sink.unescaped += bytes[contentStart..<offset - 1]
          }
          sink.unescaped.append(quote)
          offset += 1
          continue
        }
        guard offset == bytes.count || bytes[offset] == delimiter || isLineBreak(bytes[offset]) else {
          throw CSVError(
            "text after a closing quote", line: line, column: offset - lineStart + 1,
            help: "double a quote that belongs to the field")
        }
        if escaped {
          sink.field(unescapedStart..<sink.unescaped.count, inUnescaped: true, quoted: true, column: column)
        } else {
          sink.field(contentStart..<offset - 1, inUnescaped: false, quoted: true, column: column)
        }
        return
      }
      if byte == UInt8(ascii: "\n")
        || (byte == UInt8(ascii: "\r") && bytes.dropFirst(offset).first != UInt8(ascii: "\n"))
      {
        line += 1
        lineStart = offset
      }
      if escaped { sink.unescaped.append(byte) }
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
