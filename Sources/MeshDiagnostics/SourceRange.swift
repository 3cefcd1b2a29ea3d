/// A span in one file: `start` is the first character, `end` the position just past the
/// last one (equal to `start` for a point). `file` is the path as the user should see it.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var start: SourceLocation
  public var end: SourceLocation

  public init(file: String, start: SourceLocation, end: SourceLocation) {
    self.file = file
    self.start = start
    self.end = end
  }

  /// A zero-width range at one point.
  public init(file: String, at location: SourceLocation) {
    self.init(file: file, start: location, end: location)
  }

  /// A range covering the whole of a file when nothing more precise is known.
  public static func wholeFile(_ file: String) -> SourceRange {
    SourceRange(file: file, at: SourceLocation(line: 1, column: 1))
  }

  public var description: String { "\(file):\(start)" }
}
