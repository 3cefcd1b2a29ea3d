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
      out += ",\(JSONWriter.quote(key)):\(rawJSON)"
    }
    return out + "}\n"
  }

  private func object(_ diagnostic: Diagnostic) -> String {
    var fields: [String] = [
      "\"severity\":\(JSONWriter.quote(diagnostic.severity.rawValue))",
      "\"code\":\(JSONWriter.quote(diagnostic.code.id))",
      "\"message\":\(JSONWriter.quote(diagnostic.message))",
    ]
    if let range = diagnostic.range {
      fields += [
        "\"file\":\(JSONWriter.quote(range.file))",
        "\"line\":\(range.start.line)", "\"column\":\(range.start.column)",
        "\"endLine\":\(range.end.line)", "\"endColumn\":\(range.end.column)",
      ]
    } else {
      fields += ["\"file\":null", "\"line\":null", "\"column\":null"]
    }
    if let help = diagnostic.help { fields.append("\"help\":\(JSONWriter.quote(help))") }
    let notes = diagnostic.notes.map { note in
      var parts = ["\"message\":\(JSONWriter.quote(note.message))"]
      if let range = note.range {
        parts += [
          "\"file\":\(JSONWriter.quote(range.file))", "\"line\":\(range.start.line)",
          "\"column\":\(range.start.column)",
        ]
      }
      return "{" + parts.joined(separator: ",") + "}"
    }
    fields.append("\"notes\":[" + notes.joined(separator: ",") + "]")
    return "{" + fields.joined(separator: ",") + "}"
  }
}
