public import MeshDiagnostics

/// Fixture text with position markers (`1️⃣`, `2️⃣`, …) as swift-syntax's tests write
/// them: the markers are stripped and their 1-based line and column returned, so a test
/// says *where* a diagnostic must point without counting characters by hand.
public struct MarkedSource: Sendable {
  public let text: String
  public let markers: [String: SourceLocation]

  public static let markerNames = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

  public init(_ marked: String) {
    var text = ""
    var markers: [String: SourceLocation] = [:]
    var line = 1
    var column = 1
    var rest = Substring(marked)
    outer: while let character = rest.first {
      for name in MarkedSource.markerNames where rest.hasPrefix(name) {
        markers[name] = SourceLocation(line: line, column: column)
        rest = rest.dropFirst(name.count)
        continue outer
      }
      text.append(character)
      if character == "\n" {
        line += 1
        column = 1
      } else {
        column += character.unicodeScalars.count
      }
      rest = rest.dropFirst()
    }
    self.text = text
    self.markers = markers
  }

  public subscript(marker: String) -> SourceLocation? { markers[marker] }

  public func sourceFile(path: String = "test.yaml") -> SourceFile {
    SourceFile(path: path, text: text)
  }
}
