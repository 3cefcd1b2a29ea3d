/// Renders diagnostics as GitHub Actions workflow commands, which annotate the lines of
/// a pull request: `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=E0201::message`.
public struct GitHubRenderer: Sendable {
  public init() {}

  public func render(_ diagnostics: [Diagnostic]) -> String {
    var out = ""
    for diagnostic in diagnostics {
      let command: String
      switch diagnostic.severity {
      case .error: command = "error"
      case .warning: command = "warning"
      case .note: command = "notice"
      }
      var properties: [String] = []
      if let range = diagnostic.range {
        properties += [
          "file=\(escapeProperty(range.file))", "line=\(range.start.line)", "col=\(range.start.column)",
          "endLine=\(range.end.line)", "endColumn=\(range.end.column)",
        ]
      }
      properties.append("title=\(escapeProperty("meshc \(diagnostic.code.id)"))")
      var message = diagnostic.message
      if let help = diagnostic.help { message += "\nhelp: \(help)" }
      out += "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))\n"
    }
    return out
  }

  // The escapes GitHub's runner expects in a command's data and in its properties.
  private func escapeData(_ text: String) -> String {
    text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
  }

  private func escapeProperty(_ text: String) -> String {
    escapeData(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
  }
}

extension String {
  fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self {
      if character == target { out += replacement } else { out.append(character) }
    }
    return out
  }
}
