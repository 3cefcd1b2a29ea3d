import Foundation
import MeshDriver

/// What `meshc bench validate` measured: validating a generated mesh, beside reading the
/// same files' bytes (the floor any validator pays).
public struct BenchValidateResult: Sendable {
  public var products: Int
  public var files: Int
  public var bytes: Int
  public var validateSeconds: [Double]
  public var readSeconds: [Double]
  public var findings: Int

  public var text: String {
    let validate = median(validateSeconds)
    let read = median(readSeconds)
    return """
      meshc bench validate: \(products) products in \(files) files (\(bytes / 1024) KiB), median of \(validateSeconds.count) runs after a warm-up
        baseline (read every file's bytes) \(String(format: "%8.1f ms", read * 1000))
        meshc validate                     \(String(format: "%8.1f ms", validate * 1000))  \(String(format: "%.0f", Double(products) / validate)) products/s  \(String(format: "%.1f", validate / read))× the baseline
        findings: \(findings) (expected 0)
      """
  }
}

extension Benchmarks {
  /// Generates a mesh of `products` products (deterministic: chains of products reading
  /// each other's ports, shared schemas) in a temporary directory and times `validate`.
  public static func benchValidate(products: Int, repeats: Int) throws -> BenchValidateResult {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bench-validate-\(products)")
    try? FileManager.default.removeItem(at: root)
    let files = try SyntheticMesh.write(products: products, to: root)
    defer { try? FileManager.default.removeItem(at: root) }
    var validateTimes: [Double] = []
    var readTimes: [Double] = []
    var findings = 0
    var bytes = 0
    for run in 0...repeats {
      let readStart = DispatchTime.now().uptimeNanoseconds
      bytes = 0
      for file in files { bytes += FileManager.default.contents(atPath: file.path)?.count ?? 0 }
      let readEnd = DispatchTime.now().uptimeNanoseconds
      let report = MeshDriver.validate(paths: ["."], currentDirectory: root)
      let validateEnd = DispatchTime.now().uptimeNanoseconds
      findings = report.diagnostics.all.count
      if run > 0 {
        readTimes.append(Double(readEnd - readStart) / 1e9)
        validateTimes.append(Double(validateEnd - readEnd) / 1e9)
      }
    }
    return BenchValidateResult(
      products: products, files: files.count, bytes: bytes, validateSeconds: validateTimes, readSeconds: readTimes,
      findings: findings)
  }
}

/// A generated mesh shaped like a real one: ten domains, each product reading a file
/// source or an earlier product's stream port, with filters, selects, aggregates and ports.
enum SyntheticMesh {
  static func write(products: Int, to root: URL) throws -> [URL] {
    let manager = FileManager.default
    try manager.createDirectory(at: root.appendingPathComponent("schemas"), withIntermediateDirectories: true)
    var files: [URL] = []
    let domains = (0..<10).map { "domain\($0)" }
    let meshFile = root.appendingPathComponent("mesh.yaml")
    try """
    apiVersion: meshc/v1
    kind: Mesh
    name: bench
    defaults: {compatibility: BACKWARD}
    governance:
      requiredMetadata: [description, owner.email]
      domains: [\(domains.joined(separator: ", "))]
    """.write(to: meshFile, atomically: true, encoding: .utf8)
    files.append(meshFile)
    let schema = root.appendingPathComponent("schemas/event.avsc")
    let fields = [
      #"{"name": "id", "type": "string"}"#, #"{"name": "amount", "type": "double"}"#,
      #"{"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}"#,
    ]
    try #"{"type": "record", "name": "Event", "fields": [\#(fields.joined(separator: ", "))]}"#
      .write(to: schema, atomically: true, encoding: .utf8)
    files.append(schema)
    for index in 0..<products {
      let domain = domains[index % domains.count]
      let input: String
      if index < domains.count {
        input = "- {name: source, format: csv, path: data/\(index)/*.csv, schema: schemas/event.avsc, eventTime: ts}"
        // A file for the glob to match, as a mesh in use has (else: a warning).
        let data = root.appendingPathComponent("data/\(index)")
        try manager.createDirectory(at: data, withIntermediateDirectories: true)
        try "id,amount,ts\n".write(to: data.appendingPathComponent("events.csv"), atomically: true, encoding: .utf8)
      } else {
        let upstream = index - domains.count
        input = "- {name: source, product: \(domains[upstream % domains.count]).product\(upstream), port: stream}"
      }
      let directory = root.appendingPathComponent("products/\(domain)")
      try manager.createDirectory(at: directory, withIntermediateDirectories: true)
      let file = directory.appendingPathComponent("product\(index).yaml")
      try """
      apiVersion: meshc/v1
      kind: DataProduct
      metadata:
        name: product\(index)
        domain: \(domain)
        owner: {team: team-\(index % 37), email: team\(index % 37)@example.com}
        description: Generated product number \(index) for the validate benchmark.
        alignment: aggregate
        lifecycle: published
        tags: [bench, generated]
      spec:
        inputs:
          \(input)
        transforms:
          - name: valid
            from: source
            filter: "amount >= 0 AND id <> ''"
          - name: public
            from: valid
            select:
              id: id
              amount: amount * 1.19
              ts: ts
          - name: hourly
            from: public
            aggregate:
              groupBy: [id]
              window: {tumbling: 1h, allowedLateness: 10m}
              measures: {total: sum(amount), events: count(*)}
        outputs:
          - {name: stream, kind: stream, from: public, key: id, schema: schemas/event.avsc, retention: 7d}
          - {name: daily, kind: batch, from: hourly, format: parquet, path: out/\(domain)/\(index)/, every: 1d}
        sla: {freshness: 5m, availability: 99.9%}
        quality:
          - {name: positive, check: "amount >= 0", onFail: dead-letter}
        access:
          - {consumer: analytics, ports: [stream, daily], pii: masked}
      """.write(to: file, atomically: true, encoding: .utf8)
      files.append(file)
    }
    return files
  }
}
