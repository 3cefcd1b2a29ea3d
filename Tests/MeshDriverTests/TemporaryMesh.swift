import Foundation
import MeshDiagnostics
import MeshTestSupport

/// A mesh written to a fresh temporary directory from marked texts, so a test can say
/// where in which file a diagnostic must point. The directory goes when the last
/// reference does.
final class TemporaryMesh {
  let root: URL
  private(set) var markers: [String: (file: String, location: MeshDiagnostics.SourceLocation)] = [:]

  init(_ files: [String: String]) throws {
    root = try Fixtures.makeTemporaryDirectory("meshc-mesh")
    for (path, marked) in files {
      let source = MarkedSource(marked)
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try source.text.write(to: url, atomically: false, encoding: .utf8)
      for (name, location) in source.markers { markers[name] = (path, location) }
    }
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  subscript(marker: String) -> (file: String, location: MeshDiagnostics.SourceLocation)? { markers[marker] }

  static let meshFile = """
    apiVersion: meshc/v1
    kind: Mesh
    name: test
    governance:
      requiredMetadata: [description]
      domains: [sales, marketing]
    """

  /// A valid product whose parts a test may replace.
  static func product(
    name: String = "orders", domain: String = "sales", description: String = "description: Orders.",
    lifecycle: String = "published",
    input: String = "{name: raw, format: csv, path: data/*.csv, schema: schemas/raw.avsc}",
    output: String = "{name: stream, kind: stream, from: raw, schema: schemas/order.avsc}"
  ) -> String {
    """
    apiVersion: meshc/v1
    kind: DataProduct
    metadata:
      name: \(name)
      domain: \(domain)
      owner: {team: t, email: t@example.com}
      lifecycle: \(lifecycle)
      \(description)
    spec:
      inputs:
        - \(input)
      outputs:
        - \(output)
    """
  }

  static let schema = #"{"type": "record", "name": "R", "fields": [{"name": "id", "type": "string"}]}"#
}
