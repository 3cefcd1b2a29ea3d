/// Converts byte offsets to locations for a scanner that moves forward: each call costs
/// only the bytes since the previous one, where `SourceFile.location(ofByteOffset:)`
/// rescans the line (quadratic on a long single-line JSON file).
public struct LocationCursor: Sendable {
  public let file: SourceFile
  private var offset = 0
  private var location = SourceLocation(line: 1, column: 1)

  public init(_ file: SourceFile) { self.file = file }

  public mutating func location(at target: Int) -> SourceLocation {
    guard target >= offset else { return file.location(ofByteOffset: target) }
    let bytes = file.bytes
    let end = min(target, bytes.count)
    var line = location.line
    var column = location.column
    var index = offset
    while index < end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
      index += 1
    }
    offset = end
    location = SourceLocation(line: line, column: column)
    return location
  }
}
