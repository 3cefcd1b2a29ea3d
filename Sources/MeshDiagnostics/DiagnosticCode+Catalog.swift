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

  public static let yamlSyntax = DiagnosticCode("E0101", "the file is not well-formed YAML")
  public static let yamlInvalidUTF8 = DiagnosticCode("E0102", "the file is not valid UTF-8")
  public static let yamlTabIndentation = DiagnosticCode(
    "E0103", "a tab character is used where YAML allows only spaces")
  public static let yamlAliasExpansionLimit = DiagnosticCode("E0104", "aliases expand to too many nodes")
  public static let yamlUndefinedAlias = DiagnosticCode("E0105", "an alias refers to an undefined anchor")
  public static let yamlDuplicateKey = DiagnosticCode("E0106", "a mapping has the same key twice")
  public static let yamlTooDeep = DiagnosticCode("E0107", "collections are nested too deeply")
  public static let yamlInvalidTaggedValue = DiagnosticCode("E0108", "a scalar does not fit its explicit tag")
  public static let yamlInvalidMerge = DiagnosticCode("E0109", "a merge key's value is not a mapping")

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
      yamlSyntax, yamlInvalidUTF8, yamlTabIndentation, yamlAliasExpansionLimit, yamlUndefinedAlias,
      yamlDuplicateKey, yamlTooDeep, yamlInvalidTaggedValue, yamlInvalidMerge,
    ].sorted()
  }
}
