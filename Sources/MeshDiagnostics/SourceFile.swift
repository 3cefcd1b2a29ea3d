/// The text of one input file and its line table. Immutable, so safe to share.
///
/// Stages that scan bytes (the JSON reader of `.avsc` files, the CSV reader) convert a
/// byte offset to a `SourceLocation` here, so columns are counted the same way everywhere.
public struct SourceFile: Sendable {
  /// The path shown to users: relative to the working directory when possible.
  public let path: String
  public let bytes: [UInt8]
  /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(offset + 1)
    }
    self.lineStarts = starts
  }

  public init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }

  public var lineCount: Int { lineStarts.count }

  /// The location of a byte offset; offsets past the end clamp to the end of the file.
  public func location(ofByteOffset offset: Int) -> SourceLocation {
    let clamped = max(0, min(offset, bytes.count))
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
    }
    var column = 1
    var index = lineStarts[low]
    while index < clamped {
      // Count scalars: continuation bytes (10xxxxxx) do not start a new one.
      if bytes[index] & 0xC0 != 0x80 { column += 1 }
      index += 1
    }
    return SourceLocation(line: low + 1, column: column)
  }

  /// The byte offset of a location (columns count Unicode scalars); clamps to the line's
  /// end and the file's.
  public func byteOffset(of location: SourceLocation) -> Int {
    guard location.line >= 1, location.line <= lineStarts.count else { return bytes.count }
    var index = lineStarts[location.line - 1]
    var column = 1
    while column < location.column, index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
      index += 1
      while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
      column += 1
    }
    return index
  }

  /// A range between two byte offsets of this file.
  public func range(fromByte start: Int, toByte end: Int) -> SourceRange {
    SourceRange(file: path, start: location(ofByteOffset: start), end: location(ofByteOffset: end))
  }

  /// The text of a 1-based line without its line break, or nil past the end.
  public func lineText(_ line: Int) -> String? {
    guard line >= 1, line <= lineStarts.count else { return nil }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] : bytes.count
    while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
      end -= 1
    }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}
