/// Renders diagnostics for people, as clang does: a greppable first line
/// (`file:line:col: severity[code]: message`), the source line, a caret under the range,
/// then help and notes.
public struct TextRenderer: Sendable {
  public var colored: Bool

  public init(colored: Bool) { self.colored = colored }

  public func render(_ diagnostics: [Diagnostic], sources: SourceFiles) -> String {
    var out = ""
    for diagnostic in diagnostics {
      out += render(diagnostic, sources: sources)
    }
    return out
  }

  public func render(_ diagnostic: Diagnostic, sources: SourceFiles) -> String {
    var out = ""
    if let range = diagnostic.range {
      out += paint("\(range.file):\(range.start.line):\(range.start.column): ", .bold)
    }
    out += paint("\(diagnostic.severity.rawValue)[\(diagnostic.code.id)]", color(diagnostic.severity))
    out += paint(": \(diagnostic.message)", .bold) + "\n"
    if let range = diagnostic.range, let file = sources[range.file] {
      out += snippet(range, in: file)
    }
    if let help = diagnostic.help {
      out += paint("help", .cyan) + ": \(help)\n"
    }
    for note in diagnostic.notes {
      let place = note.range.map { "\($0.file):\($0.start.line):\($0.start.column): " } ?? ""
      out += place + paint("note", .cyan) + ": \(note.message)\n"
    }
    return out
  }

  /// A one-line count such as `2 errors, 1 warning`.
  public static func summary(errors: Int, warnings: Int) -> String {
    func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
    return "\(plural(errors, "error")), \(plural(warnings, "warning"))"
  }

  /// Lines longer than this are quoted as a window around the column, as clang does, so
  /// a 50 MB line never becomes 50 MB of output.
  static let snippetWidth = 120

  private func snippet(_ range: SourceRange, in file: SourceFile) -> String {
    guard let text = file.lineText(range.start.line) else { return "" }
    let number = String(range.start.line)
    let gutter = String(repeating: " ", count: number.count + 1)
    var scalars = Array(text.unicodeScalars)
    var column = max(1, range.start.column)
    var width = 1
    if range.end.line == range.start.line, range.end.column > range.start.column {
      width = max(1, min(range.end.column, scalars.count + 1) - range.start.column)
    }
    if scalars.count > TextRenderer.snippetWidth {
      let start = max(0, min(column - 1 - TextRenderer.snippetWidth / 3, scalars.count - TextRenderer.snippetWidth))
      let end = min(scalars.count, start + TextRenderer.snippetWidth)
      let window = Array(scalars[start..<end])
      let prefix: [Unicode.Scalar] = start > 0 ? ["…"] : []
      let suffix: [Unicode.Scalar] = end < scalars.count ? ["…"] : []
      scalars = prefix + window + suffix
      width = max(1, min(width, end - (column - 1)))
      column = column - start + prefix.count
    }
    // Control characters print as their visible symbols (U+2400…), one column each, so
    // that a binary file cannot write raw bytes to the terminal and the caret lines up.
    let visible = scalars.map { scalar -> Unicode.Scalar in
      guard scalar != "\t" else { return scalar }
      if scalar.value < 0x20 { return Unicode.Scalar(0x2400 + scalar.value) ?? "?" }
      return scalar.value == 0x7F ? "\u{2421}" : scalar
    }
    // Tabs stay tabs under the caret so the caret lines up whatever the tab width.
    let lead = visible.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
    let marker = "^" + String(repeating: "~", count: max(0, width - 1))
    var line = String.UnicodeScalarView()
    line.append(contentsOf: visible)
    return " \(number) | \(String(line))\n \(gutter)| \(lead)" + paint(marker, .green) + "\n"
  }

  private enum Style: String {
    case bold = "1"
    case red = "1;31"
    case yellow = "1;33"
    case cyan = "1;36"
    case green = "1;32"
  }

  private func color(_ severity: Severity) -> Style {
    switch severity {
    case .error: .red
    case .warning: .yellow
    case .note: .cyan
    }
  }

  private func paint(_ text: String, _ style: Style) -> String {
    colored ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }
}
