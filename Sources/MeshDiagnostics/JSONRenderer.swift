/// Renders diagnostics as one JSON object for tools:
/// `{"diagnostics": [{severity, code, message, file, line, column, endLine, endColumn,
/// help?, notes}], "errors": N, "warnings": N}`. Keys keep this order; scripts may rely on it.
public struct JSONRenderer: Sendable {
  public init() {}

  public func render(_ diagnostics: [Diagnostic], extra: [(String, String)] = []) -> String {
    var out = "{\"diagnostics\":["
    for (index, diagnostic) in diagnostics.enumerated() {
      if index > 0 { out += "," }
      out += object(diagnostic)
    }
    let errors = diagnostics.count { $0.severity == .error }
    let warnings = diagnostics.count { $0.severity == .warning }
    out += "],\"errors\":\(errors),\"warnings\":\(warnings)"
    for (key, rawJSON) in extra {
      out += ",\(JSONRenderer.quote(key)):\(rawJSON)"
    }
    return out + "}\n"
  }

  private func object(_ diagnostic: Diagnostic) -> String {
    var fields: [String] = [
      "\"severity\":\(JSONRenderer.quote(diagnostic.severity.rawValue))",
      "\"code\":\(JSONRenderer.quote(diagnostic.code.id))",
      "\"message\":\(JSONRenderer.quote(diagnostic.message))",
    ]
    if let range = diagnostic.range {
      fields += [
        "\"file\":\(JSONRenderer.quote(range.file))",
        "\"line\":\(range.start.line)", "\"column\":\(range.start.column)",
        "\"endLine\":\(range.end.line)", "\"endColumn\":\(range.end.column)",
      ]
    } else {
      fields += ["\"file\":null", "\"line\":null", "\"column\":null"]
    }
    if let help = diagnostic.help { fields.append("\"help\":\(JSONRenderer.quote(help))") }
    let notes = diagnostic.notes.map { note in
      var parts = ["\"message\":\(JSONRenderer.quote(note.message))"]
      if let range = note.range {
        parts += [
          "\"file\":\(JSONRenderer.quote(range.file))", "\"line\":\(range.start.line)",
          "\"column\":\(range.start.column)",
        ]
      }
      return "{" + parts.joined(separator: ",") + "}"
    }
    fields.append("\"notes\":[" + notes.joined(separator: ",") + "]")
    return "{" + fields.joined(separator: ",") + "}"
  }

  /// A JSON string literal for any Swift string.
  public static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
