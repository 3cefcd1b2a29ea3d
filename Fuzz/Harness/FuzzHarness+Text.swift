import MeshBytes
import MeshDiagnostics
import MeshManifest
import MeshYAML

extension FuzzHarness {
  /// YAML bytes through the front end: parse, decode as a product and as `mesh.yaml`,
  /// and render every finding with its snippet (the renderer quotes hostile lines).
  @Sendable public static func manifestDecoding(_ bytes: [UInt8]) {
    let file = SourceFile(path: "fuzz.yaml", bytes: bytes)
    let parsed = parseYAML(file)
    var diagnostics = parsed.diagnostics.all
    for document in parsed.documents {
      guard let root = document.root else { continue }
      var decoder = ManifestDecoder()
      _ = decoder.decodeProduct(root)
      var meshDecoder = ManifestDecoder()
      _ = meshDecoder.decodeMesh(root)
      diagnostics += decoder.diagnostics.all + meshDecoder.diagnostics.all
    }
    _ = TextRenderer(colored: false).render(diagnostics, sources: SourceFiles([file]))
    _ = JSONRenderer().render(diagnostics)
  }

  /// Strict JSON: the tokenizer and the tree reader agree on what is JSON, and what one
  /// writes the other reads back.
  @Sendable public static func jsonText(_ bytes: [UInt8]) {
    let problem = JSONTokenizer.problem(in: bytes)
    let (value, diagnostics) = JSONReaderShim.read(bytes)
    if (problem == nil) != (value != nil) || (problem != nil) != diagnostics {
      violated("the tokenizer and the reader disagree on \(bytes.count) bytes")
    }
    _ = try? JSONTokenizer.members(of: bytes)
    if problem == nil, let value {
      var writer = JSONWriter()
      JSONReaderShim.write(value, into: &writer)
      if JSONTokenizer.problem(in: writer.bytes) != nil { violated("the writer wrote what the tokenizer refuses") }
    }
  }

  /// Durations, sizes and times as people type them: never a trap, and what prints reads
  /// back the same.
  @Sendable public static func sizeAndDuration(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if case .success(let span) = TimeSpan.parse(text), (try? TimeSpan.parse(span.description).get()) != span {
      violated("'\(text)' printed as '\(span)', which does not read back")
    }
    _ = ByteCount.parse(text)
    _ = Retention.parse(text, amount: ByteCount.parse)
    _ = Retention.parse(text, amount: TimeSpan.parse)
    if case .success(let time) = EventTime.parse(text), (try? EventTime.parse(time.description).get()) != time {
      violated("'\(text)' printed as '\(time)', which does not read back")
    }
  }
}
