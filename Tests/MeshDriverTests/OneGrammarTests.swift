import MeshDiagnostics
import MeshManifest
import MeshYAML
import Testing

@testable import MeshDriver

/// One grammar per unit: the same spellings, given to a manifest and to the command line,
/// get the same verdict and the same diagnostic code.
@Suite struct OneGrammarTests {
  static let durations = [
    "500ms", "30s", "7d", "2w", "1h30m", "infinite", "0s", "7D", "1.5h", "forever", "-1", "30m1h", "7 d", "",
    "15250284452w4d", "9223372036854775807ms", "9223372036854775808ms", "1h1h",
  ]
  static let sizes = [
    "4096", "1gb", "1GB", "1.5 GiB", "1.5GiB", "512KiB", "10MB", "infinite", "1g", "0", "-1", "1e9", "10 parsecs",
    "0.5B", "99999999999999999999", "8EiB",
  ]

  /// The codes a manifest output port reports for `key: value`.
  static func manifestCodes(_ key: String, _ value: String) -> [String] {
    let yaml = """
      apiVersion: meshc/v1
      kind: DataProduct
      metadata: {name: orders, domain: sales, owner: {team: sales}}
      spec:
        inputs: [{name: raw, format: csv, path: data/*.csv, schema: s.avsc}]
        outputs:
          - name: stream
            kind: stream
            from: raw
            schema: o.avsc
            \(key): '\(value)'
      """
    let parsed = parseYAML(SourceFile(path: "p.yaml", text: yaml))
    var decoder = ManifestDecoder()
    _ = parsed.documents.first?.root.flatMap { decoder.decodeProduct($0) }
    return (parsed.diagnostics.all + decoder.diagnostics.all).map(\.code.id)
  }

  /// The codes `meshc topics create t OPTION value` reports.
  static func commandLineCodes(_ option: String, _ value: String) -> [String] {
    let commandLine = CommandLineSource(["topics", "create", "t", option, value])
    var settings = TopicSettings()
    if option == "--retention" { settings.retention = value } else { settings.retentionBytes = value }
    var diagnostics = Diagnostics()
    _ = settings.config(commandLine, &diagnostics)
    return diagnostics.all.map(\.code.id)
  }

  @Test(arguments: durations)
  func durationsGetOneVerdict(_ text: String) {
    let manifest = Self.manifestCodes("retention", text)
    let commandLine = Self.commandLineCodes("--retention", text)
    #expect(manifest == commandLine, "'\(text)': manifest \(manifest), command line \(commandLine)")
    #expect(manifest.allSatisfy { $0 == DiagnosticCode.invalidTimeSpan.id })
  }

  @Test(arguments: sizes)
  func sizesGetOneVerdict(_ text: String) {
    let manifest = Self.manifestCodes("retentionBytes", text)
    let commandLine = Self.commandLineCodes("--retention-bytes", text)
    #expect(manifest == commandLine, "'\(text)': manifest \(manifest), command line \(commandLine)")
    #expect(manifest.allSatisfy { $0 == DiagnosticCode.invalidSize.id })
  }

  @Test func theTableHasBothVerdicts() {
    #expect(Self.durations.contains { Self.manifestCodes("retention", $0).isEmpty })
    #expect(Self.durations.contains { !Self.manifestCodes("retention", $0).isEmpty })
    #expect(Self.sizes.contains { Self.manifestCodes("retentionBytes", $0).isEmpty })
    #expect(Self.sizes.contains { !Self.manifestCodes("retentionBytes", $0).isEmpty })
  }
}
