// Every diagnostic code meshc emits, sorted by code, grouped by stage. Never renumber a
// code and never reuse a retired one: scripts and CI configurations match on them.
//
//   E00xx  driver: files, paths, usage
//   E01xx  YAML front end
//   E02xx  manifest decoding (DataProduct, mesh.yaml)
//   E03xx  mesh resolution: product ids, cross-product references, governance
//   E04xx  schemas (Avro, .avsc and inline)
//   E05xx  schema compatibility
//   E06xx  expressions (reserved for the expression issue)
//   E07xx  log engine and its CLI
//   Wxxxx  warnings, numbered in the same ranges

extension DiagnosticCode {
  // MARK: E00xx driver

  public static let fileUnreadable = DiagnosticCode("E0001", "a file or directory cannot be read")
  public static let noManifests = DiagnosticCode("E0002", "no data product manifests were found under the given paths")

  // MARK: E01xx YAML

  // MARK: E02xx manifest

  // MARK: E03xx mesh resolution

  // MARK: E04xx schemas

  // MARK: E05xx compatibility

  // MARK: E07xx log

  // MARK: Wxxxx warnings
}

extension DiagnosticCode {
  /// Every code, sorted; the tests check that each one is triggered by some fixture.
  public static var catalog: [DiagnosticCode] {
    [
      fileUnreadable, noManifests,
    ].sorted()
  }
}
