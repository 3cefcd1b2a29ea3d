import Foundation
import MeshDiagnostics
import MeshManifest
import MeshSchema

/// Reads the schemas manifests refer to — `.avsc` files under the mesh root or inline
/// YAML — once each, keeping their files for snippets and their findings.
struct SchemaLoader {
  let root: MeshRoot
  let display: DisplayPath
  private var cache: [String: Schema?] = [:]
  var sources = SourceFiles()
  var diagnostics = Diagnostics()

  init(root: MeshRoot, display: DisplayPath) {
    self.root = root
    self.display = display
  }

  /// The schema, or nil when it is missing (the caller reports that) or does not parse
  /// (its diagnostics are collected here, once per file).
  mutating func load(_ reference: SchemaReference) -> Schema? {
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
      let url = root.resolve(path.value)
      if let cached = cache[url.path] { return cached }
      guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
      let file = SourceFile(path: display(url), bytes: [UInt8](data))
      sources.add(file)
      let (schema, parseDiagnostics) = Schema.parse(file)
      diagnostics.append(contentsOf: parseDiagnostics)
      cache[url.path] = schema
      return schema
    }
  }
}
