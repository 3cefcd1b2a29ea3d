import MeshDiagnostics
public import MeshYAML

extension ManifestDecoder {
  static let apiVersion = "meshc/v1"

  /// Decodes one `kind: DataProduct` document. Nil when the document is too broken to
  /// name a product (its diagnostics are collected either way).
  public mutating func decodeProduct(_ root: YAMLNode) -> DataProduct? {
    guard
      let top = fields(of: root, "a data product manifest", allowed: ["apiVersion", "kind", "metadata", "spec"])
    else { return nil }
    checkHeader(top, kind: "DataProduct")
    let metadata = required(top, "metadata").flatMap { decodeMetadata($0) }
    let spec = required(top, "spec").flatMap {
      fields(
        of: $0, "spec", allowed: ["inputs", "transforms", "outputs", "sla", "quality", "access"])
    }
    // The spec is decoded even when the metadata is broken, so every mistake is reported.
    // Steps that failed to decode still declare their names, so references to them do
    // not cascade into a second error.
    var brokenSteps: Set<String> = []
    let inputs = list(spec.flatMap { required($0, "inputs") }, "inputs").compactMap { node in
      decodeInput(node)
        ?? {
          brokenSteps.insert(node["name"]?.scalar?.text ?? ""); return nil
        }()
    }
    let transforms = list(spec?["transforms"], "transforms").compactMap { node in
      decodeTransform(node)
        ?? {
          brokenSteps.insert(node["name"]?.scalar?.text ?? ""); return nil
        }()
    }
    let outputs = list(spec.flatMap { required($0, "outputs") }, "outputs").compactMap { decodeOutput($0) }
    let serviceLevels = spec?["sla"].flatMap { decodeServiceLevels($0) }
    let quality = list(spec?["quality"], "quality").compactMap { decodeQualityRule($0) }
    let access = list(spec?["access"], "access").compactMap { decodeAccessGrant($0) }
    guard let metadata else { return nil }
    let product = DataProduct(
      metadata: metadata, inputs: inputs, transforms: transforms, outputs: outputs, serviceLevels: serviceLevels,
      quality: quality, access: access, range: root.range)
    checkSteps(product, brokenSteps: brokenSteps)
    return product
  }

  mutating func checkHeader(_ top: Fields, kind: String) {
    if let version = string(required(top, "apiVersion"), "apiVersion"), version.value != Self.apiVersion {
      diagnostics.error(
        .unsupportedAPIVersion, "unsupported apiVersion '\(version.value)'", at: version.range,
        help: "this meshc reads apiVersion '\(Self.apiVersion)'")
    }
    if let found = string(required(top, "kind"), "kind"), found.value != kind {
      diagnostics.error(
        .unexpectedKind, "expected kind '\(kind)', found '\(found.value)'", at: found.range)
    }
  }

  mutating func decodeMetadata(_ node: YAMLNode) -> ProductMetadata? {
    guard
      let meta = fields(
        of: node, "metadata",
        allowed: ["name", "domain", "owner", "description", "alignment", "lifecycle", "tags", "docs"])
    else { return nil }
    let name = identifier(required(meta, "name"), "product name")
    let domain = identifier(required(meta, "domain"), "domain")
    let owner = required(meta, "owner").flatMap { decodeOwner($0) }
    let lifecycle =
      meta["lifecycle"].map { choice($0, "lifecycle", as: Lifecycle.self) }
      ?? Located(.draft, at: SourceRange(file: node.range.file, at: node.range.start))
    guard let name, let domain else { return nil }
    return ProductMetadata(
      name: name, domain: domain, owner: owner, description: string(meta["description"], "description"),
      alignment: choice(meta["alignment"], "alignment", as: Alignment.self),
      lifecycle: lifecycle ?? Located(.draft, at: node.range), tags: stringList(meta["tags"], "tag"),
      docs: string(meta["docs"], "docs"), range: node.range)
  }

  mutating func decodeOwner(_ node: YAMLNode) -> Owner? {
    guard let owner = fields(of: node, "owner", allowed: ["team", "email"]) else { return nil }
    let team = identifierLike(required(owner, "team"), "owner team")
    let email = string(owner["email"], "owner email")
    if let email, !Self.looksLikeEmail(email.value) {
      diagnostics.error(
        .invalidValue, "invalid owner email '\(email.value)'", at: email.range,
        help: "write an address such as team@example.com")
    }
    return team.map { Owner(team: $0, email: email) }
  }

  /// Team and consumer names may use `-` as well (`sales-platform`).
  mutating func identifierLike(_ node: YAMLNode?, _ context: String) -> Located<String>? {
    guard let text = string(node, context) else { return nil }
    let valid = text.value.utf8.allSatisfy {
      ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
        || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
    }
    guard valid else {
      diagnostics.error(
        .invalidIdentifier, "invalid \(context) '\(text.value)': expected lowercase letters, digits, '-', '_' or '.'",
        at: text.range)
      return nil
    }
    return text
  }

  static func looksLikeEmail(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
  }
}
