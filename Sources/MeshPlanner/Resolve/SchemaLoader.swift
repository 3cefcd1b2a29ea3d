public import MeshDiagnostics
public import MeshManifest
public import MeshSchema

/// Reads the schemas manifests refer to — `.avsc` files under the mesh root or inline
/// YAML — once each, keeping their files for snippets and their findings.
public struct SchemaLoader {
  let files: any MeshFiles
  private var cache: [String: Schema?] = [:]
  public private(set) var sources = SourceFiles()
  public private(set) var diagnostics = Diagnostics()

  public init(files: any MeshFiles) {
    self.files = files
  }

  /// The schema, or nil when it is missing (the caller reports that) or does not parse
  /// (its diagnostics are collected here, once per file).
  public mutating func load(_ reference: SchemaReference) -> Schema? {
    switch reference {
    case .inline(let node):
      var found = Diagnostics()
      guard let value = SourceValue.from(node, diagnostics: &found) else {
        diagnostics.append(contentsOf: found)
        return nil
      }
      let (schema, parseDiagnostics) = Schema.parse(value)
      diagnostics.append(contentsOf: parseDiagnostics)
      return schema
    case .file(let path):
      let display = files.displayPath(path.value)
      if let cached = cache[display] { return cached }
      guard let bytes = files.read(path.value) else { return nil }
      let file = SourceFile(path: display, bytes: bytes)
      sources.add(file)
      let (schema, parseDiagnostics) = Schema.parse(file)
      diagnostics.append(contentsOf: parseDiagnostics)
      cache[display] = schema
      return schema
    }
  }
}
